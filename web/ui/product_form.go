package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// The product editor's form: its fields are named as the catalogue's
// validation errors name them ("name.zh", "saas.endpoint", "plans[1].mode",
// "plans[0].usage.tiers[1].up_to"), so each error shows by its input.

// planTiers is how many usage tiers a plan row of the editor offers.
const planTiers = 3

// planCurrencies are the currencies the editor prices in.
var planCurrencies = []money.Currency{money.CNY, money.USD}

// productReader reads the editor's form into a form, keeping the first
// value that could not be read as an error for the field.
type productReader struct {
	r   *http.Request
	f   *form
	err error
}

// text reads a one-line field, trimmed.
func (rd *productReader) text(name string) string {
	rd.f.read(rd.r, name)
	return strings.TrimSpace(rd.f.Values[name])
}

// multiline reads a text area: trimmed, with "\n" line ends.
func (rd *productReader) multiline(name string) string {
	return strings.ReplaceAll(rd.text(name), "\r\n", "\n")
}

// pair reads a field in both languages: name.en and name.zh.
func (rd *productReader) pair(name string, lines bool) catalog.Text {
	if lines {
		return catalog.Text{EN: rd.multiline(name + ".en"), ZH: rd.multiline(name + ".zh")}
	}
	return catalog.Text{EN: rd.text(name + ".en"), ZH: rd.text(name + ".zh")}
}

// check reads a checkbox.
func (rd *productReader) check(name string) bool { return rd.text(name) == "on" }

// fail keeps the first error.
func (rd *productReader) fail(err error) {
	if rd.err == nil {
		rd.err = err
	}
}

// whole reads a whole number; empty is 0. errField names the field in the
// terms of what is saved (a plan's place among the plans kept).
func (rd *productReader) whole(name, errField string) int64 {
	s := rd.text(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		rd.fail(fault.Field(errField, "error.whole_number", "enter a whole number, such as 12"))
	}
	return n
}

// number is whole for a field named the same in the form and what is saved.
func (rd *productReader) number(name string) int { return int(min(rd.whole(name, name), 1<<31-1)) }

// amount reads a price in the currency; empty is zero.
func (rd *productReader) amount(name, errField string, c money.Currency) money.Amount {
	s := rd.text(name)
	if s == "" {
		return money.Amount{Currency: c}
	}
	a, err := money.Parse(s, c)
	switch {
	case errors.Is(err, money.ErrCurrency):
		rd.fail(fault.Field(errField, "error.currency_unsupported", "choose CNY or USD"))
	case err != nil:
		rd.fail(fault.Field(errField, "error.amount_format", "enter an amount such as 199.00, with at most two decimals and no separators"))
	}
	return a
}

