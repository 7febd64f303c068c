package ui_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/seller"
)

// sellerSite is a site with two regions, a Seller Agreement in force and an
// operator (op@example.com).
func sellerSite(t *testing.T) *site {
	t.Helper()
	s := newSite(t)
	op, _ := staff(t, s)
	ctx := context.Background()
	ops := s.world.Actor(t, op, password)
	for _, r := range []seller.Region{
		{Code: "cn-north-4", NameEN: "Beijing", NameZH: "北京", Zone: "Asia/Shanghai"},
		{Code: "eu-west-101", NameEN: "Dublin", NameZH: "都柏林", Zone: "Europe/Dublin"},
	} {
		if _, err := s.svc.SaveRegion(ctx, ops, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.svc.PublishAgreement(ctx, ops, seller.Agreement{Version: "2026-01", Title: "Seller Agreement"},
		"1. The seller sells only what it may.\n2. 卖家如实描述商品。"); err != nil {
		t.Fatal(err)
	}
	return s
}

// mustStart signs up a user and starts an application for Acme Cloud Ltd.
func (b *browser) mustStart(email string) {
	b.t.Helper()
	b.mustSignUp(email, "Ada")
	b.mustStartApplication()
}

// mustStartApplication starts an application for Acme Cloud Ltd.
func (b *browser) mustStartApplication() {
	b.t.Helper()
	r := b.post("/seller/application", url.Values{"legal_name": {"Acme Cloud Ltd"}})
	if r.Status != http.StatusSeeOther || r.Location != "/seller/application/company?done=started" {
		b.t.Fatalf("start: %d %q\n%s", r.Status, r.Location, r.Body)
	}
}

// revision reads the revision a step's form carries.
func (b *browser) revision(step string) string {
	b.t.Helper()
	return regexpFind(b.t, b.get("/seller/application/"+step).Body, `name="revision" value="(\d+)"`)
}

// saveStep posts a step's form at the application's current revision.
func (b *browser) saveStep(step string, form url.Values) response {
	b.t.Helper()
	form.Set("revision", b.revision(step))
	return b.post("/seller/application/"+step, form)
}

// mustSave posts a step's form and expects to be sent to the next step.
func (b *browser) mustSave(step, next string, form url.Values) {
	b.t.Helper()
	r := b.saveStep(step, form)
	if r.Status != http.StatusSeeOther || r.Location != next+"?done=saved" {
		b.t.Fatalf("save %s: %d %q\n%s", step, r.Status, r.Location, r.Body)
	}
}

// weekdays is support from 09:00 to 18:00, Monday to Friday, in Shanghai.
func weekdays() url.Values {
	v := url.Values{"support.zone": {"Asia/Shanghai"}}
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		v.Set("support.days."+d+"[0].start", "09:00")
		v.Set("support.days."+d+"[0].end", "18:00")
	}
	return v
}

// mustFill fills every step with what passes, but for the certification.
func (b *browser) mustFill() {
	b.t.Helper()
	b.mustSave("company", "/seller/application/regions", url.Values{"legal_name": {"Acme Cloud Ltd"}, "registration_number": {"91110000ACME"},
		"country": {"cn"}, "established": {"2015-01-01"}, "offerings": {"saas", "api"}})
	b.mustSave("regions", "/seller/application/contacts", url.Values{"regions": {"cn-north-4"}})
	b.mustSave("contacts", "/seller/application/support", url.Values{
		"presales[0].name": {"Pre Sales"}, "presales[0].email": {"pre@acme.example"}, "presales[0].phone": {"+86 10 1234 5678"},
		"presales[1].name": {""}, "presales[1].email": {""}, "presales[1].phone": {""},
		"postsales[0].name": {"Post Sales"}, "postsales[0].email": {"post@acme.example"}, "postsales[0].phone": {""}})
	b.mustSave("support", "/seller/application/documents", weekdays())
	if r := b.upload("business_license", "licence.pdf", pdf(2000)); r.Status != http.StatusSeeOther {
		b.t.Fatalf("upload: %d\n%s", r.Status, r.Body)
	}
	if r := b.post("/seller/application/agreement", url.Values{"version": {"2026-01"}}); r.Status != http.StatusSeeOther {
		b.t.Fatalf("sign: %d\n%s", r.Status, r.Body)
	}
	r := b.post("/seller/application/taxbank", url.Values{"tax_id": {"91110000ACME01"}, "bank_name": {"Bank of Beijing"},
		"account_holder": {"Acme Cloud Ltd"}, "account_number": {"6222 0000 1234 5678"}})
	if r.Status != http.StatusSeeOther || r.Location != "/seller/application/taxbank?done=taxbank" {
		b.t.Fatalf("tax and bank: %d %q\n%s", r.Status, r.Location, r.Body)
	}
}

// pdf is a small PDF of about n bytes.
func pdf(n int) []byte {
	b := []byte("%PDF-1.4\n% cloudmart test\n")
	return append(b, bytes.Repeat([]byte("0"), max(0, n-len(b)))...)
}

// upload posts the document form as a browser does: the kind, then the file.
func (b *browser) upload(kind, filename string, content []byte) response {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.site.srv.URL+"/seller/application/documents", &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	res, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Body: string(out), Location: res.Header.Get("Location"), Header: res.Header}
}

