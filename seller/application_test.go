package seller_test

import (
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/seller"
)

func TestOfferingValid(t *testing.T) {
	for _, o := range seller.Offerings {
		if !o.Valid() {
			t.Errorf("%q is not valid", o)
		}
	}
	for _, o := range []seller.Offering{"", "Image", "hardware"} {
		if o.Valid() {
			t.Errorf("%q is valid", o)
		}
	}
}

func TestContactValidate(t *testing.T) {
	tests := []struct {
		name         string
		c            seller.Contact
		field, msgID string // "" when valid
	}{
		{"complete", seller.Contact{Name: "Ann Lee", Email: "ann@example.com", Phone: "+86 (10) 1234-5678"}, "", ""},
		{"no phone", seller.Contact{Name: "李娜", Email: " Li.Na@Example.CN "}, "", ""},
		{"long name", seller.Contact{Name: strings.Repeat("名", 120), Email: "a@example.com"}, "", ""},
		{"blank name", seller.Contact{Name: "  ", Email: "ann@example.com"}, "presales[0].name", "error.name_length"},
		{"name too long", seller.Contact{Name: strings.Repeat("名", 121), Email: "a@example.com"}, "presales[0].name", "error.name_length"},
		{"no email", seller.Contact{Name: "Ann Lee"}, "presales[0].email", "error.email_invalid"},
		{"bad email", seller.Contact{Name: "Ann Lee", Email: "ann@localhost"}, "presales[0].email", "error.email_invalid"},
		{"short phone", seller.Contact{Name: "Ann Lee", Email: "ann@example.com", Phone: "1234"}, "presales[0].phone", "error.phone_invalid"},
		{"long phone", seller.Contact{Name: "Ann Lee", Email: "ann@example.com", Phone: strings.Repeat("1", 33)}, "presales[0].phone", "error.phone_invalid"},
		{"letters in phone", seller.Contact{Name: "Ann Lee", Email: "ann@example.com", Phone: "call me maybe"}, "presales[0].phone", "error.phone_invalid"},
		{"no digits in phone", seller.Contact{Name: "Ann Lee", Email: "ann@example.com", Phone: "(+-) ()"}, "presales[0].phone", "error.phone_invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate("presales[0]")
			if tc.msgID == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			wantFault(t, err, tc.field, tc.msgID)
		})
	}
}
