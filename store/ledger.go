package store

import (
	"context"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
)

// Post records a balanced posting and applies its customer entries to the
// balances, and its test-credit entries to the test balances (never below
// zero), in the caller's transaction. A debit the balance and its credit
// limit do not cover fails with InsufficientFunds: the conditional UPDATE
// decides on the row as it is when the statement runs (PostgreSQL re-reads a
// row a concurrent transaction changed; SQLite has one writer), so concurrent
// payments never take a balance past its limit.
//
// Errors: Invalid (an unbalanced posting); InsufficientFunds.
func (tx *Tx) Post(ctx context.Context, p ledger.Posting) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if _, err := tx.q.ExecContext(ctx, `INSERT INTO postings (id, kind, ref, memo, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
		p.ID, p.Kind, p.Ref, p.Memo, p.CreatedAt, nullable(p.CreatedBy)); err != nil {
		return err
	}
	rows := make([][]any, len(p.Entries))
	for i, e := range p.Entries {
		rows[i] = []any{p.ID, i + 1, e.Account, e.Amount.Currency, e.Amount.Minor}
	}
	if _, err := insertRows(ctx, tx.q, "ledger_entries", "posting_id, line, account, currency, amount_minor", rows, ""); err != nil {
		return err
	}
	for _, e := range p.Entries {
		if e.Account == ledger.Customer(e.Account.Org()) {
			if err := tx.applyToBalance(ctx, e.Account.Org(), e.Amount, p.CreatedAt); err != nil {
				return err
			}
		} else if e.Account == ledger.TestCredit(e.Account.Org()) {
			if err := tx.applyToTestBalance(ctx, e.Account.Org(), e.Amount, p.Kind, p.CreatedAt); err != nil {
				return err
			}
		}
	}
	return nil
}

func (tx *Tx) applyToBalance(ctx context.Context, orgID string, amount money.Amount, at time.Time) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE balances SET balance_minor = balance_minor + $3, updated_at = $4
		WHERE org_id = $1 AND currency = $2 AND balance_minor + $3 >= -credit_limit_minor`, orgID, amount.Currency, amount.Minor, at)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var exists int
	if err := tx.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM balances WHERE org_id = $1 AND currency = $2`, orgID, amount.Currency).Scan(&exists); err != nil {
		return err
	}
	if exists > 0 || amount.IsNegative() {
		return fault.New(fault.InsufficientFunds, "the balance in %s does not cover %s", amount.Currency, amount.Neg().Decimal())
	}
	_, err = tx.q.ExecContext(ctx, `INSERT INTO balances (org_id, currency, balance_minor, credit_limit_minor, updated_at) VALUES ($1, $2, $3, 0, $4)`,
		orgID, amount.Currency, amount.Minor, at)
	return err
}

// Balance is a customer organisation's money in one currency.
type Balance struct {
	OrgID       string
	Amount      money.Amount // negative when it uses its credit
	CreditLimit money.Amount
	UpdatedAt   time.Time
}

// Balances lists an organisation's balances, by currency.
func (q *queries) Balances(ctx context.Context, orgID string) ([]Balance, error) {
	return list(ctx, q.q, func(r scanner) (b Balance, err error) {
		err = r.Scan(&b.OrgID, &b.Amount.Currency, &b.Amount.Minor, &b.CreditLimit.Minor, &b.UpdatedAt)
		b.CreditLimit.Currency = b.Amount.Currency
		return b, err
	}, `SELECT org_id, currency, balance_minor, credit_limit_minor, updated_at FROM balances WHERE org_id = $1 ORDER BY currency`, orgID)
}

// LedgerCheck is what CheckLedger found: postings that do not balance, and
// balances that differ from the sum of their account's entries.
type LedgerCheck struct {
	Postings   int
	Unbalanced []string // posting ids
	Mismatched []string // "org currency"
}

// Balanced reports whether the ledger is sound.
func (c LedgerCheck) Balanced() bool { return len(c.Unbalanced) == 0 && len(c.Mismatched) == 0 }

// CheckLedger verifies the whole ledger: every posting sums to zero per
// currency, and every balance (and test balance) equals its entries.
func (q *queries) CheckLedger(ctx context.Context) (LedgerCheck, error) {
	var c LedgerCheck
	if err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM postings`).Scan(&c.Postings); err != nil {
		return c, err
	}
	var err error
	if c.Unbalanced, err = list(ctx, q.q, func(r scanner) (id string, err error) { return id, r.Scan(&id) },
		`SELECT posting_id FROM ledger_entries GROUP BY posting_id, currency HAVING SUM(amount_minor) <> 0`); err != nil {
		return c, err
	}
	c.Mismatched, err = list(ctx, q.q, func(r scanner) (s string, err error) {
		var org, cur string
		err = r.Scan(&org, &cur)
		return org + " " + cur, err
	}, `SELECT b.org_id, b.currency FROM balances b
		WHERE b.balance_minor <> COALESCE((SELECT SUM(e.amount_minor) FROM ledger_entries e
			WHERE e.account = 'customer:' || b.org_id AND e.currency = b.currency), 0)`)
	if err != nil {
		return c, err
	}
	tests, err := q.CheckTestBalances(ctx)
	for _, org := range tests {
		c.Mismatched = append(c.Mismatched, org+" test_credit")
	}
	return c, err
}

// PostingsWithRef counts the postings made for a reference.
func (q *queries) PostingsWithRef(ctx context.Context, ref string) (int, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM postings WHERE ref = $1`, ref).Scan(&n)
	return n, err
}