// readProduct reads the editor's form over base, the content the form was
// drawn from (it keeps what the form does not show: the logo, screenshots,
// an uploaded terms document). The type is base's.
//
// Errors: Invalid on a number or an amount that cannot be read.
func readProduct(r *http.Request, f *form, base catalog.Product) (catalog.Product, error) {
	rd := &productReader{r: r, f: f}
	p := base
	p.Name = rd.pair("name", false)
	p.Summary = rd.pair("summary", false)
	p.Description = rd.pair("description", true)
	p.Category = rd.text("category")
	p.DocsURL = rd.text("docs_url")
	p.Regions = f.readList(r, "regions")
	p.Support = catalog.Support{Email: rd.text("support.email"), Phone: rd.text("support.phone"), URL: rd.text("support.url")}
	p.Image, p.SaaS, p.License, p.Service = nil, nil, nil, nil
	switch p.Type {
	case catalog.TypeImage:
		p.Image = &catalog.ImageSpec{ImageRef: rd.text("image.image_ref"), OSFamily: catalog.OSFamily(rd.text("image.os_family")),
			OSVersion: rd.text("image.os_version"), Arch: catalog.Arch(rd.text("image.arch")),
			MinVCPU: rd.number("image.min_vcpu"), MinMemoryMiB: rd.number("image.min_memory_mib"), MinDiskGiB: rd.number("image.min_disk_gib"),
			ImageRegions: f.readList(r, "image.image_regions"), LoginUser: rd.text("image.login_user")}
	case catalog.TypeSaaS:
		p.SaaS = &catalog.SaaSSpec{Endpoint: rd.text("saas.endpoint"), DeployRegion: rd.text("saas.deploy_region"), FreeTrial: rd.check("saas.free_trial")}
	case catalog.TypeLicense:
		terms := ""
		if base.License != nil {
			terms = base.License.TermsKey
		}
		p.License = &catalog.LicenseSpec{Category: catalog.LicenseCategory(rd.text("license.category")), GrantUnit: catalog.GrantUnit(rd.text("license.grant_unit")),
			GrantQuantity: rd.number("license.grant_quantity"), DurationMonths: rd.number("license.duration_months"),
			TermsKey: terms, TermsURL: rd.text("license.terms_url")}
		f.alias("license.terms", "license.terms_url")
	case catalog.TypeService:
		p.Service = &catalog.ServiceSpec{Kind: catalog.ServiceKind(rd.text("service.kind")), Deliverables: rd.pair("service.deliverables", true),
			ExpectedDays: rd.number("service.expected_days"), NoSoftwareIncluded: rd.check("service.no_software_included")}
	}
	p.Plans = rd.plans()
	return p, rd.err
}

// plans reads the plan rows; rows left empty are skipped.
func (rd *productReader) plans() []catalog.Plan {
	rd.f.group("plans")
	var plans []catalog.Plan
	var kept []int
	for i := range postedRows(rd.r, "plans", ".code") {
		row := planField(i)
		rd.f.group(row)
		at := planField(len(plans)) // how errors name the row: by its place among those kept
		pl, typed := rd.plan(row, at)
		if typed {
			plans = append(plans, pl)
			kept = append(kept, i)
		}
	}
	rd.f.keep("plans", kept)
	return plans
}

func planField(i int) string { return "plans[" + strconv.Itoa(i) + "]" }

func tierField(row string, j int) string { return row + ".usage.tiers[" + strconv.Itoa(j) + "]" }

// plan reads the row of the form named row, which errors call at. typed is
// false for a row left empty (its mode and currency are always chosen, and
// a new row is active, so those do not count).
func (rd *productReader) plan(row, at string) (pl catalog.Plan, typed bool) {
	values := []string{rd.text(row + ".code"), rd.text(row + ".name.en"), rd.text(row + ".name.zh"), rd.text(row + ".price"),
		rd.text(row + ".usage.unit"), rd.text(row + ".trial_days")}
	for j := range planTiers {
		values = append(values, rd.text(tierField(row, j)+".up_to"), rd.text(tierField(row, j)+".unit_price"))
	}
	mode, cur, active := catalog.BillingMode(rd.text(row+".mode")), money.Currency(rd.text(row+".currency")), rd.check(row+".active")
	if blank(values...) {
		return pl, false
	}
	pl = catalog.Plan{Code: values[0], Name: catalog.Text{EN: values[1], ZH: values[2]}, Mode: mode, Active: active,
		TrialDays: int(min(rd.whole(row+".trial_days", at+".trial_days"), 1<<31-1))}
	if mode != catalog.PayPerUse || values[3] != "" {
		pl.Price = rd.amount(row+".price", at+".price", cur)
	}
	// Tiers up to the last one typed: one left empty among them is read as
	// empty, and its error shows by it.
	last := -1
	for j := range planTiers {
		if !blank(values[6+2*j], values[7+2*j]) {
			last = j
		}
	}
	if mode == catalog.PayPerUse || values[4] != "" || last >= 0 {
		u := &catalog.UsagePrice{Unit: values[4]}
		for j := 0; j <= last; j++ {
			in, out := tierField(row, j), tierField(at, j)
			u.Tiers = append(u.Tiers, catalog.Tier{UpTo: rd.whole(in+".up_to", out+".up_to"), UnitPrice: rd.amount(in+".unit_price", out+".unit_price", cur)})
		}
		pl.Usage = u
	}
	return pl, true
}

