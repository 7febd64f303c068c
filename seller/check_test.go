package seller_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/seller"
)

var agreementV2 = seller.Agreement{Version: "2.0", Title: "Seller Agreement", PublishedAt: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}

// qualified returns an application that meets every requirement on 2026-11-30
// under agreementV2.
func qualified(tb testing.TB) seller.Application {
	tb.Helper()
	ann := seller.Contact{Name: "Ann Lee", Email: "ann@example.com"}
	return seller.Application{
		LegalName:          "Example Software Ltd",
		RegistrationNumber: "91110000000000000X",
		Country:            "CN",
		Established:        mustDate(tb, "2020-05-01"),
		Regions:            []seller.Region{beijing},
		Offerings:          []seller.Offering{seller.OfferingSaaS, seller.OfferingImage},
		PreSales:           []seller.Contact{ann},
		PostSales:          []seller.Contact{ann, {Name: "李娜", Email: "li.na@example.cn", Phone: "+86 10 1234 5678"}},
		Support:            seller.Schedule{Zone: "Asia/Shanghai", Days: weekdays(hours(tb, "09:00", "17:00"))},
		Signature:          &seller.Signature{Version: "2.0", SignedBy: "Ann Lee", SignedAt: time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)},
		TaxBankEntered:     true,
		TaxBankCertified:   true,
	}
}

// result returns the result of one requirement.
func result(tb testing.TB, app seller.Application, inForce seller.Agreement, today seller.Date, id string) seller.Result {
	tb.Helper()
	for _, r := range seller.Check(app, inForce, today) {
		if r.ID == id {
			return r
		}
	}
	tb.Fatalf("no result %q", id)
	return seller.Result{}
}

func TestCheckAllPass(t *testing.T) {
	today := mustDate(t, "2026-11-30")
	results := seller.Check(qualified(t), agreementV2, today)
	if len(results) != len(seller.Requirements) {
		t.Fatalf("got %d results, want %d", len(results), len(seller.Requirements))
	}
	for i, r := range results {
		if r.ID != seller.Requirements[i] || !r.Passed || r.Reason.EN == "" || r.Reason.ZH == "" {
			t.Errorf("result %d = %+v, want %s passed with reasons", i, r, seller.Requirements[i])
		}
	}
	if failed := seller.Failed(results); len(failed) != 0 {
		t.Errorf("Failed = %+v, want none", failed)
	}
}

func TestCheckAllFail(t *testing.T) {
	results := seller.Check(seller.Application{}, seller.Agreement{}, mustDate(t, "2026-11-30"))
	want := []string{"establishment_time", "offering", "presales_personnel", "postsales_personnel", "support_capability", "agreement", "tax_bank_certified"}
	if len(results) != len(want) {
		t.Fatalf("got %d results, want %d", len(results), len(want))
	}
	for i, r := range results {
		if r.ID != want[i] || r.Passed || r.Reason.EN == "" || r.Reason.ZH == "" {
			t.Errorf("result %d = %+v, want %s failed with reasons", i, r, want[i])
		}
	}
	if failed := seller.Failed(results); len(failed) != len(want) {
		t.Errorf("Failed returned %d results, want %d", len(failed), len(want))
	}
}

func TestFailed(t *testing.T) {
	app := qualified(t)
	app.Offerings = nil
	app.TaxBankCertified = false
	failed := seller.Failed(seller.Check(app, agreementV2, mustDate(t, "2026-11-30")))
	if len(failed) != 2 || failed[0].ID != seller.ReqOffering || failed[1].ID != seller.ReqTaxBankCertified {
		t.Errorf("Failed = %+v, want offering and tax_bank_certified", failed)
	}
}

func TestEstablishmentTime(t *testing.T) {
	tests := []struct {
		established, today string
		passed             bool
		en, zh             string // the reason when failed
	}{
		{"2023-03-15", "2024-03-15", true, "", ""},
		{"2023-03-15", "2024-03-14", false,
			"The company must have been established for at least one year; it qualifies from 2024-03-15.",
			"企业成立须满一年；自 2024-03-15 起满足条件。"},
		{"2024-02-29", "2025-02-28", false,
			"The company must have been established for at least one year; it qualifies from 2025-03-01.",
			"企业成立须满一年；自 2025-03-01 起满足条件。"},
		{"2024-02-29", "2025-03-01", true, "", ""},
		{"2024-02-29", "2028-02-29", true, "", ""},
		{"2023-02-28", "2024-02-28", true, "", ""},
		{"2023-03-01", "2024-02-29", false,
			"The company must have been established for at least one year; it qualifies from 2024-03-01.",
			"企业成立须满一年；自 2024-03-01 起满足条件。"},
		{"2026-11-30", "2026-11-30", false,
			"The company must have been established for at least one year; it qualifies from 2027-11-30.",
			"企业成立须满一年；自 2027-11-30 起满足条件。"},
	}
	for _, tc := range tests {
		app := qualified(t)
		app.Established = mustDate(t, tc.established)
		r := result(t, app, agreementV2, mustDate(t, tc.today), seller.ReqEstablishmentTime)
		if r.Passed != tc.passed || !tc.passed && (r.Reason.EN != tc.en || r.Reason.ZH != tc.zh) {
			t.Errorf("established %s, checked %s: passed=%v %q %q; want passed=%v %q %q",
				tc.established, tc.today, r.Passed, r.Reason.EN, r.Reason.ZH, tc.passed, tc.en, tc.zh)
		}
	}
	app := qualified(t)
	app.Established = seller.Date{}
	if r := result(t, app, agreementV2, mustDate(t, "2026-11-30"), seller.ReqEstablishmentTime); r.Passed {
		t.Error("no establishment date passed")
	}
}

