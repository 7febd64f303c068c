package market

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/usage"
)

// Pay-per-use images are billed by the time their instances run
// (docs/compute.md, "Billing pay-per-use images"). Every change of an
// instance's state opens or closes a run (store.Tx.SaveInstance); every hour
// MeterImageHours turns the runs into running seconds per clock hour, once
// each hour has ended, and charges each instance's billing month its
// running time rounded up to whole hours, on the plan's tiers, through the
// ledger as reported SaaS usage is (usage.go).

// ImageHoursArgs asks for the image instances' running hours to be
// recorded and charged.
type ImageHoursArgs struct{}

// Kind names the job on the queue.
func (ImageHoursArgs) Kind() string { return "image_hours" }

// ImageHoursCharge is the ledger kind of a charge for an image instance's
// running hours.
const ImageHoursCharge ledger.Kind = "image_hours"

// meterPage is how many instances or instance-months one query takes.
const meterPage = 500

// MeterImageHours records the running time of every image instance up to
// the clock hour of now, and rates every instance-month with hours not
// rated yet: it charges the month's hours (its running seconds rounded up)
// at the plan's tiers less what was charged before (usage.Charge), in one
// transaction per instance-month. As with reported usage, a charge may use
// the buyer's credit limit; a balance and credit limit that do not cover
// it leave the month unrated, to be charged at the first run after a
// top-up. Run twice, it changes nothing; after a pause, it catches up on
// every hour since. It returns how many instance-months it charged.
func (s *Service) MeterImageHours(ctx context.Context, now time.Time) (int, error) {
	end := usage.HourOf(now)
	if err := s.store.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.AdoptRunning(ctx, now)
		return err
	}); err != nil {
		return 0, err
	}
	var errs []error
	for after := ""; ; {
		page, err := s.store.UnmeteredInstances(ctx, after, meterPage)
		if err != nil {
			return 0, err
		}
		for _, id := range page {
			if err := s.recordHours(ctx, id, end); err != nil {
				errs = append(errs, fmt.Errorf("hours of instance %s: %w", id, err))
			}
		}
		if len(page) < meterPage {
			break
		}
		after = page[len(page)-1]
	}
	n := 0
	for after := (store.InstanceMonth{}); ; {
		page, err := s.store.UnratedInstanceMonths(ctx, after, meterPage)
		if err != nil {
			return n, errors.Join(append(errs, err)...)
		}
		for _, m := range page {
			charged, err := s.rateHours(ctx, m)
			switch {
			case fault.Is(err, fault.InsufficientFunds), fault.Is(err, fault.Conflict): // left for the next run
			case err != nil:
				errs = append(errs, fmt.Errorf("hours of instance %s in %s: %w", m.InstanceID, m.Period, err))
			case charged:
				n++
			}
		}
		if len(page) < meterPage {
			break
		}
		after = page[len(page)-1]
	}
	return n, errors.Join(errs...)
}

// recordHours records an instance's running seconds in each clock hour
// after its last recorded one, up to end (an hour's start: the hours before
// it have ended), and marks the runs that stopped by then metered. The runs
// of an instance not on a pay-per-use plan are marked metered unrecorded.
func (s *Service) recordHours(ctx context.Context, id string, end time.Time) error {
	return s.store.Write(ctx, func(tx *store.Tx) error {
		in, err := tx.Instance(ctx, id)
		if err != nil {
			return err
		}
		o, err := tx.Order(ctx, in.OrderID)
		if err != nil {
			return err
		}
		if o.Lines[in.LineNo-1].Mode != catalog.PayPerUse {
			return tx.SkipRuns(ctx, id)
		}
		runs, err := tx.UnmeteredRuns(ctx, id)
		if err != nil || len(runs) == 0 {
			return err
		}
		from := runs[0].Start
		if last, ok, err := tx.LastInstanceHour(ctx, id); err != nil {
			return err
		} else if ok && last.Add(time.Hour).After(from) {
			from = last.Add(time.Hour)
		}
		spans := make([]usage.Run, len(runs))
		for i, r := range runs {
			spans[i] = usage.Run{Start: r.Start, Stop: r.Stop}
		}
		var hours []store.InstanceHour
		for _, h := range usage.RunningSeconds(spans, from, end) {
			hours = append(hours, store.InstanceHour{InstanceID: id, Hour: h.Hour, Period: usage.Period(h.Hour), Seconds: h.Seconds})
		}
		if _, err := tx.AddInstanceHours(ctx, hours); err != nil {
			return err
		}
		return tx.MeterRuns(ctx, id, end)
	})
}

