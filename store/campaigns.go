package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/promo"
)

// Campaigns and coupons (docs/campaigns.md). The rules are package promo's;
// the limits are this file's, each enforced by the statement that uses it: a
// conditional UPDATE whose rows affected decide, or a unique key.

// Errors the limits give. Each is a copy of one of promo's checks, decided
// here for real.
var (
	errPackClaimed  = &fault.Error{Code: fault.Conflict, MsgID: "error.pack_claimed", Message: "you have claimed this campaign's pack"}
	errPacksGone    = &fault.Error{Code: fault.Conflict, MsgID: "error.packs_gone", Message: "all of this campaign's packs have been claimed"}
	errGiftRedeemed = &fault.Error{Code: fault.Conflict, MsgID: "error.gift_redeemed", Message: "one gift per campaign: this customer has redeemed its gift"}
	errOutOfStock   = &fault.Error{Code: fault.Conflict, MsgID: "error.out_of_stock", Message: "this gift is out of stock: choose another"}
	errTierNotYet   = &fault.Error{Code: fault.InvalidState, MsgID: "error.tier_not_reached", Message: "the campaign total has not reached this gift's tier"}
	errCouponUsed   = &fault.Error{Code: fault.Conflict, Field: "coupon_id", MsgID: "error.coupon_used", Message: "this coupon has been used"}
	errBudgetSpent  = &fault.Error{Code: fault.Conflict, Field: "coupon_id", MsgID: "error.budget_spent", Message: "this campaign's coupons have run out: its budget is spent"}
	errAdmitted     = &fault.Error{Code: fault.Conflict, MsgID: "error.admitted_already", Message: "this customer is admitted to the campaign already"}
	errNoCampaign   = fault.New(fault.NotFound, "no such campaign")
	errNoCoupon     = &fault.Error{Code: fault.NotFound, Field: "coupon_id", MsgID: "error.coupon_unknown", Message: "no such coupon"}
	errChanged      = &fault.Error{Code: fault.Conflict, MsgID: "error.changed_meanwhile", Message: "the campaign changed meanwhile: reload it"}
	errNoRedemption = fault.New(fault.NotFound, "no such redemption")
)

func init() {
	constraintErrors = append(constraintErrors, []struct {
		postgres, sqlite string
		err              *fault.Error
	}{
		{"campaign_pack_claims_pkey", "campaign_pack_claims.campaign_id, campaign_pack_claims.customer_org_id, campaign_pack_claims.claim_no", errPackClaimed},
		{"campaign_redemptions_one", "campaign_redemptions.campaign_id, campaign_redemptions.customer_org_id", errGiftRedeemed},
		{"campaign_admissions_open", "campaign_admissions.campaign_id, campaign_admissions.customer_org_id", errAdmitted},
		{"orders_coupon", "orders.coupon_id", errCouponUsed}, // CreateOrder's, for an order with a coupon used already
	}...)
}

