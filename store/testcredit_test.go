package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/testcredit"
)

// creditSeller is a seller organisation and its admin, for test credit.
func creditSeller(t *testing.T, st *store.Store) (account.User, account.Org) {
	t.Helper()
	ctx := context.Background()
	u, _ := mustUser(t, st, ids.New("seller")+"@example.com")
	org := account.Org{ID: ids.New("org"), Kind: account.KindSeller, Name: "Seller " + u.Email, CreatedAt: t0}
	if err := st.Write(ctx, func(tx *store.Tx) error { return tx.CreateOrg(ctx, org) }); err != nil {
		t.Fatal(err)
	}
	return u, org
}

func askCredit(st *store.Store, u account.User, org account.Org, cents int64, key string) (testcredit.Request, error) {
	r := testcredit.Request{ID: ids.New("tcr"), OrgID: org.ID, State: testcredit.Pending, Requested: money.New(cents, money.USD),
		Purpose: "try delivery", RequestedBy: u.ID, RequestedAt: t0}
	err := st.Write(context.Background(), func(tx *store.Tx) error { return tx.AddTestCreditRequest(context.Background(), r, key) })
	return r, err
}

func mustHeld(t *testing.T, st *store.Store, org account.Org, want int64) {
	t.Helper()
	held, err := st.TestCreditHeld(context.Background(), org.ID)
	if err != nil || held != money.New(want, money.USD) {
		t.Fatalf("held %v %v, want %d", held, err, want)
	}
}

// Twenty requests of USD 100 at once: at most ten are held, the others are
// refused by the database's cap.
func TestTestCreditCapUnderRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		u, org := creditSeller(t, st)
		var wg sync.WaitGroup
		errs := make([]error, 20)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = askCredit(st, u, org, 100_00, "")
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case fault.As(err) == nil || fault.As(err).MsgID != "error.test_credit_cap" || fault.Code(err) != fault.RequirementsNotMet:
				t.Errorf("refused with %v", err)
			}
		}
		rs, err := st.TestCreditRequests(context.Background(), store.TestCreditFilter{OrgID: org.ID})
		if err != nil || ok != len(rs) || ok > 10 || ok == 0 {
			t.Fatalf("%d accepted, %d stored (%v)", ok, len(rs), err)
		}
		mustHeld(t, st, org, int64(ok)*100_00)
	})
}

// An approval for less frees the difference, a decline frees all, and the
// cap counts what is held then.
func TestTestCreditDecisionsFreeTheCap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, org := creditSeller(t, st)
		a, err := askCredit(st, u, org, 600_00, "")
		if err != nil {
			t.Fatal(err)
		}
		b, err := askCredit(st, u, org, 400_00, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := askCredit(st, u, org, 1, ""); !fault.Is(err, fault.RequirementsNotMet) {
			t.Fatalf("one cent over the cap: %v", err)
		}
		exp := t0.Add(testcredit.DefaultValidity)
		if err := st.Write(ctx, func(tx *store.Tx) error {
			return tx.ApproveTestCredit(ctx, a, money.New(250_00, money.USD), exp, u.ID, t0)
		}); err != nil {
			t.Fatal(err)
		}
		mustHeld(t, st, org, 650_00)
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.DeclineTestCredit(ctx, b, "not now", u.ID, t0) }); err != nil {
			t.Fatal(err)
		}
		mustHeld(t, st, org, 250_00)
		// Decided once: a second decision is refused and changes nothing.
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.DeclineTestCredit(ctx, a, "again", u.ID, t0) })
		if !fault.Is(err, fault.InvalidState) {
			t.Fatalf("declining an approved request: %v", err)
		}
		mustHeld(t, st, org, 250_00)
		if _, err := askCredit(st, u, org, 750_00, ""); err != nil {
			t.Fatalf("the freed room: %v", err)
		}
		got, err := st.TestCreditRequest(ctx, a.ID)
		if err != nil || got.State != testcredit.Approved || got.Approved.Minor != 250_00 || !got.ExpiresAt.Equal(exp) || got.DecidedBy != u.ID {
			t.Fatalf("approved request %+v %v", got, err)
		}
		got, err = st.TestCreditRequest(ctx, b.ID)
		if err != nil || got.State != testcredit.Declined || got.Reason != "not now" {
			t.Fatalf("declined request %+v %v", got, err)
		}
		pending, err := st.TestCreditRequests(ctx, store.TestCreditFilter{State: testcredit.Pending})
		if err != nil || len(pending) != 1 {
			t.Fatalf("pending %d %v", len(pending), err)
		}
	})
}

