package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
)

// catalogSite is a seller site (two regions, the agreement, an operator)
// with an approved seller that declared every product type; sam is its
// administrator, signed in, and op the operator.
func catalogSite(t *testing.T) (s *site, sam, op *browser) {
	t.Helper()
	s = sellerSite(t)
	sam = s.approvedSeller(t, "sam@lakeside.example", "Lakeside Test Co", "image", "saas", "license", "professional_service")
	op = s.browser(t)
	op.mustLogIn("op@example.com", password)
	return s, sam, op
}

// approvedSeller signs a user up and takes its company through the seller
// application by the use cases, as far as approved; the browser is signed in.
func (s *site) approvedSeller(t *testing.T, email, company string, offerings ...string) *browser {
	t.Helper()
	b := s.browser(t)
	b.mustSignUp(email, "Sam")
	ctx := context.Background()
	me := s.world.Actor(t, email, password)
	in := market.ApplicationInput{LegalName: company, RegistrationNumber: "91110000LAKE", Country: "CN", Established: "2015-01-01",
		Regions: []string{"cn-north-4", "eu-west-101"}, Offerings: offerings,
		PreSales:  []seller.Contact{{Name: "Pre Sales", Email: "pre@lakeside.example"}},
		PostSales: []seller.Contact{{Name: "Post Sales", Email: "post@lakeside.example"}},
		Support:   seller.Schedule{AllDay: true}}
	if _, err := s.svc.SaveApplication(ctx, me, in); err != nil {
		t.Fatal(err)
	}
	me = s.world.Actor(t, email, password) // now a seller administrator
	if _, err := s.svc.SignAgreement(ctx, me, "2026-01"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.SetTaxBank(ctx, me, seller.TaxBank{TaxID: "91110000LAKE01", BankName: "Bank of Beijing", AccountHolder: company,
		AccountNumber: "6222 0000 1234 5678"}); err != nil {
		t.Fatal(err)
	}
	app, err := s.svc.MyApplication(ctx, me)
	if err != nil {
		t.Fatal(err)
	}
	ops := s.world.Actor(t, "op@example.com", password)
	if _, err := s.svc.CertifyTaxBank(ctx, ops, app.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Submit(ctx, me); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Review(ctx, ops, app.ID, seller.Approve, ""); err != nil {
		t.Fatal(err)
	}
	return b
}

// common is what every product's form needs to pass review, but its type's
// details and plans.
func common(typ, en, zh string) url.Values {
	return url.Values{"type": {typ}, "name.en": {en}, "name.zh": {zh},
		"summary.en": {en + ", in one line"}, "summary.zh": {zh + "，一句话简介"},
		"description.en": {"What " + en + " does.\r\n\r\nA second paragraph."}, "description.zh": {zh + "的功能介绍。\r\n\r\n第二段。"},
		"category": {"analytics"}, "regions": {"cn-north-4"}, "support.email": {"help@lakeside.example"},
		"docs_url": {"https://docs.lakeside.example"}}
}

// plan adds plan row i to the form.
func plan(v url.Values, i int, code, mode, price, currency string) url.Values {
	row := "plans[" + string(rune('0'+i)) + "]"
	v.Set(row+".code", code)
	v.Set(row+".name.en", "Plan "+code)
	v.Set(row+".name.zh", "套餐"+code)
	v.Set(row+".mode", mode)
	v.Set(row+".price", price)
	v.Set(row+".currency", currency)
	v.Set(row+".active", "on")
	return v
}

// saasForm is a SaaS product that passes review: 湖畔日志洞察 at ¥199.00 a month.
func saasForm() url.Values {
	v := common("saas", "Lakeside Log Insight", "湖畔日志洞察")
	v.Set("saas.endpoint", "https://logs.lakeside.example/cloudmart")
	v.Set("saas.deploy_region", "cn-north-4")
	return plan(v, 0, "pro-monthly", "monthly", "199.00", "CNY")
}

// with returns a copy of v with the pairs of names and values set ("" deletes).
func with(v url.Values, pairs ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			out.Del(pairs[i])
		} else {
			out.Set(pairs[i], pairs[i+1])
		}
	}
	return out
}