// Campaign is a campaign as stored: its rules, and the counters the database
// keeps within their limits.
type Campaign struct {
	promo.Campaign
	PacksClaimed int          // of PackLimit
	BudgetUsed   money.Amount // of Budget: the discounts given
	Version      int          // each change adds one
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

const campaignColumns = `id, state, content, packs_claimed, budget_used_minor, version, created_at, updated_at`

// campaignRules keeps the rules of each campaign version read, parsed: a
// version's content never changes (every save adds one to it), and every
// checkout through a campaign reads its campaign. The rules returned share
// their slices: callers never change them in place.
var campaignRules sync.Map // "<id>@<version>@<length of the content>" → promo.Campaign

func scanCampaign(r scanner) (Campaign, error) {
	var row campaignRow
	if err := r.Scan(row.fields()...); err != nil {
		return Campaign{}, err
	}
	return row.campaign()
}

// campaignRow is a campaign's columns as scanned (campaignColumns).
type campaignRow struct {
	c       Campaign
	state   promo.State
	content []byte
}

func (r *campaignRow) fields() []any {
	return []any{&r.c.ID, &r.state, &r.content, &r.c.PacksClaimed, &r.c.BudgetUsed.Minor, &r.c.Version, &r.c.CreatedAt, &r.c.UpdatedAt}
}

// campaign is the campaign scanned, its rules parsed once a version.
func (r *campaignRow) campaign() (Campaign, error) {
	c := r.c
	id, key := c.ID, c.ID+"@"+strconv.Itoa(c.Version)+"@"+strconv.Itoa(len(r.content))
	if rules, ok := campaignRules.Load(key); ok {
		c.Campaign = rules.(promo.Campaign)
	} else if err := json.Unmarshal(r.content, &c.Campaign); err != nil {
		return c, fmt.Errorf("store: campaign %s: %w", id, err)
	} else {
		campaignRules.Store(key, c.Campaign)
	}
	c.ID, c.State, c.BudgetUsed.Currency = id, r.state, c.Currency
	return c, nil
}

// budgetMinor is the budget in the campaign's currency (none: zero).
func budgetMinor(c promo.Campaign) int64 {
	if c.Budget.Currency != c.Currency {
		return 0
	}
	return c.Budget.Minor
}

// CreateCampaign records a new campaign (version 1) with its gifts' stock.
func (tx *Tx) CreateCampaign(ctx context.Context, c Campaign) error {
	content, err := json.Marshal(c.Campaign)
	if err != nil {
		return err
	}
	from, until := c.Window()
	if _, err := tx.q.ExecContext(ctx, `INSERT INTO campaigns (id, state, currency, content, window_from, window_until, pack_limit,
			budget_minor, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)`,
		c.ID, c.State, c.Currency, string(content), from.UTC(), until.UTC(), c.PackLimit, budgetMinor(c.Campaign), c.CreatedAt); err != nil {
		return domainError(err)
	}
	return tx.saveGifts(ctx, c.Campaign)
}

// SaveCampaign stores the campaign's rules and state as changed from the
// version was, and adds one to its version. A gift's stock may change only so
// far as to leave its units left at zero or more (units redeemed stay
// redeemed); gifts no longer in the rules are removed (a gift redeemed cannot
// be: promo.CheckEdit keeps them once a campaign is active).
//
// Errors: Conflict (error.changed_meanwhile) when the campaign changed
// meanwhile; NotFound.
func (tx *Tx) SaveCampaign(ctx context.Context, c Campaign, was int) error {
	content, err := json.Marshal(c.Campaign)
	if err != nil {
		return err
	}
	from, until := c.Window()
	res, err := tx.q.ExecContext(ctx, `UPDATE campaigns SET state = $3, currency = $4, content = $5, window_from = $6, window_until = $7,
			pack_limit = $8, budget_minor = $9, version = version + 1, updated_at = $10
		WHERE id = $1 AND version = $2`,
		c.ID, was, c.State, c.Currency, string(content), from.UTC(), until.UTC(), c.PackLimit, budgetMinor(c.Campaign), c.UpdatedAt)
	if changed, err := changedOne(res, err); err != nil || changed {
		if err != nil {
			return err
		}
		return tx.saveGifts(ctx, c.Campaign)
	}
	if _, err := tx.Campaign(ctx, c.ID); err != nil {
		return err
	}
	return errChanged
}

func (tx *Tx) saveGifts(ctx context.Context, c promo.Campaign) error {
	var keep []string
	args := []any{c.ID}
	for i, t := range c.Tiers {
		for _, g := range t.Gifts {
			if _, err := tx.q.ExecContext(ctx, `INSERT INTO campaign_gifts (campaign_id, gift_id, tier, stock, units_left)
				VALUES ($1, $2, $3, $4, $4)
				ON CONFLICT (campaign_id, gift_id) DO UPDATE SET tier = excluded.tier,
					units_left = campaign_gifts.units_left + excluded.stock - campaign_gifts.stock, stock = excluded.stock`,
				c.ID, g.ID, i, g.Stock); err != nil {
				if strings.Contains(err.Error(), "CHECK") || strings.Contains(err.Error(), "check") {
					return fault.Field("tiers", "error.gift_stock", "a gift's stock cannot go below the units redeemed")
				}
				return err
			}
			args = append(args, g.ID)
			keep = append(keep, placeholder(len(args)))
		}
	}
	_, err := tx.q.ExecContext(ctx, `DELETE FROM campaign_gifts WHERE campaign_id = $1 AND gift_id NOT IN (`+strings.Join(keep, ", ")+`)`, args...)
	return err
}

// Campaign returns a campaign.
//
// Errors: NotFound.
func (q *queries) Campaign(ctx context.Context, id string) (Campaign, error) {
	c, err := scanCampaign(q.q.QueryRowContext(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = $1`, id))
	if errNoRows(err) {
		return c, errNoCampaign
	}
	return c, err
}

// Campaigns lists the campaigns in the states (all when none), the newest
// first.
func (q *queries) Campaigns(ctx context.Context, states ...promo.State) ([]Campaign, error) {
	query := `SELECT ` + campaignColumns + ` FROM campaigns`
	var args []any
	for i, s := range states {
		if i == 0 {
			query += ` WHERE state IN (`
		} else {
			query += `, `
		}
		args = append(args, s)
		query += placeholder(len(args))
	}
	if len(states) > 0 {
		query += `)`
	}
	return list(ctx, q.q, scanCampaign, query+` ORDER BY created_at DESC, id DESC`, args...)
}

// GiftStock is a gift's stock: units on offer in all and units left.
type GiftStock struct {
	GiftID string
	Tier   int
	Stock  int
	Left   int
}

// GiftStocks returns the stock of the campaign's gifts, by gift id.
func (q *queries) GiftStocks(ctx context.Context, campaignID string) (map[string]GiftStock, error) {
	rows, err := list(ctx, q.q, func(r scanner) (g GiftStock, err error) {
		return g, r.Scan(&g.GiftID, &g.Tier, &g.Stock, &g.Left)
	}, `SELECT gift_id, tier, stock, units_left FROM campaign_gifts WHERE campaign_id = $1`, campaignID)
	out := map[string]GiftStock{}
	for _, g := range rows {
		out[g.GiftID] = g
	}
	return out, err
}

// ClaimPack records the customer's claim number claimNo (1 for its first) of
// the campaign's pack and counts it against the packs in all: the claim
// number is unique per customer and campaign, and the count goes up only
// while it is below the limit and the campaign active.
//
// Errors: Conflict (error.pack_claimed: the claim number was taken,
// error.packs_gone: the limit is reached or the campaign no longer active).
func (tx *Tx) ClaimPack(ctx context.Context, campaignID, customerOrgID string, claimNo int, by string, at time.Time) error {
	if _, err := tx.q.ExecContext(ctx, `INSERT INTO campaign_pack_claims (campaign_id, customer_org_id, claim_no, claimed_by, claimed_at)
		VALUES ($1, $2, $3, $4, $5)`, campaignID, customerOrgID, claimNo, nullable(by), at); err != nil {
		return domainError(err)
	}
	res, err := tx.q.ExecContext(ctx, `UPDATE campaigns SET packs_claimed = packs_claimed + 1
		WHERE id = $1 AND state = 'active' AND packs_claimed < pack_limit`, campaignID)
	if changed, err := changedOne(res, err); err != nil || changed {
		return err
	}
	return errPacksGone
}

// PackClaims counts the customer's claims of the campaign's pack.
func (q *queries) PackClaims(ctx context.Context, campaignID, customerOrgID string) (int, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaign_pack_claims WHERE campaign_id = $1 AND customer_org_id = $2`,
		campaignID, customerOrgID).Scan(&n)
	return n, err
}

// AddCoupons records the coupons issued by a claim (its number claimNo).
func (tx *Tx) AddCoupons(ctx context.Context, claimNo int, coupons []promo.Coupon) error {
	for _, cp := range coupons {
		t, err := json.Marshal(cp.Template)
		if err != nil {
			return err
		}
		if _, err := tx.q.ExecContext(ctx, `INSERT INTO coupons (id, campaign_id, owner_org_id, template_id, template, claim_no,
				claimed_at, valid_from, valid_until)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			cp.ID, cp.CampaignID, cp.OwnerOrgID, cp.Template.ID, string(t), claimNo, cp.ClaimedAt, cp.ValidFrom, cp.ValidUntil); err != nil {
			return domainError(err)
		}
	}
	return nil
}

// A coupon is used by the order that names it (orders.coupon_id, unique):
// couponColumns read from couponsWithOrders, the order and its payment.
const (
	couponColumns     = `c.id, c.campaign_id, c.owner_org_id, c.template, c.claimed_at, c.valid_from, c.valid_until, COALESCE(o.id, ''), o.paid_at`
	couponsWithOrders = `coupons c LEFT JOIN orders o ON o.coupon_id = c.id`
)

// couponTemplates keeps coupon templates parsed, by their JSON: every coupon
// of a pack carries the same few templates, and every checkout with a coupon
// reads one. The templates returned share their slices: callers never change
// them in place.
var couponTemplates sync.Map // template JSON → promo.Template

func scanCoupon(r scanner) (promo.Coupon, error) {
	var row couponRow
	if err := r.Scan(row.fields()...); err != nil {
		return promo.Coupon{}, err
	}
	return row.coupon()
}

// couponRow is a coupon's columns as scanned (couponColumns).
type couponRow struct {
	cp       promo.Coupon
	template string
	used     sql.NullTime
}

func (r *couponRow) fields() []any {
	return []any{&r.cp.ID, &r.cp.CampaignID, &r.cp.OwnerOrgID, &r.template, &r.cp.ClaimedAt, &r.cp.ValidFrom, &r.cp.ValidUntil, &r.cp.OrderID, &r.used}
}

// coupon is the coupon scanned, its template parsed once.
func (r *couponRow) coupon() (promo.Coupon, error) {
	cp := r.cp
	cp.UsedAt = r.used.Time
	if parsed, ok := couponTemplates.Load(r.template); ok {
		cp.Template = parsed.(promo.Template)
		return cp, nil
	}
	err := json.Unmarshal([]byte(r.template), &cp.Template)
	if err == nil {
		couponTemplates.Store(r.template, cp.Template)
	}
	return cp, err
}

// CouponAndCampaign returns a coupon and its campaign, read together
// (checkout needs both).
//
// Errors: NotFound (error.coupon_unknown, on coupon_id).
func (q *queries) CouponAndCampaign(ctx context.Context, couponID string) (promo.Coupon, Campaign, error) {
	var cr couponRow
	var kr campaignRow
	err := q.q.QueryRowContext(ctx, `SELECT `+couponColumns+`, `+prefixed("k", campaignColumns)+` FROM `+couponsWithOrders+`
		JOIN campaigns k ON k.id = c.campaign_id WHERE c.id = $1`, couponID).Scan(append(cr.fields(), kr.fields()...)...)
	if errNoRows(err) {
		e := *errNoCoupon
		return promo.Coupon{}, Campaign{}, &e
	}
	if err != nil {
		return promo.Coupon{}, Campaign{}, err
	}
	cp, err := cr.coupon()
	if err != nil {
		return cp, Campaign{}, err
	}
	c, err := kr.campaign()
	return cp, c, err
}

// Coupons lists the organisation's coupons, of one campaign when campaignID
// is not "", the newest claims first.
func (q *queries) Coupons(ctx context.Context, ownerOrgID, campaignID string) ([]promo.Coupon, error) {
	return list(ctx, q.q, scanCoupon, `SELECT `+couponColumns+` FROM `+couponsWithOrders+`
		WHERE c.owner_org_id = $1 AND ($2 = '' OR c.campaign_id = $2) ORDER BY c.claimed_at DESC, c.id`, ownerOrgID, campaignID)
}

// OrderCoupons returns the coupons the orders were paid with, by order id.
func (q *queries) OrderCoupons(ctx context.Context, orderIDs []string) (map[string]promo.Coupon, error) {
	out := map[string]promo.Coupon{}
	for run := range runs(orderIDs) {
		in, args := inList(run)
		cps, err := list(ctx, q.q, scanCoupon, `SELECT `+couponColumns+` FROM coupons c JOIN orders o ON o.coupon_id = c.id
			WHERE o.id IN (`+in+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, cp := range cps {
			out[cp.OrderID] = cp
		}
	}
	return out, nil
}

// CouponsUsed counts the campaign's coupons used on orders.
func (q *queries) CouponsUsed(ctx context.Context, campaignID string) (int, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM orders o JOIN coupons c ON c.id = o.coupon_id WHERE c.campaign_id = $1`, campaignID).Scan(&n)
	return n, err
}

// ChargeBudget counts a discount against the campaign's budget, only if it
// fits what is left.
//
// Errors: Conflict (error.budget_spent).
func (tx *Tx) ChargeBudget(ctx context.Context, campaignID string, discount money.Amount) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE campaigns SET budget_used_minor = budget_used_minor + $2
		WHERE id = $1 AND currency = $3 AND budget_used_minor + $2 <= budget_minor`, campaignID, discount.Minor, discount.Currency)
	if changed, err := changedOne(res, err); err != nil || changed {
		return err
	}
	e := *errBudgetSpent
	return &e
}

// AddCampaignEntry appends an entry to the campaign ledger and adds its
// amount to the customer's cached total, unless an entry with its key is
// there already (a replayed event): then nothing changes and added is false.
func (tx *Tx) AddCampaignEntry(ctx context.Context, e promo.Entry) (added bool, err error) {
	got, err := tx.AddCampaignEntries(ctx, []promo.Entry{e})
	return len(got) == 1, err
}

// AddCampaignEntries appends entries to the campaign ledger and adds their
// amounts to their customers' cached totals, leaving out each entry whose
// key is there already (a replayed event). It returns the entries added.
//
// The rows are written a few statements for all (checkout counts the orders
// of a group commit together): the entries in runs of at most 64 rows, then
// one row of totals for each customer and campaign.
func (tx *Tx) AddCampaignEntries(ctx context.Context, entries []promo.Entry) ([]promo.Entry, error) {
	var added []promo.Entry
	for run := range runs(entries) {
		rows := make([][]any, len(run))
		for i, e := range run {
			rows[i] = []any{e.CampaignID, e.Kind, e.Ref, e.CustomerOrgID, e.OrderID, e.Amount.Currency, e.Amount.Minor, e.At}
		}
		type key struct {
			campaign string
			kind     promo.EntryKind
			ref      string
		}
		inserted, err := list(ctx, tx.q, func(r scanner) (k key, err error) { return k, r.Scan(&k.campaign, &k.kind, &k.ref) },
			insertText("campaign_entries", "campaign_id, kind, ref, customer_org_id, order_id, currency, amount_minor, at", len(rows[0]), len(rows),
				" ON CONFLICT (campaign_id, kind, ref) DO NOTHING RETURNING campaign_id, kind, ref"), flat(rows)...)
		if err != nil {
			return nil, err
		}
		for _, e := range run { // the run's entries that were inserted, in their order
			if len(inserted) == len(run) || slices.Contains(inserted, key{e.CampaignID, e.Kind, e.Ref}) {
				added = append(added, e)
			}
		}
	}
	totals := participantTotals(added)
	var rows [][]any
	for _, t := range totals {
		if t.Amount.Minor < 0 { // refunds: of orders counted, so the participant exists
			res, err := tx.q.ExecContext(ctx, `UPDATE campaign_participants SET total_minor = total_minor + $3, updated_at = $4
				WHERE campaign_id = $1 AND customer_org_id = $2`, t.CampaignID, t.CustomerOrgID, t.Amount.Minor, t.At)
			if changed, err := changedOne(res, err); err != nil || !changed {
				if err == nil {
					err = fmt.Errorf("store: a refund entry in campaign %s for %s, who has no total", t.CampaignID, t.CustomerOrgID)
				}
				return nil, err
			}
		} else if t.Amount.Minor > 0 {
			rows = append(rows, []any{t.CampaignID, t.CustomerOrgID, t.Amount.Currency, t.Amount.Minor, t.At})
		}
	}
	for run := range runs(rows) {
		if _, err := insertRows(ctx, tx.q, "campaign_participants", "campaign_id, customer_org_id, currency, total_minor, updated_at", run,
			` ON CONFLICT (campaign_id, customer_org_id) DO UPDATE SET total_minor = campaign_participants.total_minor + excluded.total_minor,
				updated_at = excluded.updated_at`); err != nil {
			return nil, err
		}
	}
	return added, nil
}

// participantTotals sums entries by campaign and customer, in the order of
// their keys (so that PostgreSQL locks the rows in one order), each at the
// time of its latest entry.
func participantTotals(entries []promo.Entry) []promo.Entry {
	byKey := map[[2]string]promo.Entry{}
	for _, e := range entries {
		k := [2]string{e.CampaignID, e.CustomerOrgID}
		t, ok := byKey[k]
		if !ok {
			byKey[k] = e
			continue
		}
		t.Amount.Minor += e.Amount.Minor
		if e.At.After(t.At) {
			t.At = e.At
		}
		byKey[k] = t
	}
	keys := slices.SortedFunc(maps.Keys(byKey), func(a, b [2]string) int {
		return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1]))
	})
	out := make([]promo.Entry, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out
}

const entryColumns = `campaign_id, customer_org_id, kind, ref, order_id, currency, amount_minor, at`

func scanEntry(r scanner) (e promo.Entry, err error) {
	err = r.Scan(&e.CampaignID, &e.CustomerOrgID, &e.Kind, &e.Ref, &e.OrderID, &e.Amount.Currency, &e.Amount.Minor, &e.At)
	return e, err
}

// CampaignEntries lists a customer's entries in a campaign, oldest first.
func (q *queries) CampaignEntries(ctx context.Context, campaignID, customerOrgID string) ([]promo.Entry, error) {
	return list(ctx, q.q, scanEntry, `SELECT `+entryColumns+` FROM campaign_entries
		WHERE campaign_id = $1 AND customer_org_id = $2 ORDER BY at, kind, ref`, campaignID, customerOrgID)
}

// OrderEntry returns the campaign ledger entry that counted the order, if it
// counted toward a campaign.
func (q *queries) OrderEntry(ctx context.Context, orderID string) (promo.Entry, bool, error) {
	e, err := scanEntry(q.q.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM campaign_entries WHERE order_id = $1 AND kind = 'order'`, orderID))
	if errNoRows(err) {
		return e, false, nil
	}
	return e, err == nil, err
}

// Participant is a customer's standing in a campaign as cached: its total and
// the gift it redeemed.
type Participant struct {
	CampaignID    string
	CustomerOrgID string
	CustomerName  string
	Total         money.Amount
	// Redeemed is the gift redeemed, with what was deducted of its value so
	// far; nil when none.
	Redeemed  *promo.Redemption
	UpdatedAt time.Time
}

const participantColumns = `p.campaign_id, p.customer_org_id, o.name, p.currency, p.total_minor, COALESCE(p.gift_id, ''), COALESCE(p.gift_tier, 0),
	COALESCE(p.threshold_minor, 0), COALESCE(p.gift_value_minor, 0), p.deducted_minor, p.updated_at`

func scanParticipant(r scanner) (p Participant, err error) {
	var gift string
	var red promo.Redemption
	var cur money.Currency
	if err = r.Scan(&p.CampaignID, &p.CustomerOrgID, &p.CustomerName, &cur, &p.Total.Minor, &gift, &red.Tier,
		&red.Threshold.Minor, &red.Value.Minor, &red.Deducted.Minor, &p.UpdatedAt); err != nil {
		return p, err
	}
	p.Total.Currency, red.Threshold.Currency, red.Value.Currency, red.Deducted.Currency = cur, cur, cur, cur
	if gift != "" {
		red.GiftID = gift
		p.Redeemed = &red
	}
	return p, nil
}

// Participant returns the customer's standing in the campaign; found is
// false when it has none (nothing counted yet).
func (q *queries) Participant(ctx context.Context, campaignID, customerOrgID string) (p Participant, found bool, err error) {
	p, err = scanParticipant(q.q.QueryRowContext(ctx, `SELECT `+participantColumns+`
		FROM campaign_participants p JOIN orgs o ON o.id = p.customer_org_id
		WHERE p.campaign_id = $1 AND p.customer_org_id = $2`, campaignID, customerOrgID))
	if errNoRows(err) {
		return p, false, nil
	}
	return p, err == nil, err
}

// LockParticipant takes the customer's row in the campaign for the
// transaction (PostgreSQL makes a concurrent writer wait; SQLite has one
// writer) and returns it, so a refund and a redemption at once each see the
// other's result.
func (tx *Tx) LockParticipant(ctx context.Context, campaignID, customerOrgID string) (Participant, bool, error) {
	if _, err := tx.q.ExecContext(ctx, `UPDATE campaign_participants SET total_minor = total_minor
		WHERE campaign_id = $1 AND customer_org_id = $2`, campaignID, customerOrgID); err != nil {
		return Participant{}, false, err
	}
	return tx.Participant(ctx, campaignID, customerOrgID)
}

// Participants lists a campaign's participants, the highest totals first.
func (q *queries) Participants(ctx context.Context, campaignID string) ([]Participant, error) {
	return list(ctx, q.q, scanParticipant, `SELECT `+participantColumns+`
		FROM campaign_participants p JOIN orgs o ON o.id = p.customer_org_id
		WHERE p.campaign_id = $1 ORDER BY p.total_minor DESC, p.customer_org_id`, campaignID)
}

// AddDeducted adds what a refund kept back of the redeemed gift's value to
// the participant's deducted amount, never beyond the gift's value.
func (tx *Tx) AddDeducted(ctx context.Context, campaignID, customerOrgID string, deduct money.Amount, at time.Time) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE campaign_participants SET deducted_minor = deducted_minor + $3, updated_at = $4
		WHERE campaign_id = $1 AND customer_org_id = $2 AND gift_id IS NOT NULL AND deducted_minor + $3 <= gift_value_minor`,
		campaignID, customerOrgID, deduct.Minor, at)
	if changed, err := changedOne(res, err); err != nil || changed {
		return err
	}
	return fmt.Errorf("store: a deduction of %s beyond the gift's value in campaign %s", deduct, campaignID)
}

// ShippingAddress is where a redeemed gift is sent.
type ShippingAddress struct {
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	Province string `json:"province"`
	City     string `json:"city"`
	Address  string `json:"address"` // district, street and number
	Postcode string `json:"postcode"`
}

// RedemptionState is how far a redeemed gift has got.
type RedemptionState string

const (
	AwaitingShipment RedemptionState = "awaiting_shipment"
	Shipped          RedemptionState = "shipped"
	Delivered        RedemptionState = "delivered"
)

// Redemption is a gift a customer redeemed, and its shipping.
type Redemption struct {
	ID            string
	CampaignID    string
	CustomerOrgID string
	CustomerName  string // filled in on reading
	promo.Redemption
	Address     ShippingAddress
	State       RedemptionState
	Carrier     string
	Tracking    string
	RedeemedBy  string // the buyer's user id
	RedeemedAt  time.Time
	ShippedAt   time.Time
	DeliveredAt time.Time
}

// Redeem records a redemption, with the limits it must meet decided here:
// the customer's cached total is at or above the gift's tier's threshold and
// it has redeemed nothing (one conditional UPDATE of its participant row,
// which a concurrent refund also takes), a unit of the gift's stock is left
// (a conditional UPDATE), and the redemption is its only one in the campaign
// (a unique key).
//
// Errors: InvalidState (error.tier_not_reached); Conflict
// (error.gift_redeemed, error.out_of_stock).
func (tx *Tx) Redeem(ctx context.Context, r Redemption) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE campaign_participants
		SET gift_id = $3, gift_tier = $4, threshold_minor = $5, gift_value_minor = $6, deducted_minor = 0, updated_at = $7
		WHERE campaign_id = $1 AND customer_org_id = $2 AND gift_id IS NULL AND total_minor >= $5`,
		r.CampaignID, r.CustomerOrgID, r.GiftID, r.Tier, r.Threshold.Minor, r.Value.Minor, r.RedeemedAt)
	changed, err := changedOne(res, err)
	if err != nil {
		return err
	}
	if !changed {
		p, found, err := tx.Participant(ctx, r.CampaignID, r.CustomerOrgID)
		switch {
		case err != nil:
			return err
		case found && p.Redeemed != nil:
			e := *errGiftRedeemed
			return &e
		}
		e := *errTierNotYet
		return &e
	}
	res, err = tx.q.ExecContext(ctx, `UPDATE campaign_gifts SET units_left = units_left - 1
		WHERE campaign_id = $1 AND gift_id = $2 AND units_left > 0`, r.CampaignID, r.GiftID)
	if changed, err := changedOne(res, err); err != nil || !changed {
		if err == nil {
			e := *errOutOfStock
			err = &e
		}
		return err
	}
	address, err := json.Marshal(r.Address)
	if err != nil {
		return err
	}
	_, err = tx.q.ExecContext(ctx, `INSERT INTO campaign_redemptions (id, campaign_id, customer_org_id, gift_id, tier, currency,
			threshold_minor, value_minor, address, state, carrier, tracking, redeemed_by, redeemed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', '', $11, $12)`,
		r.ID, r.CampaignID, r.CustomerOrgID, r.GiftID, r.Tier, r.Threshold.Currency, r.Threshold.Minor, r.Value.Minor,
		string(address), AwaitingShipment, nullable(r.RedeemedBy), r.RedeemedAt)
	return domainError(err)
}

