package catalog

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
)

// validator holds what the rules need besides the product itself. The same
// rules serve a draft and a product going to review: a draft may leave
// anything out, but what it gives must be well formed.
type validator struct {
	review  bool     // everything review needs must be there
	regions []string // the codes of the cloud's regions
}

// atLeast returns n for review and 0 for a draft.
func (v validator) atLeast(n int) int {
	if v.review {
		return n
	}
	return 0
}

// length checks that s, trimmed, has lo (in review) to hi characters.
func (v validator) length(field, s string, lo, hi int, msgID, msg string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(s)); n < v.atLeast(lo) || n > hi {
		return fault.Field(field, msgID, msg)
	}
	return nil
}

// text checks both languages of t, English first: field.en, field.zh.
func (v validator) text(field string, t Text, lo, hi int, msgID, msg string) error {
	if err := v.length(field+".en", t.EN, lo, hi, msgID, msg); err != nil {
		return err
	}
	return v.length(field+".zh", t.ZH, lo, hi, msgID, msg)
}

// number checks lo ≤ n ≤ hi; in a draft, zero means not given yet.
func (v validator) number(field string, n, lo, hi int, msgID, msg string) error {
	if (n == 0 && !v.review) || (n >= lo && n <= hi) {
		return nil
	}
	return fault.Field(field, msgID, msg)
}

// enum checks that x is one of all; in a draft, empty means not given yet.
func enum[T ~string](v validator, field string, x T, all []T, msgID, msg string) error {
	if (x == "" && !v.review) || slices.Contains(all, x) {
		return nil
	}
	return fault.Field(field, msgID, msg)
}

// region checks that code is one of the cloud's regions; in a draft, empty
// means not chosen yet.
func (v validator) region(field, code, msgID string) error {
	switch {
	case slices.Contains(v.regions, code):
		return nil
	case code != "":
		return fault.Field(field, msgID, fmt.Sprintf("there is no region %q", code))
	case v.review:
		return fault.Field(field, msgID, "choose a region")
	}
	return nil
}

// regionList checks a list of region codes: each one known, none twice.
func (v validator) regionList(field string, codes []string) error {
	for i, code := range codes {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !slices.Contains(v.regions, code) {
			return fault.Field(f, "error.region_unknown", fmt.Sprintf("there is no region %q", code))
		}
		if slices.Contains(codes[:i], code) {
			return fault.Field(f, "error.region_duplicate", fmt.Sprintf("region %s is listed twice", code))
		}
	}
	return nil
}

// firstError returns the first error that is not nil. Each check is cheap and
// pure, so computing them all keeps a sequence of rules readable.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// maxURL is the longest address accepted, in bytes.
const maxURL = 2048

// webURL checks an optional link buyers follow: documentation, support pages,
// licence terms. Plain http is refused so no page of the marketplace leads to
// one that can be tampered with on the way.
func webURL(field, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(raw) > maxURL {
		return fault.Field(field, "error.url_https", "enter an https:// address, such as https://docs.example.com")
	}
	return nil
}

// blobKeyPattern is the shape of the keys the blob store hands out; a key is
// never a path that could climb out of the store.
var blobKeyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$`)

// CheckBlobKey checks the key of a file in the blob store (a required one),
// for packages whose files live there too.
//
// Errors: Invalid on field (error.blob_key).
func CheckBlobKey(field, key string) error { return blobKey(field, key, true) }

// blobKey checks the key of an uploaded file; an empty key is no file.
func blobKey(field, key string, required bool) error {
	if (key == "" && !required) || (blobKeyPattern.MatchString(key) && !strings.Contains(key, "..")) {
		return nil
	}
	return fault.Field(field, "error.blob_key", "this file reference is not valid: upload the file again")
}
