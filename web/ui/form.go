package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
)

// form is what a visitor typed into one form of a page, with the translated
// messages about it, for showing the form again.
type form struct {
	ID     string              // which form of the page the messages are about
	Values map[string]string   // what was typed; never passwords
	Lists  map[string][]string // the values of a group of checkboxes, by their name
	Errors map[string]string   // field name → translated message
	Alert  string              // a message about the form as a whole
	fields map[string]bool
	// kept maps a group of rows ("presales") to the rows of the form that
	// were passed on, empty ones left out: row i of what was saved is row
	// kept[i] of the form.
	kept map[string][]int
	// aliases send an error about a field the form has no input for to the
	// one that fixes it: "license.terms" to "license.terms_url".
	aliases map[string]string
}

func emptyForm(id string) *form {
	return &form{ID: id, Values: map[string]string{}, Lists: map[string][]string{}, Errors: map[string]string{},
		fields: map[string]bool{}, kept: map[string][]int{}, aliases: map[string]string{}}
}

// alias shows errors about field (or inside it) by the input named to.
func (f *form) alias(field, to string) { f.aliases[field] = to }

// group makes name a place for errors about a group of inputs that has no
// input of that name: "plans" for "add at least one plan", "plans[1]" for an
// error about that row as a whole.
func (f *form) group(name string) { f.fields[name] = true }

// keep records which rows of a group were passed on, so that an error about
// row i of what was saved shows by the row the visitor typed it in.
func (f *form) keep(group string, rows []int) { f.kept[group] = rows }

// formRow turns a field of what was saved into the field of the form:
// "presales[0].email" is "presales[1].email" when the first row was empty.
func (f *form) formRow(field string) string {
	for group, rows := range f.kept {
		rest, ok := strings.CutPrefix(field, group+"[")
		if !ok {
			continue
		}
		num, tail, ok := strings.Cut(rest, "]")
		i, err := strconv.Atoi(num)
		if !ok || err != nil || i < 0 || i >= len(rows) {
			continue
		}
		return group + "[" + strconv.Itoa(rows[i]) + "]" + tail
	}
	return field
}

// newForm reads the named fields from the request (the query of a GET, the
// body of a POST). What was typed into a password field is not kept: a page
// never sends a password back.
func newForm(id string, r *http.Request, fields ...string) *form {
	f := emptyForm(id)
	f.read(r, fields...)
	return f
}

// read adds the named fields to the form with what the request holds for them.
func (f *form) read(r *http.Request, fields ...string) {
	for _, name := range fields {
		f.fields[name] = true
		if !strings.Contains(name, "password") {
			f.Values[name] = r.FormValue(name)
		}
	}
}

// readList adds a group of checkboxes (or a multiple select) to the form and
// returns the values checked, trimmed, without empty ones.
func (f *form) readList(r *http.Request, name string) []string {
	f.fields[name] = true
	var out []string
	for _, v := range r.Form[name] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	f.Lists[name] = out
	return out
}

// fail puts a message next to the field, or above the form when neither the
// field nor what contains it is one of the form's: an error about
// "regions[1]" shows by the "regions" checkboxes, one about
// "support.days.monday[0].end" by that input or else by its row.
func (f *form) fail(field, msg string) {
	for name := f.formRow(field); name != ""; name = parent(name) {
		if to, ok := f.aliases[name]; ok {
			name = to
		}
		if f.fields[name] {
			f.Errors[name] = msg
			return
		}
	}
	f.Alert = msg
}

// parent cuts the last part off a field name: "a.b[1].c" → "a.b[1]" → "a.b" → "a" → "".
func parent(name string) string {
	i := strings.LastIndexAny(name, ".[")
	if i < 0 {
		return ""
	}
	return name[:i]
}

// ErrorUnder reports whether the form has an error by a field under prefix:
// "plans[0].usage" has one by "plans[0].usage.tiers[1].up_to".
func (f *form) ErrorUnder(prefix string) bool {
	for name := range f.Errors {
		if name == prefix || strings.HasPrefix(name, prefix+".") || strings.HasPrefix(name, prefix+"[") {
			return true
		}
	}
	return false
}

