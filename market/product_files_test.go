package market_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// Files as the tests upload them: real first bytes, padded to a size.
var (
	pngFile  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	jpegFile = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	pdfFile  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
)

func sized(head []byte, n int) []byte {
	return append(bytes.Clone(head), bytes.Repeat([]byte{0}, max(0, n-len(head)))...)
}

// dbLicence is a licence product that passes review with its terms online.
func dbLicence() catalog.Product {
	return catalog.Product{
		Type:        catalog.TypeLicense,
		Name:        catalog.Text{EN: "Quartz DB", ZH: "石英数据库"},
		Summary:     catalog.Text{EN: "A database licensed per core", ZH: "按核授权的数据库"},
		Description: catalog.Text{EN: "A distributed SQL database.", ZH: "分布式 SQL 数据库。"},
		Category:    "database",
		Regions:     []string{"cn-north-4"},
		Support:     catalog.Support{Email: "support@lakeside.example"},
		License: &catalog.LicenseSpec{Category: catalog.LicenseDatabase, GrantUnit: catalog.GrantCores, GrantQuantity: 8,
			DurationMonths: 12, TermsURL: "https://lakeside.example/terms"},
		Plans: []catalog.Plan{{Code: "year", Name: catalog.Text{EN: "One year", ZH: "一年"}, Mode: catalog.OneTime,
			Price: money.New(3_800_000, money.CNY), Active: true}},
	}
}

func TestProductFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.New(t, st, t0)
		if err := demo.Load(ctx, w.Svc); err != nil {
			t.Fatal(err)
		}
		svc := w.Svc
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		seller2 := w.Actor(t, "seller2@demo.test", demo.Password)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		buyer := w.Actor(t, "telesales@demo.test", demo.Password)
		anon := account.Actor{}

		v, _, err := svc.CreateProduct(ctx, seller1, dbLicence())
		if err != nil {
			t.Fatal(err)
		}
		id := v.ID
		saas, _, err := svc.CreateProduct(ctx, seller1, backupService())
		if err != nil {
			t.Fatal(err)
		}

		// Uploads: checked, kept under a key the content accepts, audited.
		logo, err := svc.UploadProductFile(ctx, seller1, id, catalog.FileLogo, "logo.png", bytes.NewReader(sized(pngFile, 2048)))
		if err != nil {
			t.Fatal(err)
		}
		if logo.ContentType != "image/png" || logo.Size != 2048 || len(logo.SHA256) != 64 || logo.ProductID != id ||
			!strings.HasPrefix(logo.Key, "products/") || !strings.HasSuffix(logo.Key, ".png") {
			t.Fatalf("logo: %+v", logo)
		}
		if stored, err := w.Blobs.ReadAll(ctx, logo.Key); err != nil || len(stored) != 2048 {
			t.Fatalf("blob: %d bytes, %v", len(stored), err)
		}
		shot1, err := svc.UploadProductFile(ctx, seller1, id, catalog.FileScreenshot, "console.jpg", bytes.NewReader(sized(jpegFile, 5<<20)))
		if err != nil {
			t.Fatalf("a screenshot of exactly 5 MiB: %v", err)
		}
		shot2, err := svc.UploadProductFile(ctx, seller1, id, catalog.FileScreenshot, "报表.png", bytes.NewReader(pngFile))
		if err != nil {
			t.Fatal(err)
		}
		terms, err := svc.UploadProductFile(ctx, seller1, id, catalog.FileTerms, "EULA.pdf", bytes.NewReader(pdfFile))
		if err != nil || terms.ContentType != "application/pdf" {
			t.Fatalf("terms: %+v %v", terms, err)
		}
		entries, err := svc.Audit(ctx, ops, audit.Filter{Action: "product.file_upload", ObjectID: id})
		if err != nil || len(entries) != 4 || !strings.Contains(string(entries[0].After), terms.SHA256) {
			t.Fatalf("audit: %d entries, %v", len(entries), err)
		}

		// What is refused changes nothing and keeps nothing.
		before := blobCount(t, w)
		for _, tc := range []struct {
			name        string
			actor       account.Actor
			product     string
			kind        catalog.FileKind
			filename    string
			data        []byte
			code, field string
			msgID       string
		}{
			{"a logo over 1 MiB", seller1, id, catalog.FileLogo, "logo.png", sized(pngFile, 1<<20+1), fault.Invalid, "file", "error.logo_size"},
			{"a screenshot over 5 MiB", seller1, id, catalog.FileScreenshot, "s.png", sized(pngFile, 5<<20+1), fault.Invalid, "file", "error.screenshot_size"},
			{"terms over 10 MiB", seller1, id, catalog.FileTerms, "t.pdf", sized(pdfFile, 10<<20+1), fault.Invalid, "file", "error.terms_size"},
			{"a PDF as the logo", seller1, id, catalog.FileLogo, "logo.pdf", pdfFile, fault.Invalid, "file", "error.image_type"},
			{"HTML named .png", seller1, id, catalog.FileScreenshot, "s.png", []byte("<html><script>alert(1)</script></html>"), fault.Invalid, "file", "error.image_type"},
			{"an image as the terms", seller1, id, catalog.FileTerms, "t.pdf", pngFile, fault.Invalid, "file", "error.terms_type"},
			{"terms of a SaaS product", seller1, saas.ID, catalog.FileTerms, "t.pdf", pdfFile, fault.Invalid, "kind", "error.terms_license_only"},
			{"an unknown kind", seller1, id, "banner", "b.png", pngFile, fault.Invalid, "kind", "error.file_kind"},
			{"an empty file", seller1, id, catalog.FileLogo, "logo.png", nil, fault.Invalid, "file", "error.file_empty"},
			{"another seller's product", seller2, id, catalog.FileLogo, "logo.png", pngFile, fault.NotFound, "", ""},
			{"a buyer", buyer, id, catalog.FileLogo, "logo.png", pngFile, fault.NotFound, "", ""},
			{"an operator", ops, id, catalog.FileLogo, "logo.png", pngFile, fault.NotFound, "", ""},
			{"no one signed in", anon, id, catalog.FileLogo, "logo.png", pngFile, fault.Unauthorized, "", ""},
			{"an unknown product", seller1, "prd_nothing", catalog.FileLogo, "logo.png", pngFile, fault.NotFound, "", ""},
		} {
			_, err := svc.UploadProductFile(ctx, tc.actor, tc.product, tc.kind, tc.filename, bytes.NewReader(tc.data))
			e := fault.As(err)
			if e == nil || e.Code != tc.code || e.Field != tc.field || (tc.msgID != "" && e.MsgID != tc.msgID) {
				t.Errorf("%s: %v, want %s %s %s", tc.name, err, tc.code, tc.field, tc.msgID)
			}
		}
		if after := blobCount(t, w); after != before {
			t.Fatalf("refused uploads kept blobs: %d, then %d", before, after)
		}

		// The content refers only to the product's own files, each as its kind.
		theirs, _, err := svc.CreateProduct(ctx, seller2, catalog.Product{Type: catalog.TypeSaaS, Name: catalog.Text{EN: "Theirs"}})
		if err != nil {
			t.Fatal(err)
		}
		theirLogo, err := svc.UploadProductFile(ctx, seller2, theirs.ID, catalog.FileLogo, "logo.png", bytes.NewReader(pngFile))
		if err != nil {
			t.Fatal(err)
		}
		content := dbLicence()
		for _, tc := range []struct {
			name  string
			edit  func(p *catalog.Product)
			field string
		}{
			{"another product's logo", func(p *catalog.Product) { p.LogoKey = theirLogo.Key }, "logo_key"},
			{"a key never uploaded", func(p *catalog.Product) { p.LogoKey = "products/x/logo/y.png" }, "logo_key"},
			{"a screenshot as the logo", func(p *catalog.Product) { p.LogoKey = shot1.Key }, "logo_key"},
			{"the logo as a screenshot", func(p *catalog.Product) { p.Screenshots = []string{shot1.Key, logo.Key} }, "screenshots[1]"},
			{"a screenshot as the terms", func(p *catalog.Product) { p.License.TermsKey = shot2.Key }, "license.terms_key"},
		} {
			bad, lic := content, *content.License
			bad.License = &lic
			tc.edit(&bad)
			if _, err := svc.SaveProduct(ctx, seller1, id, bad, 0); !fault.Is(err, fault.Invalid) || fault.As(err).Field != tc.field || fault.As(err).MsgID != "error.file_unknown" {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		withLogo := dbLicence()
		withLogo.LogoKey = logo.Key
		if _, _, err := svc.CreateProduct(ctx, seller1, withLogo); !fault.Is(err, fault.Invalid) || fault.As(err).Field != "logo_key" {
			t.Fatalf("a new product with another's logo: %v", err)
		}
		content.LogoKey, content.Screenshots, content.License.TermsKey, content.License.TermsURL = logo.Key, []string{shot1.Key, shot2.Key}, terms.Key, ""
		if v, err = svc.SaveProduct(ctx, seller1, id, content, 0); err != nil || v.Pending.Content.LogoKey != logo.Key {
			t.Fatalf("save with its files: %v", err)
		}

		// Until it is published, only its seller and operators read its files.
		readers := func(key string, want map[string]bool, public bool) {
			t.Helper()
			for name, a := range map[string]account.Actor{"seller": seller1, "operator": ops, "other seller": seller2, "buyer": buyer, "anonymous": anon} {
				f, data, err := svc.OpenProductFile(ctx, a, id, key, "")
				switch {
				case want[name] && (err != nil || f.Key != key || int64(len(data)) != f.Size || f.Public != public):
					t.Errorf("%s reads %s: %+v %d bytes %v", name, key, f, len(data), err)
				case !want[name] && !fault.Is(err, fault.NotFound):
					t.Errorf("%s reads %s: %v, want not found", name, key, err)
				}
			}
		}
		insiders := map[string]bool{"seller": true, "operator": true}
		everyone := map[string]bool{"seller": true, "operator": true, "other seller": true, "buyer": true, "anonymous": true}
		readers(logo.Key, insiders, false)
		readers(terms.Key, insiders, false)
		if _, _, err := svc.OpenProductFile(ctx, seller1, theirs.ID, logo.Key, ""); !fault.Is(err, fault.NotFound) {
			t.Fatalf("a file under another product's id: %v", err)
		}
		// The caller's copy is current: no bytes.
		if f, data, err := svc.OpenProductFile(ctx, seller1, id, logo.Key, logo.SHA256); err != nil || data != nil || f.ID != logo.ID {
			t.Fatalf("read with the current copy: %d bytes, %v", len(data), err)
		}

		// Published: the files of the published revision are everyone's.
		if _, err := svc.SubmitProduct(ctx, seller1, id); err != nil {
			t.Fatal(err)
		}
		readers(logo.Key, insiders, false)
		if _, err := svc.ReviewProduct(ctx, ops, id, catalog.Approve, ""); err != nil {
			t.Fatal(err)
		}
		readers(logo.Key, everyone, true)
		readers(shot1.Key, everyone, true)
		readers(terms.Key, everyone, true)
		if logos, err := svc.Logos(ctx, []string{id, saas.ID, "prd_nothing"}); err != nil || len(logos) != 1 || logos[id] != logo.Key {
			t.Fatalf("logos: %v %v", logos, err)
		}

		// A new revision changes the logo and drops a screenshot: the
		// published revision's files stay public until it is replaced.
		logo2, err := svc.UploadProductFile(ctx, seller1, id, catalog.FileLogo, "logo-2.jpeg", bytes.NewReader(jpegFile))
		if err != nil {
			t.Fatal(err)
		}
		content.LogoKey, content.Screenshots = logo2.Key, []string{shot2.Key}
		if _, err := svc.SaveProduct(ctx, seller1, id, content, 0); err != nil {
			t.Fatal(err)
		}
		readers(logo2.Key, insiders, false)
		readers(logo.Key, everyone, true)
		if _, err := svc.SubmitProduct(ctx, seller1, id); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ReviewProduct(ctx, ops, id, catalog.Approve, ""); err != nil {
			t.Fatal(err)
		}
		readers(logo2.Key, everyone, true)
		readers(shot2.Key, everyone, true)
		readers(logo.Key, insiders, false)
		readers(shot1.Key, insiders, false)
		if logos, _ := svc.Logos(ctx, []string{id}); logos[id] != logo2.Key {
			t.Fatalf("logo after revision 2: %v", logos)
		}

		// Delisted, or its seller suspended: no longer public.
		if _, err := svc.DelistProduct(ctx, seller1, id, ""); err != nil {
			t.Fatal(err)
		}
		readers(logo2.Key, insiders, false)
		if _, err := svc.SubmitProduct(ctx, seller1, id); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ReviewProduct(ctx, ops, id, catalog.Approve, ""); err != nil {
			t.Fatal(err)
		}
		readers(logo2.Key, everyone, true)
		app, _ := svc.MyApplication(ctx, seller1)
		if _, err := svc.Review(ctx, ops, app.ID, seller.Suspend, "audit"); err != nil {
			t.Fatal(err)
		}
		readers(logo2.Key, insiders, false)

		// The seller's people and operators list the files; no one else.
		if files, err := svc.ProductFiles(ctx, seller1, id); err != nil || len(files) != 5 || files[0].ID != logo.ID {
			t.Fatalf("files: %d %v", len(files), err)
		}
		if files, err := svc.ProductFiles(ctx, ops, id); err != nil || len(files) != 5 {
			t.Fatalf("files for an operator: %d %v", len(files), err)
		}
		if _, err := svc.ProductFiles(ctx, seller2, id); !fault.Is(err, fault.NotFound) {
			t.Fatalf("files for another seller: %v", err)
		}
	})
}

