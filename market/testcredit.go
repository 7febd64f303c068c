package market

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/testcredit"
)

// Test credit (docs/benefits.md): a seller asks for USD to buy its own
// products and try their delivery; an operator approves (perhaps less) or
// declines; the credit is a test balance in the ledger, spent only on test
// orders (channel test) and taken back when it expires.

// TestCreditArgs asks the test-credit job to expire the credit that is due.
type TestCreditArgs struct{}

// Kind names the job on the queue.
func (TestCreditArgs) Kind() string { return "test_credit" }

// errNotSelling refuses test credit to a seller that is not approved (or is
// suspended): it has no benefits.
var errNotSelling = &fault.Error{Code: fault.RequirementsNotMet, MsgID: "error.test_credit_not_selling",
	Message: "only an approved seller that is not suspended has test credit",
	Details: []fault.Detail{{ID: "seller_approved", Message: "the company is an approved seller, not suspended"}}}

// testCreditOrg is the caller's seller company, when it may use test credit.
//
// Errors: Unauthorized; Forbidden.
func testCreditOrg(actor account.Actor, act account.Action) (string, error) {
	org, err := ownSellerOrg(actor)
	if err != nil {
		return "", err
	}
	return org, allow(actor, act, account.Resource{OrgID: org})
}

// RequestTestCredit asks for test credit for the caller's seller company
// (its admins): a pending request, its amount held under the cap in the same
// transaction. With an Idempotency-Key (key, "" for none) the same key and
// request return the request made the first time (replayed true), so a retry
// never holds twice; the key with another request is refused.
//
// Errors: Unauthorized; Forbidden; Invalid on idempotency_key, amount
// (error.test_credit_amount), purpose (error.test_credit_purpose);
// RequirementsNotMet (error.test_credit_not_selling, error.test_credit_cap);
// IdempotencyConflict.
func (s *Service) RequestTestCredit(ctx context.Context, actor account.Actor, amount money.Amount, purpose, key string) (testcredit.Request, bool, error) {
	org, err := testCreditOrg(actor, account.UseTestCredit)
	if err != nil {
		return testcredit.Request{}, false, err
	}
	if err := checkKey(key); err != nil {
		return testcredit.Request{}, false, err
	}
	if purpose, err = testcredit.CheckRequest(amount, purpose); err != nil {
		return testcredit.Request{}, false, err
	}
	replay := func() (testcredit.Request, bool, error) {
		r, err := s.store.TestCreditRequestByKey(ctx, org, key)
		switch {
		case fault.Is(err, fault.NotFound):
			return r, false, nil
		case err != nil:
			return r, false, err
		case r.Requested != amount || r.Purpose != purpose:
			return r, false, errKeyReused
		}
		return r, true, nil
	}
	if key != "" {
		if r, ok, err := replay(); ok || err != nil {
			return r, ok, err
		}
	}
	now := s.now()
	zero := money.New(0, testcredit.Currency)
	r := testcredit.Request{ID: ids.New("tcr"), OrgID: org, State: testcredit.Pending, Requested: amount, Approved: zero, Remaining: zero, Expired: zero,
		Purpose: purpose, RequestedBy: actor.UserID, RequestedAt: now}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := sellingOr(ctx, tx, org, errNotSelling); err != nil {
			return err
		}
		if err := tx.AddTestCreditRequest(ctx, r, key); err != nil {
			return err
		}
		if err := s.tellTestCreditRequested(ctx, tx, r); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "test_credit.request", objectType: "test_credit", objectID: r.ID, orgID: org,
			summary: fmt.Sprintf("test credit of %s requested", amount), after: r})
	})
	if err == store.ErrTestCreditKeyTaken { // a concurrent request with the key won
		r, ok, rerr := replay()
		if rerr == nil && !ok {
			rerr = err
		}
		return r, ok, rerr
	}
	return r, false, err
}

// tellTestCreditRequested tells every operator that a seller asks for test
// credit, so a request never waits unseen in the queue.
func (s *Service) tellTestCreditRequested(ctx context.Context, tx *store.Tx, r testcredit.Request) error {
	org, err := tx.Org(ctx, r.OrgID)
	if err != nil {
		return err
	}
	return s.notifyRole(ctx, tx, account.RoleOperator, notice.Notification{Kind: "test_credit.requested", Link: "/ops/test-credit",
		TitleEN: "Test credit requested: " + r.Requested.String() + " by " + org.Name,
		TitleZH: org.Name + " 申请测试额度：" + r.Requested.String(),
		BodyEN:  org.Name + " asks for " + r.Requested.String() + " of test credit: " + r.Purpose + ". Approve or decline it in the test-credit queue.",
		BodyZH:  org.Name + " 申请 " + r.Requested.String() + " 测试额度，用途：" + r.Purpose + "。请在测试额度队列中批准或拒绝。"})
}

