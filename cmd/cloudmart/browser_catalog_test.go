package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCatalogue lists a product on the demo world: a seller creates a
// SaaS product with a monthly plan and submits it; an operator approves it;
// the seller changes it and the operator reviews the changes side by side;
// a visitor, signed out, finds it by a Chinese word and opens its page.
// Screenshots of each page, in both languages.
func TestBrowserCatalogue(t *testing.T) {
	s := startServer(t, "--data", t.TempDir(), "--demo")
	b := newBrowser(t, s.url, 90*time.Second)
	const (
		sellerEmail = "seller1@demo.test" // Lakeside Data, which declared SaaS
		opsEmail    = "ops@demo.test"
		demoPass    = "cloudmart-demo"
		nameEN      = "Lakeside Log Insight"
		nameZH      = "湖畔日志洞察"
	)
	zh := messages(t, "zh-CN")

	// The seller creates the product: the form of its type, and a plan.
	b.signIn(sellerEmail, demoPass, "/seller/products")
	b.do("new SaaS product", b.submit("#new-saas"))
	b.at("/seller/products/new?type=saas")
	b.do("fill the product",
		b.fill(map[string]string{
			"f-name-en": nameEN, "f-name-zh": nameZH,
			"f-summary-en": "Search and chart your logs in seconds", "f-summary-zh": "秒级检索日志，一键生成图表",
			"f-support-email": "support@lakeside.example", "f-saas-endpoint": "https://logs.lakeside.example/cloudmart",
			"f-plans-0-code": "pro-monthly", "f-plans-0-name-en": "Pro", "f-plans-0-name-zh": "专业版", "f-plans-0-price": "199.00",
		}),
		// Empty text areas are typed into as they are (fill clears first).
		chromedp.SendKeys(chromedp.ID("f-description-en"), "Collect logs from servers, containers and applications.\n\nSearch them in full text and alert on what matters."),
		chromedp.SendKeys(chromedp.ID("f-description-zh"), "采集服务器、容器和应用的日志。\n\n全文检索，并对关键事件告警。"),
		chromedp.SetValue(chromedp.ID("f-category"), "analytics"),
		chromedp.SetValue(chromedp.ID("f-saas-deploy_region"), "cn-north-4"),
		chromedp.SetValue(chromedp.ID("f-plans-0-mode"), "monthly"),
		chromedp.Click(chromedp.CSS(`input[name="regions"][value="cn-north-4"]`)),
		chromedp.Click(chromedp.CSS(`input[name="regions"][value="cn-east-3"]`)))
	b.shot("catalog-editor-new-en")
	b.do("create", b.submit("#product-save"))
	if got := b.text("#key-heading"); got != "The signing key of this product" {
		t.Fatalf("after creating: %q", got)
	}
	b.shot("catalog-editor-key-en")
	id := strings.TrimPrefix(b.attr("#product-form", "action"), "/seller/products/")
	if !strings.HasPrefix(id, "prd_") {
		t.Fatalf("product id %q", id)
	}
	// A logo and a screenshot, each uploaded by its own form of the editor.
	b.do("upload the logo", chromedp.SetUploadFiles(chromedp.ID("logo-file"), []string{writePNG(t, "logo.png", 128, 128)}),
		b.submit("#logo-file-upload"))
	b.at("/seller/products/" + id + "?done=file_added")
	b.do("upload a screenshot", chromedp.SetUploadFiles(chromedp.ID("screenshot-file"), []string{writePNG(t, "console.png", 1280, 800)}),
		b.submit("#screenshot-file-upload"))
	b.loaded(".file-logo img", ".file-shots img")
	b.shot("catalog-editor-files-en")
	b.do("submit", b.submit("#product-submit"))
	b.at("/seller/products/" + id + "?done=submitted")
	if got := b.text(".banner-title"); got != "Revision 1 is in review" {
		t.Fatalf("after submitting: %q", got)
	}
	b.signOut()

	// The operator approves it from the queue.
	b.signIn(opsEmail, demoPass, "/ops/products")
	b.do("open it", b.submit(`a[href="/ops/products/`+id+`"]`))
	b.shot("catalog-review-new-en")
	b.do("approve", b.submit("#review-approve"))
	b.at("/ops/products/" + id + "?done=approve")
	b.signOut()

	// The seller changes the product on sale: revision 2, with a yearly plan.
	b.signIn(sellerEmail, demoPass, "/seller/products")
	b.shot("catalog-seller-products-en")
	b.do("open it", b.submit(`a[href="/seller/products/`+id+`"]`))
	if got := b.text(".banner-title"); got != "On sale: revision 1" {
		t.Fatalf("the product on sale: %q", got)
	}
	b.do("revise", b.fill(map[string]string{"f-summary-zh": "秒级检索日志，支持包年",
		"f-plans-1-code": "pro-yearly", "f-plans-1-name-en": "Pro, yearly", "f-plans-1-name-zh": "专业版（包年）", "f-plans-1-price": "1990.00"}),
		chromedp.SetValue(chromedp.ID("f-plans-1-mode"), "yearly"))
	b.do("save", b.submit("#product-save"))
	b.at("/seller/products/" + id + "?done=saved")
	if got := b.text(".banner"); !strings.Contains(got, "Revision 1 stays on sale while revision 2 is being edited") {
		t.Fatalf("the revision being edited: %q", got)
	}
	b.shot("catalog-editor-revising-en")
	b.do("editor in Chinese", b.submit("a.lang"))
	b.shot("catalog-editor-revising-zh-CN")
	b.do("submit revision 2", b.submit("#product-submit"))
	b.do("back to English", b.submit("a.lang"))
	b.signOut()

	// The operator reviews the changes side by side and approves them.
	b.signIn(opsEmail, demoPass, "/ops/products/"+id)
	if got := b.text("table.diff tbody"); !strings.Contains(got, "秒级检索日志，支持包年") || !strings.Contains(got, "Plan pro-yearly") {
		t.Fatalf("the changes: %q", got)
	}
	b.shot("catalog-review-diff-en")
	b.do("review in Chinese", b.submit("a.lang"))
	if got := b.text("#changes-heading"); got != zh["opsproduct.changes"] {
		t.Fatalf("changes heading in Chinese: %q", got)
	}
	b.shot("catalog-review-diff-zh-CN")
	b.do("back to English", b.submit("a.lang"))
	b.do("approve revision 2", b.submit("#review-approve"))
	b.at("/ops/products/" + id + "?done=approve")
	b.do("storefront", b.open("/ops/storefront"))
	b.shot("catalog-ops-storefront-en")
	b.signOut()

	// A visitor finds it by a Chinese word, and opens its page.
	b.do("home", b.open("/"))
	b.shot("catalog-home-en")
	b.do("search", b.fill(map[string]string{"home-q": "日志"}), b.submit("#home-search"))
	b.at("/products?q=" + url.QueryEscape("日志"))
	if got := b.text(".pcards"); !strings.Contains(got, nameEN) || !strings.Contains(got, "from ¥199.00 / month") {
		t.Fatalf("search results: %q", got)
	}
	b.loaded(".pcard-logo")
	b.shot("catalog-search-en")
	b.do("search in Chinese", b.submit("a.lang"))
	if got := b.text(".pcards"); !strings.Contains(got, nameZH) || !strings.Contains(got, "¥199.00/月 起") {
		t.Fatalf("search results in Chinese: %q", got)
	}
	b.shot("catalog-search-zh-CN")
	b.do("open the product", b.submit(`.pcard a[href="/products/`+id+`"]`))
	if got := b.text("#product-name"); got != nameZH {
		t.Fatalf("product page in Chinese: %q", got)
	}
	if got := b.text("table.plans"); !strings.Contains(got, "¥199.00/月") || !strings.Contains(got, "¥1,990.00/年") {
		t.Fatalf("plans in Chinese: %q", got)
	}
	b.shot("catalog-product-zh-CN")
	b.do("product in English", b.submit("a.lang"))
	if got := b.text("#product-name"); got != nameEN {
		t.Fatalf("product page: %q", got)
	}
	b.loaded(".product-logo", ".shots img")
	b.shot("catalog-product-en")
}

// loaded waits until the first image matching each selector has loaded and
// fails if one is broken (refused, or not an image).
func (b *browser) loaded(sels ...string) {
	b.t.Helper()
	for _, sel := range sels {
		js := `(async () => { const i = document.querySelector(` + strconv.Quote(sel) + `);
			if (!i) return false; if (!i.complete) await new Promise(r => { i.onload = r; i.onerror = r; });
			return i.naturalWidth > 0; })()`
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise))
		if err != nil || !ok {
			b.t.Fatalf("image %s did not load: %v", sel, err)
		}
	}
}

// writePNG writes a picture of the size to a file for uploading: a gradient
// with a band across, like a logo or a console's screenshot.
func writePNG(t *testing.T, name string, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: uint8(29 + 40*x/w), G: uint8(78 + 80*y/h), B: 216, A: 255}
			if y > h/3 && y < h/2 {
				c = color.RGBA{R: 255, G: 255, B: 255, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// attr returns an attribute of the first element matching sel.
func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.AttributeValue(sel, name))
	if err != nil || !v.Exists {
		b.t.Fatalf("attribute %s of %s: %v", name, sel, err)
	}
	return v.Value
}