// Checked reports whether the value was checked in the group of checkboxes.
func (f *form) Checked(name, value string) bool { return slices.Contains(f.Lists[name], value) }

// field is one input as the "field" template draws it.
type field struct {
	ID, Name, Type, Label, Value, Error, Hint, Auto, Min, Max string
	Mode                                                      string // inputmode: "decimal", "numeric"
	Rows                                                      int    // of a textarea
	Optional                                                  string // the translated "optional" marker; "" when required
	// Free marks a field that is neither required nor optional on its own:
	// one of a row that may be left empty as a whole.
	Free bool
}

// Describe lists the ids of the hint and the error, for aria-describedby.
func (f field) Describe() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Field describes an input of the page's form for the "field" template: its
// name, input type and the catalogue key of its label, then options
// "auto=<autocomplete>", "hint=<catalogue key>", "min=…", "max=…",
// "mode=<inputmode>", "rows=<n>" (a textarea's), "optional" and "free" (see
// field.Free). Field names are unique on a page, and so are the ids made of
// them (see fieldID).
func (p *page) Field(name, typ, label string, opts ...string) field {
	f := field{ID: fieldID(name), Name: name, Type: typ, Label: p.T(label), Value: p.Form.Values[name], Error: p.Form.Errors[name]}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "auto":
			f.Auto = v
		case "hint":
			f.Hint = p.T(v)
		case "min":
			f.Min = v
		case "max":
			f.Max = v
		case "mode":
			f.Mode = v
		case "rows":
			f.Rows, _ = strconv.Atoi(v)
		case "optional":
			f.Optional = p.T("form.optional")
		case "free":
			f.Free = true
		}
	}
	return f
}

// option is one choice of a select or of a group of checkboxes, its label
// translated; a hint (a region's code) may follow the label.
type option struct {
	Value, Label, Hint string
}

// choices is a select or a group of checkboxes as the "select" and "checks"
// templates draw them: the field and its options, with those chosen marked.
type choices struct {
	field
	Options []choice
}

type choice struct {
	option
	Chosen bool
}

// Select describes a select of the page's form with its options; opts are
// those of Field. The option whose value the form holds is selected.
func (p *page) Select(name, label string, options []option, opts ...string) choices {
	c := choices{field: p.Field(name, "select", label, opts...)}
	for _, o := range options {
		c.Options = append(c.Options, choice{option: o, Chosen: o.Value == c.Value})
	}
	return c
}

// Checks describes a group of checkboxes of the page's form; opts are those
// of Field. The boxes the form holds in its list of the name are checked.
func (p *page) Checks(name, label string, options []option, opts ...string) choices {
	c := choices{field: p.Field(name, "checkbox", label, opts...)}
	for _, o := range options {
		c.Options = append(c.Options, choice{option: o, Chosen: p.Form.Checked(name, o.Value)})
	}
	return c
}

// fieldID is the id of a field's input: "f-" and its name with each run of
// characters other than letters, digits and "_" made one "-", so that it is a
// plain CSS selector too ("presales[0].email" → "f-presales-0-email").
func fieldID(name string) string {
	var b strings.Builder
	b.WriteString("f-")
	dash := false
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			if dash {
				b.WriteByte('-')
				dash = false
			}
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// ID is the id of the named field's input, for templates that draw their own.
func (p *page) ID(name string) string { return fieldID(name) }

// required returns an Invalid error on the first empty field of the pairs of
// field names and values.
func required(nameValues ...string) error {
	for i := 0; i+1 < len(nameValues); i += 2 {
		if strings.TrimSpace(nameValues[i+1]) == "" {
			return fault.Field(nameValues[i], "error.required", "fill in this field")
		}
	}
	return nil
}

// blank reports whether every value is empty or spaces.
func blank(values ...string) bool {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// confirmed checks that a new password was typed the same twice.
func confirmed(password, again string) error {
	if password != again {
		return fault.Field("password_confirm", "error.password_mismatch", "the two passwords differ")
	}
	return nil
}