func TestSellerIntro(t *testing.T) {
	s := sellerSite(t)
	b := s.browser(t)
	b.mustSignUp("ada@example.com", "Ada")
	r := b.get("/seller/application")
	want(t, r, http.StatusOK, "Sell your software on cloudmart", "Established for a year", `value="Ada Ltd"`, `href="/seller/application"`)
	if r := b.get("/seller/application/company"); r.Status != http.StatusSeeOther || r.Location != "/seller/application" {
		t.Errorf("a step without an application: %d %q", r.Status, r.Location)
	}
	r = b.post("/seller/application", url.Values{"legal_name": {" "}})
	want(t, r, http.StatusBadRequest)
	if got := fieldError(r.Body, "legal_name"); got != "Enter a name of 1 to 120 characters." {
		t.Errorf("empty legal name: %q", got)
	}
	b.post("/seller/application", url.Values{"legal_name": {"Acme Cloud Ltd"}})
	r = b.get("/seller/application/company?done=started")
	want(t, r, http.StatusOK, "Your application is started.", `value="Acme Cloud Ltd"`, "Step 1 of 8",
		"Enter the date the company was established.", `href="/seller/application/contacts"`)

	// Starting again changes nothing.
	if r := b.post("/seller/application", url.Values{"legal_name": {"Other"}}); r.Location != "/seller/application" {
		t.Errorf("second start: %d %q", r.Status, r.Location)
	}
	want(t, b.get("/seller/application"), http.StatusOK, "Acme Cloud Ltd", "Draft", "Submit for review")
	want(t, b.get("/seller/application/nope"), http.StatusNotFound)
	want(t, b.get("/seller/application/review"), http.StatusNotFound) // the review is /seller/application
}

func TestWizardSavesEachStep(t *testing.T) {
	s := sellerSite(t)
	b := s.browser(t)
	b.mustStart("ada@example.com")
	b.mustFill()

	want(t, b.get("/seller/application/company"), http.StatusOK, `value="91110000ACME"`, `value="CN"`, `value="2015-01-01"`,
		`value="saas" checked`, `value="api" checked`, "Established on 2015-01-01")
	wantNot(t, b.get("/seller/application/company"), `value="image" checked`)
	want(t, b.get("/seller/application/regions"), http.StatusOK, `value="cn-north-4" checked`, "Beijing", "Asia/Shanghai")
	r := b.get("/seller/application/contacts")
	want(t, r, http.StatusOK, `value="pre@acme.example"`, `value="Post Sales"`, `name="presales[1].name"`, `id="f-presales-1-name"`)
	r = b.get("/seller/application/support")
	want(t, r, http.StatusOK, `<option value="Asia/Shanghai" selected>`, `name="support.days.friday[0].end" type="time" step="60" value="18:00"`)
	wantNot(t, r, `name="support.days.saturday[0].start" type="time" step="60" value=`)
	want(t, b.get("/seller/application/documents"), http.StatusOK, "licence.pdf", "Business licence")
	r = b.get("/seller/application/agreement")
	want(t, r, http.StatusOK, "You signed version 2026-01", "卖家如实描述商品。")
	wantNot(t, r, `id="agreement-sign"`)
	r = b.get("/seller/application/taxbank")
	want(t, r, http.StatusOK, "••••••••••5678", "Awaiting certification", "Bank of Beijing")
	wantNot(t, r, "6222000012345678")

	// Six of the seven pass; the certification is the operators'.
	r = b.get("/seller/application")
	want(t, r, http.StatusOK, "6 of 7 met", "Waiting for the marketplace to certify", `class="button blocked"`)

	// Support round the clock, and to midnight: 00:00 ends the day.
	v := weekdays()
	v.Set("support.days.saturday[0].start", "20:00")
	v.Set("support.days.saturday[0].end", "00:00")
	b.mustSave("support", "/seller/application/documents", v)
	want(t, b.get("/seller/application/support"), http.StatusOK, `name="support.days.saturday[0].end" type="time" step="60" value="00:00"`)
	app, err := s.svc.MyApplication(context.Background(), s.world.Actor(t, "ada@example.com", password))
	if err != nil {
		t.Fatal(err)
	}
	if got := app.Support.Days[6]; len(got) != 1 || got[0].End != 24*60 {
		t.Errorf("Saturday = %+v, want 20:00 to 24:00", got)
	}
}