// The same Idempotency-Key twice holds once.
func TestTestCreditKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		u, org := creditSeller(t, st)
		if _, err := askCredit(st, u, org, 100_00, "k1"); err != nil {
			t.Fatal(err)
		}
		if _, err := askCredit(st, u, org, 100_00, "k1"); err != store.ErrTestCreditKeyTaken {
			t.Fatalf("the key again: %v", err)
		}
		mustHeld(t, st, org, 100_00)
		if got, err := st.TestCreditRequestByKey(context.Background(), org.ID, "k1"); err != nil || got.Requested.Minor != 100_00 {
			t.Fatalf("by key %+v %v", got, err)
		}
	})
}

// Test-credit postings move the test balance, never below zero; a payment
// spends the grant that expires first, a refund goes back to the one that
// expires last; an expiry takes what is left of its grant; and the ledger
// check holds test balances to their entries.
func TestTestBalance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, org := creditSeller(t, st)
		post := func(kind ledger.Kind, ref string, cents int64) error {
			a := money.New(cents, money.USD)
			return st.Write(ctx, func(tx *store.Tx) error {
				return tx.Post(ctx, ledger.Posting{ID: ids.New("pst"), Kind: kind, Ref: ref, CreatedAt: t0,
					Entries: []ledger.Entry{{Account: ledger.TestCredit(org.ID), Amount: a}, {Account: ledger.TestCreditFunds, Amount: a.Neg()}}})
			})
		}
		grant := func(cents int64, expires time.Time) testcredit.Request {
			r, err := askCredit(st, u, org, cents, "")
			if err == nil {
				err = st.Write(ctx, func(tx *store.Tx) error { return tx.ApproveTestCredit(ctx, r, r.Requested, expires, u.ID, t0) })
			}
			if err == nil {
				err = post(ledger.TestCreditGrant, r.ID, cents)
			}
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		remaining := func(r testcredit.Request, want int64) {
			t.Helper()
			got, err := st.TestCreditRequest(ctx, r.ID)
			if err != nil || got.Remaining.Minor != want {
				t.Fatalf("%s remaining %v %v, want %d", r.ID, got.Remaining, err, want)
			}
		}
		a, b := grant(200_00, t0.Add(time.Hour)), grant(100_00, t0.Add(2*time.Hour))
		if err := post(ledger.Payment, "ord_1", -300_01); !fault.Is(err, fault.InsufficientFunds) {
			t.Fatalf("overspending: %v", err)
		}
		if err := post(ledger.Payment, "ord_1", -250_00); err != nil {
			t.Fatal(err)
		}
		remaining(a, 0)
		remaining(b, 50_00)
		if err := post(ledger.Refund, "ord_1", 70_00); err != nil {
			t.Fatal(err)
		}
		remaining(b, 100_00) // the one that expires last first
		remaining(a, 20_00)
		bal, err := st.TestBalance(ctx, org.ID)
		if err != nil || bal.Minor != 120_00 {
			t.Fatalf("balance %v %v", bal, err)
		}
		lines, err := st.TestStatement(ctx, org.ID, 0)
		if err != nil || len(lines) != 4 {
			t.Fatalf("statement %+v %v", lines, err)
		}
		due, err := st.DueTestCredit(ctx, t0.Add(time.Hour), 10)
		if err != nil || len(due) != 1 || due[0].ID != a.ID {
			t.Fatalf("due %+v %v", due, err)
		}
		for _, c := range []struct {
			r    testcredit.Request
			rest int64
		}{{a, 20_00}, {b, 100_00}} {
			err = st.Write(ctx, func(tx *store.Tx) error {
				if _, err := tx.LockTestBalance(ctx, org.ID, t0); err != nil {
					return err
				}
				rest, err := tx.ExpireTestCredit(ctx, c.r.ID, t0.Add(2*time.Hour))
				if err == nil && rest.Minor != c.rest {
					err = fmt.Errorf("rest %v, want %d", rest, c.rest)
				}
				return err
			})
			if err == nil {
				err = post(ledger.TestCreditExpiry, c.r.ID, -c.rest)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if due, _ := st.DueTestCredit(ctx, t0.Add(3*time.Hour), 10); len(due) != 0 {
			t.Fatalf("still due: %d", len(due))
		}
		if bal, _ := st.TestBalance(ctx, org.ID); !bal.IsZero() {
			t.Fatalf("balance after expiry %v", bal)
		}
		// A refund after the credit expired is the balance's own, until the
		// expiry job takes it back.
		if err := post(ledger.Refund, "ord_1", 5_00); err != nil {
			t.Fatal(err)
		}
		amounts, orgs, err := st.UnattachedTestBalances(ctx)
		if err != nil || len(orgs) != 1 || orgs[0] != org.ID || amounts[0].Minor != 5_00 {
			t.Fatalf("unattached %v %v %v", orgs, amounts, err)
		}
		check, err := st.CheckLedger(ctx)
		if err != nil || !check.Balanced() {
			t.Fatalf("ledger %+v %v", check, err)
		}
	})
}