// mustCreate creates a product through the new product's form and returns
// its id and the page shown after.
func (b *browser) mustCreate(form url.Values) (string, response) {
	b.t.Helper()
	r := b.post("/seller/products", form)
	switch {
	case r.Status == http.StatusOK: // a SaaS product: the key is on this page
		return regexpFind(b.t, r.Body, `action="/seller/products/(prd_[^"/]+)"`), r
	case r.Status == http.StatusSeeOther && strings.HasSuffix(r.Location, "?done=created"):
		id := strings.TrimSuffix(strings.TrimPrefix(r.Location, "/seller/products/"), "?done=created")
		return id, b.get(r.Location)
	}
	b.t.Fatalf("create: %d %q\n%s", r.Status, r.Location, r.Body)
	return "", r
}

// edit posts the editor's form to action ("" saves, "/submit" submits) at
// the product's current version.
func (b *browser) edit(id, action string, form url.Values) response {
	b.t.Helper()
	version := regexpFind(b.t, b.get("/seller/products/"+id).Body, `name="version" value="(\d+)"`)
	return b.post("/seller/products/"+id+action, with(form, "version", version))
}

// mustSubmit submits the product with the form and expects it in review.
func (b *browser) mustSubmit(id string, form url.Values) {
	b.t.Helper()
	if r := b.edit(id, "/submit", form); r.Status != http.StatusSeeOther || r.Location != "/seller/products/"+id+"?done=submitted" {
		b.t.Fatalf("submit %s: %d %q\n%s", id, r.Status, r.Location, r.Body)
	}
}

// mustReview approves or rejects the product's revision in review.
func (b *browser) mustReview(id, step, reason string) {
	b.t.Helper()
	r := b.post("/ops/products/"+id+"/review", url.Values{"step": {step}, "reason": {reason}})
	if r.Status != http.StatusSeeOther || r.Location != "/ops/products/"+id+"?done="+step {
		b.t.Fatalf("%s %s: %d %q\n%s", step, id, r.Status, r.Location, r.Body)
	}
}

func TestSellerCreatesAndSubmitsSaaS(t *testing.T) {
	_, sam, _ := catalogSite(t)

	r := sam.get("/seller/products")
	want(t, r, http.StatusOK, "My products", `href="/seller/products/new?type=saas"`, `href="/seller/products/new?type=image"`, "No products yet.")
	want(t, sam.get("/"), http.StatusOK, `href="/seller/products"`)
	r = sam.get("/seller/products/new?type=saas")
	want(t, r, http.StatusOK, "New SaaS product", `name="saas.endpoint"`, `name="plans[0].mode"`, `<option value="pay_per_use">`,
		`name="plans[1].code"`, "Create draft")
	wantNot(t, r, `id="product-submit"`)
	want(t, sam.get("/seller/products/new?type=boat"), http.StatusNotFound)

	// An endpoint at an IP address is refused by its field; what was typed stays.
	r = sam.post("/seller/products", with(saasForm(), "saas.endpoint", "https://10.0.0.8/cloudmart"))
	want(t, r, http.StatusBadRequest, `value="湖畔日志洞察"`, `value="https://10.0.0.8/cloudmart"`, `value="199.00"`)
	if got := fieldError(r.Body, "saas-endpoint"); got != "Use a public domain name, not an IP address or localhost." {
		t.Errorf("IP endpoint: %q", got)
	}
	if got := fieldError(r.Body, "plans-0-price"); got != "" {
		t.Errorf("price error too: %q", got)
	}

	// Created: the signing key shows once, like a token.
	id, r := sam.mustCreate(saasForm())
	want(t, r, http.StatusOK, "The product is created as a draft.", "Copy the key now: it will not be shown again.", `id="signing-key"`,
		"Draft (revision 1): not on sale", `id="product-submit"`, `id="product-rotate"`)
	key := regexpFind(t, r.Body, `id="signing-key" class="mono" type="text" value="([^"]+)"`)
	r = sam.get("/seller/products/" + id)
	want(t, r, http.StatusOK, `value="Lakeside Log Insight"`, `value="pro-monthly"`, `<option value="monthly" selected>`)
	wantNot(t, r, key, `id="signing-key"`)
	r = sam.post("/seller/products/"+id+"/key", url.Values{})
	want(t, r, http.StatusOK, "A new signing key replaces the old one.", `id="signing-key"`)
	wantNot(t, r, key)

	// Submitting checks everything: a missing Chinese description, then a
	// price of zero, each by its field, and nothing is lost.
	r = sam.edit(id, "/submit", with(saasForm(), "description.zh", ""))
	want(t, r, http.StatusBadRequest, "What Lakeside Log Insight does.")
	if got := fieldError(r.Body, "description-zh"); got != "Write a description of 1 to 20,000 characters." {
		t.Errorf("no Chinese description: %q", got)
	}
	r = sam.edit(id, "/submit", with(saasForm(), "plans[0].price", "0"))
	want(t, r, http.StatusBadRequest)
	if got := fieldError(r.Body, "plans-0-price"); got != "Enter a price above zero." {
		t.Errorf("zero price: %q", got)
	}
	r = sam.edit(id, "/submit", with(saasForm(), "plans[0].price", "19.999"))
	if got := fieldError(r.Body, "plans-0-price"); !strings.HasPrefix(got, "Enter an amount such as 199.00") {
		t.Errorf("three decimals: %q", got)
	}
	// A free trial needs trial days on a plan.
	r = sam.edit(id, "/submit", with(saasForm(), "saas.free_trial", "on"))
	if got := fieldError(r.Body, "saas-free_trial"); got != "Give an active plan trial days, or offer no free trial." {
		t.Errorf("free trial without days: %q", got)
	}

	sam.mustSubmit(id, with(saasForm(), "saas.free_trial", "on", "plans[0].trial_days", "14"))
	r = sam.get("/seller/products/" + id + "?done=submitted")
	want(t, r, http.StatusOK, "Submitted for review.", "Revision 1 is in review", `<fieldset class="plain" disabled>`, "In review")
	wantNot(t, r, `id="product-save"`)
	if r := sam.edit(id, "", saasForm()); r.Status != http.StatusConflict || !strings.Contains(r.Body, "This product is in review") {
		t.Errorf("change in review: %d", r.Status)
	}
	want(t, sam.get("/seller/products"), http.StatusOK, "Lakeside Log Insight", "In review")
	// A draft is on no storefront page.
	want(t, s(t, sam).get("/products/"+id), http.StatusNotFound)
}