func TestWizardFieldErrors(t *testing.T) {
	s := sellerSite(t)
	b := s.browser(t)
	b.mustStart("ada@example.com")

	// A future establishment date: the message by the field, what was typed kept.
	r := b.saveStep("company", url.Values{"legal_name": {"Acme Cloud Ltd"}, "country": {"CN"}, "established": {"2999-01-01"}, "offerings": {"image"}})
	want(t, r, http.StatusBadRequest, `value="2999-01-01"`, `value="image" checked`, `value="CN"`)
	if got := fieldError(r.Body, "established"); got != "The establishment date cannot be in the future." {
		t.Errorf("future date: %q", got)
	}
	b.lang = "zh-CN"
	r = b.saveStep("company", url.Values{"legal_name": {"Acme Cloud Ltd"}, "country": {"China"}})
	if got := fieldError(r.Body, "country"); got != "请用两位字母代码填写国家/地区，如 CN。" {
		t.Errorf("country in Chinese: %q", got)
	}
	b.lang = ""

	// A bad email in the second row, after an empty first one: the message
	// is by the row it was typed in.
	r = b.saveStep("contacts", url.Values{"presales[0].name": {""}, "presales[0].email": {""},
		"presales[1].name": {"Bo"}, "presales[1].email": {"bo@"}, "postsales[0].name": {"Cy"}, "postsales[0].email": {"cy@acme.example"}})
	want(t, r, http.StatusBadRequest, `value="bo@"`, `value="cy@acme.example"`)
	if got := fieldError(r.Body, "presales-1-email"); got != "Enter an email address like name@example.com." {
		t.Errorf("bad email: %q\n%s", got, r.Body)
	}
	if got := fieldError(r.Body, "presales-0-email"); got != "" {
		t.Errorf("the empty row has an error: %q", got)
	}

	// Overlapping intervals, after an empty day row.
	v := url.Values{"support.zone": {"Asia/Shanghai"},
		"support.days.monday[0].start": {""}, "support.days.monday[0].end": {""},
		"support.days.tuesday[0].start": {"09:00"}, "support.days.tuesday[0].end": {"13:00"},
		"support.days.tuesday[1].start": {"12:00"}, "support.days.tuesday[1].end": {"18:00"}}
	r = b.saveStep("support", v)
	want(t, r, http.StatusBadRequest, `value="12:00"`, `value="13:00"`, `<option value="Asia/Shanghai" selected>`)
	if got := fieldError(r.Body, "support-days-tuesday-1"); got != "Two support periods overlap on the same day." {
		t.Errorf("overlap: %q\n%s", got, r.Body)
	}
	// A period that ends before it starts, and one with no end.
	v = url.Values{"support.zone": {"Asia/Shanghai"}, "support.days.friday[1].start": {"18:00"}, "support.days.friday[1].end": {"09:00"}}
	if got := fieldError(b.saveStep("support", v).Body, "support-days-friday-1"); got != "The start of support hours must come before their end." {
		t.Errorf("order: %q", got)
	}
	v = url.Values{"support.zone": {"Asia/Shanghai"}, "support.days.friday[0].start": {"09:00"}}
	if got := fieldError(b.saveStep("support", v).Body, "support-days-friday-0-end"); got != "Fill in this field." {
		t.Errorf("no end: %q", got)
	}
	v = url.Values{"support.days.friday[0].start": {"09:00"}, "support.days.friday[0].end": {"17:00"}}
	if got := fieldError(b.saveStep("support", v).Body, "support-zone"); got != "Fill in this field." {
		t.Errorf("no zone: %q", got)
	}
	v = url.Values{"support.zone": {"Mars/Olympus"}, "support.days.friday[0].start": {"09:00"}, "support.days.friday[0].end": {"17:00"}}
	if got := fieldError(b.saveStep("support", v).Body, "support-zone"); !strings.Contains(got, "Unknown time zone") {
		t.Errorf("unknown zone: %q", got)
	}

	// Nothing of the above was saved.
	app, err := s.svc.MyApplication(context.Background(), s.world.Actor(t, "ada@example.com", password))
	if err != nil {
		t.Fatal(err)
	}
	if app.Established.Valid() || app.Country != "" || len(app.PreSales) > 0 || app.Support.Zone != "" {
		t.Errorf("a refused form changed the application: %+v", app.Record)
	}

	// A stale form: the application changed since it was drawn.
	old := b.revision("regions")
	b.mustSave("regions", "/seller/application/contacts", url.Values{"regions": {"cn-north-4"}})
	r = b.post("/seller/application/regions", url.Values{"revision": {old}, "regions": {"eu-west-101"}})
	want(t, r, http.StatusConflict, "This was changed meanwhile", `value="eu-west-101" checked`)
	r = b.post("/seller/application/regions", url.Values{"regions": {"eu-west-101"}})
	want(t, r, http.StatusConflict, "This was changed meanwhile")
}

