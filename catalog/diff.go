package catalog

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Change is one difference between two revisions of a listing, as the
// operator's side-by-side review shows it. Field is the field's path as in
// validation errors ("name.zh", "image.image_regions", "plans[pro].price");
// an added plan has an empty Before and a removed one an empty After.
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// field is one value of a listing, written as the review shows it.
type field struct{ name, value string }

// Diff lists what the pending revision changes in the published one: the
// common fields in the order of the editor, then the type's details, then the
// plans, matched by code (changed ones field by field, added ones whole, in
// the pending order; then removed ones, in the published order). Amounts are
// written as "CNY 99.00".
func Diff(published, pending Product) []Change {
	changes := diffFields(published.fields(), pending.fields())
	for _, pl := range pending.Plans {
		i := slices.IndexFunc(published.Plans, func(o Plan) bool { return o.Code == pl.Code })
		if i < 0 {
			changes = append(changes, Change{Field: planField(pl), After: pl.summary()})
			continue
		}
		changes = append(changes, diffFields(published.Plans[i].fields(), pl.fields())...)
	}
	for _, pl := range published.Plans {
		if !slices.ContainsFunc(pending.Plans, func(o Plan) bool { return o.Code == pl.Code }) {
			changes = append(changes, Change{Field: planField(pl), Before: pl.summary()})
		}
	}
	return changes
}

// diffFields compares two lists of fields by name, in the order of after and
// then of what only before has (a type changed between revisions).
func diffFields(before, after []field) []Change {
	value := func(fs []field, name string) string {
		if i := slices.IndexFunc(fs, func(f field) bool { return f.name == name }); i >= 0 {
			return fs[i].value
		}
		return ""
	}
	var changes []Change
	add := func(name string) {
		if b, a := value(before, name), value(after, name); b != a {
			changes = append(changes, Change{Field: name, Before: b, After: a})
		}
	}
	for _, f := range after {
		add(f.name)
	}
	for _, f := range before {
		if !slices.ContainsFunc(after, func(a field) bool { return a.name == f.name }) {
			add(f.name)
		}
	}
	return changes
}

// fields writes out the product's content, without its plans.
func (p Product) fields() []field {
	fs := []field{
		{"type", string(p.Type)},
		{"name.en", p.Name.EN}, {"name.zh", p.Name.ZH},
		{"summary.en", p.Summary.EN}, {"summary.zh", p.Summary.ZH},
		{"description.en", p.Description.EN}, {"description.zh", p.Description.ZH},
		{"category", p.Category},
		{"logo_key", p.LogoKey},
		{"screenshots", strings.Join(p.Screenshots, ", ")},
		{"docs_url", p.DocsURL},
		{"regions", strings.Join(p.Regions, ", ")},
		{"support.email", p.Support.Email}, {"support.phone", p.Support.Phone}, {"support.url", p.Support.URL},
		{"refund_days", refundDaysText(p.RefundDays)},
	}
	specs := p.specs()
	for _, t := range Types {
		if s, ok := specs[t]; ok {
			fs = append(fs, s.fields()...)
		}
	}
	return fs
}

func planField(pl Plan) string { return "plans[" + pl.Code + "]" }

// fields writes out a plan, each field named after the plan's code.
func (pl Plan) fields() []field {
	f := planField(pl)
	price := ""
	if pl.Price.Currency != "" {
		price = pl.Price.String()
	}
	return []field{
		{f + ".name.en", pl.Name.EN}, {f + ".name.zh", pl.Name.ZH},
		{f + ".mode", string(pl.Mode)},
		{f + ".price", price},
		{f + ".usage", pl.Usage.String()},
		{f + ".trial_days", strconv.Itoa(pl.TrialDays)},
		{f + ".active", strconv.FormatBool(pl.Active)},
	}
}

// summary writes a whole plan on one line:
// "Pro / 专业版, monthly, CNY 99.00, 14 trial days, active".
func (pl Plan) summary() string {
	parts := []string{pl.Name.EN + " / " + pl.Name.ZH, string(pl.Mode)}
	if pl.Usage != nil {
		parts = append(parts, pl.Usage.String())
	} else {
		parts = append(parts, pl.Price.String())
	}
	if pl.TrialDays > 0 {
		parts = append(parts, fmt.Sprintf("%d trial days", pl.TrialDays))
	}
	if pl.Active {
		parts = append(parts, "active")
	} else {
		parts = append(parts, "inactive")
	}
	return strings.Join(parts, ", ")
}

// String writes the tiers of a usage price:
// "per GB: 0–100 at CNY 0.00; 100+ at CNY 0.50"; "" for none.
func (u *UsagePrice) String() string {
	if u == nil {
		return ""
	}
	var tiers []string
	var from int64
	for _, t := range u.Tiers {
		band := fmt.Sprintf("%d+", from)
		if t.UpTo != 0 {
			band = fmt.Sprintf("%d–%d", from, t.UpTo)
		}
		tiers = append(tiers, band+" at "+t.UnitPrice.String())
		from = t.UpTo
	}
	return "per " + u.Unit + ": " + strings.Join(tiers, "; ")
}

func refundDaysText(days *int) string {
	if days == nil {
		return ""
	}
	return strconv.Itoa(*days)
}
