package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/web/download"
)

// sampleJPEG is the start of a JPEG file.
const sampleJPEG = "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"

// fileUpload is a body the access matrix sends as a multipart product file
// upload to the row's path.
type fileUpload struct{ kind, filename, data string }

// uploadFile posts a product file.
func (w *world) uploadFile(token, productID, kind, filename string, data []byte) response {
	w.t.Helper()
	body, ct := multipartBody(kind, filename, data)
	return w.send("POST", "/api/v1/seller/products/"+productID+"/files", token, body, http.Header{"Content-Type": {ct}})
}

// mustUploadFile uploads a product file and returns its key and address.
func (w *world) mustUploadFile(token, productID, kind, filename string, data []byte) (key, url string) {
	w.t.Helper()
	r := w.uploadFile(token, productID, kind, filename, data).must(w.t, 201, "upload "+filename)
	key, _ = r.body["key"].(string)
	url, _ = r.body["url"].(string)
	return key, url
}

func TestProductFilesOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		lakeside, ops, bluepeak := w.login("seller1@demo.test"), w.login("ops@demo.test"), w.login("seller2@demo.test")
		id, _ := w.create(lakeside, product("license", "Lakeside Zephyr DB", "湖畔翡翠数据库", "database", []string{"cn-north-4"},
			plan("year", "one_time", price("38000.00", "CNY"))))

		// An upload answers the key to put in the content, and where to read it.
		logo := sampleJPEG + strings.Repeat("\x00", 1000)
		r := w.uploadFile(lakeside, id, "logo", "标志.jpg", []byte(logo)).must(t, 201, "upload the logo")
		sum := sha256.Sum256([]byte(logo))
		logoKey, _ := r.body["key"].(string)
		logoURL, _ := r.body["url"].(string)
		if r.body["kind"] != "logo" || r.body["filename"] != "标志.jpg" || r.body["content_type"] != "image/jpeg" ||
			r.body["size"] != float64(len(logo)) || r.body["sha256"] != hex.EncodeToString(sum[:]) ||
			!strings.HasPrefix(logoKey, "products/") || logoURL != "/api/v1/products/"+id+"/files/"+logoKey {
			t.Fatalf("upload: %s", r.raw)
		}
		shotKey, shotURL := w.mustUploadFile(lakeside, id, "screenshot", "console.png", []byte(samplePNG))
		termsKey, termsURL := w.mustUploadFile(lakeside, id, "terms", "EULA 2026.pdf", []byte(samplePDF))

		// Refused uploads: the error shape, on the field at fault.
		for _, tc := range []struct {
			name, token, product, kind, filename, data string
			status                                     int
			code, field                                string
		}{
			{"an SVG logo", lakeside, id, "logo", "logo.svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`, 400, "invalid", "file"},
			{"a PDF named .png", lakeside, id, "screenshot", "shot.png", samplePDF, 400, "invalid", "file"},
			{"a logo over 1 MiB", lakeside, id, "logo", "logo.png", samplePNG + strings.Repeat("\x00", 1<<20), 400, "invalid", "file"},
			{"an unknown kind", lakeside, id, "icon", "logo.png", samplePNG, 400, "invalid", "kind"},
			{"another company's product", bluepeak, id, "logo", "logo.png", samplePNG, 404, "not_found", ""},
			{"no one signed in", "", id, "logo", "logo.png", samplePNG, 401, "unauthorized", ""},
			{"over 11 MiB", lakeside, id, "terms", "big.pdf", samplePDF + strings.Repeat("\x00", 11<<20), 413, "too_large", ""},
		} {
			r := w.uploadFile(tc.token, tc.product, tc.kind, tc.filename, []byte(tc.data))
			if r.status != tc.status {
				t.Errorf("%s: %d, want %d: %s", tc.name, r.status, tc.status, r.raw)
				continue
			}
			if code, field := r.errCode(t); code != tc.code || field != tc.field {
				t.Errorf("%s: %s on %q, want %s on %q", tc.name, code, field, tc.code, tc.field)
			}
		}

		// The seller puts the keys in the draft; a key that is not a file of
		// the product, of the right kind, is refused on its field.
		p, _ := w.sellerProduct(lakeside, id)
		content := p.Pending.Content
		bad := with(content, func(b map[string]any) { b["logo_key"] = shotKey })
		if code, field := w.do("PUT", "/api/v1/seller/products/"+id, lakeside, bad).must(t, 400, "a screenshot as the logo").errCode(t); code != "invalid" || field != "logo_key" {
			t.Fatalf("a screenshot as the logo: %s %s", code, field)
		}
		content = with(content, func(b map[string]any) {
			b["logo_key"], b["screenshots"] = logoKey, []string{shotKey}
			lic := b["license"].(map[string]any)
			lic["terms_key"], lic["terms_url"] = termsKey, ""
		})
		w.do("PUT", "/api/v1/seller/products/"+id, lakeside, content).must(t, 200, "save with the files")

		// Before publication: the seller and operators read them, privately; no one else.
		r = w.do("GET", logoURL, lakeside, nil).must(t, 200, "the seller reads its logo")
		if r.raw != logo || r.header.Get("Content-Type") != "image/jpeg" || r.header.Get("X-Content-Type-Options") != "nosniff" ||
			r.header.Get("ETag") != `"`+hex.EncodeToString(sum[:])+`"` || r.header.Get("Cache-Control") != download.Private ||
			r.header.Get("Content-Disposition") != `inline; filename*=utf-8''%E6%A0%87%E5%BF%97.jpg` || !strings.Contains(r.header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("the logo, privately: %v", r.header)
		}
		w.do("GET", termsURL, ops, nil).must(t, 200, "an operator reads the terms")
		for who, token := range map[string]string{"visitor": "", "buyer": w.login("telesales@demo.test"), "another seller": bluepeak} {
			r := w.do("GET", logoURL, token, nil)
			if r.status != 404 || r.header.Get("Cache-Control") != download.NotFoundCache {
				t.Errorf("%s reads the unpublished logo: %d %v", who, r.status, r.header)
			}
		}
		if r := w.do("GET", "/api/v1/products/"+id+"/files/products/nothing.png", lakeside, nil); r.status != 404 {
			t.Errorf("an unknown key: %d", r.status)
		}

		// Published: everyone reads them, cached for good; a 304 for the copy held.
		w.publish(lakeside, ops, id)
		r = w.do("GET", logoURL, "", nil).must(t, 200, "a visitor reads the published logo")
		if r.raw != logo || r.header.Get("Cache-Control") != download.Public || r.header.Get("ETag") == "" {
			t.Fatalf("the logo, publicly: %v", r.header)
		}
		etag := r.header.Get("ETag")
		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			r := w.send("GET", logoURL, "", nil, http.Header{"If-None-Match": {inm}})
			if r.status != 304 || r.raw != "" || r.header.Get("ETag") != etag || r.header.Get("Cache-Control") != download.Public {
				t.Errorf("If-None-Match %s: %d %q %v", inm, r.status, r.raw, r.header)
			}
		}
		if r := w.send("GET", logoURL, "", nil, http.Header{"If-None-Match": {`"` + strings.Repeat("0", 64) + `"`}}); r.status != 200 || r.raw != logo {
			t.Errorf("a stale copy: %d", r.status)
		}
		r = w.do("GET", termsURL, "", nil).must(t, 200, "a visitor reads the published terms")
		if r.raw != samplePDF || r.header.Get("Content-Type") != "application/pdf" ||
			r.header.Get("Content-Disposition") != `attachment; filename="EULA 2026.pdf"` {
			t.Fatalf("the terms: %v", r.header)
		}
		w.do("GET", shotURL, "", nil).must(t, 200, "a visitor reads the published screenshot")

		// The product's page gives the addresses.
		r = w.do("GET", "/api/v1/products/"+id, "", nil).must(t, 200, "the product")
		var pub struct {
			LogoURL     string   `json:"logo_url"`
			Screenshots []string `json:"screenshot_urls"`
			License     struct {
				TermsURL      string `json:"terms_url"`
				TermsDocument string `json:"terms_document_url"`
			}
		}
		r.decode(t, &pub)
		if pub.LogoURL != logoURL || len(pub.Screenshots) != 1 || pub.Screenshots[0] != shotURL || pub.License.TermsDocument != termsURL || pub.License.TermsURL != "" {
			t.Fatalf("public product: %s", r.raw)
		}
		if strings.Contains(r.raw, `"logo_key"`) {
			t.Fatalf("the public product shows keys: %s", r.raw)
		}

		// A new logo in a new revision is private until approved; the one on sale stays public.
		newKey, newURL := w.mustUploadFile(lakeside, id, "logo", "logo.png", []byte(samplePNG))
		w.do("PUT", "/api/v1/seller/products/"+id, lakeside, with(content, func(b map[string]any) { b["logo_key"] = newKey })).must(t, 200, "a new logo")
		if r := w.do("GET", newURL, "", nil); r.status != 404 {
			t.Fatalf("a logo in review read by a visitor: %d", r.status)
		}
		w.do("GET", logoURL, "", nil).must(t, 200, "the logo on sale")
		// The file path is the product's: another product's id finds nothing.
		if r := w.do("GET", "/api/v1/products/prd_nothing/files/"+logoKey, "", nil); r.status != 404 {
			t.Fatalf("under another id: %d", r.status)
		}

		// The operation is documented, file path and all.
		doc := w.do("GET", "/api/openapi.json", "", nil).raw
		for _, p := range []string{`"/api/v1/seller/products/{id}/files"`, `"/api/v1/products/{id}/files/{key}"`} {
			if !strings.Contains(doc, p) {
				t.Errorf("%s is not documented", p)
			}
		}
	})
}
