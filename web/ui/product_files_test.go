package ui_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The first bytes of an image and a PDF, enough for their types.
var (
	logoPNG  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	shotJPEG = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
)

// uploadProductFile posts the editor's upload form of a kind, as a browser
// does: the kind, then the file.
func (b *browser) uploadProductFile(id, kind, filename string, content []byte) response {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.site.srv.URL+"/seller/products/"+id+"/files", &body)
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

// mustUploadProductFile uploads a file from the editor and returns the key
// the editor then shows for it.
func (b *browser) mustUploadProductFile(id, kind, filename string, content []byte) {
	b.t.Helper()
	if r := b.uploadProductFile(id, kind, filename, content); r.Status != http.StatusSeeOther || r.Location != "/seller/products/"+id+"?done=file_added" {
		b.t.Fatalf("upload %s: %d %q\n%s", filename, r.Status, r.Location, r.Body)
	}
}

// fileURLs lists the addresses of a product's files a page shows, in order.
func fileURLs(body, id string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?:src|href)="(/products/`+regexp.QuoteMeta(id)+`/files/[^"]+)"`).FindAllStringSubmatch(body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// licenceForm is a licence that passes review once it has its terms.
func licenceForm() url.Values {
	v := common("license", "Lakeside DB Licence", "湖畔数据库许可证")
	for k, val := range map[string]string{"license.category": "database", "license.grant_unit": "cores", "license.grant_quantity": "4", "license.duration_months": "12"} {
		v.Set(k, val)
	}
	return plan(v, 0, "annual", "yearly", "999.00", "CNY")
}

