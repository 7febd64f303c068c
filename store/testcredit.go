package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/testcredit"
)

// errTestCreditCap refuses a request the cap does not leave room for.
var errTestCreditCap = &fault.Error{Code: fault.RequirementsNotMet, Field: "amount", MsgID: "error.test_credit_cap",
	Message: "your requests, pending and approved, may come to at most USD 1,000.00 in all",
	Details: []fault.Detail{{ID: "test_credit_cap", Message: "pending and approved test credit together at most USD 1,000.00"}}}

// ErrTestCreditKeyTaken says a request with the organisation's
// Idempotency-Key exists already (one made at the same time won): the
// caller reads that one instead.
var ErrTestCreditKeyTaken = &fault.Error{Code: fault.Conflict, MsgID: "error.idempotency_conflict", Message: "a request with this Idempotency-Key exists already"}

// AddTestCreditRequest records a pending request and holds its amount under
// the seller's cap, in one transaction: the seller's row is raised only
// while the sum stays within testcredit.Cap (a conditional UPDATE, checked
// by rows affected; PostgreSQL re-reads a row a concurrent transaction
// changed, SQLite has one writer), so concurrent requests never pass it.
//
// Errors: RequirementsNotMet (error.test_credit_cap);
// ErrTestCreditKeyTaken.
func (tx *Tx) AddTestCreditRequest(ctx context.Context, r testcredit.Request, key string) error {
	if _, err := tx.q.ExecContext(ctx, `INSERT INTO test_credit_sellers (org_id, held_minor, balance_minor, updated_at)
		VALUES ($1, 0, 0, $2) ON CONFLICT (org_id) DO NOTHING`, r.OrgID, r.RequestedAt); err != nil {
		return err
	}
	res, err := tx.q.ExecContext(ctx, `INSERT INTO test_credit_requests (id, org_id, state, requested_minor, purpose, requested_by, requested_at, idempotency_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (org_id, idempotency_key) DO NOTHING`,
		r.ID, r.OrgID, testcredit.Pending, r.Requested.Minor, r.Purpose, r.RequestedBy, r.RequestedAt, nullable(key))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err == nil {
			err = ErrTestCreditKeyTaken
		}
		return err
	}
	return tx.hold(ctx, r.OrgID, r.Requested.Minor, r.RequestedAt)
}

