// Package catalog holds what sellers list on the marketplace: products of four
// types, their pricing plans, the rules a listing must pass before review, the
// review workflow of its revisions, and the differences an operator reviews.
// Everything here is a plain function of its arguments: no I/O, no clock.
package catalog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/seller"
)

// Type is what kind of thing a product is; it decides how it is delivered,
// which details it needs and how it may be billed.
type Type string

const (
	TypeImage   Type = "image"                // an OS image with the software; delivered as an ECS instance
	TypeSaaS    Type = "saas"                 // run by the seller; opened through its production endpoint
	TypeLicense Type = "license"              // a signed licence key
	TypeService Type = "professional_service" // work done by the seller; no software
)

// Types lists every type, in the order forms show them.
var Types = []Type{TypeImage, TypeSaaS, TypeLicense, TypeService}

// Valid reports whether t is a known type.
func (t Type) Valid() bool { return slices.Contains(Types, t) }

var typeNames = map[Type]Text{
	TypeImage:   {"image", "镜像"},
	TypeSaaS:    {"SaaS", "SaaS"},
	TypeLicense: {"licence", "许可证"},
	TypeService: {"professional service", "专业服务"},
}

// Name names the type in each language.
func (t Type) Name() Text { return typeNames[t] }

// Offering is what a seller must have declared in its application to list
// products of this type.
func (t Type) Offering() seller.Offering { return seller.Offering(t) }

// specFields names, by type, the field that holds the type's details.
var specFields = map[Type]string{
	TypeImage: "image", TypeSaaS: "saas", TypeLicense: "license", TypeService: "service",
}

// Support is how buyers reach the seller about the product.
type Support struct {
	Email string `json:"email"`
	Phone string `json:"phone,omitempty"`
	URL   string `json:"url,omitempty"` // a help centre or ticket page
}

// MaxScreenshots is the most screenshots a listing shows.
const MaxScreenshots = 10

// Product is a listing as the seller writes it: the fields every type has,
// exactly one of the type-specific details (the one of its Type), and the
// plans it is sold under.
type Product struct {
	ID          string   `json:"id"`
	SellerOrgID string   `json:"seller_org_id"`
	Type        Type     `json:"type"`
	Name        Text     `json:"name"`
	Summary     Text     `json:"summary"` // one line, for cards and search results
	Description Text     `json:"description"`
	Category    string   `json:"category"` // a Category slug
	LogoKey     string   `json:"logo_key,omitempty"`
	Screenshots []string `json:"screenshots,omitempty"` // blob keys
	DocsURL     string   `json:"docs_url,omitempty"`
	Regions     []string `json:"regions"` // where it can be bought
	Support     Support  `json:"support"`
	// RefundDays is the refund policy: how many days after payment a purchase
	// not yet used (a licence not activated) is refunded in full; nil means the
	// marketplace's default (5). Later, subscriptions refund their unused whole
	// periods pro rata (docs/buying.md).
	RefundDays *int `json:"refund_days,omitempty"`

	Image   *ImageSpec   `json:"image,omitempty"`
	SaaS    *SaaSSpec    `json:"saas,omitempty"`
	License *LicenseSpec `json:"license,omitempty"`
	Service *ServiceSpec `json:"service,omitempty"`

	Plans []Plan `json:"plans"`
}

// spec is the details of one type: its rules and the fields a review compares.
type spec interface {
	validate(v validator, p Product) error
	fields() []field
}

// specs returns the details the product carries, by type. It checks each
// pointer so that an absent one is never a non-nil interface.
func (p Product) specs() map[Type]spec {
	m := map[Type]spec{}
	if p.Image != nil {
		m[TypeImage] = p.Image
	}
	if p.SaaS != nil {
		m[TypeSaaS] = p.SaaS
	}
	if p.License != nil {
		m[TypeLicense] = p.License
	}
	if p.Service != nil {
		m[TypeService] = p.Service
	}
	return m
}

// TrialsAllowed reports whether the product's plans may offer free trial days:
// an image always may (the buyer pays for the instance, not the software, during
// the trial); a SaaS product may when it declares a free trial; a licence key or
// a service, once delivered, cannot be taken back, so neither has trials.
func (p Product) TrialsAllowed() bool {
	switch p.Type {
	case TypeImage:
		return true
	case TypeSaaS:
		return p.SaaS != nil && p.SaaS.FreeTrial
	}
	return false
}