// TestCreditView is a seller's test credit: its requests, what they hold
// under the cap and what is left, its test balance and its statement.
type TestCreditView struct {
	OrgID     string
	Requests  []testcredit.Request // newest first
	Held      money.Amount         // pending and approved (and expired) amounts: what the cap counts
	Left      money.Amount         // what may still be asked for
	Cap       money.Amount
	Balance   money.Amount          // the test balance
	Statement []store.StatementLine // its movements, newest first
}

// TestCredit returns the caller's seller company's test credit (its people).
//
// Errors: Unauthorized; Forbidden.
func (s *Service) TestCredit(ctx context.Context, actor account.Actor) (TestCreditView, error) {
	org, err := testCreditOrg(actor, account.ReadTestCredit)
	if err != nil {
		return TestCreditView{}, err
	}
	return s.testCreditOf(ctx, org)
}

// SellerTestCredit returns a seller's test credit (operators).
//
// Errors: Forbidden.
func (s *Service) SellerTestCredit(ctx context.Context, actor account.Actor, orgID string) (TestCreditView, error) {
	if err := allow(actor, account.ReadTestCredit, account.Resource{OrgID: orgID}); err != nil {
		return TestCreditView{}, err
	}
	return s.testCreditOf(ctx, orgID)
}

func (s *Service) testCreditOf(ctx context.Context, org string) (TestCreditView, error) {
	v := TestCreditView{OrgID: org, Cap: testcredit.Cap}
	var err error
	if v.Requests, err = s.store.TestCreditRequests(ctx, store.TestCreditFilter{OrgID: org}); err != nil {
		return v, err
	}
	if v.Held, err = s.store.TestCreditHeld(ctx, org); err != nil {
		return v, err
	}
	v.Left = testcredit.Left(v.Held)
	if v.Balance, err = s.store.TestBalance(ctx, org); err != nil {
		return v, err
	}
	v.Statement, err = s.store.TestStatement(ctx, org, 200)
	return v, err
}

// TestCreditItem is a request with its seller's name, for operators.
type TestCreditItem struct {
	testcredit.Request
	OrgName string
}

// TestCreditRequests lists every seller's requests, in a state ("" for
// any), newest first (operators).
//
// Errors: Forbidden; Invalid on state.
func (s *Service) TestCreditRequests(ctx context.Context, actor account.Actor, state testcredit.State) ([]TestCreditItem, error) {
	if err := allow(actor, account.ReviewTestCredit, account.Resource{}); err != nil {
		return nil, err
	}
	if state != "" && !state.Valid() {
		return nil, fault.Field("state", "error.test_credit_state", "choose pending, approved, declined or expired")
	}
	rs, err := s.store.TestCreditRequests(ctx, store.TestCreditFilter{State: state, Limit: 500})
	if err != nil {
		return nil, err
	}
	names := s.orgNames()
	out := make([]TestCreditItem, 0, len(rs))
	for _, r := range rs {
		name, err := names.of(ctx, r.OrgID)
		if err != nil {
			return nil, err
		}
		out = append(out, TestCreditItem{Request: r, OrgName: name})
	}
	return out, nil
}

// decidableCredit loads a request an operator may decide.
//
// Errors: NotFound; Forbidden.
func (s *Service) decidableCredit(ctx context.Context, actor account.Actor, id string) (testcredit.Request, error) {
	if err := allow(actor, account.ReviewTestCredit, account.Resource{}); err != nil {
		return testcredit.Request{}, err
	}
	r, err := s.store.TestCreditRequest(ctx, id)
	if err != nil {
		return r, err
	}
	return r, allow(actor, account.ReviewTestCredit, account.Resource{OrgID: r.OrgID})
}