const redemptionColumns = `r.id, r.campaign_id, r.customer_org_id, o.name, r.gift_id, r.tier, r.currency, r.threshold_minor, r.value_minor,
	r.address, r.state, r.carrier, r.tracking, COALESCE(r.redeemed_by, ''), r.redeemed_at, r.shipped_at, r.delivered_at`

func scanRedemption(row scanner) (r Redemption, err error) {
	var address string
	var cur money.Currency
	var shipped, delivered sql.NullTime
	if err = row.Scan(&r.ID, &r.CampaignID, &r.CustomerOrgID, &r.CustomerName, &r.GiftID, &r.Tier, &cur, &r.Threshold.Minor, &r.Value.Minor,
		&address, &r.State, &r.Carrier, &r.Tracking, &r.RedeemedBy, &r.RedeemedAt, &shipped, &delivered); err != nil {
		return r, err
	}
	r.Threshold.Currency, r.Value.Currency, r.Deducted = cur, cur, money.New(0, cur)
	r.ShippedAt, r.DeliveredAt = shipped.Time, delivered.Time
	return r, json.Unmarshal([]byte(address), &r.Address)
}

// Redemption returns a redemption.
//
// Errors: NotFound.
func (q *queries) Redemption(ctx context.Context, id string) (Redemption, error) {
	r, err := scanRedemption(q.q.QueryRowContext(ctx, `SELECT `+redemptionColumns+`
		FROM campaign_redemptions r JOIN orgs o ON o.id = r.customer_org_id WHERE r.id = $1`, id))
	if errNoRows(err) {
		return r, errNoRedemption
	}
	return r, err
}

