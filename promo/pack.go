package promo

import (
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
)

// ClaimFacts is what deciding a pack claim needs besides the campaign.
type ClaimFacts struct {
	Segment  account.Segment // the customer's segment now
	Admitted bool            // admitted to the campaign by its account manager now
	Mine     int             // packs of the campaign the customer has claimed
	All      int             // packs of the campaign claimed by anyone
	At       time.Time
}

// CheckClaim decides whether a customer may claim the campaign's pack: while
// the campaign is active, in its audience, up to ClaimsPerCustomer packs per
// customer and PackLimit in all. Mine and All only give a clear answer early:
// the database enforces both limits (a conditional update of the claimed
// count, a unique key on campaign, customer and claim number) in the
// transaction that issues the coupons.
//
// Errors: NotFound (error.no_pack); InvalidState (error.claim_closed);
// Forbidden (error.not_in_audience); Conflict (error.pack_claimed,
// error.packs_gone).
func CheckClaim(c Campaign, f ClaimFacts) error {
	switch {
	case len(c.Pack) == 0:
		return &fault.Error{Code: fault.NotFound, MsgID: "error.no_pack", Message: "this campaign has no coupon pack"}
	case c.State != Active || !c.InWindow(f.At):
		return &fault.Error{Code: fault.InvalidState, MsgID: "error.claim_closed", Message: "the pack is claimed while the campaign runs"}
	case !c.InAudience(f.Segment, f.Admitted):
		return &fault.Error{Code: fault.Forbidden, MsgID: "error.not_in_audience",
			Message: "this campaign is not open to your customer segment: ask your account manager to admit you"}
	case f.Mine >= c.Claims():
		return &fault.Error{Code: fault.Conflict, MsgID: "error.pack_claimed", Message: "you have claimed this campaign's pack"}
	case f.All >= c.PackLimit:
		return &fault.Error{Code: fault.Conflict, MsgID: "error.packs_gone", Message: "all of this campaign's packs have been claimed"}
	}
	return nil
}

// IssuePack is the coupons of one pack claimed at `at`, one per template whose
// dates have not passed, each with an id from newID.
func IssuePack(c Campaign, ownerOrgID string, at time.Time, newID func() string) []Coupon {
	var out []Coupon
	for _, t := range c.Pack {
		cp := Issue(c, t, "", ownerOrgID, at)
		if !at.Before(cp.ValidUntil) {
			continue
		}
		cp.ID = newID()
		out = append(out, cp)
	}
	return out
}