// A product keeps at most catalog.MaxFiles files.
func TestProductFileLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.New(t, st, t0)
		if err := demo.Load(ctx, w.Svc); err != nil {
			t.Fatal(err)
		}
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		v, _, err := w.Svc.CreateProduct(ctx, seller1, backupService())
		if err != nil {
			t.Fatal(err)
		}
		for i := range catalog.MaxFiles {
			if _, err := w.Svc.UploadProductFile(ctx, seller1, v.ID, catalog.FileScreenshot, "s.png", bytes.NewReader(pngFile)); err != nil {
				t.Fatalf("file %d: %v", i+1, err)
			}
		}
		before := blobCount(t, w)
		_, err = w.Svc.UploadProductFile(ctx, seller1, v.ID, catalog.FileLogo, "logo.png", bytes.NewReader(pngFile))
		if e := fault.As(err); e == nil || e.Field != "file" || e.MsgID != "error.files_many" {
			t.Fatalf("one file too many: %v", err)
		}
		if after := blobCount(t, w); after != before {
			t.Fatalf("the refused file was kept: %d blobs, then %d", before, after)
		}
	})
}

// blobCount counts the files in the world's blob store.
func blobCount(t *testing.T, w *markettest.World) int {
	t.Helper()
	n := 0
	it := w.Blobs.List(nil)
	for {
		_, err := it.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
}
