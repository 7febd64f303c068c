// Package download says how the web layer sends an uploaded file: with the
// content type judged when it was uploaded and never another (nosniff), in a
// sandbox so that a file opened on its own runs nothing in the marketplace's
// origin, a PDF as an attachment, and cached by its checksum. The API and the
// UI both send product files by these rules.
package download

import (
	"mime"
	"strings"
)

// Headers every file is sent with.
const (
	NoSniff = "nosniff"
	// Sandbox is the Content-Security-Policy of a file: nothing loads, nothing
	// runs, even when a browser opens it on its own.
	Sandbox = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
	// NotFoundCache is the Cache-Control of an answer that a file is not
	// found: a file not public yet may be once its product is published.
	NotFoundCache = "no-store"
)

// Public and Private are the Cache-Control of a file that anyone may read
// (the published revision shows it; its key never changes, so it can be
// kept for a year) and of one that only its seller and the operators may
// read (kept by the browser alone, and asked again each time: the ETag makes
// that a 304).
const (
	Public  = "public, max-age=31536000, immutable"
	Private = "private, no-cache"
)

// CacheControl is the Cache-Control of a file, public or not.
func CacheControl(public bool) string {
	if public {
		return Public
	}
	return Private
}

// ETag is a file's strong entity tag: its SHA-256.
func ETag(sha256 string) string { return `"` + sha256 + `"` }

// Disposition is the Content-Disposition of a file: a PDF is saved under its
// name (a browser's PDF viewer is no place for a seller's file in the
// marketplace's origin); an image is shown, and saved under its name.
func Disposition(contentType, filename string) string {
	kind := "inline"
	if contentType == "application/pdf" {
		kind = "attachment"
	}
	if d := mime.FormatMediaType(kind, map[string]string{"filename": filename}); d != "" {
		return d
	}
	return kind
}

// NotModified reports whether an If-None-Match header names the entity tag
// (RFC 9110 13.1.2: weak comparison, a list, or "*").
func NotModified(ifNoneMatch, etag string) bool {
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// Held returns the SHA-256 the If-None-Match header says the client holds,
// if it names one of ours: what market.OpenProductFile is told the caller has.
func Held(ifNoneMatch string) string {
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if len(t) == 66 && t[0] == '"' && t[65] == '"' {
			return t[1:65]
		}
	}
	return ""
}