// Redemptions lists a campaign's redemptions (of one customer when
// customerOrgID is not ""), oldest first.
func (q *queries) Redemptions(ctx context.Context, campaignID, customerOrgID string) ([]Redemption, error) {
	return list(ctx, q.q, scanRedemption, `SELECT `+redemptionColumns+`
		FROM campaign_redemptions r JOIN orgs o ON o.id = r.customer_org_id
		WHERE r.campaign_id = $1 AND ($2 = '' OR r.customer_org_id = $2) ORDER BY r.redeemed_at, r.id`, campaignID, customerOrgID)
}

// MoveRedemption stores a redemption's shipping step from the state `from`:
// made only if it is still in that state, so of two steps at once one applies.
//
// Errors: Conflict (error.changed_meanwhile); NotFound.
func (tx *Tx) MoveRedemption(ctx context.Context, from RedemptionState, r Redemption) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE campaign_redemptions SET state = $3, carrier = $4, tracking = $5, shipped_at = $6, delivered_at = $7
		WHERE id = $1 AND state = $2`, r.ID, from, r.State, r.Carrier, r.Tracking, nullTime(r.ShippedAt), nullTime(r.DeliveredAt))
	if changed, err := changedOne(res, err); err != nil || changed {
		return err
	}
	if _, err := tx.Redemption(ctx, r.ID); err != nil {
		return err
	}
	return &fault.Error{Code: fault.Conflict, MsgID: "error.changed_meanwhile", Message: "the redemption changed meanwhile: reload it"}
}

// AddAdmission records an account manager's admission of a customer.
//
// Errors: Conflict (error.admitted_already) while another is in force.
func (tx *Tx) AddAdmission(ctx context.Context, id string, a promo.Admission) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO campaign_admissions (id, campaign_id, customer_org_id, admitted_by, note, admitted_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, a.CampaignID, a.CustomerOrgID, a.By, a.Note, a.At)
	return domainError(err)
}

// RevokeAdmission ends the admission in force of the customer to the
// campaign.
//
// Errors: NotFound (error.not_admitted) when none is in force.
func (tx *Tx) RevokeAdmission(ctx context.Context, campaignID, customerOrgID, by, note string, at time.Time) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE campaign_admissions SET revoked_by = $3, revoke_note = $4, revoked_at = $5
		WHERE campaign_id = $1 AND customer_org_id = $2 AND revoked_at IS NULL`, campaignID, customerOrgID, by, note, at)
	if changed, err := changedOne(res, err); err != nil || changed {
		return err
	}
	return &fault.Error{Code: fault.NotFound, MsgID: "error.not_admitted", Message: "this customer is not admitted to the campaign"}
}