// productForm fills the editor's form with a product's content.
func productForm(p catalog.Product) *form {
	f := emptyForm("product")
	v := f.Values
	pair := func(name string, t catalog.Text) { v[name+".en"], v[name+".zh"] = t.EN, t.ZH }
	number := func(name string, n int) {
		if n != 0 {
			v[name] = strconv.Itoa(n)
		}
	}
	check := func(name string, on bool) {
		if on {
			v[name] = "on"
		}
	}
	pair("name", p.Name)
	pair("summary", p.Summary)
	pair("description", p.Description)
	v["category"], v["docs_url"] = p.Category, p.DocsURL
	f.Lists["regions"] = p.Regions
	v["support.email"], v["support.phone"], v["support.url"] = p.Support.Email, p.Support.Phone, p.Support.URL
	if im := p.Image; im != nil {
		v["image.image_ref"], v["image.os_family"], v["image.os_version"] = im.ImageRef, string(im.OSFamily), im.OSVersion
		v["image.arch"], v["image.login_user"] = string(im.Arch), im.LoginUser
		number("image.min_vcpu", im.MinVCPU)
		number("image.min_memory_mib", im.MinMemoryMiB)
		number("image.min_disk_gib", im.MinDiskGiB)
		f.Lists["image.image_regions"] = im.ImageRegions
	}
	if sa := p.SaaS; sa != nil {
		v["saas.endpoint"], v["saas.deploy_region"] = sa.Endpoint, sa.DeployRegion
		check("saas.free_trial", sa.FreeTrial)
	}
	if li := p.License; li != nil {
		v["license.category"], v["license.grant_unit"], v["license.terms_url"] = string(li.Category), string(li.GrantUnit), li.TermsURL
		number("license.grant_quantity", li.GrantQuantity)
		v["license.duration_months"] = strconv.Itoa(li.DurationMonths)
	}
	if se := p.Service; se != nil {
		v["service.kind"] = string(se.Kind)
		pair("service.deliverables", se.Deliverables)
		number("service.expected_days", se.ExpectedDays)
		check("service.no_software_included", se.NoSoftwareIncluded)
	}
	for i, pl := range p.Plans {
		row := planField(i)
		v[row+".code"], v[row+".mode"], v[row+".currency"] = pl.Code, string(pl.Mode), string(pl.Currency())
		pair(row+".name", pl.Name)
		if pl.Price.Currency != "" && (pl.Mode != catalog.PayPerUse || !pl.Price.IsZero()) {
			v[row+".price"] = pl.Price.Decimal()
		}
		number(row+".trial_days", pl.TrialDays)
		check(row+".active", pl.Active)
		if u := pl.Usage; u != nil {
			v[row+".usage.unit"] = u.Unit
			for j, t := range u.Tiers {
				tier := tierField(row, j)
				if t.UpTo != 0 {
					v[tier+".up_to"] = strconv.FormatInt(t.UpTo, 10)
				}
				v[tier+".unit_price"] = t.UnitPrice.Decimal()
			}
		}
	}
	return f
}

// newPlanRows gives the form's rows that hold no plan yet what a new row
// starts with: priced in CNY, monthly where the type allows it, offered.
func newPlanRows(f *form, t catalog.Type, rows int) {
	mode := catalog.Monthly
	if modes := catalog.AllowedModes(t); !t.Allows(mode) && len(modes) > 0 {
		mode = modes[0]
	}
	for i := range rows {
		row := planField(i)
		if _, ok := f.Values[row+".code"]; ok {
			continue
		}
		f.Values[row+".currency"], f.Values[row+".mode"], f.Values[row+".active"] = string(money.CNY), string(mode), "on"
	}
}