// ApproveTestCredit approves a pending request (operators) for amount (the
// zero Amount: what was asked; never more) until expires (the zero time:
// testcredit.DefaultValidity from now): what was asked beyond the amount is
// freed under the cap, and a posting moves the amount from the
// marketplace's test-credit account to the seller's test balance.
//
// Errors: NotFound; Forbidden; the errors of testcredit.CheckApproval;
// RequirementsNotMet (error.test_credit_not_selling) for a seller suspended
// meanwhile.
func (s *Service) ApproveTestCredit(ctx context.Context, actor account.Actor, id string, amount money.Amount, expires time.Time) (testcredit.Request, error) {
	r, err := s.decidableCredit(ctx, actor, id)
	if err != nil {
		return r, err
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.LockTestBalance(ctx, r.OrgID, now); err != nil { // first, as a test purchase takes it
			return err
		}
		before, err := tx.TestCreditRequest(ctx, id)
		if err != nil {
			return err
		}
		granted, until, err := testcredit.CheckApproval(before, amount, expires, now)
		if err != nil {
			return err
		}
		if err := sellingOr(ctx, tx, before.OrgID, errNotSelling); err != nil {
			return err
		}
		if err := tx.ApproveTestCredit(ctx, before, granted, until, actor.UserID, now); err != nil {
			return err
		}
		if err := tx.Post(ctx, ledger.Posting{ID: ids.New("pst"), Kind: ledger.TestCreditGrant, Ref: id, Memo: before.Purpose, CreatedAt: now, CreatedBy: actor.UserID,
			Entries: []ledger.Entry{{Account: ledger.TestCreditFunds, Amount: granted.Neg()}, {Account: ledger.TestCredit(before.OrgID), Amount: granted}}}); err != nil {
			return err
		}
		r = before
		r.State, r.Approved, r.Remaining, r.ExpiresAt, r.DecidedBy, r.DecidedAt = testcredit.Approved, granted, granted, until, actor.UserID, now
		day := until.Format("2006-01-02")
		if err := s.notifyCompany(ctx, tx, r.OrgID, notice.Notification{Kind: "test_credit.approved", Link: "/seller/test-credit",
			TitleEN: "Test credit approved: " + granted.String(), TitleZH: "测试额度已批准：" + granted.String(),
			BodyEN: "Use it for test purchases of your own products until " + day + ".", BodyZH: "可在 " + day + " 前用于购买自家产品进行测试。"}); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "test_credit.approve", objectType: "test_credit", objectID: id, orgID: r.OrgID,
			summary: fmt.Sprintf("test credit of %s approved (asked %s), until %s", granted, before.Requested, day), before: before, after: r})
	})
	return r, err
}

// DeclineTestCredit declines a pending request with a reason (operators),
// freeing its amount under the cap.
//
// Errors: NotFound; Forbidden; the errors of testcredit.CheckDecline.
func (s *Service) DeclineTestCredit(ctx context.Context, actor account.Actor, id, reason string) (testcredit.Request, error) {
	r, err := s.decidableCredit(ctx, actor, id)
	if err != nil {
		return r, err
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.LockTestBalance(ctx, r.OrgID, now); err != nil { // first, as a test purchase takes it
			return err
		}
		before, err := tx.TestCreditRequest(ctx, id)
		if err != nil {
			return err
		}
		why, err := testcredit.CheckDecline(before, reason)
		if err != nil {
			return err
		}
		if err := tx.DeclineTestCredit(ctx, before, why, actor.UserID, now); err != nil {
			return err
		}
		r = before
		r.State, r.Reason, r.DecidedBy, r.DecidedAt = testcredit.Declined, why, actor.UserID, now
		if err := s.notifyCompany(ctx, tx, r.OrgID, notice.Notification{Kind: "test_credit.declined", Link: "/seller/test-credit",
			TitleEN: "Test credit declined", TitleZH: "测试额度申请未获批准",
			BodyEN: "Your request for " + before.Requested.String() + " was declined: " + why, BodyZH: "您申请的 " + before.Requested.String() + " 未获批准：" + why}); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "test_credit.decline", objectType: "test_credit", objectID: id, orgID: r.OrgID,
			summary: fmt.Sprintf("test credit of %s declined: %s", before.Requested, why), before: before, after: r})
	})
	return r, err
}

// PlaceTestOrder buys products of the caller's own seller company with its
// test credit (its admins), to try their delivery end to end: an order of
// channel test, placed and delivered like any other (PlaceOrder's own
// path), paid from the test balance back to the marketplace's test-credit
// account (order.PaymentEntries), so the seller is owed nothing and no
// commission is posted. It takes no coupon, renews nothing, and counts
// toward no campaign or sales figure. With an Idempotency-Key as PlaceOrder.
//
// Errors: Unauthorized; Forbidden; RequirementsNotMet
// (error.test_credit_not_selling); the errors of order.Price; Forbidden
// (error.test_order_own) for another seller's product; Invalid on currency
// (error.test_order_currency), lines[i] (error.test_order_prepaid: a
// trial or pay-per-use line); InsufficientFunds (error.test_credit_insufficient);
// IdempotencyConflict.
func (s *Service) PlaceTestOrder(ctx context.Context, actor account.Actor, lines []order.LineRequest, key string) (order.Order, bool, error) {
	org, err := testCreditOrg(actor, account.UseTestCredit)
	if err != nil {
		return order.Order{}, false, err
	}
	if err := sellingOr(ctx, s.store, org, errNotSelling); err != nil {
		return order.Order{}, false, err
	}
	own := make([]order.LineRequest, len(lines))
	for i, l := range lines {
		l.AutoRenew = false // a renewal would be paid from a customer balance the seller has not
		own[i] = l
	}
	req := OrderRequest{OrgID: org, Lines: own, IdempotencyKey: key, Channel: order.TestChannel}
	return s.place(ctx, actor, req, placing{role: account.RoleSellerAdmin, price: s.priceTest})
}

