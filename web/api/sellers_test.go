package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/web/api"
)

// samplePDF is a small, real PDF: one empty page.
const samplePDF = "%PDF-1.4\n" +
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n" +
	"trailer << /Root 1 0 R >>\n%%EOF\n"

// samplePNG is the start of a PNG file.
const samplePNG = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

// send makes a request with a raw body and extra headers.
func (w *world) send(method, path, token string, body io.Reader, header http.Header) response {
	w.t.Helper()
	req, err := http.NewRequest(method, w.url+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

// inLanguage sends a JSON request with an Accept-Language.
func (w *world) inLanguage(lang, method, path, token string, body any) response {
	w.t.Helper()
	var rd io.Reader
	h := http.Header{"Accept-Language": {lang}}
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
		h.Set("Content-Type", "application/json")
	}
	return w.send(method, path, token, rd, h)
}

// multipartBody is a form with the fields kind and file.
func multipartBody(kind, filename string, data []byte) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("kind", kind)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+filename+`"`)
	h.Set("Content-Type", "application/octet-stream")
	part, _ := mw.CreatePart(h)
	_, _ = part.Write(data)
	_ = mw.Close()
	return &buf, mw.FormDataContentType()
}

// upload posts a document to the caller's application.
func (w *world) upload(token, kind, filename string, data []byte) response {
	w.t.Helper()
	body, ct := multipartBody(kind, filename, data)
	return w.send("POST", "/api/v1/seller/application/documents", token, body, http.Header{"Content-Type": {ct}})
}

// decode decodes the raw answer into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.raw), v); err != nil {
		t.Fatalf("decode %s: %v", r.raw, err)
	}
}

// must fails unless the answer has the status.
func (r response) must(t *testing.T, status int, what string) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: %d, want %d: %s", what, r.status, status, r.raw)
	}
	return r
}

// app is the part of an application view the tests read.
type app struct {
	ID        string
	State     string
	Revision  int
	Reason    string
	Regions   []struct{ Code string }
	Checks    []check
	Documents []struct{ ID, Kind, Filename, SHA256 string }
	Events    []struct{ From, To, Reason string }
	TaxBank   *struct {
		AccountNumber string     `json:"account_number"`
		CertifiedAt   *time.Time `json:"certified_at"`
	} `json:"tax_bank"`
	TaxBankCertifiedAt *time.Time `json:"tax_bank_certified_at"`
	SubmittedAt        *time.Time `json:"submitted_at"`
	DecidedAt          *time.Time `json:"decided_at"`
	Signature          *struct{ Version string }
	AgreementInForce   *struct{ Version string } `json:"agreement_in_force"`
}

type check struct {
	ID      string
	Passed  bool
	Reason  string
	Reasons struct{ EN, ZH string }
}

func failedIDs(checks []check) string {
	var ids []string
	for _, c := range checks {
		if !c.Passed {
			ids = append(ids, c.ID)
		}
	}
	return strings.Join(ids, ",")
}

func detailIDs(t *testing.T, r response) string {
	t.Helper()
	var e struct {
		Error struct {
			Details []struct{ ID, Message string }
		}
	}
	r.decode(t, &e)
	var ids []string
	for _, d := range e.Error.Details {
		if d.Message == "" {
			t.Errorf("detail %s without a message", d.ID)
		}
		ids = append(ids, d.ID)
	}
	return strings.Join(ids, ",")
}

// myApp reads the caller's application.
func (w *world) myApp(token string) app {
	w.t.Helper()
	var a app
	w.do("GET", "/api/v1/seller/application", token, nil).must(w.t, 200, "my application").decode(w.t, &a)
	return a
}

// weekdays is a support schedule of the same hours Monday to Friday.
func weekdays(zone, start, end string) map[string]any {
	days := map[string]any{}
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		days[d] = []map[string]string{{"start": start, "end": end}}
	}
	return map[string]any{"zone": zone, "days": days}
}

func contacts(name, email string) []map[string]string {
	return []map[string]string{{"name": name, "email": email}}
}

// stated returns the stated fields of an application view, as a body to PUT.
func stated(t *testing.T, r response) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, k := range []string{"legal_name", "registration_number", "country", "established", "offerings", "presales", "postsales", "support", "revision"} {
		out[k] = r.body[k]
	}
	var codes []string
	for _, reg := range r.body["regions"].([]any) {
		codes = append(codes, reg.(map[string]any)["code"].(string))
	}
	out["regions"] = codes
	return out
}

func TestSellerQualificationFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ops := w.login("ops@demo.test")
		w.do("POST", "/api/v1/users", "", map[string]string{"email": "nova@example.com", "password": demo.Password, "display_name": "Niamh Byrne"}).must(t, 201, "sign up")
		nova := w.login("nova@example.com")
		if code, _ := w.do("GET", "/api/v1/seller/application", nova, nil).must(t, 404, "before applying").errCode(t); code != "not_found" {
			t.Fatalf("code %s", code)
		}

		// Step 1: the company.
		var a app
		w.do("PUT", "/api/v1/seller/application", nova, map[string]any{
			"legal_name": "Nova Cloud Tools", "registration_number": "IE 655321", "country": "ie", "established": "2015-03-01",
		}).must(t, 200, "step 1").decode(t, &a)
		if a.State != "draft" || len(a.Checks) != 7 || failedIDs(a.Checks) != "offering,presales_personnel,postsales_personnel,support_capability,agreement,tax_bank_certified" {
			t.Fatalf("after step 1: %+v", a)
		}
		// Step 2: what it sells, to whom, and its support; with the revision read.
		r := w.do("PUT", "/api/v1/seller/application", nova, map[string]any{
			"legal_name": "Nova Cloud Tools", "registration_number": "IE 655321", "country": "IE", "established": "2015-03-01",
			"regions": []string{"eu-west-101"}, "offerings": []string{"saas", "api"},
			"presales": contacts("Niamh Byrne", "sales@nova.example"), "postsales": contacts("Nova support", "help@nova.example"),
			"support": weekdays("Europe/Dublin", "09:00", "17:30"), "revision": a.Revision,
		}).must(t, 200, "step 2")
		r.decode(t, &a)
		if !strings.Contains(r.raw, `"monday":[{"start":"09:00","end":"17:30"}]`) || !strings.Contains(r.raw, `"saturday":[]`) ||
			!strings.Contains(r.raw, `"regions":[{"code":"eu-west-101","name_en":"Dublin","name_zh":"都柏林","zone":"Europe/Dublin"}]`) ||
			!strings.Contains(r.raw, `"signature":null`) || !strings.Contains(r.raw, `"tax_bank":null`) || !strings.Contains(r.raw, `"submitted_at":null`) {
			t.Fatalf("view: %s", r.raw)
		}
		// A stale revision is refused.
		body := stated(t, r)
		body["revision"] = a.Revision - 1
		if code, _ := w.do("PUT", "/api/v1/seller/application", nova, body).must(t, 409, "stale edit").errCode(t); code != "conflict" {
			t.Fatalf("stale edit: %s", code)
		}

		var checks []check
		r = w.do("GET", "/api/v1/seller/application/checks", nova, nil).must(t, 200, "checks")
		r.decode(t, &checks)
		if !strings.HasPrefix(r.raw, "[") || len(checks) != 7 || failedIDs(checks) != "agreement,tax_bank_certified" {
			t.Fatalf("checks: %s", r.raw)
		}

		// A document: a real PDF with a name that needs encoding.
		r = w.upload(nova, "business_license", "licence – Nova.pdf", []byte(samplePDF)).must(t, 201, "upload")
		sum := sha256.Sum256([]byte(samplePDF))
		docID, _ := r.body["id"].(string)
		if r.body["content_type"] != "application/pdf" || r.body["sha256"] != hex.EncodeToString(sum[:]) || r.body["size"] != float64(len(samplePDF)) || r.body["kind"] != "business_license" {
			t.Fatalf("upload: %s", r.raw)
		}
		r = w.do("GET", "/api/v1/seller/application/documents/"+docID, nova, nil).must(t, 200, "download")
		if r.raw != samplePDF || r.header.Get("Content-Type") != "application/pdf" || r.header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(r.header.Get("Content-Disposition"), `attachment; `) ||
			!strings.Contains(r.header.Get("Content-Disposition"), `filename*=UTF-8''licence%20%E2%80%93%20Nova.pdf`) {
			t.Fatalf("download: %v %q", r.header, r.raw)
		}
		// Another company's applicant sees nothing of it, and cannot remove it.
		other := w.login("applicant2@demo.test")
		w.do("GET", "/api/v1/seller/application/documents/"+docID, other, nil).must(t, 404, "another company's document")
		w.do("DELETE", "/api/v1/seller/application/documents/"+docID, other, nil).must(t, 404, "delete another company's document")
		// A second document, removed again.
		r = w.upload(nova, "other", "extra.png", []byte(samplePNG)).must(t, 201, "upload png")
		w.do("DELETE", "/api/v1/seller/application/documents/"+r.body["id"].(string), nova, nil).must(t, 204, "delete")
		w.do("GET", "/api/v1/seller/application/documents/"+r.body["id"].(string), nova, nil).must(t, 404, "deleted document")

		// The agreement in force, signed.
		r = w.do("GET", "/api/v1/agreement", "", nil).must(t, 200, "agreement")
		if r.body["version"] != demo.AgreementVersion || !strings.Contains(r.body["body"].(string), "Seller Agreement") {
			t.Fatalf("agreement: %s", r.raw)
		}
		r = w.do("POST", "/api/v1/seller/agreement/signature", nova, map[string]string{"version": demo.AgreementVersion}).must(t, 201, "sign")
		if r.body["version"] != demo.AgreementVersion || r.body["signed_by"] == "" || r.body["signed_at"] == nil {
			t.Fatalf("signature: %s", r.raw)
		}

		// Tax and bank details; submitting before they are certified fails.
		r = w.do("PUT", "/api/v1/seller/tax-bank", nova, map[string]string{"tax_id": "IE 6553210-N", "bank_name": "Bank of Ireland",
			"account_holder": "Nova Cloud Tools Ltd", "account_number": "IE12 BOFI 9000 0112 3456 78"}).must(t, 200, "tax and bank")
		if r.body["account_number"] != "••••••••••••••••••5678" || r.body["certified_at"] != nil || strings.Contains(r.raw, "BOFI") {
			t.Fatalf("tax and bank: %s", r.raw)
		}
		r = w.do("POST", "/api/v1/seller/application/submit", nova, nil).must(t, 422, "submit before certification")
		if code, field := r.errCode(t); code != "requirements_not_met" || field != "" || detailIDs(t, r) != "tax_bank_certified" {
			t.Fatalf("refusal: %s", r.raw)
		}

		// The operator finds it in the queue, and certifies.
		var queue struct{ Applications []map[string]any }
		w.do("GET", "/api/v1/applications?state=draft&region=eu-west-101", ops, nil).must(t, 200, "queue").decode(t, &queue)
		if len(queue.Applications) != 1 || queue.Applications[0]["id"] != a.ID || queue.Applications[0]["tax_bank_to_certify"] != true || queue.Applications[0]["age_days"] != nil {
			t.Fatalf("queue: %+v", queue)
		}
		w.do("POST", "/api/v1/applications/"+a.ID+"/tax-bank/certification", ops, nil).must(t, 200, "certify").decode(t, &a)
		if a.TaxBankCertifiedAt == nil || a.TaxBank == nil || a.TaxBank.CertifiedAt == nil {
			t.Fatalf("certified: %+v", a)
		}
		w.do("POST", "/api/v1/seller/application/submit", nova, nil).must(t, 200, "submit").decode(t, &a)
		if a.State != "submitted" || a.SubmittedAt == nil || failedIDs(a.Checks) != "" {
			t.Fatalf("submitted: %+v", a)
		}
		w.do("GET", "/api/v1/applications?state=submitted", ops, nil).must(t, 200, "queue").decode(t, &queue)
		found := false
		for _, s := range queue.Applications {
			found = found || (s["id"] == a.ID && s["age_days"] == float64(0) && s["legal_name"] == "Nova Cloud Tools")
		}
		if !found {
			t.Fatalf("not in the submitted queue: %+v", queue)
		}
		// The operator reads it with its document, and asks for changes.
		r = w.do("GET", "/api/v1/applications/"+a.ID+"/documents/"+docID, ops, nil).must(t, 200, "operator downloads")
		if r.raw != samplePDF {
			t.Fatal("operator download differs")
		}
		w.do("POST", "/api/v1/applications/"+a.ID+"/request-changes", ops, map[string]string{"reason": "Name a second post-sales contact."}).must(t, 200, "request changes").decode(t, &a)
		if a.State != "changes_requested" || a.Reason != "Name a second post-sales contact." {
			t.Fatalf("changes requested: %+v", a)
		}

		// The applicant edits and submits again.
		r = w.do("GET", "/api/v1/seller/application", nova, nil).must(t, 200, "reload")
		body = stated(t, r)
		body["postsales"] = []map[string]string{{"name": "Nova support", "email": "help@nova.example"}, {"name": "Cian Walsh", "email": "cian@nova.example", "phone": "+353 1 555 0300"}}
		w.do("PUT", "/api/v1/seller/application", nova, body).must(t, 200, "edit")
		w.do("POST", "/api/v1/seller/application/submit", nova, nil).must(t, 200, "resubmit")

		w.do("POST", "/api/v1/applications/"+a.ID+"/approve", ops, nil).must(t, 200, "approve").decode(t, &a)
		var steps []string
		for _, e := range a.Events {
			steps = append(steps, e.From+">"+e.To)
		}
		if a.State != "approved" || a.DecidedAt == nil || strings.Join(steps, " ") != "draft>submitted submitted>changes_requested changes_requested>submitted submitted>approved" {
			t.Fatalf("approved: %+v", a)
		}
		if a.Signature == nil || a.Signature.Version != demo.AgreementVersion || a.AgreementInForce == nil || len(a.Documents) != 1 || a.Documents[0].ID != docID {
			t.Fatalf("approved view: %+v", a)
		}
		// Approved: the application is locked.
		w.do("PUT", "/api/v1/seller/application", nova, body).must(t, 409, "edit when approved")

		// The applicant was told each step, in its language.
		var inbox struct {
			Notifications []struct {
				ID, Kind, Title string
				TitleZH         string `json:"title_zh"`
				Read            bool
			}
			Unread int
		}
		w.inLanguage("zh-CN,zh;q=0.9,en;q=0.5", "GET", "/api/v1/notifications", nova, nil).must(t, 200, "notifications").decode(t, &inbox)
		var kinds []string
		for _, n := range inbox.Notifications {
			kinds = append(kinds, n.Kind)
			if n.Title != n.TitleZH || n.Title == "" || n.Read {
				t.Errorf("notification %+v", n)
			}
		}
		if strings.Join(kinds, ",") != "application.approve,application.request_changes,taxbank.certified" || inbox.Unread != 3 {
			t.Fatalf("notifications: %v, %d unread", kinds, inbox.Unread)
		}
		// Another user cannot mark them read.
		w.do("POST", "/api/v1/notifications/"+inbox.Notifications[0].ID+"/read", ops, nil).must(t, 204, "read another's")
		if w.do("GET", "/api/v1/notifications", nova, nil).decode(t, &inbox); inbox.Unread != 3 {
			t.Fatalf("another user marked a notification read: %d unread", inbox.Unread)
		}
		w.do("POST", "/api/v1/notifications/"+inbox.Notifications[0].ID+"/read", nova, nil).must(t, 204, "read one")
		w.do("GET", "/api/v1/notifications", nova, nil).decode(t, &inbox)
		if inbox.Unread != 2 || !inbox.Notifications[0].Read || !strings.HasPrefix(inbox.Notifications[0].Title, "Your seller application is approved") {
			t.Fatalf("after reading one: %+v", inbox)
		}
		w.do("POST", "/api/v1/notifications/read", nova, nil).must(t, 204, "read all")
		if w.do("GET", "/api/v1/notifications", nova, nil).decode(t, &inbox); inbox.Unread != 0 {
			t.Fatalf("after reading all: %d unread", inbox.Unread)
		}
		// The operators were told of both submissions.
		r = w.do("GET", "/api/v1/notifications", ops, nil)
		if strings.Count(r.raw, `"title_en":"Application to review: Nova Cloud Tools"`) != 2 {
			t.Fatalf("operator's notifications: %s", r.raw)
		}
	})
}

