package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/promo"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
)

// benchCampaign is `bench checkout --campaign`: an active campaign whose pack
// every bench buyer has claimed; each order is placed through the campaign's
// page with one of the buyer's coupons.
type benchCampaign struct {
	id      string
	coupons [][]string     // by buyer: its coupon ids
	next    []atomic.Int64 // by buyer: its next coupon
}

// Its pack: ten ¥1-off coupons (one per order: a buyer places at most
// couponsPerBuyer orders in a run before its coupons are used up).
const (
	benchPackSize   = 10
	benchPackClaims = 5
	couponsPerBuyer = benchPackSize * benchPackClaims
)

// fields are the order request's coupon and channel for buyer b, as JSON
// members to add to its body.
func (c *benchCampaign) fields(b int) []byte {
	cps := c.coupons[b]
	n := int(c.next[b].Add(1)-1) % len(cps) // past the last, a used one: the order is refused, and counted as an error
	return fmt.Appendf(nil, `,"coupon_id":%q,"channel":%q`, cps[n], promo.Channel(c.id))
}

// prepareCampaign makes an active campaign open to the bench buyers
// (segment direct) with a pack of benchPackSize coupons, claimed
// benchPackClaims times by each buyer (by the market's use cases, before the
// clock starts).
func prepareCampaign(ctx context.Context, env *environment, db *store.Store, w *checkoutWorld) error {
	start := time.Now()
	svc := market.New(db, market.Options{})
	if _, err := svc.CreateOperator(ctx, "bench-ops@bench.invalid", "bench campaign operator "+time.Now().Format(time.RFC3339Nano), "Bench operator"); err != nil {
		return err
	}
	ops, err := svc.ActorByEmail(ctx, "bench-ops@bench.invalid")
	if err != nil {
		return err
	}
	today := seller.DateOf(time.Now().In(mustShanghai()))
	c := promo.Campaign{Name: catalog.Text{EN: "Bench campaign", ZH: "压测活动"}, Currency: money.CNY, Zone: "Asia/Shanghai",
		Start: today.AddDays(-1), End: today.AddDays(30), RedeemBy: today.AddDays(30), Segments: []account.Segment{account.SegmentDirect},
		Tiers: []promo.Tier{{Threshold: money.New(100_000_00, money.CNY),
			Gifts: []promo.Gift{{ID: "mug", Name: catalog.Text{EN: "Mug", ZH: "马克杯"}, Value: money.New(80_00, money.CNY), Stock: 100}}}},
		PackLimit: benchPackClaims * len(w.buyers), ClaimsPerCustomer: benchPackClaims, Budget: money.New(1_000_000_000_00, money.CNY)}
	for i := range benchPackSize {
		c.Pack = append(c.Pack, promo.Template{ID: fmt.Sprintf("off1-%d", i+1), Name: catalog.Text{EN: "¥1 off", ZH: "立减1元"}, Kind: promo.AmountOff,
			Off: money.New(100, money.CNY), MinSpend: money.New(0, money.CNY), ValidDays: 30})
	}
	sc, err := svc.CreateCampaign(ctx, ops, c)
	if err == nil {
		_, err = svc.MoveCampaign(ctx, ops, sc.ID, promo.Scheduled)
	}
	if err == nil {
		_, err = svc.RunCampaigns(ctx, time.Now())
	}
	if err != nil {
		return fmt.Errorf("bench checkout: the campaign: %w", err)
	}
	bc := &benchCampaign{id: sc.ID, coupons: make([][]string, len(w.buyers)), next: make([]atomic.Int64, len(w.buyers))}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		todo = make(chan int)
	)
	for range 16 {
		wg.Go(func() {
			for b := range todo {
				buyer := account.Actor{UserID: fmt.Sprintf("usr_benchbuyer%05d", b), Memberships: []account.Membership{{OrgID: w.buyers[b].orgID, Role: account.RoleBuyer}}}
				for range benchPackClaims {
					cps, err := svc.ClaimPack(ctx, buyer, sc.ID, w.buyers[b].orgID)
					if err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
						break
					}
					for _, cp := range cps {
						bc.coupons[b] = append(bc.coupons[b], cp.ID)
					}
				}
			}
		})
	}
	for b := range w.buyers {
		todo <- b
	}
	close(todo)
	wg.Wait()
	if len(errs) > 0 {
		return fmt.Errorf("bench checkout: %d pack claims failed, the first: %w", len(errs), errs[0])
	}
	w.campaign = bc
	fmt.Fprintf(env.stderr, "campaign %s active: %d buyers claimed %d packs of %d coupons, in %s\n",
		sc.ID, len(w.buyers), benchPackClaims*len(w.buyers), benchPackSize, time.Since(start).Round(time.Millisecond))
	return nil
}

func mustShanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}