// priceTest prices a test order: the seller's own products, prepaid, in
// USD; no coupon, no campaign.
func (s *Service) priceTest(ctx context.Context, req OrderRequest, _ time.Time) (order.Quote, string, orderCampaign, error) {
	q, _, err := s.price(ctx, req.Lines)
	if err != nil {
		return q, "", orderCampaign{}, err
	}
	for i, l := range q.Lines {
		if l.SellerOrgID != req.OrgID {
			return order.Quote{}, "", orderCampaign{}, &fault.Error{Code: fault.Forbidden, Field: fmt.Sprintf("lines[%d]", i), MsgID: "error.test_order_own",
				Message: "test credit buys only your own company's products"}
		}
		if l.Paid.IsZero() {
			return order.Quote{}, "", orderCampaign{}, fault.Field(fmt.Sprintf("lines[%d]", i), "error.test_order_prepaid",
				"test credit pays for prepaid plans only: no free trial, no pay-per-use")
		}
	}
	if q.Currency != testcredit.Currency {
		return order.Quote{}, "", orderCampaign{}, fault.Field("currency", "error.test_order_currency", "test credit is in USD: choose a plan priced in USD")
	}
	return q, order.TestChannel, orderCampaign{}, nil
}

// ExpireTestCredit expires the approved credit whose expiry has come by now,
// soonest first: each request becomes expired and its unspent rest goes
// back to the marketplace's test-credit account in a posting on the seller's
// statement (a test purchase spends the credit that expires first). Money on
// a test balance that no approved credit is left to hold (a refund after the
// credit it came from expired) goes back too. It returns how many requests
// and such balances it took back; one that fails is left for the next run.
func (s *Service) ExpireTestCredit(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC().Truncate(time.Microsecond)
	due, err := s.store.DueTestCredit(ctx, now, 500)
	if err != nil {
		return 0, err
	}
	done := 0
	var errs []error
	for _, r := range due {
		err := s.store.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.LockTestBalance(ctx, r.OrgID, now); err != nil {
				return err
			}
			rest, err := tx.ExpireTestCredit(ctx, r.ID, now)
			if err != nil {
				return err
			}
			if err := s.takeBackTestCredit(ctx, tx, r.OrgID, r.ID, rest, now); err != nil {
				return err
			}
			after := r
			after.State, after.Expired, after.Remaining, after.ExpiredAt = testcredit.Expired, rest, money.New(0, testcredit.Currency), now
			return record(ctx, tx, account.Actor{}, now, change{role: roleSystem, action: "test_credit.expire", objectType: "test_credit", objectID: r.ID, orgID: r.OrgID,
				summary: fmt.Sprintf("test credit of %s expired; %s unspent went back", r.Approved, rest), before: r, after: after})
		})
		if err != nil {
			if !fault.Is(err, fault.InvalidState) { // expired meanwhile by another run
				errs = append(errs, fmt.Errorf("test credit %s: %w", r.ID, err))
			}
			continue
		}
		done++
	}
	amounts, orgs, err := s.store.UnattachedTestBalances(ctx)
	if err != nil {
		errs = append(errs, err)
	}
	for i, org := range orgs {
		err := s.store.Write(ctx, func(tx *store.Tx) error {
			balance, err := tx.LockTestBalance(ctx, org, now)
			if err != nil || balance != amounts[i] { // changed meanwhile: the next run sees it
				return err
			}
			if err := s.takeBackTestCredit(ctx, tx, org, org, balance, now); err != nil {
				return err
			}
			return record(ctx, tx, account.Actor{}, now, change{role: roleSystem, action: "test_credit.expire", objectType: "org", objectID: org, orgID: org,
				summary: fmt.Sprintf("%s on the test balance without credit went back", balance), after: balance})
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("test balance of %s: %w", org, err))
			continue
		}
		done++
	}
	if len(errs) > 0 {
		return done, errs[0]
	}
	return done, nil
}

// takeBackTestCredit posts rest from the seller's test balance back to the
// marketplace's test-credit account (nothing for zero).
func (s *Service) takeBackTestCredit(ctx context.Context, tx *store.Tx, orgID, ref string, rest money.Amount, now time.Time) error {
	if rest.IsZero() {
		return nil
	}
	return tx.Post(ctx, ledger.Posting{ID: ids.New("pst"), Kind: ledger.TestCreditExpiry, Ref: ref, Memo: "expired unspent", CreatedAt: now,
		Entries: []ledger.Entry{{Account: ledger.TestCredit(orgID), Amount: rest.Neg()}, {Account: ledger.TestCreditFunds, Amount: rest}}})
}
