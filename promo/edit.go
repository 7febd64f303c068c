package promo

import (
	"reflect"

	"github.com/cloudmart/cloudmart/fault"
)

// CheckEdit decides whether an operator may change a campaign from old to
// edited. A draft or a scheduled campaign (nothing has counted yet) may change
// in any way Validate accepts. Once active, customers have bought and
// claimed on its rules, so only what can only help them may change: names,
// more stock of a gift, a larger budget, more packs, a later redemption
// deadline. Once ended, only stock and the deadline may grow.
//
// Errors: those of Validate; InvalidState (error.campaign_locked) for a change
// the state does not allow.
func CheckEdit(old, edited Campaign) error {
	if err := edited.Validate(); err != nil {
		return err
	}
	if old.State == Draft || old.State == Scheduled {
		return nil
	}
	locked := &fault.Error{Code: fault.InvalidState, MsgID: "error.campaign_locked",
		Message: "once a campaign has begun, only names, more stock, a larger budget, more packs and a later redemption deadline may change"}
	if edited.RedeemBy.Before(old.RedeemBy) || edited.PackLimit < old.PackLimit || edited.Budget.Minor < old.Budget.Minor ||
		len(edited.Tiers) != len(old.Tiers) {
		return locked
	}
	if old.State == Ended && (edited.PackLimit != old.PackLimit || edited.Budget != old.Budget || edited.Name != old.Name) {
		return locked
	}
	// Give the edited campaign the old values of what may change, and see
	// that nothing else did.
	same := edited
	same.Name, same.RedeemBy, same.PackLimit, same.Budget, same.State = old.Name, old.RedeemBy, old.PackLimit, old.Budget, old.State
	same.Tiers = make([]Tier, len(edited.Tiers))
	for i, t := range edited.Tiers {
		if len(t.Gifts) != len(old.Tiers[i].Gifts) {
			return locked
		}
		same.Tiers[i] = Tier{Threshold: t.Threshold, Gifts: make([]Gift, len(t.Gifts))}
		for j, g := range t.Gifts {
			prev := old.Tiers[i].Gifts[j]
			if g.Stock < prev.Stock || old.State == Ended && g.Name != prev.Name {
				return locked
			}
			g.Name, g.Stock = prev.Name, prev.Stock
			same.Tiers[i].Gifts[j] = g
		}
	}
	if !reflect.DeepEqual(same, old) {
		return locked
	}
	return nil
}
