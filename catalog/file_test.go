package catalog_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
)

// The first bytes of each kind of file.
var (
	pngHead  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	jpegHead = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	webpHead = []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00")
	pdfHead  = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
	gifHead  = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00")
	svgHead  = []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	htmlHead = []byte("<!DOCTYPE html><html><body>hi</body></html>")
	zipHead  = []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")
)

func TestCheckFile(t *testing.T) {
	const MiB = 1 << 20
	tests := []struct {
		name     string
		kind     catalog.FileKind
		filename string
		size     int64
		head     []byte
		wantType string // when accepted
		field    string // when refused
		msgID    string
	}{
		{"a PNG logo", catalog.FileLogo, "logo.png", 4096, pngHead, "image/png", "", ""},
		{"a JPEG logo, .jpg", catalog.FileLogo, "logo.jpg", 4096, jpegHead, "image/jpeg", "", ""},
		{"a JPEG logo, .JPEG", catalog.FileLogo, "LOGO.JPEG", 4096, jpegHead, "image/jpeg", "", ""},
		{"a WebP logo", catalog.FileLogo, "logo.webp", 4096, webpHead, "image/webp", "", ""},
		{"a logo of exactly 1 MiB", catalog.FileLogo, "logo.png", MiB, pngHead, "image/png", "", ""},
		{"a logo one byte over 1 MiB", catalog.FileLogo, "logo.png", MiB + 1, pngHead, "", "file", "error.logo_size"},
		{"a screenshot of 5 MiB", catalog.FileScreenshot, "shot.png", 5 * MiB, pngHead, "image/png", "", ""},
		{"a screenshot over 5 MiB", catalog.FileScreenshot, "shot.png", 5*MiB + 1, pngHead, "", "file", "error.screenshot_size"},
		{"a Chinese screenshot name", catalog.FileScreenshot, "控制台 截图.webp", 100, webpHead, "image/webp", "", ""},
		{"terms as PDF", catalog.FileTerms, "EULA.pdf", 200_000, pdfHead, "application/pdf", "", ""},
		{"terms of 10 MiB", catalog.FileTerms, "eula.pdf", 10 * MiB, pdfHead, "application/pdf", "", ""},
		{"terms over 10 MiB", catalog.FileTerms, "eula.pdf", 10*MiB + 1, pdfHead, "", "file", "error.terms_size"},
		{"terms as an image", catalog.FileTerms, "eula.png", 100, pngHead, "", "file", "error.terms_type"},
		{"a PDF logo", catalog.FileLogo, "logo.pdf", 100, pdfHead, "", "file", "error.image_type"},
		{"a GIF screenshot", catalog.FileScreenshot, "shot.gif", 100, gifHead, "", "file", "error.image_type"},
		{"an SVG logo", catalog.FileLogo, "logo.svg", 100, svgHead, "", "file", "error.image_type"},
		{"HTML named .png", catalog.FileLogo, "logo.png", 100, htmlHead, "", "file", "error.image_type"},
		{"a zip named .pdf", catalog.FileTerms, "eula.pdf", 100, zipHead, "", "file", "error.terms_type"},
		{"a PNG named .jpg", catalog.FileLogo, "logo.jpg", 100, pngHead, "", "file", "error.image_type"},
		{"a PNG without extension", catalog.FileLogo, "logo", 100, pngHead, "", "file", "error.image_type"},
		{"a PDF named .png", catalog.FileTerms, "eula.png", 100, pdfHead, "", "file", "error.terms_type"},
		{"empty", catalog.FileLogo, "logo.png", 0, nil, "", "file", "error.file_empty"},
		{"unknown kind", "banner", "logo.png", 100, pngHead, "", "kind", "error.file_kind"},
		{"no kind", "", "logo.png", 100, pngHead, "", "kind", "error.file_kind"},
		{"no name", catalog.FileLogo, "", 100, pngHead, "", "file", "error.file_name"},
		{"a name with a slash", catalog.FileLogo, "../logo.png", 100, pngHead, "", "file", "error.file_name"},
		{"a name with a backslash", catalog.FileLogo, `c:\logo.png`, 100, pngHead, "", "file", "error.file_name"},
		{"a name with a line break", catalog.FileTerms, "eula\r\n.pdf", 100, pdfHead, "", "file", "error.file_name"},
		{"a name of 201 characters", catalog.FileLogo, strings.Repeat("a", 197) + ".png", 100, pngHead, "", "file", "error.file_name"},
		{"a name that is not UTF-8", catalog.FileLogo, "logo\xff.png", 100, pngHead, "", "file", "error.file_name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := catalog.CheckFile(tc.kind, tc.filename, tc.size, tc.head)
			if tc.msgID == "" {
				if err != nil || got != tc.wantType {
					t.Fatalf("got %q, %v; want %q", got, err, tc.wantType)
				}
				return
			}
			e := fault.As(err)
			if e == nil || e.Code != fault.Invalid || e.Field != tc.field || e.MsgID != tc.msgID || got != "" {
				t.Fatalf("got %q, %v; want %s on %q", got, err, tc.msgID, tc.field)
			}
		})
	}
}