// snapshot is what a refused request must not change: the audit log, and the
// applications' revisions and documents.
func (w *world) snapshot(tokens ...string) string {
	w.t.Helper()
	s := []string{strconv.Itoa(w.auditCount())}
	for _, tok := range tokens {
		a := w.myApp(tok)
		s = append(s, a.State, strconv.Itoa(a.Revision), strconv.Itoa(len(a.Documents)))
	}
	return strings.Join(s, " ")
}

func TestSellerBadInputIsRefusedAndChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		draft, submitted, ops := w.login("applicant2@demo.test"), w.login("applicant1@demo.test"), w.login("ops@demo.test")
		draftID, submittedID := w.myApp(draft).ID, w.myApp(submitted).ID
		base := stated(t, w.do("GET", "/api/v1/seller/application", draft, nil))
		// edit returns applicant2's application with one change.
		edit := func(change func(b map[string]any)) map[string]any {
			b := map[string]any{}
			raw, _ := json.Marshal(base)
			_ = json.Unmarshal(raw, &b)
			change(b)
			return b
		}
		tomorrow := time.Now().In(time.FixedZone("UTC+14", 14*3600)).AddDate(0, 0, 1).Format("2006-01-02")
		big := bytes.Repeat([]byte("%PDF-1.4\n"), 50<<20/9)
		// unsized hides a body's length, so it is sent chunked.
		type unsized struct{ io.Reader }

		before := w.snapshot(draft, submitted)
		tests := []struct {
			name                 string
			send                 func() response
			status               int
			code, field, message string
		}{
			{"establishment date in the future", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) { b["established"] = tomorrow }))
			}, 400, "invalid", "established", "future"},
			{"establishment date not a date", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) { b["established"] = "2023-02-29" }))
			}, 400, "invalid", "established", ""},
			{"unknown region", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) { b["regions"] = []string{"cn-north-4", "mars-north-1"} }))
			}, 400, "invalid", "regions[1]", "mars-north-1"},
			{"unknown zone", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) { b["support"].(map[string]any)["zone"] = "Mars/Olympus_Mons" }))
			}, 400, "invalid", "support.zone", ""},
			{"overlapping intervals", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) {
					b["support"].(map[string]any)["days"].(map[string]any)["monday"] = []map[string]string{{"start": "08:00", "end": "12:30"}, {"start": "12:00", "end": "18:00"}}
				}))
			}, 400, "invalid", "support.days.monday[1]", "overlaps"},
			{"interval ending before it starts", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) {
					b["support"].(map[string]any)["days"].(map[string]any)["tuesday"] = []map[string]string{{"start": "17:00", "end": "09:00"}}
				}))
			}, 400, "invalid", "support.days.tuesday[0]", ""},
			{"time not HH:MM", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) {
					b["support"].(map[string]any)["days"].(map[string]any)["monday"] = []map[string]string{{"start": "9am", "end": "17:00"}}
				}))
			}, 400, "invalid", "support.days.monday[0].start", ""},
			{"time past midnight", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) {
					b["support"].(map[string]any)["days"].(map[string]any)["sunday"] = []map[string]string{{"start": "20:00", "end": "24:30"}}
				}))
			}, 400, "invalid", "support.days.sunday[0].end", ""},
			{"unknown weekday", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) {
					b["support"].(map[string]any)["days"].(map[string]any)["funday"] = []map[string]string{{"start": "09:00", "end": "17:00"}}
				}))
			}, 400, "invalid", "support.days.funday", ""},
			{"empty contact name", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) { b["presales"] = contacts("  ", "tom@brightside.example") }))
			}, 400, "invalid", "presales[0].name", ""},
			{"bad email", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) {
					b["postsales"] = []map[string]string{{"name": "Help", "email": "help@brightside.example"}, {"name": "Tom", "email": "tom-at-brightside"}}
				}))
			}, 400, "invalid", "postsales[1].email", ""},
			{"unknown offering", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) { b["offerings"] = []string{"saas", "hardware"} }))
			}, 400, "invalid", "offerings[1]", ""},
			{"stale revision", func() response {
				return w.do("PUT", "/api/v1/seller/application", draft, edit(func(b map[string]any) { b["revision"] = 1 }))
			}, 409, "conflict", "", ""},
			{"edit a submitted application", func() response {
				return w.do("PUT", "/api/v1/seller/application", submitted, edit(func(b map[string]any) { b["legal_name"] = "Pinecone Analytics Pte Ltd"; delete(b, "revision") }))
			}, 409, "invalid_state", "", "submitted"},
			{"50 MB upload", func() response {
				body, ct := multipartBody("business_license", "huge.pdf", big)
				return w.send("POST", "/api/v1/seller/application/documents", draft, body, http.Header{"Content-Type": {ct}})
			}, 413, "too_large", "", ""},
			{"50 MB upload, chunked", func() response {
				body, ct := multipartBody("business_license", "huge.pdf", big)
				return w.send("POST", "/api/v1/seller/application/documents", draft, unsized{body}, http.Header{"Content-Type": {ct}})
			}, 413, "too_large", "", ""},
			{"a .pdf that is text", func() response {
				return w.upload(draft, "business_license", "licence.pdf", []byte("This is not a PDF, only text about one.\n"))
			}, 400, "invalid", "file", ""},
			{"a PNG named .pdf", func() response { return w.upload(draft, "business_license", "licence.pdf", []byte(samplePNG)) }, 400, "invalid", "file", ""},
			{"a PDF named .png", func() response { return w.upload(draft, "business_license", "licence.png", []byte(samplePDF)) }, 400, "invalid", "file", ""},
			{"an empty file", func() response { return w.upload(draft, "business_license", "licence.pdf", nil) }, 400, "invalid", "file", ""},
			{"unknown document kind", func() response { return w.upload(draft, "passport", "licence.pdf", []byte(samplePDF)) }, 400, "invalid", "kind", ""},
			{"no file", func() response {
				return w.send("POST", "/api/v1/seller/application/documents", draft, strings.NewReader("--x\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nother\r\n--x--\r\n"),
					http.Header{"Content-Type": {"multipart/form-data; boundary=x"}})
			}, 400, "invalid", "file", ""},
			{"upload to a submitted application", func() response {
				return w.upload(submitted, "business_license", "licence.pdf", []byte(samplePDF))
			}, 409, "invalid_state", "", ""},
			{"reject without reason", func() response {
				return w.do("POST", "/api/v1/applications/"+submittedID+"/reject", ops, map[string]string{"reason": "   "})
			}, 400, "invalid", "reason", ""},
			{"request changes without a body", func() response {
				return w.do("POST", "/api/v1/applications/"+submittedID+"/request-changes", ops, nil)
			}, 400, "invalid", "reason", ""},
			{"approve a draft", func() response { return w.do("POST", "/api/v1/applications/"+draftID+"/approve", ops, nil) }, 409, "invalid_state", "", "draft"},
			{"suspend a submitted application", func() response {
				return w.do("POST", "/api/v1/applications/"+submittedID+"/suspend", ops, map[string]string{"reason": "test"})
			}, 409, "invalid_state", "", ""},
			{"submit with two checks failing", func() response { return w.do("POST", "/api/v1/seller/application/submit", draft, nil) }, 422, "requirements_not_met", "", ""},
			{"sign a version not in force", func() response {
				return w.do("POST", "/api/v1/seller/agreement/signature", draft, map[string]string{"version": "2025-07"})
			}, 400, "invalid", "version", demo.AgreementVersion},
			{"bad tax ID", func() response {
				return w.do("PUT", "/api/v1/seller/tax-bank", draft, map[string]string{"tax_id": "x", "bank_name": "AIB", "account_holder": "Brightside Apps Ltd", "account_number": "IE64AIBK93115212345678"})
			}, 400, "invalid", "tax_id", ""},
			{"bad queue filter", func() response { return w.do("GET", "/api/v1/applications?state=pending", ops, nil) }, 400, "invalid", "state", ""},
			{"region with an unknown zone", func() response {
				return w.do("PUT", "/api/v1/regions/cn-north-4", ops, map[string]string{"name_en": "Beijing", "name_zh": "北京", "zone": "Asia/Beijing"})
			}, 400, "invalid", "zone", ""},
			{"region with a bad code", func() response {
				return w.do("PUT", "/api/v1/regions/Beijing", ops, map[string]string{"name_en": "Beijing", "name_zh": "北京", "zone": "Asia/Shanghai"})
			}, 400, "invalid", "code", ""},
			{"agreement version published before", func() response {
				return w.do("POST", "/api/v1/agreements", ops, map[string]string{"version": demo.AgreementVersion, "title": "Again", "body": "Other terms."})
			}, 409, "conflict", "version", ""},
			{"agreement without text", func() response {
				return w.do("POST", "/api/v1/agreements", ops, map[string]string{"version": "2026-07", "title": "New", "body": "  "})
			}, 400, "invalid", "body", ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := tc.send()
				if r.status != tc.status {
					t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.raw)
				}
				code, field := r.errCode(t)
				if code != tc.code || field != tc.field {
					t.Fatalf("code %q field %q, want %q %q: %s", code, field, tc.code, tc.field, r.raw)
				}
				if msg := r.body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, tc.message) {
					t.Errorf("message %q does not say %q", msg, tc.message)
				}
				if after := w.snapshot(draft, submitted); after != before {
					t.Fatalf("changed: %s, then %s", before, after)
				}
			})
		}
		// The same base saves: the refusals were for the changes alone.
		w.do("PUT", "/api/v1/seller/application", draft, base).must(t, 200, "the base body")
	})
}