// s is a signed-out visitor of the browser's site.
func s(t *testing.T, b *browser) *browser { return b.site.browser(t) }

func TestEditorOfEachType(t *testing.T) {
	_, sam, _ := catalogSite(t)

	// An image: the mode select offers only what images allow; an image
	// missing in a region where it is sold cannot be submitted.
	image := common("image", "Harbor Postgres", "港湾数据库镜像")
	for k, v := range map[string]string{"image.image_ref": "img-0a1b2c", "image.os_family": "linux", "image.os_version": "Ubuntu 24.04",
		"image.arch": "x86_64", "image.min_vcpu": "2", "image.min_memory_mib": "4096", "image.min_disk_gib": "40", "image.login_user": "ubuntu"} {
		image.Set(k, v)
	}
	image = plan(image, 0, "hourly", "pay_per_use", "", "CNY")
	image.Set("plans[0].usage.unit", "hour")
	image.Set("plans[0].usage.tiers[0].up_to", "100")
	image.Set("plans[0].usage.tiers[0].unit_price", "0.50")
	image.Set("plans[0].usage.tiers[1].up_to", "50")
	image.Set("plans[0].usage.tiers[1].unit_price", "0.40")
	r := sam.get("/seller/products/new?type=image")
	wantNot(t, r, `<option value="one_time">`)
	r = sam.post("/seller/products", image)
	want(t, r, http.StatusBadRequest)
	if got := fieldError(r.Body, "plans-0-usage-tiers-1-up_to"); got != "Each tier must end above the one before it; only the last has no bound." {
		t.Errorf("tier order: %q", got)
	}
	want(t, r, http.StatusBadRequest, `<details class="usage" open>`)
	image.Set("plans[0].usage.tiers[1].up_to", "")
	id, r := sam.mustCreate(image)
	want(t, r, http.StatusOK, "Draft (revision 1)", `value="0.50"`)
	r = sam.edit(id, "/submit", image)
	want(t, r, http.StatusBadRequest)
	if got := fieldError(r.Body, "image-image_regions"); !strings.HasPrefix(got, "The image is missing in a region") {
		t.Errorf("image regions: %q", got)
	}
	sam.mustSubmit(id, with(image, "image.image_regions", "cn-north-4"))

	// A licence: a billing mode it does not allow, by the plan's row (the
	// empty first row does not count), and terms, by the address field.
	license := common("license", "Lakeside DB Licence", "湖畔数据库许可证")
	for k, v := range map[string]string{"license.category": "database", "license.grant_unit": "cores", "license.grant_quantity": "4", "license.duration_months": "12"} {
		license.Set(k, v)
	}
	license = plan(license, 1, "annual", "pay_per_use", "999.00", "CNY")
	license.Set("plans[0].code", "")
	license.Set("plans[0].mode", "one_time")
	license.Set("plans[0].currency", "CNY")
	license.Set("plans[0].active", "on")
	r = sam.post("/seller/products", license)
	want(t, r, http.StatusBadRequest, `value="annual"`)
	if got := fieldError(r.Body, "plans-1-mode"); got != "Choose a billing mode this product type allows." {
		t.Errorf("licence billed by use: %q", got)
	}
	license.Set("plans[1].mode", "yearly")
	id, _ = sam.mustCreate(license)
	r = sam.edit(id, "/submit", license)
	if got := fieldError(r.Body, "license-terms_url"); got != "Attach the licence terms or give the address where they are published." {
		t.Errorf("licence without terms: %q", got)
	}
	license.Set("license.terms_url", "https://lakeside.example/terms")
	sam.mustSubmit(id, license)

	// A service must say it includes no software; a zero duration is a
	// number, words are not.
	service := common("professional_service", "Log Migration", "日志迁移服务")
	for k, v := range map[string]string{"service.kind": "data_migration", "service.deliverables.en": "A migrated cluster.",
		"service.deliverables.zh": "迁移完成的集群。", "service.expected_days": "ten"} {
		service.Set(k, v)
	}
	service = plan(service, 0, "once", "one_time", "5000", "USD")
	r = sam.post("/seller/products", service)
	if got := fieldError(r.Body, "service-expected_days"); got != "Enter a whole number, such as 12." {
		t.Errorf("days in words: %q", got)
	}
	service.Set("service.expected_days", "10")
	id, _ = sam.mustCreate(service)
	r = sam.edit(id, "/submit", service)
	if got := fieldError(r.Body, "service-no_software_included"); !strings.HasPrefix(got, "A professional service includes no software") {
		t.Errorf("service with software: %q", got)
	}
	sam.mustSubmit(id, with(service, "service.no_software_included", "on"))

	r = sam.get("/seller/products")
	want(t, r, http.StatusOK, "Harbor Postgres", "Lakeside DB Licence", "Log Migration")
	sam.lang = "zh-CN"
	want(t, sam.get("/seller/products"), http.StatusOK, "港湾数据库镜像", "湖畔数据库许可证", "日志迁移服务", "审核中")
}

