// Package resale holds the rules of resale through channel partners: the
// requirements an operator sets for a product to be resold, what a product
// lacks of them, and how a seller's authorisation with a partner discount is
// decided. Pure: the market package loads the facts and stores the results.
package resale

import (
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/fault"
)

// Basis points: 10,000 make the whole price.
const WholeBPS = 10_000

// MaxDiscountBPS is the highest partner discount a seller may give: 90%. A
// partner never takes the whole price, so the seller and the marketplace
// always keep a share.
const MaxDiscountBPS = 9_000

// Requirements are what the operators ask of a product before it may be
// authorised for resale, and the marketplace's standard partner discount.
type Requirements struct {
	// MinApprovedDays: the seller's application was approved at least this
	// many whole days (of 24 hours) ago.
	MinApprovedDays int `json:"min_approved_days"`
	// RefundPolicy: the product's published revision sets a refund policy
	// (catalog.Product.RefundDays), so the partner can tell its customer.
	RefundPolicy bool `json:"refund_policy"`
	// MaxFailedDeliveries (K): the seller had fewer than K failed deliveries
	// of its products in the last FailedWindow; 0 sets no limit.
	MaxFailedDeliveries int `json:"max_failed_deliveries"`
	// StandardDiscountBPS is the partner discount a seller may give without
	// an operator's approval (1500 = 15%).
	StandardDiscountBPS int       `json:"standard_discount_bps"`
	UpdatedAt           time.Time `json:"updated_at"`
	UpdatedBy           string    `json:"updated_by,omitempty"`
}

// FailedWindow is how far back failed deliveries count.
const FailedWindow = 30 * 24 * time.Hour

// Defaults are the requirements until an operator sets them.
var Defaults = Requirements{MinApprovedDays: 30, RefundPolicy: true, MaxFailedDeliveries: 3, StandardDiscountBPS: 1500}

// Validate checks requirements an operator enters.
//
// Errors: Invalid on min_approved_days (error.resale_days),
// max_failed_deliveries (error.resale_failed), standard_discount_bps
// (error.resale_discount).
func (r Requirements) Validate() error {
	switch {
	case r.MinApprovedDays < 0 || r.MinApprovedDays > 3650:
		return fault.Field("min_approved_days", "error.resale_days", "the days approved are 0–3650")
	case r.MaxFailedDeliveries < 0 || r.MaxFailedDeliveries > 10_000:
		return fault.Field("max_failed_deliveries", "error.resale_failed", "the failed deliveries allowed are 0 (no limit) to 10,000")
	case r.StandardDiscountBPS < 0 || r.StandardDiscountBPS > MaxDiscountBPS:
		return fault.Field("standard_discount_bps", "error.resale_discount", "a partner discount is 0–9000 basis points (0–90%)")
	}
	return nil
}

// ProductFacts are what the requirements are judged on, for one product.
type ProductFacts struct {
	SellerApprovedAt time.Time // when the seller's application was approved; zero when it is not approved (or suspended)
	Published        bool      // the product is on sale: published, not delisted
	RefundPolicy     bool      // its published revision sets a refund policy
	FailedDeliveries int       // the seller's failed deliveries in the last FailedWindow
}

// The requirement codes, in the order Check returns them. Clients depend on
// these strings: never rename one.
const (
	ReqSellerApproved   = "seller_approved"
	ReqApprovedDays     = "approved_days"
	ReqPublished        = "published"
	ReqRefundPolicy     = "refund_policy"
	ReqFailedDeliveries = "failed_deliveries"
)

// Missing is one requirement a product does not meet: its code, and how far
// it is from it (Need and Have, in the requirement's unit: days, deliveries;
// zero for the yes/no ones).
type Missing struct {
	ID   string `json:"id"`
	Need int    `json:"need,omitempty"`
	Have int    `json:"have,omitempty"`
}

// Message says in plain English what is missing.
func (m Missing) Message() string {
	switch m.ID {
	case ReqSellerApproved:
		return "the seller is not approved (or is suspended)"
	case ReqApprovedDays:
		return fmt.Sprintf("the seller must be approved for %d days; it is %d so far (%d more)", m.Need, m.Have, m.Need-m.Have)
	case ReqPublished:
		return "the product is not on sale: publish it first"
	case ReqRefundPolicy:
		return "set a refund policy on the product"
	case ReqFailedDeliveries:
		return fmt.Sprintf("fewer than %d failed deliveries in 30 days are allowed; the seller had %d", m.Need, m.Have)
	}
	return m.ID
}

