package market

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/usage"
)

// Sellers report what buyers of pay-per-use SaaS plans used; every hour the
// usage is rated on the plan's tiers, by billing month, and charged to the
// buyer's balance through the ledger (docs/usage.md).

// UsageRatingArgs asks for the usage reported since the last rating to be
// rated and charged.
type UsageRatingArgs struct{}

// Kind names the job on the queue.
func (UsageRatingArgs) Kind() string { return "usage_rating" }

// UsageCharge is the ledger kind of a usage charge (its reversal, for an
// adjustment down, is of the same kind with the signs turned).
const UsageCharge ledger.Kind = "usage"

// UsageResult is the answer for one reported record.
type UsageResult struct {
	RecordID  string       `json:"record_id"`
	Accepted  bool         `json:"accepted"`
	Duplicate bool         `json:"duplicate" doc:"Accepted before with the same content: kept once"`
	Reason    usage.Reason `json:"reason,omitempty"`
	Message   string       `json:"message,omitempty"`
}

// errUsageBatch refuses a report of more than usage.MaxBatch records.
var errUsageBatch = &fault.Error{Code: fault.Invalid, Field: "records", MsgID: "error.usage_batch",
	Message: "report at most 1,000 records at a time"}

// meteredPlan returns a product's plan as sold now, if it is pay-per-use.
func (s *Service) meteredPlan(ctx context.Context, tx *store.Tx, productID, code string) (catalog.Plan, bool, error) {
	p, err := s.soldContent(ctx, tx, productID)
	if err != nil {
		return catalog.Plan{}, false, err
	}
	for _, pl := range p.Plans {
		if pl.Code == code {
			return pl, pl.Mode == catalog.PayPerUse && pl.Usage != nil, nil
		}
	}
	return catalog.Plan{}, false, nil
}

// livePlan returns a product's plan as on sale now, outside a transaction
// (false when the product or the plan is not found).
func (s *Service) livePlan(ctx context.Context, productID, code string) (catalog.Plan, bool) {
	e, err := s.store.Product(ctx, productID)
	if err != nil || e.Listing.Live == nil {
		return catalog.Plan{}, false
	}
	p, err := s.liveContent(ctx, productID, e.Listing.Live.Number)
	if err != nil {
		return catalog.Plan{}, false
	}
	i := slices.IndexFunc(p.Plans, func(pl catalog.Plan) bool { return pl.Code == code })
	if i < 0 {
		return catalog.Plan{}, false
	}
	return p.Plans[i], true
}

// ReportUsage takes up to 1,000 usage records from a seller (its admins and
// members, with an API token) and answers each: accepted (a record sent
// again with the same content is accepted once, Duplicate), or rejected with
// a reason. Accepted records are rated within the hour.
//
// Errors: Unauthorized; Forbidden; Invalid on records (error.usage_batch).
func (s *Service) ReportUsage(ctx context.Context, actor account.Actor, records []usage.Record) ([]UsageResult, error) {
	org, err := ownSellerOrg(actor)
	if err != nil {
		return nil, err
	}
	if err := allow(actor, account.ManageProducts, account.Resource{OrgID: org}); err != nil {
		return nil, err
	}
	if len(records) > usage.MaxBatch {
		return nil, errUsageBatch
	}
	now := s.now()
	out := make([]UsageResult, len(records))
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		plans := map[string]catalog.Plan{} // by order line
		for i, r := range records {
			r.Begin, r.End = r.Begin.UTC(), r.End.UTC()
			res, err := s.reportOne(ctx, tx, org, r, now, plans)
			if err != nil {
				return err
			}
			res.RecordID = r.ID
			out[i] = res
		}
		return nil
	})
	return out, err
}

func rejected(rj *usage.Rejection) UsageResult {
	return UsageResult{Reason: rj.Reason, Message: rj.Message}
}