// rateHours rates an instance-month's hours not rated yet, in one
// transaction, and reports whether it charged (a rating that found the
// hours taken by another did not).
//
// Errors: InsufficientFunds; Conflict (rated by another meanwhile).
func (s *Service) rateHours(ctx context.Context, m store.InstanceMonth) (bool, error) {
	now := s.now()
	charged := false
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		taken, seconds, err := tx.TakeUnratedHours(ctx, m)
		if err != nil || taken == 0 {
			return err
		}
		in, err := tx.Instance(ctx, m.InstanceID)
		if err != nil {
			return err
		}
		o, err := tx.Order(ctx, in.OrderID)
		if err != nil {
			return err
		}
		pl, metered, err := s.meteredPlan(ctx, tx, in.ProductID, o.Lines[in.LineNo-1].Plan)
		if err != nil || !metered {
			return errors.Join(err, errors.New("not a pay-per-use plan"))
		}
		last, _, err := tx.LastInstanceCharge(ctx, m)
		if err != nil {
			return err
		}
		hours := usage.BilledHours(seconds)
		amount, err := usage.Charge(pl, last.Quantity, hours)
		if err != nil {
			return err
		}
		cost := last.Cost
		if cost.Currency == "" {
			cost = money.New(0, amount.Currency)
		}
		if cost, err = cost.Add(amount); err != nil {
			return err
		}
		c := store.InstanceCharge{ID: ids.New("ich"), InstanceID: in.ID, OrderID: in.OrderID, LineNo: in.LineNo, ProductID: in.ProductID,
			BuyerOrgID: in.BuyerOrgID, SellerOrgID: in.SellerOrgID, Period: m.Period, Seq: last.Seq + 1, Seconds: seconds, Quantity: hours,
			Cost: cost, Amount: amount, RatedAt: now}
		if !amount.IsZero() {
			entries, err := usageEntries(in.BuyerOrgID, in.SellerOrgID, amount)
			if err != nil {
				return err
			}
			p := ledger.Posting{ID: ids.New("pst"), Kind: ImageHoursCharge, Ref: in.ID, CreatedAt: now, Entries: entries,
				Memo: fmt.Sprintf("instance %s in %s: %d h billed for %s running", in.ID, m.Period, hours, runningTime(seconds))}
			if err := tx.Post(ctx, p); err != nil {
				return err
			}
			c.PostingID = p.ID
		}
		if err := tx.AddInstanceCharge(ctx, c); err != nil {
			return err
		}
		charged = true
		return nil
	})
	return charged && err == nil, err
}

// runningTime writes seconds as "8 h 10 min 5 s", leaving out zero parts.
func runningTime(seconds int64) string {
	d := time.Duration(seconds) * time.Second
	h, m, sec := int64(d/time.Hour), int64(d%time.Hour/time.Minute), int64(d%time.Minute/time.Second)
	var parts []string
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d h", h))
	}
	if m > 0 {
		parts = append(parts, fmt.Sprintf("%d min", m))
	}
	if sec > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%d s", sec))
	}
	return strings.Join(parts, " ")
}

// HoursDay is an instance's running time and charges of one day (UTC).
type HoursDay struct {
	Day     time.Time    // midnight UTC
	Seconds int64        // running time recorded, by the day it ran
	Charged money.Amount // by the day it was rated
}

