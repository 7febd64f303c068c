package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSellerOnboarding takes a new company through the seller wizard
// on the demo world: every step filled with what passes, the tax and bank
// details certified by an operator, the application submitted, approved from
// the review queue, and the applicant told.
func TestBrowserSellerOnboarding(t *testing.T) {
	s := startServer(t, "--data", t.TempDir(), "--demo")
	b := newBrowser(t, s.url, 90*time.Second)
	const (
		password = "correct horse battery staple 42"
		email    = "mei@northwind.example"
		company  = "Northwind Cloud 北风云"
		ops      = "ops@demo.test"
		demoPass = "cloudmart-demo"
	)
	zh := messages(t, "zh-CN")

	b.do("sign up", b.open("/signup"),
		b.fill(map[string]string{"f-email": email, "f-display_name": "Mei Lin", "f-org_name": "Northwind Buyers",
			"f-password": password, "f-password_confirm": password}),
		b.submit("#signup-submit"))
	b.do("open the wizard", b.open("/seller/application"))
	b.shot("seller-intro-en")
	b.do("start", b.fill(map[string]string{"f-legal_name": company}), b.submit("#start-submit"))
	b.at("/seller/application/company?done=started")

	// 1 Company.
	b.do("company", b.fill(map[string]string{"f-registration_number": "91110108MA01NWC88X", "f-country": "CN"}),
		chromedp.SetValue(chromedp.ID("f-established"), "2015-01-01"),
		chromedp.Click(chromedp.CSS(`input[name="offerings"][value="saas"]`)),
		chromedp.Click(chromedp.CSS(`input[name="offerings"][value="api"]`)))
	b.shot("seller-company-en")
	b.do("save company", b.submit("#step-save"))
	b.at("/seller/application/regions?done=saved")

	// 2 Regions.
	b.do("regions", chromedp.Click(chromedp.CSS(`input[name="regions"][value="cn-north-4"]`)), b.submit("#step-save"))
	b.at("/seller/application/contacts?done=saved")

	// 3 Contacts: the second rows stay empty and are ignored.
	b.do("contacts", b.fill(map[string]string{
		"f-presales-0-name": "Lin Mei 林梅", "f-presales-0-email": "sales@northwind.example", "f-presales-0-phone": "+86 10 5555 0101",
		"f-postsales-0-name": "Northwind support", "f-postsales-0-email": "support@northwind.example"}))
	b.shot("seller-contacts-en")
	b.do("save contacts", b.submit("#step-save"))
	b.at("/seller/application/support?done=saved")

	// 4 Support: 09:00–18:00 Monday to Friday in Shanghai.
	hours := []chromedp.Action[chromedp.Void]{chromedp.SetValue(chromedp.ID("f-support-zone"), "Asia/Shanghai")}
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		hours = append(hours, chromedp.SetValue(chromedp.ID("f-support-days-"+d+"-0-start"), "09:00"),
			chromedp.SetValue(chromedp.ID("f-support-days-"+d+"-0-end"), "18:00"))
	}
	b.do("support", hours...)
	b.shot("seller-support-en")
	b.do("save support", b.submit("#step-save"))
	b.at("/seller/application/documents?done=saved")

	// 5 Documents: a business licence as a PDF.
	licence := filepath.Join(t.TempDir(), "business-licence.pdf")
	if err := os.WriteFile(licence, []byte("%PDF-1.4\n% Northwind Cloud business licence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("upload", chromedp.SetValue(chromedp.ID("f-kind"), "business_license"),
		chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{licence}), b.submit("#upload-submit"))
	b.at("/seller/application/documents?done=uploaded")
	if got := b.text("table.docs tbody"); !strings.Contains(got, "business-licence.pdf") {
		t.Fatalf("documents after upload: %q", got)
	}
	b.shot("seller-documents-en")

	// 6 The Seller Agreement.
	b.do("agreement", b.open("/seller/application/agreement"))
	b.shot("seller-agreement-en")
	b.do("sign", b.submit("#agreement-sign"))
	b.at("/seller/application/taxbank?done=signed")

	// 7 Tax and bank.
	b.do("tax and bank", b.fill(map[string]string{"f-tax_id": "91110108MA01NWC88X", "f-bank_name": "Bank of Beijing",
		"f-account_holder": "Northwind Cloud Co., Ltd.", "f-account_number": "6222 0210 0011 4455"}), b.submit("#taxbank-save"))
	b.at("/seller/application/taxbank?done=taxbank")
	if got := b.text("main dl.facts"); !strings.Contains(got, "4455") || strings.Contains(got, "00114455") {
		t.Fatalf("tax and bank not masked: %q", got)
	}
	b.shot("seller-taxbank-en")

	// 8 Review: six of seven; the certification is the marketplace's, and
	// submitting now is refused with what is missing.
	b.do("review", b.open("/seller/application"))
	if got := b.text(".reqs .fail"); !strings.Contains(got, "Waiting for the marketplace to certify") {
		t.Fatalf("failing requirement before certification: %q", got)
	}
	b.shot("seller-review-en")
	b.do("submit too early", b.submit("#submit-application"))
	if got := b.text(".alert .failures"); !strings.Contains(got, "Tax and bank certified") {
		t.Fatalf("refused submission: %q", got)
	}
	b.shot("seller-submit-refused-en")
	b.do("support in Chinese", b.open("/seller/application/support"), b.submit("a.lang"))
	b.shot("seller-support-zh-CN")
	b.do("review in Chinese", b.open("/seller/application"))
	b.shot("seller-review-zh-CN")
	b.do("back to English", b.submit("a.lang"))
	b.signOut()

	// The operator certifies the tax and bank details from the queue; the
	// demo's failing draft shows what the checks say.
	b.signIn(ops, demoPass, "/ops/applications")
	b.shot("ops-queue-en")
	b.do("a failing draft", b.submit(`//a[text()="Brightside Apps"]`))
	if got := b.text(".reqs .fail"); !strings.Contains(got, "Established for a year") {
		t.Fatalf("the failing draft's checks: %q", got)
	}
	b.shot("ops-application-failing-en")
	b.do("back to the queue", b.open("/ops/applications"))
	b.do("open the application", b.submit(`//a[text()="`+company+`"]`))
	appURL := b.location()
	b.shot("ops-application-en")
	b.do("certify", b.submit("#certify-taxbank"))
	b.at(appURL + "?done=certified")
	b.signOut()

	// The applicant submits.
	b.signIn(email, password, "/seller/application")
	b.do("submit", b.submit("#submit-application"))
	b.at("/seller/application?done=submitted")
	if got := b.text(".banner-title"); got != "Submitted: under review" {
		t.Fatalf("banner after submitting: %q", got)
	}
	b.shot("seller-submitted-en")
	b.signOut()

	// The operator approves it from the queue of submitted applications.
	b.signIn(ops, demoPass, "/ops/applications?state=submitted")
	b.do("open it", b.submit(`//a[text()="`+company+`"]`))
	b.do("approve", b.submit("#review-approve"))
	b.at(appURL + "?done=approve")
	if got := b.text(".page-head .state"); got != "Approved" {
		t.Fatalf("state after approval: %q", got)
	}
	b.do("queue in Chinese", b.open("/ops/applications"), b.submit("a.lang"))
	if got := b.text("h1"); got != zh["queue.heading"] {
		t.Fatalf("queue heading in Chinese: %q", got)
	}
	b.shot("ops-queue-zh-CN")
	b.do("application in Chinese", b.open(appURL))
	b.shot("ops-application-zh-CN")
	b.do("back to English", b.submit("a.lang"))
	b.signOut()

	// The applicant sees the approval, and was told.
	b.signIn(email, password, "/seller/application")
	if got := b.text(".banner-title"); got != "Approved" {
		t.Fatalf("banner after approval: %q", got)
	}
	if got := b.text(`a.bell`); !strings.Contains(got, "Notifications") {
		t.Fatalf("notifications link: %q", got)
	}
	b.do("notifications", b.submit(`a.bell`))
	if got := b.text(".notes"); !strings.Contains(got, "Your seller application is approved") {
		t.Fatalf("notifications: %q", got)
	}
	b.shot("notifications-en")
}

// at fails the test unless the browser is at path.
func (b *browser) at(path string) {
	b.t.Helper()
	if loc := b.location(); loc != path {
		b.t.Fatalf("at %s, want %s", loc, path)
	}
}