// reportOne checks and keeps one record, in the report's transaction.
func (s *Service) reportOne(ctx context.Context, tx *store.Tx, org string, r usage.Record, now time.Time, plans map[string]catalog.Plan) (UsageResult, error) {
	if rj := usage.Check(r, now); rj != nil {
		return rejected(rj), nil
	}
	in, err := tx.SellerInstance(ctx, org, r.InstanceID)
	if fault.Is(err, fault.NotFound) {
		return rejected(&usage.Rejection{Reason: usage.ReasonUnknownInstance, Message: "no instance " + r.InstanceID + " of your products"}), nil
	}
	if err != nil {
		return UsageResult{}, err
	}
	switch in.State {
	case store.SaaSOpening, store.SaaSFailed:
		return rejected(&usage.Rejection{Reason: usage.ReasonNotOpen, Message: "instance " + r.InstanceID + " is not open"}), nil
	case store.SaaSReleased:
		if !r.Begin.Before(in.UpdatedAt) {
			return rejected(&usage.Rejection{Reason: usage.ReasonInstanceReleased, Message: "instance " + r.InstanceID + " was released before this usage"}), nil
		}
	}
	key := lineID(in.OrderID, in.LineNo)
	pl, ok := plans[key]
	if !ok {
		var metered bool
		if pl, metered, err = s.meteredPlan(ctx, tx, in.ProductID, in.Plan); err != nil {
			return UsageResult{}, err
		}
		if !metered {
			return rejected(&usage.Rejection{Reason: usage.ReasonNotMetered, Message: "instance " + r.InstanceID + " is not on a pay-per-use plan"}), nil
		}
		plans[key] = pl
	}
	if r.Unit != pl.Usage.Unit {
		return rejected(&usage.Rejection{Reason: usage.ReasonUnit, Message: fmt.Sprintf("report this instance's usage in %q", pl.Usage.Unit)}), nil
	}
	period := usage.Period(r.Begin)
	if r.Adjusts != "" {
		orig, err := tx.UsageRecord(ctx, org, r.Adjusts)
		if err != nil && !fault.Is(err, fault.NotFound) {
			return UsageResult{}, err
		}
		if err != nil || orig.InstanceID != r.InstanceID || orig.Adjusts != "" {
			return rejected(&usage.Rejection{Reason: usage.ReasonAdjustsUnknown, Message: "adjusts names no accepted record of instance " + r.InstanceID}), nil
		}
	}
	u := store.UsageRecord{Record: r, SellerOrgID: org, OrderID: in.OrderID, LineNo: in.LineNo, ProductID: in.ProductID, BuyerOrgID: in.BuyerOrgID,
		Period: period, ReceivedAt: now}
	if prior, err := tx.UsageRecord(ctx, org, r.ID); err == nil {
		return sameOrConflict(prior, r), nil
	} else if !fault.Is(err, fault.NotFound) {
		return UsageResult{}, err
	}
	if r.Quantity < 0 {
		total, err := tx.PeriodUsage(ctx, in.OrderID, in.LineNo, period)
		if err != nil {
			return UsageResult{}, err
		}
		if total+r.Quantity < 0 {
			return rejected(&usage.Rejection{Reason: usage.ReasonBelowZero, Message: fmt.Sprintf("the month's usage is %d: it cannot go below zero", total)}), nil
		}
	}
	kept, added, err := tx.AddUsageRecord(ctx, u)
	if err != nil {
		return UsageResult{}, err
	}
	if !added {
		return sameOrConflict(kept, r), nil
	}
	return UsageResult{Accepted: true}, nil
}

// sameOrConflict answers a record id sent again: accepted once when it says
// the same, refused when it says something else.
func sameOrConflict(prior store.UsageRecord, r usage.Record) UsageResult {
	if prior.Record.Same(r) {
		return UsageResult{Accepted: true, Duplicate: true}
	}
	return rejected(&usage.Rejection{Reason: usage.ReasonConflict,
		Message: "record " + r.ID + " was accepted before with other usage: send a new record id, or an adjustment"})
}

// RateUsage rates every line-month with usage not rated yet: it charges the
// buyer the month's cost less what was charged before (usage.Charge), in one
// transaction per line-month. A balance that does not cover a charge leaves
// that month unrated until the next rating. It returns how many line-months
// it charged.
func (s *Service) RateUsage(ctx context.Context) (int, error) {
	groups, err := s.store.UnratedUsage(ctx, 1000)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, g := range groups {
		err := s.rateGroup(ctx, g)
		switch {
		case fault.Is(err, fault.InsufficientFunds):
		case err != nil:
			errs = append(errs, fmt.Errorf("usage of %s line %d in %s: %w", g.OrderID, g.LineNo, g.Period, err))
		default:
			n++
		}
	}
	return n, errors.Join(errs...)
}

