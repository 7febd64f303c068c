package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserBenefits runs the benefits journey in Chromium:
// Lakeside Data's admin sees its progress toward the homepage banner on its
// benefits page, asks for test credit, an operator approves it for less, and
// the seller's test balance shows it.
func TestBrowserBenefits(t *testing.T) {
	s := startServer(t, "--data", t.TempDir(), "--demo")
	b := newBrowser(t, s.url, 120*time.Second)
	const demoPass = "cloudmart-demo"

	// The benefits page shows the banner's progress (slice A's page).
	b.signIn("seller1@demo.test", demoPass, "/seller/benefits")
	if ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.getElementById("banner-progress") !== null`)); err != nil || !ok {
		t.Fatalf("no banner progress on the benefits page: %v", err)
	}
	b.shot("benefits-en")

	// The demo approved USD 400.00 of test credit and a test purchase spent
	// USD 120.00 of it; the seller asks for USD 150.00 more.
	b.do("open test credit", b.open("/seller/test-credit"))
	if got := b.text("#tc-allowance"); got != "USD 600.00 of USD 1,000.00 left" {
		t.Fatalf("the allowance before: %q", got)
	}
	if got := b.text("#tc-balance"); got != "USD 280.00" {
		t.Fatalf("the test balance before: %q", got)
	}
	b.do("ask for test credit", b.fill(map[string]string{"f-request-amount": "150.00"}), // an empty textarea cannot be cleared
		chromedp.SendKeys(chromedp.ID("f-request-purpose"), "Try the new SaaS plan end to end"), b.submit("#tc-request-submit"))
	if got := b.text(".notice"); !strings.Contains(got, "Your request is sent") {
		t.Fatalf("after asking: %q", got)
	}
	if got := b.text("#tc-allowance"); got != "USD 450.00 of USD 1,000.00 left" {
		t.Fatalf("the allowance after asking: %q", got)
	}
	b.shot("test-credit-requested-en")
	b.signOut()

	// An operator approves USD 100.00 of it.
	b.signIn("ops@demo.test", demoPass, "/ops/test-credit")
	id, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#tc-ops-requests tr[id^='tc-ops-']")]
		.find(tr => tr.textContent.includes("Lakeside Data")).id.slice("tc-ops-".length)`))
	if err != nil || !strings.HasPrefix(id, "tcr_") {
		t.Fatalf("the request to approve: %q %v", id, err)
	}
	b.shot("test-credit-ops-en")
	b.do("approve for less", b.fill(map[string]string{"tc-amount-" + id: "100.00"}), b.submit("#tc-approve-"+id))
	if got := b.text(".notice"); !strings.Contains(got, "approved") {
		t.Fatalf("after approving: %q", got)
	}
	b.signOut()

	// The seller's test balance shows it.
	b.signIn("seller1@demo.test", demoPass, "/seller/test-credit")
	if got := b.text("#tc-balance"); got != "USD 380.00" {
		t.Fatalf("the test balance after the approval: %q", got)
	}
	if got := b.text("#tc-allowance"); got != "USD 500.00 of USD 1,000.00 left" {
		t.Fatalf("the allowance after the approval: %q", got)
	}
	if got := b.text("#tc-requests tbody tr:first-child .tc-state"); got != "Approved" {
		t.Fatalf("the request's state: %q", got)
	}
	b.shot("test-credit-approved-en")
	b.do("in Chinese", b.submit("a.lang"))
	b.shot("test-credit-approved-zh-CN")
}
