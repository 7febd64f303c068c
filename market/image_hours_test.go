package market_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// hourlyImage is the firewall image also sold by the hour: the first 5
// hours of a month at ¥2.00, every further hour at ¥1.50.
func hourlyImage() catalog.Product {
	p := firewallImage()
	p.Plans = append(p.Plans, catalog.Plan{Code: "hourly", Name: catalog.Text{EN: "Hourly", ZH: "按小时"}, Mode: catalog.PayPerUse, Active: true,
		Usage: &catalog.UsagePrice{Unit: "hour", Tiers: []catalog.Tier{{UpTo: 5, UnitPrice: money.New(200, money.CNY)}, {UnitPrice: money.New(150, money.CNY)}}}})
	return p
}

type metering struct {
	imaging
	o  order.Order
	in market.InstanceView
}

// runHourly buys one instance of the hourly plan with the buyer's balance,
// placed so that it runs from `running` on.
func runHourly(t *testing.T, st *store.Store, balance int64, running time.Time) metering {
	t.Helper()
	w, _, buyer := buying(t, st, balance)
	m := imaging{w: w, buyer: buyer, product: w.Publish(t, "seller2@demo.test", hourlyImage())}
	w.Clock.Set(running.Add(-ecs.DefaultSimBoot))
	o, _, err := w.Svc.PlaceOrder(context.Background(), buyer, market.OrderRequest{OrgID: orgOf(buyer),
		Lines: []order.LineRequest{{ProductID: m.product, Plan: "hourly", Region: "cn-north-4"}}})
	if err != nil {
		t.Fatal(err)
	}
	ins := m.boot(t, o)
	wantStates(t, ins, 1, store.InstanceRunning)
	return metering{imaging: m, o: o, in: ins[0]}
}

// act delivers a freeze, renew or release of the line at the clock's time,
// as the end of a term, a renewal or a refund would ask for it.
func (m metering) act(t *testing.T, a delivery.Action, at time.Time) {
	t.Helper()
	ctx := context.Background()
	m.w.Clock.Set(at)
	l := m.o.Lines[0]
	if err := m.w.Store.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.AddDelivery(ctx, delivery.New(ids.New("dlv"), m.o.ID, 1, a, "test:"+string(a)+at.String(), l.Type, m.o.BuyerOrgID, l.SellerOrgID, at))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := deliverAll(t, m.w, m.w.Svc, m.o.ID); err != nil {
		t.Fatal(err)
	}
}

// meter runs the hourly job at `at` and checks what the buyer was charged
// in all since the start.
func (m metering) meter(t *testing.T, at time.Time, before money.Amount, wantCharged int64) int {
	t.Helper()
	m.w.Clock.Set(at)
	n, err := m.w.Svc.MeterImageHours(context.Background(), at)
	if err != nil {
		t.Fatal(err)
	}
	if got := balance(t, m.w, m.buyer); before.Minor-got.Minor != wantCharged {
		t.Fatalf("at %s: charged %d in all, want %d", at.Format("15:04"), before.Minor-got.Minor, wantCharged)
	}
	return n
}