func TestChecksOfAFailingApplicant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		tok := w.login("applicant2@demo.test")
		for _, tc := range []struct {
			lang string
			zh   bool
		}{{"", false}, {"en-GB", false}, {"zh-CN", true}, {"zh", true}, {"en-US,zh-CN;q=0.9", false}, {"fr;q=0.5,zh-Hans;q=0.8", true}, {"not a language", false}} {
			r := w.inLanguage(tc.lang, "GET", "/api/v1/seller/application/checks", tok, nil).must(t, 200, "checks in "+tc.lang)
			var checks []check
			r.decode(t, &checks)
			if !strings.HasPrefix(r.raw, "[") || len(checks) != len(seller.Requirements) {
				t.Fatalf("%q: not an array of seven: %s", tc.lang, r.raw)
			}
			for i, c := range checks {
				want := c.Reasons.EN
				if tc.zh {
					want = c.Reasons.ZH
				}
				if c.ID != seller.Requirements[i] || c.Reason != want || c.Reasons.EN == "" || c.Reasons.ZH == "" || c.Reasons.EN == c.Reasons.ZH {
					t.Errorf("%q: check %d: %+v", tc.lang, i, c)
				}
			}
			if got := failedIDs(checks); got != "establishment_time,support_capability" {
				t.Errorf("%q: failed %s", tc.lang, got)
			}
			if tc.zh && !strings.Contains(checks[4].Reason, "星期一") {
				t.Errorf("the Chinese reason does not name the day: %q", checks[4].Reason)
			}
		}
		// The application view holds the same checks.
		a := w.myApp(tok)
		if failedIDs(a.Checks) != "establishment_time,support_capability" {
			t.Fatalf("view's checks: %+v", a.Checks)
		}
		r := w.do("POST", "/api/v1/seller/application/submit", tok, nil).must(t, 422, "submit")
		if code, _ := r.errCode(t); code != "requirements_not_met" || detailIDs(t, r) != "establishment_time,support_capability" {
			t.Fatalf("submit: %s", r.raw)
		}
	})
}