// Check lists what the product lacks of the requirements at now; none when
// it may be authorised for resale. Days approved are whole days of 24 hours
// since approval, so a seller approved at 10:00 has one day at 10:00 the next
// day. A seller not approved misses that alone of the two seller rules.
func Check(req Requirements, f ProductFacts, now time.Time) []Missing {
	var out []Missing
	if f.SellerApprovedAt.IsZero() {
		out = append(out, Missing{ID: ReqSellerApproved})
	} else if days := ApprovedDays(f.SellerApprovedAt, now); days < req.MinApprovedDays {
		out = append(out, Missing{ID: ReqApprovedDays, Need: req.MinApprovedDays, Have: days})
	}
	if !f.Published {
		out = append(out, Missing{ID: ReqPublished})
	}
	if req.RefundPolicy && !f.RefundPolicy {
		out = append(out, Missing{ID: ReqRefundPolicy})
	}
	if req.MaxFailedDeliveries > 0 && f.FailedDeliveries >= req.MaxFailedDeliveries {
		out = append(out, Missing{ID: ReqFailedDeliveries, Need: req.MaxFailedDeliveries, Have: f.FailedDeliveries})
	}
	return out
}

// ApprovedDays is how many whole days of 24 hours lie between approval and
// now (never negative).
func ApprovedDays(approvedAt, now time.Time) int {
	if now.Before(approvedAt) {
		return 0
	}
	return int(now.Sub(approvedAt) / (24 * time.Hour))
}

// NotMet is the error for a product that misses requirements: each one a
// Detail.
func NotMet(missing []Missing) error {
	e := &fault.Error{Code: fault.RequirementsNotMet, MsgID: "error.resale_requirements", Message: "the product does not meet the resale requirements"}
	for _, m := range missing {
		e.Details = append(e.Details, fault.Detail{ID: m.ID, Message: m.Message()})
	}
	return e
}

// State is where an authorisation is: pending (an operator decides) →
// active | declined; active → revoked (by the seller); pending → revoked
// (the seller withdraws it).
type State string

const (
	Pending  State = "pending"
	Active   State = "active"
	Declined State = "declined"
	Revoked  State = "revoked"
)

// Live reports whether the authorisation stands or may still stand: no other
// one for the same product and partner may be made meanwhile.
func (s State) Live() bool { return s == Pending || s == Active }

// Decide is the state a seller's authorisation with the discount starts in:
// at or below the standard discount, active at once; above it, pending an
// operator's approval.
//
// Errors: Invalid on discount_bps (error.resale_discount) outside 0–MaxDiscountBPS.
func Decide(req Requirements, discountBPS int) (State, error) {
	if discountBPS < 0 || discountBPS > MaxDiscountBPS {
		return "", fault.Field("discount_bps", "error.resale_discount", "a partner discount is 0–9000 basis points (0–90%)")
	}
	if discountBPS <= req.StandardDiscountBPS {
		return Active, nil
	}
	return Pending, nil
}

// Step is what someone does to an authorisation.
type Step string

const (
	Approve Step = "approve" // operators, pending only
	Decline Step = "decline" // operators, pending only
	Revoke  Step = "revoke"  // the seller, pending or active
)

// Next is the state an authorisation moves to by the step.
//
// Errors: InvalidState (error.resale_state) when the step does not apply.
func Next(from State, step Step) (State, error) {
	switch {
	case step == Approve && from == Pending:
		return Active, nil
	case step == Decline && from == Pending:
		return Declined, nil
	case step == Revoke && from.Live():
		return Revoked, nil
	}
	return "", &fault.Error{Code: fault.InvalidState, MsgID: "error.resale_state", Message: fmt.Sprintf("an authorisation that is %s cannot be %sd", from, step)}
}

// Authorisation is a seller's permission for a partner to resell one of its
// products, with the partner discount (the partner's margin on each sale).
type Authorisation struct {
	ID           string    `json:"id"`
	ProductID    string    `json:"product_id"`
	SellerOrgID  string    `json:"seller_org_id"`
	PartnerOrgID string    `json:"partner_org_id"`
	DiscountBPS  int       `json:"discount_bps"`
	State        State     `json:"state"`
	Note         string    `json:"note,omitempty"`   // the seller's, when asking
	Reason       string    `json:"reason,omitempty"` // the operator's, when deciding
	CreatedAt    time.Time `json:"created_at"`
	CreatedBy    string    `json:"created_by"`
	DecidedAt    time.Time `json:"decided_at,omitzero"`
	DecidedBy    string    `json:"decided_by,omitempty"`
	UpdatedAt    time.Time `json:"updated_at"`
}
