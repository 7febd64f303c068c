package seller

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
)

// TaxBank is a seller's tax ID and the bank account it is paid into. It is
// stored sealed (package secret) and shown only masked.
type TaxBank struct {
	TaxID         string `json:"tax_id"`
	BankName      string `json:"bank_name"`
	AccountHolder string `json:"account_holder"`
	AccountNumber string `json:"account_number"`
}

// Normal returns the details trimmed, with spaces and dashes taken out of the
// numbers and letters upper-cased (as banks print them).
func (t TaxBank) Normal() TaxBank {
	compact := func(s string) string {
		return strings.ToUpper(strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' {
				return -1
			}
			return r
		}, s))
	}
	return TaxBank{
		TaxID:         compact(strings.TrimSpace(t.TaxID)),
		BankName:      strings.Join(strings.Fields(t.BankName), " "),
		AccountHolder: strings.Join(strings.Fields(t.AccountHolder), " "),
		AccountNumber: compact(strings.TrimSpace(t.AccountNumber)),
	}
}

// Validate checks normalised details: a tax ID of 5 to 32 letters and digits
// (China's unified social credit code has 18), a bank and holder name of 1 to
// 120 characters, an account number of 6 to 34 letters and digits (an IBAN has
// at most 34).
//
// Errors: Invalid on "tax_id", "bank_name", "account_holder" or "account_number".
func (t TaxBank) Validate() error {
	if !alnum(t.TaxID, 5, 32) {
		return fault.Field("tax_id", "error.tax_id", "enter the tax ID: 5 to 32 letters and digits")
	}
	for _, f := range []struct{ field, value string }{{"bank_name", t.BankName}, {"account_holder", t.AccountHolder}} {
		if n := utf8.RuneCountInString(f.value); n < 1 || n > 120 {
			return fault.Field(f.field, "error.name_length", "enter a name of 1 to 120 characters")
		}
	}
	if !alnum(t.AccountNumber, 6, 34) {
		return fault.Field("account_number", "error.account_number", "enter the account number: 6 to 34 letters and digits")
	}
	return nil
}

func alnum(s string, minLen, maxLen int) bool {
	if len(s) < minLen || len(s) > maxLen {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !(unicode.IsDigit(r) || unicode.IsUpper(r)) {
			return false
		}
	}
	return true
}

// Masked returns the details as they may be shown: the tax ID and the account
// number hidden but for their last four characters.
func (t TaxBank) Masked() TaxBank {
	return TaxBank{TaxID: mask(t.TaxID), BankName: t.BankName, AccountHolder: t.AccountHolder, AccountNumber: mask(t.AccountNumber)}
}

func mask(s string) string {
	if len(s) <= 4 {
		return strings.Repeat("•", len(s))
	}
	return strings.Repeat("•", len(s)-4) + s[len(s)-4:]
}