// hold adds n cents (negative: frees them) to what the seller holds under
// the cap.
//
// Errors: RequirementsNotMet (error.test_credit_cap).
func (tx *Tx) hold(ctx context.Context, orgID string, n int64, at time.Time) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE test_credit_sellers SET held_minor = held_minor + $2, updated_at = $3
		WHERE org_id = $1 AND held_minor + $2 <= $4 AND held_minor + $2 >= 0`, orgID, n, at, testcredit.Cap.Minor)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return errTestCreditCap
}

// ApproveTestCredit moves a pending request to approved with the amount
// granted and its expiry, and frees what was asked beyond it. The grant's
// posting (which credits the test balance) is the caller's, in the same
// transaction.
//
// Errors: InvalidState (error.test_credit_decided) when it is no longer
// pending (a concurrent decision won).
func (tx *Tx) ApproveTestCredit(ctx context.Context, r testcredit.Request, amount money.Amount, expires time.Time, by string, at time.Time) error {
	if err := tx.decide(ctx, `UPDATE test_credit_requests SET state = 'approved', approved_minor = $2, remaining_minor = $2, expires_at = $3, decided_by = $4, decided_at = $5
		WHERE id = $1 AND state = 'pending'`, r.ID, amount.Minor, expires, by, at); err != nil {
		return err
	}
	if freed := r.Requested.Minor - amount.Minor; freed > 0 {
		return tx.hold(ctx, r.OrgID, -freed, at)
	}
	return nil
}

// DeclineTestCredit moves a pending request to declined and frees its
// amount.
//
// Errors: InvalidState (error.test_credit_decided).
func (tx *Tx) DeclineTestCredit(ctx context.Context, r testcredit.Request, reason, by string, at time.Time) error {
	if err := tx.decide(ctx, `UPDATE test_credit_requests SET state = 'declined', decline_reason = $2, decided_by = $3, decided_at = $4
		WHERE id = $1 AND state = 'pending'`, r.ID, reason, by, at); err != nil {
		return err
	}
	return tx.hold(ctx, r.OrgID, -r.Requested.Minor, at)
}

func (tx *Tx) decide(ctx context.Context, query string, args ...any) error {
	res, err := tx.q.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return &fault.Error{Code: fault.InvalidState, MsgID: "error.test_credit_decided", Message: "the request was decided already"}
}

// LockTestBalance locks the seller's test-credit row until the transaction
// ends (a use case takes it first, as a test purchase does, so no two wait
// on each other) and returns its test balance.
func (tx *Tx) LockTestBalance(ctx context.Context, orgID string, at time.Time) (money.Amount, error) {
	var b int64
	err := tx.q.QueryRowContext(ctx, `UPDATE test_credit_sellers SET updated_at = $2 WHERE org_id = $1 RETURNING balance_minor`, orgID, at).Scan(&b)
	if errNoRows(err) {
		return money.New(0, testcredit.Currency), nil
	}
	return money.New(b, testcredit.Currency), err
}

// ExpireTestCredit moves an approved request to expired and returns its
// unspent rest, which the caller posts back to the marketplace. Take the
// seller's lock (LockTestBalance) first, so no test purchase spends it
// meanwhile.
//
// Errors: InvalidState (error.test_credit_decided) when it is not approved.
func (tx *Tx) ExpireTestCredit(ctx context.Context, id string, at time.Time) (money.Amount, error) {
	rest := money.New(0, testcredit.Currency)
	err := tx.q.QueryRowContext(ctx, `SELECT remaining_minor FROM test_credit_requests WHERE id = $1 AND state = 'approved'`, id).Scan(&rest.Minor)
	if errNoRows(err) {
		return rest, &fault.Error{Code: fault.InvalidState, MsgID: "error.test_credit_decided", Message: "the request is not approved credit"}
	}
	if err != nil {
		return rest, err
	}
	return rest, tx.decide(ctx, `UPDATE test_credit_requests SET state = 'expired', expired_minor = remaining_minor, remaining_minor = 0, expired_at = $2
		WHERE id = $1 AND state = 'approved'`, id, at)
}

// applyToTestBalance applies a test-credit ledger entry to the seller's test
// balance, never below zero, and to its grants: a payment spends the grants
// that expire first, a refund goes back to those that expire last (up to
// what each granted). Grants and expiries set their grant themselves.
//
// Errors: InsufficientFunds; Invalid for a currency other than USD.
func (tx *Tx) applyToTestBalance(ctx context.Context, orgID string, amount money.Amount, kind ledger.Kind, at time.Time) error {
	if amount.Currency != testcredit.Currency {
		return fault.New(fault.Invalid, "test credit is in %s only", testcredit.Currency)
	}
	res, err := tx.q.ExecContext(ctx, `UPDATE test_credit_sellers SET balance_minor = balance_minor + $2, updated_at = $3
		WHERE org_id = $1 AND balance_minor + $2 >= 0`, orgID, amount.Minor, at)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err == nil {
			err = &fault.Error{Code: fault.InsufficientFunds, MsgID: "error.test_credit_insufficient",
				Message: "the test balance does not cover " + amount.Neg().String()}
		}
		return err
	}
	if kind == ledger.TestCreditGrant || kind == ledger.TestCreditExpiry {
		return nil
	}
	// The seller's row is locked now, so the grants read below are not
	// changing under us.
	type grant struct {
		id   string
		room int64
	}
	query := `SELECT id, remaining_minor FROM test_credit_requests
		WHERE org_id = $1 AND state = 'approved' AND remaining_minor > 0 ORDER BY expires_at, id`
	sign, left := int64(-1), -amount.Minor
	if amount.Minor > 0 {
		query = `SELECT id, approved_minor - remaining_minor FROM test_credit_requests
			WHERE org_id = $1 AND state = 'approved' AND remaining_minor < approved_minor ORDER BY expires_at DESC, id DESC`
		sign, left = 1, amount.Minor
	}
	grants, err := list(ctx, tx.q, func(r scanner) (g grant, err error) { return g, r.Scan(&g.id, &g.room) }, query, orgID)
	if err != nil {
		return err
	}
	for _, g := range grants {
		if left == 0 {
			break
		}
		n := min(left, g.room)
		if _, err := tx.q.ExecContext(ctx, `UPDATE test_credit_requests SET remaining_minor = remaining_minor + $2 WHERE id = $1`, g.id, sign*n); err != nil {
			return err
		}
		left -= n
	}
	return nil // what no grant took is the balance's own: the expiry job takes it back (UnattachedTestBalances)
}

const testCreditColumns = `id, org_id, state, requested_minor, approved_minor, remaining_minor, expired_minor, purpose, requested_by, requested_at,
	COALESCE(decided_by, ''), decided_at, decline_reason, expires_at, expired_at`

func scanTestCredit(r scanner) (testcredit.Request, error) {
	var q testcredit.Request
	var decided, expires, expired sql.Null[time.Time]
	err := r.Scan(&q.ID, &q.OrgID, &q.State, &q.Requested.Minor, &q.Approved.Minor, &q.Remaining.Minor, &q.Expired.Minor, &q.Purpose, &q.RequestedBy, &q.RequestedAt,
		&q.DecidedBy, &decided, &q.Reason, &expires, &expired)
	q.Requested.Currency, q.Approved.Currency, q.Remaining.Currency, q.Expired.Currency = testcredit.Currency, testcredit.Currency, testcredit.Currency, testcredit.Currency
	q.DecidedAt, q.ExpiresAt, q.ExpiredAt = decided.V, expires.V, expired.V
	return q, err
}

// TestCreditRequest returns one request.
//
// Errors: NotFound.
func (q *queries) TestCreditRequest(ctx context.Context, id string) (testcredit.Request, error) {
	r, err := scanTestCredit(q.q.QueryRowContext(ctx, `SELECT `+testCreditColumns+` FROM test_credit_requests WHERE id = $1`, id))
	if errNoRows(err) {
		return r, fault.New(fault.NotFound, "no such test-credit request")
	}
	return r, err
}

// TestCreditRequestByKey returns the organisation's request made with the
// Idempotency-Key.
//
// Errors: NotFound.
func (q *queries) TestCreditRequestByKey(ctx context.Context, orgID, key string) (testcredit.Request, error) {
	r, err := scanTestCredit(q.q.QueryRowContext(ctx, `SELECT `+testCreditColumns+` FROM test_credit_requests
		WHERE org_id = $1 AND idempotency_key = $2`, orgID, key))
	if errNoRows(err) {
		return r, fault.New(fault.NotFound, "no such test-credit request")
	}
	return r, err
}

// TestCreditFilter selects requests: of one seller ("" for all), in one
// state ("" for any).
type TestCreditFilter struct {
	OrgID string
	State testcredit.State
	Limit int // 200 when 0; at most 1,000
}

// TestCreditRequests lists requests, newest first.
func (q *queries) TestCreditRequests(ctx context.Context, f TestCreditFilter) ([]testcredit.Request, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	return list(ctx, q.q, scanTestCredit, `SELECT `+testCreditColumns+` FROM test_credit_requests
		WHERE ($1 = '' OR org_id = $1) AND ($2 = '' OR state = $2) ORDER BY requested_at DESC, id DESC LIMIT $3`, f.OrgID, string(f.State), f.Limit)
}

// DueTestCredit lists approved requests whose expiry has come by `at`,
// soonest first.
func (q *queries) DueTestCredit(ctx context.Context, at time.Time, limit int) ([]testcredit.Request, error) {
	return list(ctx, q.q, scanTestCredit, `SELECT `+testCreditColumns+` FROM test_credit_requests
		WHERE state = 'approved' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2`, at, limit)
}

// UnattachedTestBalances lists the sellers with a test balance but no
// approved credit left: money a refund brought back after the credit it
// came from expired. The expiry job takes it back.
func (q *queries) UnattachedTestBalances(ctx context.Context) ([]money.Amount, []string, error) {
	var amounts []money.Amount
	orgs, err := list(ctx, q.q, func(r scanner) (org string, err error) {
		a := money.New(0, testcredit.Currency)
		err = r.Scan(&org, &a.Minor)
		amounts = append(amounts, a)
		return org, err
	}, `SELECT s.org_id, s.balance_minor FROM test_credit_sellers s WHERE s.balance_minor > 0
		AND NOT EXISTS (SELECT 1 FROM test_credit_requests r WHERE r.org_id = s.org_id AND r.state = 'approved') ORDER BY s.org_id`)
	return amounts, orgs, err
}

// TestCreditHeld is what the seller's requests hold under the cap, in USD:
// pending requests' amounts and approved (and expired) grants — the figure
// the cap counts.
func (q *queries) TestCreditHeld(ctx context.Context, sellerOrgID string) (money.Amount, error) {
	held, _, err := q.testCredit(ctx, sellerOrgID)
	return held, err
}

// TestBalance is the seller's test balance, in USD.
func (q *queries) TestBalance(ctx context.Context, sellerOrgID string) (money.Amount, error) {
	_, bal, err := q.testCredit(ctx, sellerOrgID)
	return bal, err
}

func (q *queries) testCredit(ctx context.Context, orgID string) (held, balance money.Amount, err error) {
	held, balance = money.New(0, testcredit.Currency), money.New(0, testcredit.Currency)
	err = q.q.QueryRowContext(ctx, `SELECT held_minor, balance_minor FROM test_credit_sellers WHERE org_id = $1`, orgID).Scan(&held.Minor, &balance.Minor)
	if errNoRows(err) {
		err = nil
	}
	return held, balance, err
}

// TestStatement lists the movements of the seller's test balance, newest
// first.
func (q *queries) TestStatement(ctx context.Context, sellerOrgID string, limit int) ([]StatementLine, error) {
	return q.statement(ctx, ledger.TestCredit(sellerOrgID), testcredit.Currency, limit)
}

// CheckTestBalances lists the sellers whose test balance differs from the
// sum of their test-credit account's entries (none in a sound ledger).
func (q *queries) CheckTestBalances(ctx context.Context) ([]string, error) {
	return list(ctx, q.q, func(r scanner) (id string, err error) { return id, r.Scan(&id) },
		`SELECT s.org_id FROM test_credit_sellers s
		WHERE s.balance_minor <> COALESCE((SELECT SUM(e.amount_minor) FROM ledger_entries e
			WHERE e.account = 'test_credit:' || s.org_id AND e.currency = $1), 0)`, testcredit.Currency)
}