func TestProductFilesFromEditorToStorefront(t *testing.T) {
	s, sam, op := catalogSite(t)
	visitor := s.browser(t)
	id, r := sam.mustCreate(licenceForm())
	want(t, r, http.StatusOK, "Logo, screenshots and files", "No logo yet.", "No screenshots yet.", "No terms document yet.",
		`action="/seller/products/`+id+`/files" enctype="multipart/form-data"`, `name="kind" value="logo"`, `name="kind" value="terms"`,
		`accept="application/pdf,.pdf"`, "PNG, JPEG or WebP, at most 1 MB.")

	// A logo, two screenshots and the terms: each saved into the draft at once.
	sam.mustUploadProductFile(id, "logo", "logo.png", logoPNG)
	r = sam.get("/seller/products/" + id + "?done=file_added")
	want(t, r, http.StatusOK, "The file is uploaded and saved in the revision in the works.", `alt="The product&#39;s logo"`, "logo.png · 1 KB")
	sam.mustUploadProductFile(id, "screenshot", "console.jpg", shotJPEG)
	sam.mustUploadProductFile(id, "screenshot", "报表.png", logoPNG)
	sam.mustUploadProductFile(id, "terms", "EULA.pdf", pdf(3000))
	r = sam.get("/seller/products/" + id)
	want(t, r, http.StatusOK, "Screenshots (2 of 10)", "console.jpg", "报表.png", "EULA.pdf", `download>EULA.pdf</a>`)
	files := fileURLs(r.Body, id)
	if len(files) != 4 {
		t.Fatalf("the editor shows %d files: %v", len(files), files)
	}
	logo, shot1, shot2, terms := files[0], files[1], files[2], files[3]
	if !strings.Contains(logo, "/logo/") || !strings.Contains(shot1, "/screenshot/") || !strings.Contains(terms, "/terms/") || !strings.HasSuffix(terms, ".pdf") {
		t.Fatalf("files: %v", files)
	}

	// What is refused shows by its form, and changes nothing.
	r = sam.uploadProductFile(id, "logo", "logo.pdf", pdf(500))
	want(t, r, http.StatusBadRequest, `id="logo-file" name="file" type="file"`, `aria-invalid="true"`)
	if !strings.Contains(r.Body, `<p class="field-error" id="logo-file-error">Upload a PNG, JPEG or WebP image whose content matches its name.</p>`) {
		t.Fatalf("a PDF logo:\n%s", r.Body)
	}
	r = sam.uploadProductFile(id, "screenshot", "big.png", append(bytes.Clone(logoPNG), make([]byte, 5<<20)...))
	want(t, r, http.StatusBadRequest, `<p class="field-error" id="screenshot-file-error">Upload a screenshot of at most 5 MB.</p>`)
	r = sam.uploadProductFile(id, "terms", "", nil)
	want(t, r, http.StatusBadRequest, `id="terms-file-error"`)
	if got := fileURLs(sam.get("/seller/products/"+id).Body, id); strings.Join(got, " ") != strings.Join(files, " ") {
		t.Fatalf("after refusals: %v", got)
	}
	other := s.approvedSeller(t, "olga@other.example", "Other Co", "license")
	want(t, other.uploadProductFile(id, "logo", "logo.png", logoPNG), http.StatusNotFound)
	want(t, other.post("/seller/products/"+id+"/files/remove", url.Values{"key": {"x"}}), http.StatusNotFound)

	// A screenshot taken out; the form's other fields keep the files.
	shotKey := strings.TrimPrefix(shot1, "/products/"+id+"/files/")
	r = sam.post("/seller/products/"+id+"/files/remove", url.Values{"key": {shotKey}})
	if r.Status != http.StatusSeeOther || r.Location != "/seller/products/"+id+"?done=file_removed" {
		t.Fatalf("remove: %d %q", r.Status, r.Location)
	}
	want(t, sam.get(r.Location), http.StatusOK, "Screenshots (1 of 10)", "The file is taken out")
	if got := fileURLs(sam.get("/seller/products/"+id).Body, id); strings.Join(got, " ") != strings.Join([]string{logo, shot2, terms}, " ") {
		t.Fatalf("after removing: %v", got)
	}
	sam.mustSubmit(id, licenceForm()) // the terms document is the licence's terms

	// In review: the seller and the operator see the files; no one else.
	want(t, sam.get("/seller/products/"+id), http.StatusOK, "Files can be changed again once the revision in review is decided.")
	wantNot(t, sam.get("/seller/products/"+id), `id="logo-file"`)
	for who, b := range map[string]*browser{"seller": sam, "operator": op} {
		r := b.get(logo)
		if r.Status != http.StatusOK || r.Body != string(logoPNG) || r.Header.Get("Cache-Control") != "private, no-cache" ||
			r.Header.Get("Content-Type") != "image/png" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s reads the logo: %d %v", who, r.Status, r.Header)
		}
	}
	for who, b := range map[string]*browser{"visitor": visitor, "another seller": other} {
		if r := b.get(logo); r.Status != http.StatusNotFound || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s reads the unpublished logo: %d %v", who, r.Status, r.Header)
		}
	}
	r = op.get("/ops/products/" + id)
	want(t, r, http.StatusOK, `class="product-logo" src="`+logo+`"`, `src="`+shot2+`"`, `href="`+terms+`" download>Download the licence terms (PDF)</a>`)
	op.mustReview(id, "approve", "")

	// On sale: everyone sees them, and caches them for good.
	r = visitor.get("/products/" + id)
	want(t, r, http.StatusOK, `class="product-logo" src="`+logo+`" alt="Logo of Lakeside DB Licence"`, "Screenshots",
		`alt="Screenshot 1 of Lakeside DB Licence"`, `href="`+terms+`" download>Download the licence terms (PDF)</a>`)
	r = visitor.get(terms)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || r.Header.Get("Content-Disposition") != "attachment; filename=EULA.pdf" ||
		r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("the terms: %d %v", r.Status, r.Header)
	}
	etag := visitor.get(logo).Header.Get("ETag")
	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+logo, nil)
	req.Header.Set("If-None-Match", etag)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	want(t, visitor.get("/products?q="+url.QueryEscape("湖畔数据库")), http.StatusOK, `class="pcard-logo" src="`+logo+`"`)
	visitor.lang = "zh-CN"
	want(t, visitor.get("/products/"+id), http.StatusOK, `alt="湖畔数据库许可证 的徽标"`, "下载许可条款（PDF）", "截图")

	// A new logo makes revision 2; the storefront keeps the one on sale.
	sam.mustUploadProductFile(id, "logo", "logo-2.jpg", shotJPEG)
	r = sam.get("/seller/products/" + id)
	newLogo := fileURLs(r.Body, id)[0]
	if newLogo == logo || !strings.HasSuffix(newLogo, ".jpg") {
		t.Fatalf("new logo %q", newLogo)
	}
	want(t, r, http.StatusOK, "Revision 2")
	want(t, visitor.get("/products/"+id), http.StatusOK, `src="`+logo+`"`)
	want(t, visitor.get(newLogo), http.StatusNotFound)
	// The operator sees the logos side by side, not their keys.
	sam.mustSubmit(id, licenceForm())
	r = op.get("/ops/products/" + id)
	want(t, r, http.StatusOK, `<td class="before">
<ul class="diff-files">
  <li><a href="`+logo+`"><img src="`+logo+`" alt="File 1"`, `<td class="after">
<ul class="diff-files">
  <li><a href="`+newLogo+`"><img src="`+newLogo+`"`)
	wantNot(t, r, "<del>products/", "<ins>products/")
	sam.lang = "zh-CN"
	want(t, sam.get("/seller/products/"+id), http.StatusOK, "徽标、截图与文件", "审核中的版本有结果后，才能再次修改文件。")
}
