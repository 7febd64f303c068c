// Package account holds who uses cloudmart: users, organisations, the roles a user
// has in an organisation, and the rules about them (valid emails, strong passwords,
// slowing down guessing, who may do what). It does no I/O.
package account

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
)

// User is a person who signs in.
type User struct {
	ID          string
	Email       string // lower case, unique
	DisplayName string
	CreatedAt   time.Time
}

// OrgKind says what an organisation is to the marketplace.
type OrgKind string

const (
	KindCustomer OrgKind = "customer" // buys
	KindSeller   OrgKind = "seller"   // an ISV that sells
	KindOperator OrgKind = "operator" // the marketplace's own staff
	KindPartner  OrgKind = "partner"  // a channel partner: reseller or distributor
)

// Segment is how a customer came to the cloud; campaigns admit segments.
type Segment string

const (
	SegmentTelesales      Segment = "telesales"
	SegmentChannelPartner Segment = "channel_partner"
	SegmentDirect         Segment = "direct"
	SegmentOther          Segment = "other"
)

// Segments lists every segment, in the order forms show them.
var Segments = []Segment{SegmentTelesales, SegmentChannelPartner, SegmentDirect, SegmentOther}

// Valid reports whether s is a known segment.
func (s Segment) Valid() bool { return slices.Contains(Segments, s) }

// Org is an organisation. Segment, AccountManagerID and PartnerOrgID apply to
// customers only.
type Org struct {
	ID               string
	Kind             OrgKind
	Name             string
	Segment          Segment // customers only
	AccountManagerID string  // a user with the account_manager role; customers only
	PartnerOrgID     string  // the channel partner that serves the customer
	CreatedAt        time.Time
}

// Role is what a user may do in one organisation.
type Role string

const (
	RoleBuyer          Role = "buyer"
	RoleSellerAdmin    Role = "seller_admin"
	RoleSellerMember   Role = "seller_member"
	RoleOperator       Role = "operator"
	RoleAccountManager Role = "account_manager"
	RolePartner        Role = "partner"
)

// rolesOf says which roles each kind of organisation can give.
var rolesOf = map[OrgKind][]Role{
	KindCustomer: {RoleBuyer},
	KindSeller:   {RoleSellerAdmin, RoleSellerMember},
	KindOperator: {RoleOperator, RoleAccountManager},
	KindPartner:  {RolePartner},
}

// RoleFits reports whether an organisation of the kind can give the role.
func RoleFits(kind OrgKind, role Role) bool { return slices.Contains(rolesOf[kind], role) }

// Membership is one role of one user in one organisation.
type Membership struct {
	OrgID   string
	OrgName string
	OrgKind OrgKind
	Role    Role
}

// NormalEmail trims and lower-cases an email address and checks its shape.
//
// Errors: Invalid on field "email".
func NormalEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") || len(s) > 254 {
		return "", fault.Field("email", "error.email_invalid", "enter an email address like name@example.com")
	}
	return s, nil
}

// CleanName trims a person's or organisation's name and checks its length.
//
// Errors: Invalid on the field.
func CleanName(field, s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if n := utf8.RuneCountInString(s); n < 1 || n > 120 {
		return "", fault.Field(field, "error.name_length", "enter a name of 1 to 120 characters")
	}
	return s, nil
}

// CleanPerson checks a new user's email and display name together.
//
// Errors: Invalid on "email" or "display_name".
func CleanPerson(email, displayName string) (string, string, error) {
	email, err := NormalEmail(email)
	if err != nil {
		return "", "", err
	}
	name, err := CleanName("display_name", displayName)
	return email, name, err
}