// Validate checks everything a product needs before it goes to review,
// against the codes of the cloud's regions, and returns the first problem in
// the order of the editor: common fields, the type's details, the plans.
//
// Errors (all Invalid, with Field and MsgID):
//   - type (error.type_unknown)
//   - name.en, name.zh: 1–120 characters (error.name_length)
//   - summary.en, summary.zh: one line, ≤ 200 characters (error.summary_length)
//   - description.en, description.zh: 1–20,000 characters (error.description_length)
//   - category (error.category_unknown)
//   - logo_key, screenshots[i] (error.blob_key); screenshots: ≤ 10 (error.screenshots_many)
//   - docs_url, support.url (error.url_https)
//   - regions: at least one (error.regions_required); regions[i] (error.region_unknown,
//     error.region_duplicate)
//   - support.email (error.email_invalid), support.phone (error.phone_invalid)
//   - image, saas, license, service: the type's details missing (error.spec_required)
//     or another type's given (error.spec_mismatch); then the type's own rules,
//     listed on ImageSpec, SaaSSpec, LicenseSpec and ServiceSpec
//   - plans, plans[i].…: listed on Plan and UsagePrice
//   - saas.free_trial: a free trial without trial days on an active plan
//     (error.free_trial_plan)
//   - refund_days: 0–30 (error.refund_days)
func (p Product) Validate(knownRegions []string) error {
	return p.validate(validator{review: true, regions: knownRegions})
}

// ValidateDraft checks a product as the seller saves it: anything may be
// missing, but what is given must be well formed (a known type, names not too
// long, known regions, prices not negative, plan modes its type allows …).
// Cross-field rules that need the whole listing (every sold region has an
// image, a free trial has trial days) wait for Validate.
//
// Errors: the same as Validate.
func (p Product) ValidateDraft(knownRegions []string) error {
	return p.validate(validator{regions: knownRegions})
}

func (p Product) validate(v validator) error {
	// The type decides the editor, so even a draft has one.
	if !p.Type.Valid() {
		return fault.Field("type", "error.type_unknown", "choose a product type: image, saas, license or professional_service")
	}
	return firstError(
		v.text("name", p.Name, 1, MaxName, "error.name_length", "enter a name of 1 to 120 characters"),
		v.summary(p.Summary),
		v.text("description", p.Description, 1, MaxDescription, "error.description_length", "write a description of 1 to 20,000 characters"),
		v.category(p.Category),
		blobKey("logo_key", p.LogoKey, false),
		screenshots(p.Screenshots),
		webURL("docs_url", p.DocsURL),
		v.saleRegions(p.Regions),
		p.Support.validate(v),
		p.validateSpec(v),
		p.validatePlans(v),
		p.validateFreeTrial(v),
		refundPolicy(p.RefundDays),
	)
}

// MaxRefundDays is the longest full-refund window a seller may offer.
const MaxRefundDays = 30

func refundPolicy(days *int) error {
	if days != nil && (*days < 0 || *days > MaxRefundDays) {
		return fault.Field("refund_days", "error.refund_days", "offer a full refund for 0 to 30 days")
	}
	return nil
}

// summary checks the one-line summary, which may be left empty.
func (v validator) summary(t Text) error {
	const msg = "keep the summary to one line of at most 200 characters"
	for _, f := range []struct{ field, s string }{{"summary.en", t.EN}, {"summary.zh", t.ZH}} {
		if strings.ContainsAny(f.s, "\r\n") {
			return fault.Field(f.field, "error.summary_length", msg)
		}
	}
	return v.text("summary", t, 0, MaxSummary, "error.summary_length", msg)
}

func (v validator) category(slug string) error {
	if _, ok := CategoryBySlug(slug); ok || (slug == "" && !v.review) {
		return nil
	}
	return fault.Field("category", "error.category_unknown", "choose a category from the list")
}

func screenshots(keys []string) error {
	if len(keys) > MaxScreenshots {
		return fault.Field("screenshots", "error.screenshots_many", "add at most 10 screenshots")
	}
	for i, k := range keys {
		if err := blobKey(fmt.Sprintf("screenshots[%d]", i), k, true); err != nil {
			return err
		}
	}
	return nil
}

// saleRegions checks where the product is sold: at least one region for review.
func (v validator) saleRegions(codes []string) error {
	if len(codes) < v.atLeast(1) {
		return fault.Field("regions", "error.regions_required", "choose at least one region where the product can be bought")
	}
	return v.regionList("regions", codes)
}

// validate checks the support contact: an email for review, a phone and a
// page if given.
func (s Support) validate(v validator) error {
	if v.review || s.Email != "" || s.Phone != "" {
		// The seller's contact rules, so buyers and sellers are held to one
		// standard; a support desk has no person's name to check.
		c := seller.Contact{Name: "support", Email: s.Email, Phone: s.Phone}
		if err := c.Validate("support"); err != nil {
			return err
		}
	}
	return webURL("support.url", s.URL)
}

// validateSpec checks that the product carries the details of its own type and
// no other's, then the details' own rules.
func (p Product) validateSpec(v validator) error {
	specs := p.specs()
	for _, t := range Types {
		if _, ok := specs[t]; ok && t != p.Type {
			return fault.Field(specFields[t], "error.spec_mismatch",
				fmt.Sprintf("this is a product of type %s: remove the %s details", p.Type, t))
		}
	}
	s, ok := specs[p.Type]
	switch {
	case ok:
		return s.validate(v, p)
	case v.review:
		return fault.Field(specFields[p.Type], "error.spec_required",
			fmt.Sprintf("fill in the %s details", p.Type.Name().EN))
	}
	return nil
}