// InstanceHours is an image instance's billing by the hour in one month.
type InstanceHours struct {
	Metered  bool   // its line is pay-per-use: billed by the hour (nothing else is filled when false)
	Unit     string // the plan's usage unit
	Period   string // YYYY-MM
	Seconds  int64  // running time recorded in the month (its ended hours)
	Unrated  int64  // of which not charged yet (a balance that did not cover it)
	Hours    int64  // hours charged for the month so far: its rated seconds rounded up
	Charged  money.Amount
	Days     []HoursDay // the days it ran or was charged, oldest first
	RatedAt  time.Time  // the month's last rating; zero when none
	Currency money.Currency
}

// ImageInstanceHours is an instance's running time and charges in a
// billing month (YYYY-MM; "" for the current one), per day, for its
// customer's buyers, its product's seller and operators. An instance not
// billed by the hour has Metered false.
//
// Errors: NotFound; Invalid on period (error.usage_period).
func (s *Service) ImageInstanceHours(ctx context.Context, actor account.Actor, id, period string) (InstanceHours, error) {
	if period == "" {
		period = usage.Period(s.now())
	}
	if _, err := time.Parse("2006-01", period); err != nil || strings.TrimSpace(period) != period {
		return InstanceHours{}, fault.Field("period", "error.usage_period", "give the billing month as YYYY-MM, such as 2026-03")
	}
	in, err := s.Instance(ctx, actor, id)
	if err != nil {
		return InstanceHours{}, err
	}
	v := InstanceHours{Period: period}
	o, err := s.store.Order(ctx, in.OrderID)
	if err != nil {
		return v, err
	}
	l := o.Lines[in.LineNo-1]
	if l.Mode != catalog.PayPerUse {
		return v, nil
	}
	v.Metered, v.Currency = true, l.UnitPrice.Currency
	if pl, ok := s.livePlan(ctx, in.ProductID, l.Plan); ok && pl.Usage != nil {
		v.Unit = pl.Usage.Unit
	}
	m := store.InstanceMonth{InstanceID: in.ID, Period: period}
	hours, err := s.store.MonthHours(ctx, m)
	if err != nil {
		return v, err
	}
	charges, err := s.store.MonthCharges(ctx, m)
	if err != nil {
		return v, err
	}
	v.Charged = money.New(0, v.Currency)
	days := map[time.Time]*HoursDay{}
	day := func(t time.Time) *HoursDay {
		d := t.UTC().Truncate(24 * time.Hour)
		if days[d] == nil {
			days[d] = &HoursDay{Day: d, Charged: money.New(0, v.Currency)}
		}
		return days[d]
	}
	for _, h := range hours {
		v.Seconds += h.Seconds
		if !h.Rated {
			v.Unrated += h.Seconds
		}
		day(h.Hour).Seconds += h.Seconds
	}
	for _, c := range charges {
		v.Hours, v.RatedAt = c.Quantity, c.RatedAt
		v.Charged.Minor += c.Amount.Minor
		day(c.RatedAt).Charged.Minor += c.Amount.Minor
	}
	for _, d := range days {
		v.Days = append(v.Days, *d)
	}
	slices.SortFunc(v.Days, func(a, b HoursDay) int { return a.Day.Compare(b.Day) })
	return v, nil
}

// ImageHoursReconciliation is the seller's report of a billing month
// (YYYY-MM): per instance of its pay-per-use images that ran, the running
// time recorded, what of it is not charged yet, the hours charged and the
// amount.
//
// Errors: Unauthorized; Forbidden; Invalid on period (error.usage_period).
func (s *Service) ImageHoursReconciliation(ctx context.Context, actor account.Actor, period string) ([]store.HoursReconciliation, error) {
	org, err := ownSellerOrg(actor)
	if err != nil {
		return nil, err
	}
	if err := allow(actor, account.ReadSales, account.Resource{OrgID: org}); err != nil {
		return nil, err
	}
	if _, err := time.Parse("2006-01", period); err != nil || strings.TrimSpace(period) != period {
		return nil, fault.Field("period", "error.usage_period", "give the billing month as YYYY-MM, such as 2026-03")
	}
	return s.store.SellerInstanceHours(ctx, org, period)
}
