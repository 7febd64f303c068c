package seller

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
)

var regionCode = regexp.MustCompile(`^[a-z]{2}-[a-z]+-[0-9]{1,3}$`)

// Validate checks a region as an operator enters it: a code like "cn-north-4",
// names of 1 to 60 characters, and a time zone Go knows.
//
// Errors: Invalid on "code", "name_en", "name_zh" or "zone".
func (r Region) Validate() error {
	if !regionCode.MatchString(r.Code) {
		return fault.Field("code", "error.region_code", "a region code looks like cn-north-4: area, direction, number")
	}
	for _, f := range []struct{ field, v string }{{"name_en", r.NameEN}, {"name_zh", r.NameZH}} {
		if n := utf8.RuneCountInString(strings.TrimSpace(f.v)); n < 1 || n > 60 {
			return fault.Field(f.field, "error.name_length", "enter a name of 1 to 60 characters")
		}
	}
	if _, err := time.LoadLocation(r.Zone); err != nil || r.Zone == "" || r.Zone == "Local" {
		return fault.Field("zone", "error.zone_unknown", "enter an IANA time zone such as Asia/Shanghai")
	}
	return nil
}

var agreementVersion = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)

// ValidateAgreement checks a new version of the Seller Agreement.
//
// Errors: Invalid on "version", "title" or "body".
func ValidateAgreement(a Agreement, body string) error {
	if !agreementVersion.MatchString(a.Version) {
		return fault.Field("version", "error.agreement_version", "a version is 1 to 32 letters, digits, dots, dashes or underscores")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(a.Title)); n < 1 || n > 200 {
		return fault.Field("title", "error.name_length", "enter a title of 1 to 200 characters")
	}
	if n := len(strings.TrimSpace(body)); n < 1 || n > 200_000 {
		return fault.Field("body", "error.agreement_body", "the agreement's text must be 1 to 200,000 bytes")
	}
	return nil
}
