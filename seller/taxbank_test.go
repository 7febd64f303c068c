package seller_test

import (
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/seller"
)

func TestTaxBank(t *testing.T) {
	good := seller.TaxBank{TaxID: " 91110000-7109 21234X ", BankName: " Industrial and  Commercial Bank ", AccountHolder: "Lakeside Data Ltd", AccountNumber: "6222 0202 0001 2345 678"}.Normal()
	if good.TaxID != "91110000710921234X" || good.AccountNumber != "6222020200012345678" || good.BankName != "Industrial and Commercial Bank" {
		t.Fatalf("Normal = %+v", good)
	}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	m := good.Masked()
	if m.AccountNumber != strings.Repeat("•", 15)+"5678" || m.TaxID != strings.Repeat("•", 14)+"234X" || m.BankName != good.BankName {
		t.Fatalf("Masked = %+v", m)
	}
	tests := []struct {
		tb    seller.TaxBank
		field string
	}{
		{seller.TaxBank{TaxID: "12", BankName: "B", AccountHolder: "H", AccountNumber: "12345678"}, "tax_id"},
		{seller.TaxBank{TaxID: "12345", BankName: "", AccountHolder: "H", AccountNumber: "12345678"}, "bank_name"},
		{seller.TaxBank{TaxID: "12345", BankName: "B", AccountHolder: "", AccountNumber: "12345678"}, "account_holder"},
		{seller.TaxBank{TaxID: "12345", BankName: "B", AccountHolder: "H", AccountNumber: "123"}, "account_number"},
		{seller.TaxBank{TaxID: "12345", BankName: "B", AccountHolder: "H", AccountNumber: "1234567€"}, "account_number"},
	}
	for _, tc := range tests {
		if e := fault.As(tc.tb.Normal().Validate()); e == nil || e.Field != tc.field {
			t.Errorf("%+v: %v, want field %s", tc.tb, e, tc.field)
		}
	}
}

func TestCheckDocument(t *testing.T) {
	pdf := []byte("%PDF-1.7\n1 0 obj\n")
	png := []byte("\x89PNG\r\n\x1a\n0000")
	tests := []struct {
		name     string
		kind     seller.DocumentKind
		filename string
		size     int64
		head     []byte
		want     string
	}{
		{"pdf", seller.BusinessLicense, "licence.pdf", 1000, pdf, "application/pdf"},
		{"png", seller.BankProof, "Bank.PNG", 1000, png, "image/png"},
		{"text claiming pdf", seller.BusinessLicense, "licence.pdf", 100, []byte("hello, I am text"), ""},
		{"png named pdf", seller.BusinessLicense, "licence.pdf", 100, png, ""},
		{"executable", seller.OtherDocument, "setup.exe", 100, []byte("MZ\x90\x00"), ""},
		{"50 MB", seller.BusinessLicense, "big.pdf", 50 << 20, pdf, ""},
		{"empty", seller.BusinessLicense, "e.pdf", 0, nil, ""},
		{"bad kind", "passport", "p.pdf", 100, pdf, ""},
		{"path in name", seller.BusinessLicense, "../../etc/x.pdf", 100, pdf, ""},
	}
	for _, tc := range tests {
		got, err := seller.CheckDocument(tc.kind, tc.filename, tc.size, tc.head)
		if got != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("%s: %q, %v", tc.name, got, err)
		}
	}
}
