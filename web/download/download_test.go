package download_test

import (
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/web/download"
)

func TestNotModified(t *testing.T) {
	sha := strings.Repeat("ab", 32)
	etag := download.ETag(sha)
	for _, tc := range []struct {
		header string
		want   bool
		held   string
	}{
		{"", false, ""},
		{etag, true, sha},
		{"W/" + etag, true, sha},
		{`"x", ` + etag, true, sha},
		{"*", true, ""},
		{`"` + strings.Repeat("cd", 32) + `"`, false, strings.Repeat("cd", 32)},
		{sha, false, ""}, // not quoted: not an entity tag
	} {
		if got := download.NotModified(tc.header, etag); got != tc.want {
			t.Errorf("NotModified(%q) = %v", tc.header, got)
		}
		if got := download.Held(tc.header); got != tc.held {
			t.Errorf("Held(%q) = %q, want %q", tc.header, got, tc.held)
		}
	}
}

func TestDisposition(t *testing.T) {
	for _, tc := range []struct{ contentType, filename, want string }{
		{"application/pdf", "eula.pdf", "attachment; filename=eula.pdf"},
		{"application/pdf", "EULA 2026.pdf", `attachment; filename="EULA 2026.pdf"`},
		{"image/png", "logo.png", "inline; filename=logo.png"},
		{"image/webp", "截图.webp", "inline; filename*=utf-8''%E6%88%AA%E5%9B%BE.webp"},
	} {
		if got := download.Disposition(tc.contentType, tc.filename); got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.contentType, tc.filename, got, tc.want)
		}
	}
	if download.CacheControl(true) != download.Public || download.CacheControl(false) != download.Private {
		t.Error("cache control")
	}
}
