package ui

import (
	"net/http"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
)

// form is what a visitor typed into one form of a page, with the translated
// messages about it, for showing the form again.
type form struct {
	ID     string            // which form of the page the messages are about
	Values map[string]string // what was typed; never passwords
	Errors map[string]string // field name → translated message
	Alert  string            // a message about the form as a whole
	fields map[string]bool
}

func emptyForm(id string) *form {
	return &form{ID: id, Values: map[string]string{}, Errors: map[string]string{}, fields: map[string]bool{}}
}

// newForm reads the named fields from the request (the query of a GET, the
// body of a POST). What was typed into a password field is not kept: a page
// never sends a password back.
func newForm(id string, r *http.Request, fields ...string) *form {
	f := emptyForm(id)
	for _, name := range fields {
		f.fields[name] = true
		if !strings.Contains(name, "password") {
			f.Values[name] = r.FormValue(name)
		}
	}
	return f
}

// fail puts a message next to the field, or above the form when the field is
// not one of the form's.
func (f *form) fail(field, msg string) {
	if f.fields[field] {
		f.Errors[field] = msg
	} else {
		f.Alert = msg
	}
}

// field is one input as the "field" template draws it.
type field struct {
	ID, Name, Type, Label, Value, Error, Hint, Auto, Min, Max string
	Optional                                                  string // the translated "optional" marker; "" when required
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
// "auto=<autocomplete>", "hint=<catalogue key>", "min=…", "max=…" and
// "optional". Field names are unique on a page, so ids are "f-<name>".
func (p *page) Field(name, typ, label string, opts ...string) field {
	f := field{ID: "f-" + name, Name: name, Type: typ, Label: p.T(label), Value: p.Form.Values[name], Error: p.Form.Errors[name]}
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
		case "optional":
			f.Optional = p.T("form.optional")
		}
	}
	return f
}

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

// confirmed checks that a new password was typed the same twice.
func confirmed(password, again string) error {
	if password != again {
		return fault.Field("password_confirm", "error.password_mismatch", "the two passwords differ")
	}
	return nil
}