// Admissions lists the admissions to the campaign, of one customer when
// customerOrgID is not "", oldest first.
func (q *queries) Admissions(ctx context.Context, campaignID, customerOrgID string) ([]promo.Admission, error) {
	return list(ctx, q.q, func(r scanner) (a promo.Admission, err error) {
		var revokedBy sql.NullString
		var revokedAt sql.NullTime
		err = r.Scan(&a.CampaignID, &a.CustomerOrgID, &a.By, &a.Note, &a.At, &revokedBy, &a.RevokeNote, &revokedAt)
		a.RevokedBy, a.RevokedAt = revokedBy.String, revokedAt.Time
		return a, err
	}, `SELECT campaign_id, customer_org_id, admitted_by, note, admitted_at, revoked_by, revoke_note, revoked_at
		FROM campaign_admissions WHERE campaign_id = $1 AND ($2 = '' OR customer_org_id = $2) ORDER BY admitted_at, id`, campaignID, customerOrgID)
}

// AddSegmentChange records that the customer's segment is seg from at on (by:
// the user who changed it, "" for the system).
func (tx *Tx) AddSegmentChange(ctx context.Context, orgID string, seg account.Segment, at time.Time, by string) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO segment_changes (org_id, segment, at, changed_by) VALUES ($1, $2, $3, $4)`,
		orgID, seg, at, nullable(by))
	return domainError(err)
}

// SegmentChanges lists the customer's segment changes, oldest first. A
// customer with none recorded (made in bulk, bypassing the market) has had
// its segment since it was created: that is its one change.
func (q *queries) SegmentChanges(ctx context.Context, orgID string) ([]promo.SegmentChange, error) {
	histories, err := q.SegmentHistories(ctx, []string{orgID})
	return histories[orgID], err
}

// SegmentHistories is SegmentChanges for many organisations at once (in runs
// of at most 64), by organisation.
func (q *queries) SegmentHistories(ctx context.Context, orgIDs []string) (map[string][]promo.SegmentChange, error) {
	type change struct {
		org string
		promo.SegmentChange
	}
	out := map[string][]promo.SegmentChange{}
	for run := range runs(slices.Compact(slices.Sorted(slices.Values(orgIDs)))) {
		in, args := inList(run)
		changes, err := list(ctx, q.q, func(r scanner) (c change, err error) { return c, r.Scan(&c.org, &c.Segment, &c.At) },
			`SELECT org_id, segment, at FROM segment_changes WHERE org_id IN (`+in+`)
			UNION ALL
			SELECT id, segment, created_at FROM orgs WHERE id IN (`+in+`) AND segment IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM segment_changes WHERE org_id = orgs.id)
			ORDER BY 1, 3`, args...)
		if err != nil {
			return nil, err
		}
		for _, c := range changes {
			out[c.org] = append(out[c.org], c.SegmentChange)
		}
	}
	return out, nil
}

// CampaignCheck is what CheckCampaigns found: every disagreement between the
// campaign ledger and what is cached or counted from it.
type CampaignCheck struct {
	Campaigns    int
	Participants int
	Entries      int
	// Mismatched lists each disagreement in words: a participant's cached
	// total against the sum of its entries, a campaign's packs claimed
	// against its claims, its budget used against its coupons' discounts, a
	// gift's units left against its redemptions.
	Mismatched []string
}

// Sound reports whether everything agreed.
func (c CampaignCheck) Sound() bool { return len(c.Mismatched) == 0 }

// CheckCampaigns recomputes from the campaign ledger and the rows it counts
// what is cached, and compares.
func (q *queries) CheckCampaigns(ctx context.Context) (CampaignCheck, error) {
	var c CampaignCheck
	if err := q.q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM campaigns), (SELECT COUNT(*) FROM campaign_participants),
		(SELECT COUNT(*) FROM campaign_entries)`).Scan(&c.Campaigns, &c.Participants, &c.Entries); err != nil {
		return c, err
	}
	text := func(r scanner) (s string, err error) { return s, r.Scan(&s) }
	checks := []string{
		// A participant's cached total against its entries, and entries
		// without a participant.
		`SELECT 'participant ' || p.campaign_id || '/' || p.customer_org_id || ': total ' || CAST(p.total_minor AS TEXT) ||
			', entries ' || CAST(COALESCE(e.total, 0) AS TEXT)
		FROM campaign_participants p LEFT JOIN (SELECT campaign_id, customer_org_id, SUM(amount_minor) AS total FROM campaign_entries
			GROUP BY campaign_id, customer_org_id) e ON e.campaign_id = p.campaign_id AND e.customer_org_id = p.customer_org_id
		WHERE p.total_minor <> COALESCE(e.total, 0)`,
		`SELECT 'entries of ' || e.campaign_id || '/' || e.customer_org_id || ' without a participant'
		FROM campaign_entries e LEFT JOIN campaign_participants p ON p.campaign_id = e.campaign_id AND p.customer_org_id = e.customer_org_id
		WHERE p.campaign_id IS NULL GROUP BY e.campaign_id, e.customer_org_id`,
		`SELECT 'campaign ' || c.id || ': packs_claimed ' || CAST(c.packs_claimed AS TEXT) || ', claims ' ||
			CAST((SELECT COUNT(*) FROM campaign_pack_claims k WHERE k.campaign_id = c.id) AS TEXT)
		FROM campaigns c WHERE c.packs_claimed <> (SELECT COUNT(*) FROM campaign_pack_claims k WHERE k.campaign_id = c.id)`,
		`SELECT 'campaign ' || c.id || ': budget_used ' || CAST(c.budget_used_minor AS TEXT) || ', coupon discounts ' ||
			CAST(COALESCE((SELECT SUM(o.discount_minor) FROM orders o JOIN coupons k ON k.id = o.coupon_id WHERE k.campaign_id = c.id), 0) AS TEXT)
		FROM campaigns c
		WHERE c.budget_used_minor <> COALESCE((SELECT SUM(o.discount_minor) FROM orders o JOIN coupons k ON k.id = o.coupon_id WHERE k.campaign_id = c.id), 0)`,
		`SELECT 'gift ' || g.campaign_id || '/' || g.gift_id || ': ' || CAST(g.stock - g.units_left AS TEXT) || ' units taken, redemptions ' ||
			CAST((SELECT COUNT(*) FROM campaign_redemptions r WHERE r.campaign_id = g.campaign_id AND r.gift_id = g.gift_id) AS TEXT)
		FROM campaign_gifts g
		WHERE g.stock - g.units_left <> (SELECT COUNT(*) FROM campaign_redemptions r WHERE r.campaign_id = g.campaign_id AND r.gift_id = g.gift_id)`,
		`SELECT 'redemption ' || r.id || ': not on its participant'
		FROM campaign_redemptions r LEFT JOIN campaign_participants p ON p.campaign_id = r.campaign_id AND p.customer_org_id = r.customer_org_id
		WHERE p.gift_id IS NULL OR p.gift_id <> r.gift_id`,
	}
	for _, query := range checks {
		found, err := list(ctx, q.q, text, query)
		if err != nil {
			return c, err
		}
		c.Mismatched = append(c.Mismatched, found...)
	}
	return c, nil
}