// An hourly image runs 5 h 10 min, is stopped, runs 1 h 45 min more and is
// deleted: 6 h 55 min of running is billed as 7 hours, 5 at ¥2.00 and 2 at
// ¥1.50 = ¥13.00, whenever the job ran, however often.
func TestImageHoursBilled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		at := func(h, m int) time.Time { return time.Date(2026, 11, 25, h, m, 0, 0, time.UTC) }
		m := runHourly(t, st, 1_000_000, at(9, 40))
		before := balance(t, m.w, m.buyer)

		// 09:40 to 10:00: 20 min, billed as 1 hour at ¥2.00.
		if n := m.meter(t, at(10, 5), before, 200); n != 1 {
			t.Fatalf("charged %d instance-months", n)
		}
		if n := m.meter(t, at(10, 5), before, 200); n != 0 { // run twice: nothing changes
			t.Fatalf("charged %d instance-months again", n)
		}
		// Stopped at 14:50 (5 h 10 min of running); the job did not run from
		// 10:05 to 16:30 and catches up: 6 hours, 5 × ¥2.00 + 1 × ¥1.50.
		m.act(t, delivery.Freeze, at(14, 50))
		wantStates(t, m.instances(t, m.o), 1, store.InstanceStopped)
		m.meter(t, at(16, 30), before, 5*200+150)
		m.meter(t, at(17, 10), before, 5*200+150) // stopped: nothing more

		// Started again at 17:30, deleted at 19:15: 1 h 45 min more.
		m.act(t, delivery.Renew, at(17, 30))
		wantStates(t, m.instances(t, m.o), 1, store.InstanceRunning)
		m.meter(t, at(18, 10), before, 5*200+150) // 5 h 40 min: still 6 hours
		m.act(t, delivery.Release, at(19, 15))
		wantStates(t, m.instances(t, m.o), 1, store.InstanceDeleted)
		m.meter(t, at(20, 0), before, 5*200+2*150) // 6 h 55 min: 7 hours
		m.meter(t, at(22, 0), before, 5*200+2*150)
		m.meter(t, at(22, 0), before, 5*200+2*150)

		v, err := m.w.Svc.ImageInstanceHours(ctx, m.buyer, m.in.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if !v.Metered || v.Period != "2026-11" || v.Unit != "hour" || v.Seconds != 6*3600+55*60 || v.Unrated != 0 || v.Hours != 7 ||
			v.Charged != money.New(1300, money.CNY) || len(v.Days) != 1 || v.Days[0].Seconds != v.Seconds || v.Days[0].Charged != v.Charged ||
			!v.Days[0].Day.Equal(at(0, 0)) {
			t.Fatalf("the buyer's view %+v", v)
		}
		hours, _ := st.MonthHours(ctx, store.InstanceMonth{InstanceID: m.in.ID, Period: "2026-11"})
		wantSecs := []int64{1200, 3600, 3600, 3600, 3600, 3000, 1800, 3600, 900} // hours 9–14, 17–19
		if len(hours) != len(wantSecs) {
			t.Fatalf("%d hours recorded: %+v", len(hours), hours)
		}
		for i, h := range hours {
			if h.Seconds != wantSecs[i] || !h.Rated {
				t.Errorf("hour %s: %d s, want %d", h.Hour.Format("15:04"), h.Seconds, wantSecs[i])
			}
		}

		// The seller is credited the charges less the 10% commission, and the
		// ledger balances.
		var seller, fee int64
		for acct, into := range map[ledger.Account]*int64{ledger.SellerPayable(m.o.Lines[0].SellerOrgID): &seller, ledger.Commission: &fee} {
			if err := st.DB().QueryRowContext(ctx, `SELECT COALESCE(SUM(e.amount_minor), 0) FROM ledger_entries e JOIN postings p ON p.id = e.posting_id
				WHERE p.ref = $1 AND p.kind = $2 AND e.account = $3`, m.in.ID, string(market.ImageHoursCharge), string(acct)).Scan(into); err != nil {
				t.Fatal(err)
			}
		}
		if seller != 1170 || fee != 130 {
			t.Fatalf("seller credited %d, commission %d", seller, fee)
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Errorf("ledger %+v %v", check, err)
		}

		// The seller's reconciliation; others do not see the hours.
		rec, err := m.w.Svc.ImageHoursReconciliation(ctx, m.w.Actor(t, "seller2@demo.test", demo.Password), "2026-11")
		if err != nil || len(rec) != 1 || rec[0].InstanceID != m.in.ID || rec[0].Seconds != 24900 || rec[0].Quantity != 7 ||
			rec[0].Charged != money.New(1300, money.CNY) {
			t.Fatalf("reconciliation %+v %v", rec, err)
		}
		if _, err := m.w.Svc.ImageInstanceHours(ctx, m.w.Actor(t, "direct@demo.test", demo.Password), m.in.ID, ""); err == nil {
			t.Fatal("another buyer reads the hours")
		}
		_, err = m.w.Svc.ImageInstanceHours(ctx, m.buyer, m.in.ID, "November")
		wantCode(t, err, "invalid", "error.usage_period")
	})
}

// A balance that does not cover an hour leaves the month unrated; the hour
// is charged at the first run after a top-up. A monthly image is not
// metered.
func TestImageHoursWaitForTopUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
		m := runHourly(t, st, 100, start) // ¥1.00: less than an hour
		if n := m.meter(t, start.Add(90*time.Minute), money.New(100, money.CNY), 0); n != 0 {
			t.Fatalf("charged %d with too little money", n)
		}
		v, err := m.w.Svc.ImageInstanceHours(ctx, m.buyer, m.in.ID, "2026-11")
		if err != nil || v.Seconds != 3600 || v.Unrated != 3600 || v.Hours != 0 || !v.Charged.IsZero() {
			t.Fatalf("unrated view %+v %v", v, err)
		}
		if _, err := m.w.Svc.TopUp(ctx, m.w.Actor(t, "ops@demo.test", demo.Password), orgOf(m.buyer), money.New(1000, money.CNY), "BANK-2", ""); err != nil {
			t.Fatal(err)
		}
		if n := m.meter(t, start.Add(150*time.Minute), money.New(1100, money.CNY), 400); n != 1 {
			t.Fatalf("charged %d after the top-up", n)
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Errorf("ledger %+v %v", check, err)
		}

		// A monthly instance runs, unmetered.
		if _, err := m.w.Svc.TopUp(ctx, m.w.Actor(t, "ops@demo.test", demo.Password), orgOf(m.buyer), money.New(5000, money.CNY), "BANK-3", ""); err != nil {
			t.Fatal(err)
		}
		o := m.place(t, 1, "")
		if err := deliverAll(t, m.w, m.w.Svc, o.ID); !errors.Is(err, market.ErrPending) {
			t.Fatal(err)
		}
		m.w.Clock.Advance(ecs.DefaultSimBoot)
		if err := deliverAll(t, m.w, m.w.Svc, o.ID); err != nil {
			t.Fatal(err)
		}
		monthly := m.instances(t, o)[0]
		m.w.Clock.Advance(3 * time.Hour)
		if _, err := m.w.Svc.MeterImageHours(ctx, m.w.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if v, err := m.w.Svc.ImageInstanceHours(ctx, m.buyer, monthly.ID, ""); err != nil || v.Metered {
			t.Fatalf("a monthly instance's hours %+v %v", v, err)
		}
		if ids, err := st.UnmeteredInstances(ctx, "", 10); err != nil || len(ids) != 1 || ids[0] != m.in.ID {
			t.Fatalf("unmetered instances %v %v", ids, err)
		}
	})
}