func TestDocuments(t *testing.T) {
	s := sellerSite(t)
	b := s.browser(t)
	b.mustStart("ada@example.com")

	r := b.upload("business_license", "licence.pdf", pdf(3000))
	if r.Status != http.StatusSeeOther || r.Location != "/seller/application/documents?done=uploaded" {
		t.Fatalf("upload: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	r = b.get("/seller/application/documents?done=uploaded")
	want(t, r, http.StatusOK, "The document was uploaded.", "licence.pdf", "3 KB")
	href := regexpFind(t, r.Body, `<a href="(/seller/application/documents/[^"]+)" download>`)
	dl := b.get(href)
	if dl.Status != http.StatusOK || dl.Header.Get("Content-Type") != "application/pdf" || dl.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(dl.Body, "%PDF-1.4") {
		t.Errorf("download: %d %v", dl.Status, dl.Header)
	}
	// Another user cannot download it.
	other := s.browser(t)
	other.mustSignUp("eve@example.com", "Eve")
	want(t, other.get(href), http.StatusNotFound)

	// A text file named .pdf, and a file over 10 MB, are refused by the field.
	r = b.upload("other", "notes.pdf", []byte("just some text, not a PDF"))
	want(t, r, http.StatusBadRequest, `<option value="other" selected>`)
	if got := fieldError(r.Body, "file"); got != "Upload a PDF, PNG or JPEG file whose content matches its name." {
		t.Errorf("text as PDF: %q", got)
	}
	r = b.upload("other", "big.pdf", pdf(seller.MaxDocumentSize+1))
	want(t, r, http.StatusBadRequest)
	if got := fieldError(r.Body, "file"); got != "Upload a file of at most 10 MB." {
		t.Errorf("11 MB: %q", got)
	}
	b.lang = "zh-CN"
	r = b.upload("other", "big.pdf", pdf(seller.MaxDocumentSize+200_000))
	if got := fieldError(r.Body, "file"); got != "请上传不超过 10 MB 的文件。" {
		t.Errorf("over the body limit, in Chinese: %d %q", r.Status, got)
	}
	b.lang = ""
	r = b.upload("other", "", nil)
	if got := fieldError(r.Body, "file"); got != "Fill in this field." {
		t.Errorf("no file: %q", got)
	}

	// Remove it.
	id := href[strings.LastIndex(href, "/")+1:]
	r = b.post("/seller/application/documents/"+id+"/delete", url.Values{})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d\n%s", r.Status, r.Body)
	}
	want(t, b.get("/seller/application/documents"), http.StatusOK, "No documents yet.")
}

func TestSubmitShowsFailures(t *testing.T) {
	s := sellerSite(t)
	b := s.browser(t)
	b.mustStart("ada@example.com")
	r := b.post("/seller/application/submit", url.Values{})
	want(t, r, http.StatusUnprocessableEntity, "Not every requirement is met yet:", "Enter the date the company was established.",
		"Sign the Seller Agreement version 2026-01.", "Enter your tax ID and bank account.")
	b.lang = "zh-CN"
	r = b.post("/seller/application/submit", url.Values{})
	want(t, r, http.StatusUnprocessableEntity, "尚有入驻要求未满足：", "请填写企业成立日期。", "请签署卖家协议 2026-01 版。")
}

// TestReview takes an application from the wizard through certification,
// submission and approval, and checks who may do what on the way.
func TestReview(t *testing.T) {
	s := sellerSite(t)
	b := s.browser(t)
	b.mustStart("ada@example.com")
	b.mustFill()

	// Sellers and buyers have no queue.
	want(t, b.get("/ops/applications"), http.StatusForbidden, "You may not see this page")
	wantNot(t, b.get("/"), `href="/ops/applications"`)

	o := s.browser(t)
	o.mustLogIn("op@example.com", password)
	want(t, o.get("/"), http.StatusOK, `href="/ops/applications"`)
	r := o.get("/ops/applications")
	want(t, r, http.StatusOK, "Acme Cloud Ltd", "Draft", "to certify", "<code>cn-north-4</code>")
	id := regexpFind(t, r.Body, `href="/ops/applications/(app_[^"]+)"`)
	want(t, s.browser(t).get("/ops/applications/"+id), http.StatusSeeOther)
	want(t, b.get("/ops/applications/"+id), http.StatusForbidden)

	r = o.get("/ops/applications/" + id)
	want(t, r, http.StatusOK, "Acme Cloud Ltd", "91110000ACME", "pre@acme.example", "09:00–18:00", "licence.pdf",
		"••••••••••5678", `id="certify-taxbank"`, "Nothing to decide yet: the applicant has not submitted the application.")
	wantNot(t, r, `id="review-approve"`)
	doc := regexpFind(t, r.Body, `href="(/ops/applications/[^"]+/documents/[^"]+)"`)
	if dl := o.get(doc); dl.Status != http.StatusOK || !strings.HasPrefix(dl.Body, "%PDF") {
		t.Errorf("operator's download: %d", dl.Status)
	}
	if r := o.post("/ops/applications/"+id+"/certify", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("certify: %d\n%s", r.Status, r.Body)
	}
	want(t, o.get("/ops/applications/"+id+"?done=certified"), http.StatusOK, "The tax and bank details are certified.", "Certified")

	// The applicant was told, and submits.
	want(t, b.get("/"), http.StatusOK, `<span class="count" aria-hidden="true">1</span>`)
	want(t, b.get("/notifications"), http.StatusOK, "Tax and bank details certified", "1 unread notification.")
	b.post("/notifications/read", url.Values{})
	wantNot(t, b.get("/"), `class="count"`)
	r = b.get("/seller/application")
	want(t, r, http.StatusOK, "7 of 7 met", "Every requirement is met.")
	if r := b.post("/seller/application/submit", url.Values{}); r.Status != http.StatusSeeOther || r.Location != "/seller/application?done=submitted" {
		t.Fatalf("submit: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	r = b.get("/seller/application/company")
	want(t, r, http.StatusOK, "Submitted: under review", "<fieldset class=\"plain\" disabled>")
	wantNot(t, r, `id="step-save"`)
	if r := b.saveStep("regions", url.Values{"regions": {"eu-west-101"}}); r.Status != http.StatusConflict ||
		!strings.Contains(r.Body, "The application cannot be changed now") {
		t.Errorf("change while submitted: %d", r.Status)
	}

	// A reason is needed to send it back; approval needs none.
	r = o.get("/ops/applications?state=submitted")
	want(t, r, http.StatusOK, "Acme Cloud Ltd", "0 days")
	want(t, o.get("/ops/applications?state=approved"), http.StatusOK, "No applications match.")
	want(t, o.get("/ops/applications?older_than=3"), http.StatusOK, "No applications match.")
	if got := fieldError(o.get("/ops/applications?older_than=soon").Body, "older_than"); got != "Enter a whole number of days from 0 to 3650." {
		t.Errorf("older_than: %q", got)
	}
	r = o.post("/ops/applications/"+id+"/review", url.Values{"step": {"reject"}, "reason": {" "}})
	want(t, r, http.StatusBadRequest)
	if got := fieldError(r.Body, "reason"); got != "Give a reason: the company reads it." {
		t.Errorf("no reason: %q", got)
	}
	if r := o.post("/ops/applications/"+id+"/review", url.Values{"step": {"approve"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", r.Status, r.Body)
	}
	r = o.get("/ops/applications/" + id)
	want(t, r, http.StatusOK, "Approved", `id="review-suspend"`)
	wantNot(t, r, `id="review-approve"`, `id="review-reinstate"`)
	r = o.post("/ops/applications/"+id+"/review", url.Values{"step": {"approve"}})
	want(t, r, http.StatusConflict, "This step is not possible in the current state.")

	// The applicant sees the decision, in both languages.
	want(t, b.get("/seller/application"), http.StatusOK, "Approved", "Your company is a cloudmart seller.")
	want(t, b.get("/notifications"), http.StatusOK, "Your seller application is approved")
	b.lang = "zh-CN"
	want(t, b.get("/notifications"), http.StatusOK, "您的卖家入驻申请已通过")
	want(t, b.get("/seller/application"), http.StatusOK, "已通过", "已提交 → <strong>已通过</strong>")
}

func TestOpsAsksForChanges(t *testing.T) {
	s := sellerSite(t)
	b := s.browser(t)
	b.mustStart("ada@example.com")
	b.mustFill()
	o := s.browser(t)
	o.mustLogIn("op@example.com", password)
	id := regexpFind(t, o.get("/ops/applications").Body, `href="/ops/applications/(app_[^"]+)"`)
	o.post("/ops/applications/"+id+"/certify", url.Values{})
	b.post("/seller/application/submit", url.Values{})
	r := o.post("/ops/applications/"+id+"/review", url.Values{"step": {"request_changes"}, "reason": {"Upload the business licence in colour."}})
	if r.Status != http.StatusSeeOther || r.Location != "/ops/applications/"+id+"?done=request_changes" {
		t.Fatalf("request changes: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	r = b.get("/seller/application")
	want(t, r, http.StatusOK, "Changes requested", "Upload the business licence in colour.", `id="submit-application"`)
	want(t, b.get("/seller/application/company"), http.StatusOK, `id="step-save"`)
}

func TestQueueInChinese(t *testing.T) {
	s := sellerSite(t)
	b := s.browser(t)
	b.mustStart("ada@example.com")
	b.mustSave("regions", "/seller/application/contacts", url.Values{"regions": {"eu-west-101", "cn-north-4"}})
	o := s.browser(t)
	o.lang = "zh-CN"
	o.mustLogIn("op@example.com", password)
	r := o.get("/ops/applications?region=eu-west-101")
	want(t, r, http.StatusOK, "卖家入驻审核", "Acme Cloud Ltd", "草稿", `<option value="eu-west-101" selected>都柏林 (eu-west-101)</option>`)
	id := regexpFind(t, r.Body, `href="/ops/applications/(app_[^"]+)"`)
	want(t, o.get("/ops/applications/"+id), http.StatusOK, "请填写企业成立日期。", "都柏林", "尚未填写支持时间。")
	b.lang = "zh-CN"
	want(t, b.get("/seller/application/regions"), http.StatusOK, "北京", "第 2 步，共 8 步")
}

// Every page of the wizard and of the review renders in both languages
// without a missing message.
func TestSellerPagesHaveNoMissingMessages(t *testing.T) {
	s := sellerSite(t)
	b := s.browser(t)
	b.mustSignUp("ada@example.com", "Ada")
	o := s.browser(t)
	o.mustLogIn("op@example.com", password)
	for _, lang := range []string{"en", "zh-CN"} {
		b.lang, o.lang = lang, lang
		check := func(br *browser, path string) {
			t.Helper()
			r := br.get(path)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: %d", lang, path, r.Status)
			}
			for _, prefix := range []string{"wizard.", "req.", "state.", "app.", "docs.", "taxbank.", "agreement.", "history.", "queue.", "ops.", "notifications.", "nav.", "error."} {
				if i := strings.Index(r.Body, ">"+prefix); i >= 0 {
					t.Errorf("%s %s: a message id shows: %s", lang, path, r.Body[i:min(len(r.Body), i+60)])
				}
			}
		}
		check(b, "/seller/application")
		if lang == "en" {
			b.mustStartApplication()
		}
		for _, step := range []string{"company", "regions", "contacts", "support", "documents", "agreement", "taxbank"} {
			check(b, "/seller/application/"+step)
		}
		check(b, "/seller/application")
		check(b, "/notifications")
		check(o, "/ops/applications")
		id := regexpFind(t, o.get("/ops/applications").Body, `href="/ops/applications/(app_[^"]+)"`)
		check(o, "/ops/applications/"+id)
	}
}