func TestTaxBankIsNeverShownInFull(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		tok, ops := w.login("applicant2@demo.test"), w.login("ops@demo.test")
		secrets := []string{"IE64AIBK93115212345678", "IE64 AIBK 9311 5212 3456 78", "IE4012233RB", "DE89370400440532013000", "DE893704", "DE77123456789"}
		leaks := func(what string, r response) {
			t.Helper()
			for _, s := range secrets {
				if strings.Contains(r.raw, s) {
					t.Errorf("%s shows %s: %s", what, s, r.raw)
				}
			}
		}
		r := w.do("GET", "/api/v1/seller/tax-bank", tok, nil).must(t, 200, "tax and bank")
		leaks("GET", r)
		if r.body["account_number"] != strings.Repeat("•", 18)+"5678" || r.body["bank_name"] != "AIB" || r.body["certified_at"] == nil || r.body["certified_by"] == "" {
			t.Fatalf("certified details: %s", r.raw)
		}
		a := w.myApp(tok)
		leaks("the application", w.do("GET", "/api/v1/applications/"+a.ID, ops, nil).must(t, 200, "operator's view"))

		// A change withdraws the certification.
		r = w.do("PUT", "/api/v1/seller/tax-bank", tok, map[string]string{"tax_id": "DE 77123456789", "bank_name": "Deutsche Bank",
			"account_holder": "Brightside Apps GmbH", "account_number": "DE89 3704 0044 0532 0130 00"}).must(t, 200, "change")
		leaks("PUT", r)
		if r.body["account_number"] != strings.Repeat("•", 18)+"3000" || r.body["tax_id"] != "•••••••••6789" || !strings.Contains(r.raw, `"certified_at":null`) {
			t.Fatalf("changed details: %s", r.raw)
		}
		r = w.do("GET", "/api/v1/seller/tax-bank", tok, nil).must(t, 200, "tax and bank")
		leaks("GET", r)
		if !strings.Contains(r.raw, `"certified_at":null`) || strings.Contains(r.raw, "certified_by") {
			t.Fatalf("after the change: %s", r.raw)
		}
		r = w.do("GET", "/api/v1/applications/"+a.ID, ops, nil)
		leaks("the application", r)
		r.decode(t, &a)
		if a.TaxBankCertifiedAt != nil || a.TaxBank == nil || a.TaxBank.CertifiedAt != nil || failedIDs(a.Checks) != "establishment_time,support_capability,tax_bank_certified" {
			t.Fatalf("view after the change: %s", r.raw)
		}
		leaks("the audit log", w.do("GET", "/api/v1/audit?limit=500", ops, nil))

		// A company that entered none has none to show.
		w.do("POST", "/api/v1/users", "", map[string]string{"email": "fresh@example.com", "password": demo.Password, "display_name": "Fresh"}).must(t, 201, "sign up")
		fresh := w.login("fresh@example.com")
		w.do("PUT", "/api/v1/seller/application", fresh, map[string]string{"legal_name": "Fresh Start Ltd"}).must(t, 200, "apply")
		w.do("GET", "/api/v1/seller/tax-bank", fresh, nil).must(t, 404, "none entered")
	})
}