func (s *Service) rateGroup(ctx context.Context, g store.UsageGroup) error {
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		added, err := tx.TakeUnrated(ctx, g)
		if err != nil {
			return err
		}
		last, _, err := tx.LastUsageCharge(ctx, g)
		if err != nil {
			return err
		}
		in, ok, err := tx.SaaSInstanceOfLine(ctx, g.OrderID, g.LineNo)
		if err != nil || !ok {
			return errors.Join(err, errors.New("no instance"))
		}
		pl, metered, err := s.meteredPlan(ctx, tx, in.ProductID, in.Plan)
		if err != nil || !metered {
			return errors.Join(err, errors.New("not a pay-per-use plan"))
		}
		after := last.Quantity + added
		cost, err := usage.Cost(pl, after)
		if err != nil {
			return err
		}
		charged := last.Cost
		if charged.Currency == "" {
			charged = money.New(0, cost.Currency)
		}
		amount, err := cost.Sub(charged)
		if err != nil {
			return err
		}
		c := store.UsageCharge{ID: ids.New("uch"), OrderID: g.OrderID, LineNo: g.LineNo, ProductID: in.ProductID, BuyerOrgID: in.BuyerOrgID,
			SellerOrgID: in.SellerOrgID, Period: g.Period, Quantity: after, Cost: cost, Amount: amount, RatedAt: now}
		if !amount.IsZero() {
			entries, err := usageEntries(in.BuyerOrgID, in.SellerOrgID, amount)
			if err != nil {
				return err
			}
			p := ledger.Posting{ID: ids.New("pst"), Kind: UsageCharge, Ref: g.OrderID + "-" + strconv.Itoa(g.LineNo), CreatedAt: now,
				Memo: fmt.Sprintf("usage of %s in %s: %d %s", in.InstanceID, g.Period, after, pl.Usage.Unit), Entries: entries}
			if err := tx.Post(ctx, p); err != nil {
				return err
			}
			c.PostingID = p.ID
		}
		return tx.AddUsageCharge(ctx, c)
	})
}

// usageEntries move a charge from the buyer's balance to the seller, less
// the marketplace's commission (as a payment does: order.CommissionBPS,
// rounded half away from zero); a negative amount moves it back. Charges of
// reported usage and of image hours alike.
func usageEntries(buyerOrgID, sellerOrgID string, amount money.Amount) ([]ledger.Entry, error) {
	fee, err := amount.Ratio(order.CommissionBPS, 10_000)
	if err != nil {
		return nil, err
	}
	net, err := amount.Sub(fee)
	if err != nil {
		return nil, err
	}
	entries := []ledger.Entry{{Account: ledger.Customer(buyerOrgID), Amount: amount.Neg()}}
	if !net.IsZero() {
		entries = append(entries, ledger.Entry{Account: ledger.SellerPayable(sellerOrgID), Amount: net})
	}
	if !fee.IsZero() {
		entries = append(entries, ledger.Entry{Account: ledger.Commission, Amount: fee})
	}
	return entries, nil
}

// UsageDay is an instance's usage and charges of one day (UTC).
type UsageDay struct {
	Day      time.Time // midnight UTC
	Quantity int64     // reported, adjustments included
	Charged  money.Amount
}

// InstanceUsage is the usage of a line's instance in [from, to), per day, for
// its order's buyers, the line's seller and operators.
//
// Errors: NotFound.
func (s *Service) InstanceUsage(ctx context.Context, actor account.Actor, orderID string, lineNo int, from, to time.Time) (string, []UsageDay, error) {
	in, ok, err := s.SaaSInstance(ctx, actor, orderID, lineNo)
	if err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, fault.New(fault.NotFound, "no instance opened for this line")
	}
	unit := ""
	if pl, ok := s.livePlan(ctx, in.ProductID, in.Plan); ok && pl.Usage != nil {
		unit = pl.Usage.Unit
	}
	records, err := s.store.LineUsage(ctx, orderID, lineNo, from, to)
	if err != nil {
		return unit, nil, err
	}
	charges, err := s.store.LineCharges(ctx, orderID, lineNo, from, to)
	if err != nil {
		return unit, nil, err
	}
	days := map[time.Time]*UsageDay{}
	var order []time.Time
	day := func(t time.Time, cur money.Currency) *UsageDay {
		d := t.UTC().Truncate(24 * time.Hour)
		if days[d] == nil {
			days[d] = &UsageDay{Day: d, Charged: money.New(0, cur)}
			order = append(order, d)
		}
		return days[d]
	}
	cur := money.Currency("")
	for _, c := range charges {
		cur = c.Amount.Currency
	}
	for _, r := range records {
		day(r.Begin, cur).Quantity += r.Quantity
	}
	for _, c := range charges {
		d := day(c.RatedAt, c.Amount.Currency)
		d.Charged.Currency = c.Amount.Currency
		d.Charged.Minor += c.Amount.Minor
	}
	out := make([]UsageDay, 0, len(order))
	for _, d := range order {
		out = append(out, *days[d])
	}
	slices.SortFunc(out, func(a, b UsageDay) int { return a.Day.Compare(b.Day) })
	return unit, out, nil
}

// UsageReconciliation is the seller's report of a billing month (YYYY-MM):
// per instance, the records kept, the usage reported and not yet rated, and
// what was charged.
//
// Errors: Unauthorized; Forbidden; Invalid on period (error.usage_period).
func (s *Service) UsageReconciliation(ctx context.Context, actor account.Actor, period string) ([]store.Reconciliation, error) {
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
	return s.store.SellerReconciliation(ctx, org, period)
}