func TestFileKindSizes(t *testing.T) {
	for kind, want := range map[catalog.FileKind]int64{catalog.FileLogo: 1 << 20, catalog.FileScreenshot: 5 << 20, catalog.FileTerms: 10 << 20, "other": 0} {
		if got := kind.MaxSize(); got != want {
			t.Errorf("%s: %d, want %d", kind, got, want)
		}
	}
	for _, k := range catalog.FileKinds {
		if k.MaxSize() > catalog.MaxFileSize {
			t.Errorf("%s is larger than MaxFileSize", k)
		}
	}
}

// Keys of new files are keys the product's content accepts.
func TestFileKeyFitsTheContent(t *testing.T) {
	for _, ct := range []string{"image/png", "image/jpeg", "image/webp", "application/pdf"} {
		for _, kind := range catalog.FileKinds {
			key := catalog.FileKey("prd_01JDX3Z5R6K8M9N0P1Q2R3S4T5", kind, "pfl_01JDX3Z5R6K8M9N0P1Q2R3S4T6", ct)
			if !strings.HasPrefix(key, "products/prd-01JDX3Z5R6K8M9N0P1Q2R3S4T5/"+string(kind)+"/pfl-") {
				t.Errorf("key %q", key)
			}
			p := product(catalog.TypeLicense)
			p.LogoKey, p.Screenshots, p.License.TermsKey = key, []string{key}, key
			if err := p.Validate(regions); err != nil {
				t.Errorf("%s: %v", key, err)
			}
		}
	}
	if got := catalog.FileKey("prd_1", catalog.FileTerms, "pfl_2", "application/pdf"); got != "products/prd-1/terms/pfl-2.pdf" {
		t.Errorf("key %q", got)
	}
	// Whatever an id holds, the key has only the characters keys may have.
	odd := catalog.FileKey("../x_y z/é", catalog.FileLogo, "a.b", "image/png")
	if strings.Contains(odd, "..") || strings.ContainsAny(odd, "_ é") {
		t.Errorf("key %q", odd)
	}
}

func TestCheckFileRefs(t *testing.T) {
	uploaded := map[string]catalog.FileKind{
		"products/p/logo/a.png": catalog.FileLogo, "products/p/screenshot/b.png": catalog.FileScreenshot,
		"products/p/screenshot/c.webp": catalog.FileScreenshot, "products/p/terms/d.pdf": catalog.FileTerms,
	}
	tests := []struct {
		name         string
		edit         func(p *catalog.Product)
		field, msgID string
	}{
		{"no files", func(p *catalog.Product) {}, "", ""},
		{"every kind, uploaded", func(p *catalog.Product) {
			p.LogoKey, p.Screenshots = "products/p/logo/a.png", []string{"products/p/screenshot/c.webp", "products/p/screenshot/b.png"}
			p.License.TermsKey = "products/p/terms/d.pdf"
		}, "", ""},
		{"a logo never uploaded", func(p *catalog.Product) { p.LogoKey = "products/p/logo/zzz.png" }, "logo_key", "error.file_unknown"},
		{"a screenshot as the logo", func(p *catalog.Product) { p.LogoKey = "products/p/screenshot/b.png" }, "logo_key", "error.file_unknown"},
		{"the terms as a screenshot", func(p *catalog.Product) {
			p.Screenshots = []string{"products/p/screenshot/b.png", "products/p/terms/d.pdf"}
		}, "screenshots[1]", "error.file_unknown"},
		{"a screenshot twice", func(p *catalog.Product) {
			p.Screenshots = []string{"products/p/screenshot/b.png", "products/p/screenshot/b.png"}
		}, "screenshots[1]", "error.screenshot_duplicate"},
		{"the logo as the terms", func(p *catalog.Product) { p.License.TermsKey = "products/p/logo/a.png" }, "license.terms_key", "error.file_unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := product(catalog.TypeLicense)
			p.LogoKey, p.Screenshots, p.License.TermsKey = "", nil, ""
			tc.edit(&p)
			err := p.CheckFileRefs(uploaded)
			if tc.msgID == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if e := fault.As(err); e == nil || e.Field != tc.field || e.MsgID != tc.msgID {
				t.Fatalf("got %v, want %s on %s", err, tc.msgID, tc.field)
			}
		})
	}
	p := product(catalog.TypeLicense)
	p.LogoKey, p.Screenshots, p.License.TermsKey = "l", []string{"s1", "s2"}, "t"
	if got := strings.Join(p.FileKeys(), " "); got != "l s1 s2 t" {
		t.Errorf("keys %q", got)
	}
	var fields bytes.Buffer
	for _, r := range p.FileRefs() {
		fields.WriteString(r.Field + ":" + string(r.Kind) + " ")
	}
	if got := fields.String(); got != "logo_key:logo screenshots[0]:screenshot screenshots[1]:screenshot license.terms_key:terms " {
		t.Errorf("refs %q", got)
	}
}