func TestReviewPublishAndRevise(t *testing.T) {
	_, sam, op := catalogSite(t)
	id, _ := sam.mustCreate(saasForm())

	// Not the operators' until it is submitted.
	want(t, op.get("/ops/products"), http.StatusOK, "Nothing waits for review.")
	sam.mustSubmit(id, saasForm())
	r := op.get("/ops/products")
	want(t, r, http.StatusOK, "Lakeside Log Insight", "Lakeside Test Co", "new product", `href="/ops/products/`+id+`"`)
	want(t, op.get("/"), http.StatusOK, `href="/ops/products"`, `href="/ops/storefront"`)
	r = op.get("/ops/products/" + id)
	want(t, r, http.StatusOK, "Nothing of this product has been on sale", "https://logs.lakeside.example/cloudmart", "¥199.00 / month",
		"A second paragraph.", `id="review-approve"`, `id="review-reject"`)

	op.mustReview(id, "approve", "")
	want(t, op.get("/ops/products/"+id+"?done=approve"), http.StatusOK, "Approved: the revision is on sale.", `id="ops-delist"`)

	// On sale: the seller's next change is revision 2, while 1 stays on sale.
	r = sam.get("/seller/products/" + id)
	want(t, r, http.StatusOK, "On sale: revision 1", "Saving a change starts revision 2", `href="/products/`+id+`"`, `id="product-delist"`)
	if r := sam.edit(id, "", saasForm()); r.Location != "/seller/products/"+id+"?done=unchanged" {
		t.Errorf("saving nothing: %d %q", r.Status, r.Location)
	}
	want(t, sam.edit(id, "/submit", saasForm()), http.StatusConflict, "Nothing was changed: the product is on sale as it is.")
	revised := plan(with(saasForm(), "name.zh", "湖畔日志洞察专业版"), 1, "pro-yearly", "yearly", "1990.00", "CNY")
	if r := sam.edit(id, "", revised); r.Location != "/seller/products/"+id+"?done=saved" {
		t.Fatalf("revise: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	r = sam.get("/seller/products/" + id)
	want(t, r, http.StatusOK, "Editing revision 2", "Revision 1 stays on sale while revision 2 is being edited.")
	visitor := s(t, sam)
	visitor.lang = "zh-CN"
	want(t, visitor.get("/products/"+id), http.StatusOK, "湖畔日志洞察<") // revision 1, still
	sam.mustSubmit(id, revised)

	// The operator sees the changes side by side.
	want(t, op.get("/ops/products"), http.StatusOK, "update of rev. 1")
	r = op.get("/ops/products/" + id)
	want(t, r, http.StatusOK, "Published (rev. 1)", "In review (rev. 2)", "Name in Chinese",
		"<del>湖畔日志洞察</del>", "<ins>湖畔日志洞察专业版</ins>", "Plan pro-yearly", "yearly", "CNY 1990.00",
		"Approving replaces revision 1 on sale with revision 2.")
	wantNot(t, r, "Name in English<br>")

	// Rejecting needs a reason, which the seller reads.
	r = op.post("/ops/products/"+id+"/review", url.Values{"step": {"reject"}, "reason": {" "}})
	want(t, r, http.StatusBadRequest, "Published (rev. 1)")
	if got := fieldError(r.Body, "reason"); got != "Give a reason: the company reads it." {
		t.Errorf("reject without reason: %q", got)
	}
	op.mustReview(id, "reject", "The yearly plan needs a Chinese name that says 包年.")
	r = sam.get("/seller/products/" + id)
	want(t, r, http.StatusOK, "Editing revision 2", "The yearly plan needs a Chinese name that says 包年.", "Rejected")
	want(t, sam.get("/notifications"), http.StatusOK, "Not approved: Lakeside Log Insight")
	r = op.post("/ops/products/"+id+"/review", url.Values{"step": {"approve"}})
	want(t, r, http.StatusConflict, "This step is not possible in the current state.")

	// An operator delists with a reason; the seller sees it.
	r = op.post("/ops/products/"+id+"/delist", url.Values{"delist.reason": {""}})
	want(t, r, http.StatusBadRequest)
	if got := fieldError(r.Body, "delist-reason"); got == "" {
		t.Error("delist without a reason: no error by the field")
	}
	if r := op.post("/ops/products/"+id+"/delist", url.Values{"delist.reason": {"Trademark complaint."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("delist: %d\n%s", r.Status, r.Body)
	}
	want(t, s(t, sam).get("/products/"+id), http.StatusNotFound)
	want(t, sam.get("/seller/products"), http.StatusOK, "Delisted")

	// Another seller's products are not found in one's console.
	other := sam.site.approvedSeller(t, "kai@harbor.example", "Harbor Test Co", "saas")
	want(t, other.get("/seller/products/"+id), http.StatusNotFound)
	want(t, op.get("/seller/products/"+id), http.StatusNotFound)
}

func TestStorefrontSearch(t *testing.T) {
	_, sam, op := catalogSite(t)
	id, _ := sam.mustCreate(saasForm())
	sam.mustSubmit(id, saasForm())
	draft, _ := sam.mustCreate(with(saasForm(), "name.zh", "湖畔日志草稿", "name.en", "Lakeside Draft"))
	op.mustReview(id, "approve", "")

	v := s(t, sam)
	r := v.get("/")
	want(t, r, http.StatusOK, "New on cloudmart", "Lakeside Log Insight", "from ¥199.00 / month", "by Lakeside Test Co", `href="/products/`+id+`"`)
	wantNot(t, r, "No products are on sale yet.")

	// By a Chinese word inside the name, in English and in Chinese.
	r = v.get("/products?q=" + url.QueryEscape("日志"))
	want(t, r, http.StatusOK, "Lakeside Log Insight", "from ¥199.00 / month", `value="日志"`)
	wantNot(t, r, "Lakeside Draft", "湖畔日志草稿")
	v.lang = "zh-CN"
	want(t, v.get("/products?q="+url.QueryEscape("日志")), http.StatusOK, "湖畔日志洞察", "¥199.00/月 起", "卖家：Lakeside Test Co")
	v.lang = ""

	// Filters.
	for query, found := range map[string]bool{
		"type=saas":                   true,
		"type=image":                  false,
		"category=analytics":          true,
		"category=security":           false,
		"region=cn-north-4":           true,
		"region=eu-west-101":          false,
		"billing=monthly":             true,
		"billing=yearly":              false,
		"min_price=100&max_price=200": true,
		"min_price=200":               false,
		"currency=USD&max_price=1000": false,
		"q=insight&sort=price_asc":    true,
		"q=" + url.QueryEscape("数据库"): false,
	} {
		r := v.get("/products?" + query)
		if r.Status != http.StatusOK || strings.Contains(r.Body, "Lakeside Log Insight") != found {
			t.Errorf("%s: status %d, found %v, want %v", query, r.Status, !found, found)
		}
		if !found && !strings.Contains(r.Body, "No products match.") {
			t.Errorf("%s: no empty state", query)
		}
	}
	r = v.get("/products?min_price=cheap")
	want(t, r, http.StatusBadRequest)
	if got := fieldError(r.Body, "min_price"); !strings.HasPrefix(got, "Enter an amount such as 199.00") {
		t.Errorf("min_price: %q", got)
	}
	want(t, v.get("/products?cursor=nonsense"), http.StatusBadRequest, "This page link has expired")
	want(t, v.get("/categories/analytics"), http.StatusOK, "<h1 id=\"search-heading\">Analytics</h1>", "Lakeside Log Insight")
	want(t, v.get("/categories/security"), http.StatusOK, "No products match.")
	want(t, v.get("/categories/boats"), http.StatusNotFound)
	want(t, v.get("/products?seller="+regexpFind(t, v.get("/products/"+id).Body, `href="/products\?seller=([^"]+)"`)), http.StatusOK,
		"Products of Lakeside Test Co", "Lakeside Log Insight")

	// The product's page, and none for a draft.
	r = v.get("/products/" + id)
	want(t, r, http.StatusOK, "<title>Lakeside Log Insight · cloudmart</title>", "What Lakeside Log Insight does.</p>", "<p>A second paragraph.</p>",
		"¥199.00 / month", "Beijing", "Deployment region", "help@lakeside.example", "Lakeside Test Co", `href="https://docs.lakeside.example"`)
	wantNot(t, r, "logs.lakeside.example", "Product ID")
	want(t, op.get("/products/"+id), http.StatusOK, "Product ID", id)
	v.lang = "zh-CN"
	want(t, v.get("/products/"+id), http.StatusOK, "湖畔日志洞察", "第二段。", "¥199.00/月", "北京", "部署地域")
	want(t, v.get("/products/"+draft), http.StatusNotFound, "商品")
	v.lang = ""
	want(t, v.get("/products/"+draft), http.StatusNotFound, "There is no such product.")
	want(t, v.get("/products/prd_nothing"), http.StatusNotFound)
}

func TestSearchPages(t *testing.T) {
	site, sam, op := catalogSite(t)
	form := saasForm()
	for i := range 23 {
		site.world.Clock.Advance(time.Minute) // newest first is then in this order
		name := "Log Tool " + string(rune('A'+i))
		id, _ := sam.mustCreate(with(form, "name.en", name, "name.zh", "日志工具"+string(rune('A'+i))))
		sam.mustSubmit(id, with(form, "name.en", name, "name.zh", "日志工具"+string(rune('A'+i))))
		op.mustReview(id, "approve", "")
	}
	v := s(t, sam)
	r := v.get("/products?q=" + url.QueryEscape("日志") + "&sort=newest")
	want(t, r, http.StatusOK, "Log Tool W", `id="search-next"`)
	wantNot(t, r, "Log Tool A<", `rel="first"`)
	next := strings.ReplaceAll(regexpFind(t, r.Body, `href="([^"]+)" rel="next"`), "&amp;", "&")
	r = v.get(next)
	want(t, r, http.StatusOK, "Log Tool A", "Log Tool C", `rel="first"`)
	wantNot(t, r, "Log Tool D", `id="search-next"`)
}

func TestCatalogueAccess(t *testing.T) {
	s, sam, _ := catalogSite(t)
	buyer := s.browser(t)
	buyer.mustSignUp("bo@example.com", "Bo")
	for _, path := range []string{"/ops/products", "/ops/storefront", "/ops/products/prd_x"} {
		want(t, buyer.get(path), http.StatusForbidden, "You may not see this page")
		want(t, sam.get(path), http.StatusForbidden)
	}
	want(t, buyer.get("/seller/products"), http.StatusForbidden)
	want(t, buyer.get("/seller/products/new?type=saas"), http.StatusForbidden)
	wantNot(t, buyer.get("/"), `href="/seller/products"`, `href="/ops/storefront"`)
	want(t, buyer.get("/"), http.StatusOK, `href="/products"`)
	for _, post := range []string{"/ops/storefront/zones", "/ops/storefront/banners", "/ops/storefront/zones/x/delete", "/ops/storefront/zones/x/products"} {
		if r := sam.post(post, url.Values{"slug": {"x"}, "name.en": {"X"}, "name.zh": {"X"}, "position": {"1"}}); r.Status != http.StatusForbidden {
			t.Errorf("seller posts %s: %d", post, r.Status)
		}
	}
	if r := buyer.post("/seller/products", saasForm()); r.Status != http.StatusForbidden {
		t.Errorf("buyer creates a product: %d", r.Status)
	}
	anon := s.browser(t)
	if r := anon.get("/seller/products"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login?next=") {
		t.Errorf("anonymous console: %d %q", r.Status, r.Location)
	}
	want(t, anon.get("/products"), http.StatusOK, "No products are on sale yet.")

	// A seller not approved yet is told why it cannot list.
	pending := s.browser(t)
	pending.mustStart("ada@example.com")
	r := pending.get("/seller/products")
	want(t, r, http.StatusOK, "Your seller application is Draft")
	wantNot(t, r, `href="/seller/products/new?type=`)
	r = pending.post("/seller/products", saasForm())
	want(t, r, http.StatusForbidden, "Only an approved seller that is not suspended may list products.", `value="湖畔日志洞察"`)
}

func TestZonesAndBanners(t *testing.T) {
	_, sam, op := catalogSite(t)
	id, _ := sam.mustCreate(saasForm())
	sam.mustSubmit(id, saasForm())
	draft, _ := sam.mustCreate(with(saasForm(), "name.en", "Draft Tool"))
	op.mustReview(id, "approve", "")

	r := op.get("/ops/storefront")
	want(t, r, http.StatusOK, "Featured zones", "No featured zones yet.", "No banners yet.", "Start and end are in UTC", `type="datetime-local"`)
	r = op.post("/ops/storefront/zones", url.Values{"slug": {"Logs!"}, "name.en": {"Logs"}, "name.zh": {"日志"}, "position": {"1"}})
	want(t, r, http.StatusBadRequest, `value="日志"`)
	if got := fieldError(r.Body, "slug"); got == "" {
		t.Error("bad slug: no error")
	}
	r = op.post("/ops/storefront/zones", url.Values{"slug": {"logs"}, "name.en": {"Logs"}, "name.zh": {"日志"}, "position": {"1"}})
	if r.Status != http.StatusSeeOther || r.Location != "/ops/storefront?done=zone_saved&zone=logs" {
		t.Fatalf("zone: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	r = op.post("/ops/storefront/zones", url.Values{"slug": {"logs"}, "name.en": {"Other"}, "name.zh": {"其他"}, "position": {"2"}})
	if got := fieldError(r.Body, "slug"); got != "A zone has this slug already: edit that zone instead." {
		t.Errorf("zone taken: %q", got)
	}
	r = op.get("/ops/storefront?zone=logs")
	want(t, r, http.StatusOK, "Edit zone “Logs”", `name="editing" value="logs"`, `action="/ops/storefront/zones/logs/products"`)

	// Only products on sale can be placed; the refused line is named.
	r = op.post("/ops/storefront/zones/logs/products", url.Values{"products": {id + "\n" + draft}})
	want(t, r, http.StatusBadRequest)
	if got := fieldError(r.Body, "products"); !strings.HasPrefix(got, "Line 2 ("+draft+"): Only products on sale") {
		t.Errorf("draft placed: %q", got)
	}
	r = op.post("/ops/storefront/zones/logs/products", url.Values{"products": {id}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("place: %d\n%s", r.Status, r.Body)
	}
	want(t, op.get(r.Location), http.StatusOK, "Lakeside Log Insight", "The zone&#39;s products are saved.")
	r = s(t, sam).get("/")
	want(t, r, http.StatusOK, `<h2 id="zone-logs">Logs</h2>`)
	if strings.Count(r.Body, `href="/products/`+id+`"`) != 2 {
		t.Error("the product is not in the zone and among the newest")
	}
	// Renamed and moved, then deleted.
	if r := op.post("/ops/storefront/zones", url.Values{"editing": {"logs"}, "name.en": {"Logging"}, "name.zh": {"日志"}, "position": {"5"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("rename: %d\n%s", r.Status, r.Body)
	}
	want(t, s(t, sam).get("/"), http.StatusOK, `<h2 id="zone-logs">Logging</h2>`)

	// Banners: a window in UTC; a seller's product needs an eligible seller.
	now := time.Now().UTC()
	banner := url.Values{"title.en": {"Double Eleven"}, "title.zh": {"双十一"}, "text.en": {"Deals all week"}, "text.zh": {"全周优惠"},
		"link": {"/products?q=log"}, "starts_at": {now.Add(-time.Hour).Format("2006-01-02T15:04")}, "ends_at": {"next week"}}
	r = op.post("/ops/storefront/banners", banner)
	want(t, r, http.StatusBadRequest, `value="双十一"`)
	if got := fieldError(r.Body, "ends_at"); got != "Enter a date and time, in UTC." {
		t.Errorf("bad end: %q", got)
	}
	r = op.post("/ops/storefront/banners", with(banner, "ends_at", now.Add(48*time.Hour).Format("2006-01-02T15:04"), "product_id", id))
	want(t, r, http.StatusUnprocessableEntity, "This seller is not eligible for the homepage banner yet.")
	if r := op.post("/ops/storefront/banners", with(banner, "ends_at", now.Add(48*time.Hour).Format("2006-01-02T15:04"))); r.Status != http.StatusSeeOther {
		t.Fatalf("banner: %d\n%s", r.Status, r.Body)
	}
	if r := op.post("/ops/storefront/banners", with(banner, "title.en", "Next year", "starts_at", now.AddDate(1, 0, 0).Format("2006-01-02T15:04"),
		"ends_at", now.AddDate(1, 0, 7).Format("2006-01-02T15:04"))); r.Status != http.StatusSeeOther {
		t.Fatalf("scheduled banner: %d\n%s", r.Status, r.Body)
	}
	r = op.get("/ops/storefront")
	want(t, r, http.StatusOK, "Double Eleven", "Showing", "Next year", "Scheduled")
	r = s(t, sam).get("/")
	want(t, r, http.StatusOK, "Double Eleven", "Deals all week", `href="/products?q=log"`)
	wantNot(t, r, "Next year")
	bannerID := regexpFind(t, op.get("/ops/storefront").Body, `href="/ops/storefront\?banner=(ban_[^"#]+)#banner-form"`)
	want(t, op.get("/ops/storefront?banner="+bannerID), http.StatusOK, `name="id" value="`+bannerID+`"`, "Edit banner")
	if r := op.post("/ops/storefront/banners/"+bannerID+"/delete", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("delete banner: %d", r.Status)
	}
	if r := op.post("/ops/storefront/zones/logs/delete", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("delete zone: %d", r.Status)
	}
	wantNot(t, s(t, sam).get("/"), `id="zone-logs"`)
}

// Every page of the catalogue renders in both languages without a missing
// message.
func TestCataloguePagesHaveNoMissingMessages(t *testing.T) {
	_, sam, op := catalogSite(t)
	id, _ := sam.mustCreate(saasForm())
	sam.mustSubmit(id, saasForm())
	op.mustReview(id, "approve", "")
	sam.edit(id, "", with(saasForm(), "name.zh", "湖畔日志洞察二"))
	sam.mustSubmit(id, with(saasForm(), "name.zh", "湖畔日志洞察二"))
	if r := op.post("/ops/storefront/zones", url.Values{"slug": {"logs"}, "name.en": {"Logs"}, "name.zh": {"日志"}, "position": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatal(r.Status)
	}
	v := s(t, sam)
	prefixes := []string{"pf.", "editor.", "listing.", "sproducts.", "opsproducts.", "opsproduct.", "opsstore.", "search.", "product.",
		"price.", "money.", "mode.", "facts.", "ptype.", "card.", "os.", "license_cat.", "grant_unit.", "service_kind.", "home.", "nav.", "error."}
	for _, lang := range []string{"en", "zh-CN"} {
		sam.lang, op.lang, v.lang = lang, lang, lang
		for _, c := range []struct {
			b    *browser
			path string
		}{
			{v, "/"}, {v, "/products"}, {v, "/products?q=x"}, {v, "/categories/analytics"}, {v, "/products/" + id},
			{sam, "/seller/products"}, {sam, "/seller/products/" + id},
			{sam, "/seller/products/new?type=image"}, {sam, "/seller/products/new?type=saas"},
			{sam, "/seller/products/new?type=license"}, {sam, "/seller/products/new?type=professional_service"},
			{op, "/ops/products"}, {op, "/ops/products/" + id}, {op, "/ops/storefront?zone=logs"},
		} {
			r := c.b.get(c.path)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: %d", lang, c.path, r.Status)
			}
			for _, prefix := range prefixes {
				for _, at := range []string{">" + prefix, "\"" + prefix} {
					if i := strings.Index(r.Body, at); i >= 0 && !strings.HasPrefix(r.Body[i:], `"search.`) {
						t.Errorf("%s %s: a message id shows: %s", lang, c.path, r.Body[i:min(len(r.Body), i+60)])
					}
				}
			}
		}
	}
}