// An operator who works for a company never reviews it: not its application,
// not its bank details.
func TestOperatorCannotReviewItsOwnCompany(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ctx := context.Background()
		if _, err := w.svc.CreateOperator(ctx, "dual@example.com", demo.Password, "Dana Dual"); err != nil {
			t.Fatal(err)
		}
		dual, err := w.svc.ActorByEmail(ctx, "dual@example.com")
		if err != nil {
			t.Fatal(err)
		}
		v, err := w.svc.SaveApplication(ctx, dual, market.ApplicationInput{LegalName: "Dual Software", Country: "CN", Established: "2010-06-01",
			Regions: []string{"cn-east-3"}, Offerings: []string{"image"},
			PreSales:  []seller.Contact{{Name: "Dana Dual", Email: "dana@dual.example"}},
			PostSales: []seller.Contact{{Name: "Dual support", Email: "support@dual.example"}},
			Support:   seller.Schedule{AllDay: true}})
		if err != nil {
			t.Fatal(err)
		}
		if dual, err = w.svc.ActorByEmail(ctx, "dual@example.com"); err != nil { // now also the company's administrator
			t.Fatal(err)
		}
		if _, err := w.svc.SignAgreement(ctx, dual, demo.AgreementVersion); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SetTaxBank(ctx, dual, seller.TaxBank{TaxID: "91310000DUAL0001X", BankName: "Bank of Shanghai", AccountHolder: "Dual Software Co., Ltd.", AccountNumber: "6222 0000 1111 2222"}); err != nil {
			t.Fatal(err)
		}
		tok, ops := w.login("dual@example.com"), w.login("ops@demo.test")
		path := "/api/v1/applications/" + v.ID

		// Still an operator: it sees the queue and the application …
		w.do("GET", "/api/v1/applications", tok, nil).must(t, 200, "queue")
		w.do("GET", path, tok, nil).must(t, 200, "read")
		// … but certifies nothing of its own company.
		if code, _ := w.do("POST", path+"/tax-bank/certification", tok, nil).must(t, 403, "certify own").errCode(t); code != "forbidden" {
			t.Fatalf("code %s", code)
		}
		w.do("POST", path+"/tax-bank/certification", ops, nil).must(t, 200, "certify by another operator")
		w.do("POST", "/api/v1/seller/application/submit", tok, nil).must(t, 200, "submit")
		before := w.auditCount()
		for _, step := range []string{"approve", "reject", "request-changes"} {
			w.do("POST", path+"/"+step, tok, map[string]string{"reason": "it is mine"}).must(t, 403, step+" own")
		}
		if w.auditCount() != before || w.myApp(tok).State != "submitted" {
			t.Fatal("a refused review changed something")
		}
		w.do("POST", path+"/approve", ops, nil).must(t, 200, "approve by another operator")
		w.do("POST", path+"/suspend", tok, map[string]string{"reason": "it is mine"}).must(t, 403, "suspend own")
	})
}

