package subscription_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/subscription"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from   string
		n, day int
		want   string
	}{
		{"2026-01-31 10:00", 1, 31, "2026-02-28 10:00"},
		{"2028-01-31 10:00", 1, 31, "2028-02-29 10:00"}, // leap year
		{"2026-01-31 10:00", 2, 31, "2026-03-31 10:00"},
		{"2026-02-28 10:00", 1, 31, "2026-03-31 10:00"}, // back to the anchor day
		{"2026-01-15 23:30", 1, 15, "2026-02-15 23:30"},
		{"2026-12-31 00:00", 12, 31, "2027-12-31 00:00"},
		// Midnight on 1 March in Shanghai is still February in UTC: months are the zone's.
		{"2026-03-01 00:30", 1, 1, "2026-04-01 00:30"},
	}
	for _, tc := range tests {
		if got := subscription.AddMonths(at(tc.from), tc.n, tc.day, shanghai); !got.Equal(at(tc.want)) {
			t.Errorf("%s + %d months: %s, want %s", tc.from, tc.n, got.In(shanghai).Format("2006-01-02 15:04"), tc.want)
		}
	}
}

func monthly() subscription.Subscription {
	return subscription.Subscription{Mode: catalog.Monthly, Quantity: 2, AutoRenew: true}
}

func TestLifecycle(t *testing.T) {
	s := subscription.Start(monthly(), at("2026-01-31 10:00"), 1, 0, shanghai)
	if s.State != subscription.Active || !s.PeriodEnd.Equal(at("2026-02-28 10:00")) {
		t.Fatalf("start: %+v", s)
	}
	steps := []struct {
		now  string
		want subscription.Due
	}{
		{"2026-02-20 10:00", subscription.Nothing},
		{"2026-02-25 10:00", subscription.Renew}, // three days before
		{"2026-02-28 09:59", subscription.Renew},
		{"2026-02-28 10:00", subscription.Freeze}, // expired unrenewed: frozen, renewal goes on
	}
	for _, st := range steps {
		if got := subscription.Next(s, at(st.now)); got != st.want {
			t.Errorf("at %s: %v, want %v", st.now, got, st.want)
		}
	}
	s.RenewedAt = at("2026-02-28 10:00") // the renewal failed: balance short
	if got := subscription.Next(s, at("2026-02-28 12:00")); got != subscription.Freeze {
		t.Errorf("expired after a failed renewal: %v", got)
	}
	s.State = subscription.Frozen
	if got := subscription.Next(s, at("2026-02-28 17:00")); got != subscription.Renew {
		t.Errorf("frozen, retry: %v", got)
	}
	s.RenewedAt = at("2026-03-15 09:00")
	if got := subscription.Next(s, at("2026-03-15 10:00")); got != subscription.Release {
		t.Errorf("after 15 days of grace: %v", got)
	}
	renewed := subscription.Extend(s, 1, at("2026-03-10 10:00"), shanghai)
	if renewed.State != subscription.Active || !renewed.PeriodEnd.Equal(at("2026-03-31 10:00")) {
		t.Errorf("renewed in grace: %+v", renewed)
	}
	trial := subscription.Start(monthly(), at("2026-01-10 10:00"), 1, 14, shanghai)
	if trial.State != subscription.Trial || !trial.PeriodEnd.Equal(at("2026-01-24 10:00")) {
		t.Fatalf("trial: %+v", trial)
	}
	trial.AutoRenew = false
	if got := subscription.Next(trial, at("2026-01-24 10:00")); got != subscription.Release {
		t.Errorf("trial without auto-renewal at its end: %v", got)
	}
	converted := subscription.Extend(trial, 1, at("2026-01-24 10:00"), shanghai)
	if !converted.PeriodEnd.Equal(at("2026-02-24 10:00")) {
		t.Errorf("converted: %+v", converted)
	}
}

func TestUpgradeAndPeriodsStarted(t *testing.T) {
	s := subscription.Start(monthly(), at("2026-04-01 00:00"), 3, 0, shanghai) // 1 April – 1 July
	price, err := subscription.UpgradePrice(s, money.New(10000, money.CNY), money.New(16000, money.CNY), at("2026-05-16 12:00"))
	// 6,000 × 2 units × 3 periods = 36,000 for the whole term; 45.5 of 91 days left.
	if err != nil || price != money.New(18000, money.CNY) {
		t.Errorf("upgrade: %v %v", price, err)
	}
	if _, err := subscription.UpgradePrice(s, money.New(10000, money.CNY), money.New(9000, money.CNY), at("2026-05-16 12:00")); !fault.Is(err, fault.Invalid) {
		t.Errorf("a cheaper plan: %v", err)
	}
	for now, want := range map[string]int{"2026-04-01 00:00": 1, "2026-04-30 23:59": 1, "2026-05-01 00:00": 2, "2026-06-15 00:00": 3} {
		if got := subscription.PeriodsStarted(s, at(now), shanghai); got != want {
			t.Errorf("periods started at %s: %d, want %d", now, got, want)
		}
	}
}
