package market

import (
	"context"
	"fmt"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/benefit"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
)

// SellerBenefits evaluates every benefit of the seed's table for a seller:
// the seller's own people and operators see the same answer.
//
// Errors: Forbidden for anyone else; NotFound for an organisation that is not
// a seller.
func (s *Service) SellerBenefits(ctx context.Context, actor account.Actor, sellerOrgID string) ([]benefit.Status, error) {
	_, list, err := s.SellerBenefitsWithOrg(ctx, actor, sellerOrgID)
	return list, err
}

// SellerBenefitsWithOrg is SellerBenefits with the seller organisation, for a
// page that names it.
//
// Errors: as SellerBenefits.
func (s *Service) SellerBenefitsWithOrg(ctx context.Context, actor account.Actor, sellerOrgID string) (account.Org, []benefit.Status, error) {
	if err := allow(actor, account.ReadBenefits, account.Resource{OrgID: sellerOrgID}); err != nil {
		return account.Org{}, nil, err
	}
	org, err := s.store.Org(ctx, sellerOrgID)
	if err != nil || org.Kind != account.KindSeller {
		return account.Org{}, nil, &fault.Error{Code: fault.NotFound, MsgID: "error.no_seller", Message: "no such seller"}
	}
	f, err := s.benefitFacts(ctx, sellerOrgID)
	if err != nil {
		return org, nil, err
	}
	return org, benefit.Evaluate(f), nil
}

// MyBenefits is SellerBenefits for the seller company the actor works for,
// whose id it returns too.
//
// Errors: Unauthorized; Forbidden when the actor works for no seller.
func (s *Service) MyBenefits(ctx context.Context, actor account.Actor) (string, []benefit.Status, error) {
	orgID := sellerOrg(actor)
	switch {
	case !actor.Signed():
		return "", nil, &fault.Error{Code: fault.Unauthorized, MsgID: "error.sign_in", Message: "sign in first"}
	case orgID == "":
		return "", nil, &fault.Error{Code: fault.Forbidden, MsgID: "error.not_seller", Message: "only a seller company has benefits"}
	}
	list, err := s.SellerBenefits(ctx, actor, orgID)
	return orgID, list, err
}

// bannerFacts gathers what the homepage banner's rule judges: the seller's
// standing and its transactions in USD.
func (s *Service) bannerFacts(ctx context.Context, sellerOrgID string) (benefit.Facts, error) {
	f := benefit.Facts{Now: s.now(), TestCreditHeld: money.New(0, money.USD)}
	var err error
	if f.State, err = s.store.SellerState(ctx, sellerOrgID); err != nil {
		return f, err
	}
	if f.ApprovedAt, err = s.store.SellerApprovedAt(ctx, sellerOrgID); err != nil {
		return f, err
	}
	f.Transactions, f.Unconverted, err = s.transactions(ctx, sellerOrgID)
	return f, err
}

// benefitFacts gathers every fact the benefit rules judge of one seller.
func (s *Service) benefitFacts(ctx context.Context, sellerOrgID string) (benefit.Facts, error) {
	f, err := s.bannerFacts(ctx, sellerOrgID)
	if err != nil {
		return f, err
	}
	if f.TestCreditHeld, err = s.store.TestCreditHeld(ctx, sellerOrgID); err != nil {
		return f, err
	}
	if f.VerifiedMigrations, err = s.store.VerifiedMigrations(ctx, sellerOrgID); err != nil {
		return f, err
	}
	f.ResaleEligible, f.ResaleAuthorised, err = s.resaleCounts(ctx, sellerOrgID, f.Now)
	return f, err
}

// transactions is what buyers paid for the seller's products net of refunds,
// all time, in USD: each paid order at the rate of its payment date (test
// orders never count), and what had no rate, per currency.
func (s *Service) transactions(ctx context.Context, sellerOrgID string) (money.Amount, []money.Amount, error) {
	rates, err := s.store.Rates(ctx)
	if err != nil {
		return money.Amount{}, nil, err
	}
	sales, err := s.store.SellerOrderSales(ctx, sellerOrgID)
	if err != nil {
		return money.Amount{}, nil, err
	}
	return rates.Transactions(sales)
}

// Rates lists the exchange rates, by currency and day; anyone signed in may
// look.
//
// Errors: Unauthorized.
func (s *Service) Rates(ctx context.Context, actor account.Actor) (benefit.Rates, error) {
	if err := allow(actor, account.ReadRates, account.Resource{}); err != nil {
		return nil, err
	}
	return s.store.Rates(ctx)
}

// SetRate sets what one unit of a currency is worth in USD from a day on
// (operators); a rate set again for the same day replaces it.
//
// Errors: Forbidden; Invalid on "currency", "effective_from" or "rate".
func (s *Service) SetRate(ctx context.Context, actor account.Actor, r benefit.Rate) (benefit.Rate, error) {
	if err := allow(actor, account.ManageRates, account.Resource{}); err != nil {
		return r, err
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	now := s.now()
	r.SetBy, r.SetAt = actor.UserID, now
	return r, s.store.Write(ctx, func(tx *store.Tx) error {
		var before any
		if was, err := tx.Rate(ctx, r.Currency, r.EffectiveFrom); err == nil {
			if was.Scaled == r.Scaled {
				r = was
				return nil // nothing changes, nothing to record
			}
			before = was
		} else if !fault.Is(err, fault.NotFound) {
			return err
		}
		if err := tx.SetRate(ctx, r); err != nil {
			return err
		}
		id := string(r.Currency) + "@" + r.EffectiveFrom.String()
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "rate.set", objectType: "exchange_rate", objectID: id,
			summary: fmt.Sprintf("1 %s = %s USD from %s", r.Currency, r.Decimal(), r.EffectiveFrom), before: before, after: r})
	})
}

// sellingOr returns refusal unless the organisation is an approved,
// unsuspended seller: the benefits a seller uses (test credit, support
// tickets) are for those only, as benefit.Evaluate says.
func sellingOr(ctx context.Context, q interface {
	SellerState(context.Context, string) (seller.State, error)
}, orgID string, refusal *fault.Error) error {
	state, err := q.SellerState(ctx, orgID)
	if err != nil {
		return err
	}
	if !state.Selling() {
		e := *refusal // a copy: callers may wrap or change the error they get
		return &e
	}
	return nil
}