func TestOpenAPIDocumentsSellerQualification(t *testing.T) {
	mux := http.NewServeMux()
	api.Register(mux, market.New(nil, market.Options{}), api.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi.json", nil))
	var doc struct {
		Paths map[string]map[string]struct {
			Tags        []string
			Security    []map[string][]string
			Parameters  []struct{ Name, In string }
			RequestBody struct{ Content map[string]any }
			Responses   map[string]struct {
				Content map[string]struct{ Schema map[string]any }
			}
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	ops := []struct{ method, path, tag, status string }{
		{"get", "/api/v1/regions", "Regions", "200"},
		{"put", "/api/v1/regions/{code}", "Regions", "200"},
		{"get", "/api/v1/agreement", "Sellers", "200"},
		{"post", "/api/v1/agreements", "Sellers", "201"},
		{"get", "/api/v1/seller/application", "Sellers", "200"},
		{"put", "/api/v1/seller/application", "Sellers", "200"},
		{"get", "/api/v1/seller/application/checks", "Sellers", "200"},
		{"post", "/api/v1/seller/application/submit", "Sellers", "422"},
		{"post", "/api/v1/seller/agreement/signature", "Sellers", "201"},
		{"get", "/api/v1/seller/tax-bank", "Sellers", "200"},
		{"put", "/api/v1/seller/tax-bank", "Sellers", "200"},
		{"post", "/api/v1/seller/application/documents", "Sellers", "413"},
		{"get", "/api/v1/seller/application/documents/{id}", "Sellers", "200"},
		{"delete", "/api/v1/seller/application/documents/{id}", "Sellers", "204"},
		{"get", "/api/v1/applications", "Review", "200"},
		{"get", "/api/v1/applications/{id}", "Review", "200"},
		{"get", "/api/v1/applications/{id}/documents/{doc}", "Review", "200"},
		{"post", "/api/v1/applications/{id}/approve", "Review", "200"},
		{"post", "/api/v1/applications/{id}/reject", "Review", "200"},
		{"post", "/api/v1/applications/{id}/request-changes", "Review", "200"},
		{"post", "/api/v1/applications/{id}/suspend", "Review", "200"},
		{"post", "/api/v1/applications/{id}/reinstate", "Review", "200"},
		{"post", "/api/v1/applications/{id}/tax-bank/certification", "Review", "200"},
		{"get", "/api/v1/notifications", "Notifications", "200"},
		{"post", "/api/v1/notifications/{id}/read", "Notifications", "204"},
		{"post", "/api/v1/notifications/read", "Notifications", "204"},
	}
	for _, o := range ops {
		op, ok := doc.Paths[o.path][o.method]
		if !ok {
			t.Errorf("%s %s is not documented", o.method, o.path)
			continue
		}
		if len(op.Tags) != 1 || op.Tags[0] != o.tag {
			t.Errorf("%s %s: tags %v", o.method, o.path, op.Tags)
		}
		if _, ok := op.Responses[o.status]; !ok {
			t.Errorf("%s %s: no %s response", o.method, o.path, o.status)
		}
		public := o.path == "/api/v1/regions" && o.method == "get" || o.path == "/api/v1/agreement"
		if public == (len(op.Security) > 0) {
			t.Errorf("%s %s: security %v", o.method, o.path, op.Security)
		}
	}
	checks := doc.Paths["/api/v1/seller/application/checks"]["get"]
	if s := checks.Responses["200"].Content["application/json"].Schema; !strings.Contains(fmt.Sprint(s["type"]), "array") {
		t.Errorf("checks are not an array: %v", s)
	}
	lang := false
	for _, p := range checks.Parameters {
		lang = lang || (p.In == "header" && p.Name == "Accept-Language")
	}
	if !lang {
		t.Error("the checks do not document Accept-Language")
	}
	if _, ok := doc.Paths["/api/v1/seller/application/documents"]["post"].RequestBody.Content["multipart/form-data"]; !ok {
		t.Error("the upload is not multipart/form-data")
	}
	if _, ok := doc.Paths["/api/v1/seller/application/documents/{id}"]["get"].Responses["200"].Content["application/pdf"]; !ok {
		t.Error("the download does not document its types")
	}
}
