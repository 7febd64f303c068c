package catalog

import (
	"strconv"

	"github.com/cloudmart/cloudmart/fault"
)

// LicenseCategory is the kind of software a licence is for.
type LicenseCategory string

const (
	LicenseOS          LicenseCategory = "operating_system"
	LicenseDatabase    LicenseCategory = "database"
	LicenseMiddleware  LicenseCategory = "middleware"
	LicenseApplication LicenseCategory = "application"
)

// LicenseCategories lists every licence category, in the order forms show them.
var LicenseCategories = []LicenseCategory{LicenseOS, LicenseDatabase, LicenseMiddleware, LicenseApplication}

// GrantUnit is what a licence counts.
type GrantUnit string

const (
	GrantSeats GrantUnit = "seats" // named or concurrent users
	GrantCores GrantUnit = "cores" // CPU cores the software may run on
)

// GrantUnits lists every unit, in the order forms show them.
var GrantUnits = []GrantUnit{GrantSeats, GrantCores}

// Limits of what one licence grants.
const (
	MaxGrantQuantity = 1_000_000
	MaxLicenseMonths = 120
)

// LicenseSpec is what a licence product needs: what the signed key grants,
// for how long, under which terms.
//
// Errors of Product.Validate: Invalid on license.category
// (error.license_category), license.grant_unit (error.grant_unit),
// license.grant_quantity (error.grant_quantity), license.duration_months
// (error.duration_months), license.terms_key (error.blob_key),
// license.terms_url (error.url_https), and license.terms
// (error.license_terms) when neither is given.
type LicenseSpec struct {
	Category       LicenseCategory `json:"category"`
	GrantUnit      GrantUnit       `json:"grant_unit"`
	GrantQuantity  int             `json:"grant_quantity"`      // seats or cores per licence bought
	DurationMonths int             `json:"duration_months"`     // 0: perpetual
	TermsKey       string          `json:"terms_key,omitempty"` // the uploaded terms document
	TermsURL       string          `json:"terms_url,omitempty"` // or where the terms are published
}

// Perpetual reports whether the licence never expires.
func (s *LicenseSpec) Perpetual() bool { return s.DurationMonths == 0 }

// validate checks the licence details; for review, the terms are required:
// a buyer must know what it agrees to before the key is issued.
func (s *LicenseSpec) validate(v validator, _ Product) error {
	if err := firstError(
		enum(v, "license.category", s.Category, LicenseCategories, "error.license_category", "choose operating_system, database, middleware or application"),
		enum(v, "license.grant_unit", s.GrantUnit, GrantUnits, "error.grant_unit", "choose seats or cores"),
		v.number("license.grant_quantity", s.GrantQuantity, 1, MaxGrantQuantity, "error.grant_quantity", "grant 1 to 1,000,000 seats or cores"),
		licenseMonths(s.DurationMonths),
		blobKey("license.terms_key", s.TermsKey, false),
		webURL("license.terms_url", s.TermsURL),
	); err != nil {
		return err
	}
	if v.review && s.TermsKey == "" && s.TermsURL == "" {
		return fault.Field("license.terms", "error.license_terms", "attach the licence terms or give the address where they are published")
	}
	return nil
}

// licenseMonths checks a duration: 0 is perpetual, so it is never "missing".
func licenseMonths(n int) error {
	if n >= 0 && n <= MaxLicenseMonths {
		return nil
	}
	return fault.Field("license.duration_months", "error.duration_months", "enter 1 to 120 months, or 0 for a perpetual licence")
}

func (s *LicenseSpec) fields() []field {
	return []field{
		{"license.category", string(s.Category)},
		{"license.grant_unit", string(s.GrantUnit)},
		{"license.grant_quantity", strconv.Itoa(s.GrantQuantity)},
		{"license.duration_months", strconv.Itoa(s.DurationMonths)},
		{"license.terms_key", s.TermsKey},
		{"license.terms_url", s.TermsURL},
	}
}
