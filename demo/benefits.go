package demo

import (
	"context"
	"fmt"

	"github.com/cloudmart/cloudmart/benefit"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
)

// rates are the operators' CNY→USD exchange rates over the demo's history,
// from the seed's 2020 campaign to the months of orders before now. They make
// the sellers' CNY sales count toward the homepage banner: Lakeside Data
// (seller1) is about a fifth of the way to USD 100,000.
var rates = []struct{ from, rate string }{
	{"2020-01-01", "0.1420"},
	{"2025-01-01", "0.1370"},
	{"2026-01-01", "0.1405"},
}

// loadBenefits sets the demo's exchange rates as ops@demo.test. Setting a
// rate again with the same value changes nothing, so loading twice is the
// same as once.
func loadBenefits(ctx context.Context, svc *market.Service) error {
	ops, err := svc.ActorByEmail(ctx, "ops@demo.test")
	if err != nil {
		return err
	}
	for _, r := range rates {
		from, err := seller.ParseDate(r.from)
		if err != nil {
			return err
		}
		scaled, err := benefit.ParseRate(r.rate)
		if err != nil {
			return err
		}
		if _, err := svc.SetRate(ctx, ops, benefit.Rate{Currency: money.CNY, EffectiveFrom: from, Scaled: scaled}); err != nil {
			return fmt.Errorf("demo: rate from %s: %w", r.from, err)
		}
	}
	return nil
}
