// Package seller holds what a company must show to sell on the marketplace (its
// application) and the seven requirements it is checked against. The checks are
// plain functions of the application, the Seller Agreement in force and the date:
// no I/O, no clock.
package seller

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
)

// Offering is a kind of software or service a seller provides in the cloud.
type Offering string

const (
	OfferingImage               Offering = "image"
	OfferingSaaS                Offering = "saas"
	OfferingAPI                 Offering = "api"
	OfferingLicense             Offering = "license"
	OfferingProfessionalService Offering = "professional_service"
)

// Offerings lists every offering, in the order forms show them.
var Offerings = []Offering{OfferingImage, OfferingSaaS, OfferingAPI, OfferingLicense, OfferingProfessionalService}

// Valid reports whether o is a known offering.
func (o Offering) Valid() bool { return slices.Contains(Offerings, o) }

// Contact is a named person buyers can reach before or after a sale.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone,omitempty"`
}

// Validate checks a contact as input; field prefixes the fields it names
// ("presales[0]" gives "presales[0].email"). The phone is optional.
//
// Errors: Invalid on field+".name" (error.name_length), field+".email"
// (error.email_invalid) or field+".phone" (error.phone_invalid).
func (c Contact) Validate(field string) error {
	if _, err := account.CleanName(field+".name", c.Name); err != nil {
		return err
	}
	if err := contactEmail(c.Email); err != nil {
		return fault.Field(field+".email", err.MsgID, err.Message)
	}
	if p := strings.TrimSpace(c.Phone); p != "" && !validPhone(p) {
		return fault.Field(field+".phone", "error.phone_invalid", "enter a phone number of 5 to 32 digits, spaces and + - ( )")
	}
	return nil
}

// contactEmail returns the email's fault, or nil when it is valid.
func contactEmail(email string) *fault.Error {
	_, err := account.NormalEmail(email)
	return fault.As(err)
}

// validPhone reports whether p is 5 to 32 characters of digits, spaces, +, -,
// ( and ), at least one of them a digit.
func validPhone(p string) bool {
	if n := utf8.RuneCountInString(p); n < 5 || n > 32 {
		return false
	}
	digits := 0
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-()", r):
		default:
			return false
		}
	}
	return digits > 0
}

// Region is a cloud service region a seller serves.
type Region struct {
	Code   string // "cn-north-4"
	NameEN string // "Beijing"
	NameZH string // "北京"
	Zone   string // the IANA zone of the region's customers: "Asia/Shanghai"
}

// Agreement is a version of the Seller Agreement; the one in force is the
// latest published.
type Agreement struct {
	Version     string
	Title       string
	PublishedAt time.Time
}

// Signature records who signed which version of the Seller Agreement, and when.
type Signature struct {
	Version  string
	SignedBy string // the user who signed for the company
	SignedAt time.Time
}

// Application is what a company states to become a seller, as the checks see it.
type Application struct {
	LegalName          string
	RegistrationNumber string
	Country            string // ISO 3166-1 alpha-2
	Established        Date
	Regions            []Region // the regions served, resolved from their codes
	Offerings          []Offering
	PreSales           []Contact
	PostSales          []Contact
	Support            Schedule
	Signature          *Signature // nil if the company never signed
	TaxBankEntered     bool       // a tax ID and bank account are on file
	TaxBankCertified   bool       // an operator certified the tax ID and bank account on file
}
