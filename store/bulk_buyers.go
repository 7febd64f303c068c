package store

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
)

// Bulk buyers are for benchmarks and tests ONLY, like BulkLoad: no
// validation, no audit log, no notifications. Balances are the exception to
// nothing: they move only through the ledger (Post), as everywhere else.

// BulkBuyer is a customer organisation with one buyer, who cannot sign in with
// a password (it has none) but may hold a personal API token.
type BulkBuyer struct {
	OrgID, Name   string // the customer organisation (segment direct)
	UserID, Email string // its buyer
	// Token, when its ID is set, is stored for the user under TokenHash (see
	// account.HashToken), whether the buyer is new or not.
	Token     account.Token
	TokenHash string
	// Balance, when above zero, is what the organisation's balance in its
	// currency is topped up to if it holds less: a top_up posting from
	// funding, as an operator's top-up makes.
	Balance money.Amount
}

// BulkBuyersReport says what BulkBuyers did.
type BulkBuyersReport struct {
	Created  int          // organisations created (the others existed)
	ToppedUp int          // balances topped up
	Posted   money.Amount // their total, in the currency of the last one
}

// BulkBuyers creates the buyers whose organisation does not exist, stores
// their tokens and tops up their balances, in transactions of
// DefaultBulkBatch buyers, committed one after the other.
func (s *Store) BulkBuyers(ctx context.Context, buyers []BulkBuyer) (BulkBuyersReport, error) {
	var r BulkBuyersReport
	for from := 0; from < len(buyers); from += DefaultBulkBatch {
		batch := buyers[from:min(from+DefaultBulkBatch, len(buyers))]
		var b BulkBuyersReport
		err := s.Write(ctx, func(tx *Tx) error {
			b = BulkBuyersReport{}
			now := time.Now().UTC().Truncate(time.Microsecond)
			for _, bb := range batch {
				if err := tx.bulkBuyer(ctx, bb, now, &b); err != nil {
					return fmt.Errorf("buyer %s: %w", bb.OrgID, err)
				}
			}
			return nil
		})
		if err != nil {
			return r, fmt.Errorf("store: bulk buyers: %w", err)
		}
		r.Created += b.Created
		r.ToppedUp += b.ToppedUp
		r.Posted.Minor += b.Posted.Minor
		if b.Posted.Currency != "" {
			r.Posted.Currency = b.Posted.Currency
		}
	}
	return r, nil
}

func (tx *Tx) bulkBuyer(ctx context.Context, b BulkBuyer, at time.Time, r *BulkBuyersReport) error {
	if _, err := tx.Org(ctx, b.OrgID); fault.Is(err, fault.NotFound) {
		if err := tx.CreateOrg(ctx, account.Org{ID: b.OrgID, Kind: account.KindCustomer, Name: b.Name, Segment: account.SegmentDirect, CreatedAt: at}); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, account.User{ID: b.UserID, Email: b.Email, DisplayName: b.Name, CreatedAt: at}, ""); err != nil {
			return err
		}
		if err := tx.AddMembership(ctx, b.OrgID, b.UserID, account.RoleBuyer, at); err != nil {
			return err
		}
		r.Created++
	} else if err != nil {
		return err
	}
	if b.Token.ID != "" {
		if err := tx.CreateToken(ctx, b.Token, b.TokenHash); err != nil {
			return err
		}
	}
	if b.Balance.Minor <= 0 {
		return nil
	}
	bs, err := tx.Balances(ctx, b.OrgID)
	if err != nil {
		return err
	}
	have := money.New(0, b.Balance.Currency)
	for _, x := range bs {
		if x.Amount.Currency == b.Balance.Currency {
			have = x.Amount
		}
	}
	if have.Minor >= b.Balance.Minor {
		return nil
	}
	amount := money.New(b.Balance.Minor-have.Minor, b.Balance.Currency)
	id := ids.New("pst")
	if err := tx.Post(ctx, ledger.Posting{ID: id, Kind: ledger.TopUp, Ref: "top_up:" + b.OrgID + ":bulk-" + id, Memo: "bulk top-up for a benchmark",
		CreatedAt: at, Entries: []ledger.Entry{{Account: ledger.Funding, Amount: amount.Neg()}, {Account: ledger.Customer(b.OrgID), Amount: amount}}}); err != nil {
		return err
	}
	r.ToppedUp++
	r.Posted = money.New(r.Posted.Minor+amount.Minor, amount.Currency)
	return nil
}

// OrderTally counts the orders placed at or after a time, for a benchmark's
// final check.
type OrderTally struct {
	Orders      int // placed
	Paid        int // of those, paid (whatever their delivery's state since)
	NotPaidOnce int // of those, with no payment posting or more than one
}

// TallyOrders counts the orders placed at or after since.
func (q *queries) TallyOrders(ctx context.Context, since time.Time) (OrderTally, error) {
	var t OrderTally
	err := q.q.QueryRowContext(ctx, `
		SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN o.paid_at IS NOT NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN (SELECT COUNT(*) FROM postings p WHERE p.ref = o.id AND p.kind = 'payment') <> 1 THEN 1 ELSE 0 END), 0)
		FROM orders o WHERE o.placed_at >= $1`, since.UTC()).Scan(&t.Orders, &t.Paid, &t.NotPaidOnce)
	return t, err
}