func TestOffering(t *testing.T) {
	tests := []struct {
		offerings []seller.Offering
		passed    bool
		en        string
	}{
		{[]seller.Offering{seller.OfferingProfessionalService}, true, "Offers professional service."},
		{[]seller.Offering{seller.OfferingLicense, seller.OfferingImage, "hardware"}, true, "Offers image and licence."},
		{[]seller.Offering{"hardware"}, false, "Choose at least one offering: image, SaaS, API, licence or professional service."},
		{nil, false, "Choose at least one offering: image, SaaS, API, licence or professional service."},
	}
	for _, tc := range tests {
		app := qualified(t)
		app.Offerings = tc.offerings
		r := result(t, app, agreementV2, mustDate(t, "2026-11-30"), seller.ReqOffering)
		if r.Passed != tc.passed || r.Reason.EN != tc.en {
			t.Errorf("offerings %v: passed=%v %q; want passed=%v %q", tc.offerings, r.Passed, r.Reason.EN, tc.passed, tc.en)
		}
	}
}

func TestPersonnel(t *testing.T) {
	ann := seller.Contact{Name: "Ann Lee", Email: "ann@example.com"}
	tests := []struct {
		name     string
		contacts []seller.Contact
		passed   bool
		en, zh   string
	}{
		{"one contact", []seller.Contact{ann}, true, "Named pre-sales contacts: 1.", "已指定 1 名售前联系人。"},
		{"none", nil, false,
			"Name at least one pre-sales contact with an email address.",
			"请至少指定一名售前联系人并提供电子邮箱。"},
		{"blank name and bad email", []seller.Contact{ann, {Name: " ", Email: "x@example.com"}, {Name: "Bo Li", Email: "bo.li"}}, false,
			"Enter the name of pre-sales contact 2. Enter a valid email address for pre-sales contact 3 (Bo Li).",
			"请填写第 2 位售前联系人的姓名。请为第 3 位售前联系人（Bo Li）填写有效的电子邮箱。"},
		{"no email", []seller.Contact{{Name: "Ann Lee"}}, false,
			"Enter a valid email address for pre-sales contact 1 (Ann Lee).",
			"请为第 1 位售前联系人（Ann Lee）填写有效的电子邮箱。"},
	}
	for _, tc := range tests {
		app := qualified(t)
		app.PreSales = tc.contacts
		r := result(t, app, agreementV2, mustDate(t, "2026-11-30"), seller.ReqPresalesPersonnel)
		if r.Passed != tc.passed || r.Reason.EN != tc.en || r.Reason.ZH != tc.zh {
			t.Errorf("%s: passed=%v %q %q; want passed=%v %q %q", tc.name, r.Passed, r.Reason.EN, r.Reason.ZH, tc.passed, tc.en, tc.zh)
		}
	}
	app := qualified(t)
	app.PostSales = nil
	r := result(t, app, agreementV2, mustDate(t, "2026-11-30"), seller.ReqPostsalesPersonnel)
	if r.Passed || r.Reason.EN != "Name at least one post-sales contact with an email address." {
		t.Errorf("no post-sales contact: passed=%v %q", r.Passed, r.Reason.EN)
	}
}

func TestAgreement(t *testing.T) {
	tests := []struct {
		name    string
		sig     *seller.Signature
		inForce seller.Agreement
		passed  bool
		en, zh  string
	}{
		{"signed the version in force", &seller.Signature{Version: "2.0", SignedBy: "Ann Lee"}, agreementV2, true,
			"Signed the Seller Agreement version 2.0.", "已签署卖家协议 2.0 版。"},
		{"never signed", nil, agreementV2, false,
			"Sign the Seller Agreement version 2.0.", "请签署卖家协议 2.0 版。"},
		{"signed an older version", &seller.Signature{Version: "1.3", SignedBy: "Ann Lee"}, agreementV2, false,
			"Sign the Seller Agreement version 2.0; you signed version 1.3, which is no longer in force.",
			"请签署卖家协议 2.0 版；您签署的 1.3 版已不再有效。"},
		{"none published", &seller.Signature{Version: "", SignedBy: "Ann Lee"}, seller.Agreement{}, false,
			"The marketplace has not published a Seller Agreement yet; you can sign it once it is published.",
			"市场尚未发布卖家协议，发布后即可签署。"},
	}
	for _, tc := range tests {
		app := qualified(t)
		app.Signature = tc.sig
		r := result(t, app, tc.inForce, mustDate(t, "2026-11-30"), seller.ReqAgreement)
		if r.Passed != tc.passed || r.Reason.EN != tc.en || r.Reason.ZH != tc.zh {
			t.Errorf("%s: passed=%v %q %q; want passed=%v %q %q", tc.name, r.Passed, r.Reason.EN, r.Reason.ZH, tc.passed, tc.en, tc.zh)
		}
	}
}

func TestTaxBankCertified(t *testing.T) {
	tests := []struct {
		entered, certified, passed bool
		en                         string
	}{
		{false, false, false, "Enter your tax ID and bank account."},
		{false, true, false, "Enter your tax ID and bank account."},
		{true, false, false, "Waiting for the marketplace to certify your tax and bank information."},
		{true, true, true, "Tax and bank information certified."},
	}
	for _, tc := range tests {
		app := qualified(t)
		app.TaxBankEntered, app.TaxBankCertified = tc.entered, tc.certified
		r := result(t, app, agreementV2, mustDate(t, "2026-11-30"), seller.ReqTaxBankCertified)
		if r.Passed != tc.passed || r.Reason.EN != tc.en || r.Reason.ZH == "" {
			t.Errorf("entered=%v certified=%v: passed=%v %q; want passed=%v %q", tc.entered, tc.certified, r.Passed, r.Reason.EN, tc.passed, tc.en)
		}
	}
}
