package market_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/testcredit"
)

func usd(cents int64) money.Amount { return money.New(cents, money.USD) }

// usdLicense is a licence product priced USD 120.00 once.
func usdLicense() catalog.Product {
	p := databaseLicense()
	p.Name = catalog.Text{EN: "Quartz Graph DB Developer", ZH: "石英图数据库开发版"}
	p.Plans = []catalog.Plan{{Code: "dev", Name: catalog.Text{EN: "Developer", ZH: "开发版"}, Mode: catalog.OneTime, Price: usd(120_00), Active: true}}
	return p
}

func sumUSD(t *testing.T, st *store.Store, a ledger.Account) int64 {
	t.Helper()
	var sum int64
	if err := st.DB().QueryRowContext(context.Background(), `SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_entries WHERE account = $1 AND currency = 'USD'`,
		string(a)).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

func mustCredit(t *testing.T, w *markettest.World, who account.Actor, held, balance int64) market.TestCreditView {
	t.Helper()
	v, err := w.Svc.TestCredit(context.Background(), who)
	if err != nil || v.Held != usd(held) || v.Balance != usd(balance) || v.Left != usd(100_000-held) {
		t.Fatalf("test credit: held %v balance %v left %v (%v), want %d and %d", v.Held, v.Balance, v.Left, err, held, balance)
	}
	return v
}

// The demo leaves Lakeside Data (seller1) with USD 400.00 approved of USD
// 500.00 asked, USD 120.00 of it spent (demo/testcredit.go).
const demoHeld, demoBalance = 400_00, 280_00

// TestTestCreditJourney: a seller asks, an operator approves less, the
// seller buys its own product with it, and the rest expires; a decline and
// the cap free and hold as they should; the ledger balances throughout and
// no seller is owed anything.
func TestTestCreditJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, t0)
		svc := w.Svc
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		org := sellerOrgOf(seller1)
		product := w.Publish(t, "seller1@demo.test", usdLicense())
		mustCredit(t, w, seller1, demoHeld, demoBalance)
		funds := sumUSD(t, st, ledger.TestCreditFunds)
		if funds != -demoBalance {
			t.Fatalf("the platform's test-credit account %d", funds)
		}

		told := requestNotices(t, w)
		r, replayed, err := svc.RequestTestCredit(ctx, seller1, usd(500_00), "  try licence delivery  ", "k1")
		if err != nil || replayed || r.State != testcredit.Pending || r.Purpose != "try licence delivery" {
			t.Fatalf("request %+v %v %v", r, replayed, err)
		}
		again, replayed, err := svc.RequestTestCredit(ctx, seller1, usd(500_00), "try licence delivery", "k1")
		if err != nil || !replayed || again.ID != r.ID {
			t.Fatalf("retry %+v %v %v", again, replayed, err)
		}
		if _, _, err := svc.RequestTestCredit(ctx, seller1, usd(400_00), "try licence delivery", "k1"); !fault.Is(err, fault.IdempotencyConflict) {
			t.Fatalf("the key for another request: %v", err)
		}
		mustToldOperators(t, w, told, "Lakeside Data", "USD 500.00", "try licence delivery")
		mustCredit(t, w, seller1, demoHeld+500_00, demoBalance)
		if _, err := svc.ApproveTestCredit(ctx, ops, r.ID, usd(500_01), time.Time{}); msgID(err) != "invalid error.test_credit_approve_amount" {
			t.Fatalf("approving more than asked: %v", err)
		}
		approved, err := svc.ApproveTestCredit(ctx, ops, r.ID, usd(400_00), time.Time{})
		if err != nil || approved.State != testcredit.Approved || !approved.ExpiresAt.Equal(w.Clock.Now().Add(testcredit.DefaultValidity)) {
			t.Fatalf("approve %+v %v", approved, err)
		}
		if _, err := svc.ApproveTestCredit(ctx, ops, r.ID, usd(400_00), time.Time{}); !fault.Is(err, fault.InvalidState) {
			t.Fatalf("approving twice: %v", err)
		}
		mustCredit(t, w, seller1, demoHeld+400_00, demoBalance+400_00)
		if got := sumUSD(t, st, ledger.TestCreditFunds); got != funds-400_00 {
			t.Fatalf("the platform's test-credit account %d after the grant", got)
		}

		// A test purchase of its own product, from the test balance.
		w.Clock.Advance(time.Hour)
		owed := sumUSD(t, st, ledger.SellerPayable(org)) + sumUSD(t, st, ledger.Commission)
		line := []order.LineRequest{{ProductID: product, Plan: "dev", Region: "cn-north-4", AutoRenew: true}}
		o, _, err := svc.PlaceTestOrder(ctx, seller1, line, "buy-1")
		if err != nil || o.Channel != order.TestChannel || o.State != order.Paid || o.Payable != usd(120_00) || o.BuyerOrgID != org {
			t.Fatalf("test order %+v %v", o, err)
		}
		if replay, replayed, err := svc.PlaceTestOrder(ctx, seller1, line, "buy-1"); err != nil || !replayed || replay.ID != o.ID {
			t.Fatalf("test order retried: %v %v", replayed, err)
		}
		mustCredit(t, w, seller1, demoHeld+400_00, demoBalance+280_00)
		if got := sumUSD(t, st, ledger.SellerPayable(org)) + sumUSD(t, st, ledger.Commission); got != owed {
			t.Fatalf("a test order paid the seller or the marketplace: %d, was %d", got, owed)
		}
		if sales, err := st.SellerSales(ctx, org); err != nil || len(sales) != 1 || sales[0].Currency != money.CNY {
			t.Fatalf("seller sales count test orders: %v %v", sales, err)
		}
		// It counts toward no campaign: it came through no campaign's page
		// and took no coupon (a test order takes none).
		c := rules(w.Clock.Now())
		c.ID, c.Currency = "cmp_any", money.USD
		if _, reason := promo.Qualifies(c, promo.Facts(c, o, "", nil, nil)); reason != promo.NotThrough {
			t.Fatalf("a test order in a campaign: %s", reason)
		}
		if _, _, err := svc.PlaceOrder(ctx, seller1, market.OrderRequest{OrgID: org, Channel: order.TestChannel,
			Lines: []order.LineRequest{{ProductID: product, Plan: "dev"}}}); err == nil {
			t.Fatal("a test order through PlaceOrder")
		}
		if _, _, err := svc.PlaceTestOrder(ctx, seller1, []order.LineRequest{{ProductID: product, Plan: "dev", Region: "cn-north-4", Quantity: 5}}, ""); msgID(err) != "insufficient_funds error.test_credit_insufficient" {
			t.Fatalf("more than the test balance: %v", err)
		}
		scanner := productNamed(t, w, "seller2@demo.test", "Bluepeak Vulnerability Scanner")
		if _, _, err := svc.PlaceTestOrder(ctx, seller1, []order.LineRequest{{ProductID: scanner, Plan: "yearly-usd", Region: "cn-north-4"}}, ""); msgID(err) != "forbidden error.test_order_own" {
			t.Fatalf("another seller's product: %v", err)
		}
		mq := productNamed(t, w, "seller1@demo.test", "Lakeside MQ")
		if _, _, err := svc.PlaceTestOrder(ctx, seller1, []order.LineRequest{{ProductID: mq, Plan: "perpetual-50", Region: "cn-north-4"}}, ""); msgID(err) != "invalid error.test_order_currency" {
			t.Fatalf("a CNY product: %v", err)
		}
		mustCredit(t, w, seller1, demoHeld+400_00, demoBalance+280_00)

		// The cap, and a decline that frees it.
		if _, _, err := svc.RequestTestCredit(ctx, seller1, usd(200_01), "more", ""); msgID(err) != "requirements_not_met error.test_credit_cap" {
			t.Fatalf("over the cap: %v", err)
		}
		second, _, err := svc.RequestTestCredit(ctx, seller1, usd(200_00), "SaaS trial", "")
		if err != nil {
			t.Fatal(err)
		}
		mustCredit(t, w, seller1, 1_000_00, demoBalance+280_00)
		if _, err := svc.DeclineTestCredit(ctx, ops, second.ID, " "); msgID(err) != "invalid error.test_credit_reason" {
			t.Fatalf("a decline without a reason: %v", err)
		}
		if d, err := svc.DeclineTestCredit(ctx, ops, second.ID, "one request at a time"); err != nil || d.State != testcredit.Declined {
			t.Fatalf("decline %+v %v", d, err)
		}
		mustCredit(t, w, seller1, demoHeld+400_00, demoBalance+280_00)

		// What is unspent expires back to the marketplace, on the statement:
		// the purchase spent the demo's credit, which expires first.
		w.Clock.Advance(testcredit.DefaultValidity)
		if n, err := svc.ExpireTestCredit(ctx, w.Clock.Now()); err != nil || n != 2 {
			t.Fatalf("expired %d %v", n, err)
		}
		v := mustCredit(t, w, seller1, demoHeld+400_00, 0) // expired credit still counts toward the cap
		if len(v.Statement) != 6 || v.Statement[0].Kind != string(ledger.TestCreditExpiry) || v.Statement[0].Amount.Minor+v.Statement[1].Amount.Minor != -560_00 {
			t.Fatalf("statement %+v", v.Statement)
		}
		if v.Requests[1].ID != r.ID || v.Requests[1].State != testcredit.Expired || v.Requests[1].Expired != usd(400_00) || v.Requests[2].Expired != usd(160_00) {
			t.Fatalf("requests %+v", v.Requests)
		}
		if got := sumUSD(t, st, ledger.TestCreditFunds); got != 0 {
			t.Fatalf("the platform's test-credit account after expiry %d", got)
		}
		if n, err := svc.ExpireTestCredit(ctx, w.Clock.Now()); err != nil || n != 0 {
			t.Fatalf("expired again %d %v", n, err)
		}
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Fatalf("ledger %+v %v", check, err)
		}
	})
}

// TestTestCreditExpiresFirstSpentFirst: spending uses the credit that
// expires first, so its expiry returns nothing while the later ones keep
// theirs.
func TestTestCreditExpiresFirstSpentFirst(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	w := markettest.Demo(t, st, t0)
	seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
	ops := w.Actor(t, "ops@demo.test", demo.Password)
	product := w.Publish(t, "seller1@demo.test", usdLicense())
	now := w.Clock.Now()
	for _, g := range []struct {
		cents int64
		days  int
	}{{200_00, 30}, {300_00, 60}} {
		r, _, err := w.Svc.RequestTestCredit(ctx, seller1, usd(g.cents), "try", "")
		if err == nil {
			_, err = w.Svc.ApproveTestCredit(ctx, ops, r.ID, money.Amount{}, now.AddDate(0, 0, g.days))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	o, _, err := w.Svc.PlaceTestOrder(ctx, seller1, []order.LineRequest{{ProductID: product, Plan: "dev", Region: "cn-north-4", Quantity: 2}}, "")
	if err != nil {
		t.Fatal(err)
	}
	held := int64(demoHeld + 500_00)
	mustCredit(t, w, seller1, held, demoBalance+500_00-240_00)
	// A refund of a test order goes back to the test balance, to the credit
	// that expires last (the demo's).
	back := usd(30_00)
	if _, err := w.Svc.Refund(ctx, ops, market.RefundRequest{OrderID: o.ID, Amount: &back, Reason: "tried it"}); err != nil {
		t.Fatal(err)
	}
	mustCredit(t, w, seller1, held, demoBalance+500_00-240_00+30_00)
	for _, step := range []struct {
		days    int
		balance int64
	}{{31, demoBalance + 300_00 - 40_00 + 30_00}, {61, demoBalance + 30_00}, {91, 0}} {
		w.Clock.Set(now.AddDate(0, 0, step.days))
		if n, err := w.Svc.ExpireTestCredit(ctx, w.Clock.Now()); err != nil || n != 1 {
			t.Fatalf("day %d: expired %d %v", step.days, n, err)
		}
		mustCredit(t, w, seller1, held, step.balance)
	}
}

// TestTestCreditAccess: only a seller's admins ask and buy, only operators
// decide and list all, and a suspended seller has no test credit.
func TestTestCreditAccess(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	w := markettest.Demo(t, st, t0)
	svc := w.Svc
	seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
	seller2 := w.Actor(t, "seller2@demo.test", demo.Password)
	buyer := w.Actor(t, "telesales@demo.test", demo.Password)
	ops := w.Actor(t, "ops@demo.test", demo.Password)
	r, _, err := svc.RequestTestCredit(ctx, seller1, usd(100_00), "try", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"a buyer asks", second(svc.RequestTestCredit(ctx, buyer, usd(100_00), "try", "")), fault.Forbidden},
		{"an operator asks", second(svc.RequestTestCredit(ctx, ops, usd(100_00), "try", "")), fault.Forbidden},
		{"a seller approves", first(svc.ApproveTestCredit(ctx, seller2, r.ID, money.Amount{}, time.Time{})), fault.Forbidden},
		{"the seller approves its own", first(svc.ApproveTestCredit(ctx, seller1, r.ID, money.Amount{}, time.Time{})), fault.Forbidden},
		{"a seller declines", first(svc.DeclineTestCredit(ctx, seller2, r.ID, "no")), fault.Forbidden},
		{"a seller lists all", first(svc.TestCreditRequests(ctx, seller1, "")), fault.Forbidden},
		{"a buyer reads its test credit", first(svc.TestCredit(ctx, buyer)), fault.Forbidden},
		{"a buyer places a test order", second(svc.PlaceTestOrder(ctx, buyer, nil, "")), fault.Forbidden},
		{"an operator places a test order", second(svc.PlaceTestOrder(ctx, ops, nil, "")), fault.Forbidden},
		{"an unknown request", first(svc.ApproveTestCredit(ctx, ops, "tcr_none", money.Amount{}, time.Time{})), fault.NotFound},
		{"a bad state", first(svc.TestCreditRequests(ctx, ops, "lost")), fault.Invalid},
	} {
		if !fault.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %s", c.name, c.err, c.want)
		}
	}
	if v, err := svc.TestCredit(ctx, seller2); err != nil || len(v.Requests) != 1 || v.Requests[0].OrgID != sellerOrgOf(seller2) {
		t.Fatalf("seller2 sees %+v %v", v.Requests, err)
	}
	if all, err := svc.TestCreditRequests(ctx, ops, testcredit.Pending); err != nil || len(all) != 2 || all[0].OrgName != "Lakeside Data 湖畔数据" || all[1].OrgName != "Bluepeak Security 蓝峰安全" {
		t.Fatalf("pending %+v %v", all, err)
	}
	// A suspended seller has no test credit.
	app, _ := svc.MyApplication(ctx, seller1)
	if _, err := svc.Review(ctx, ops, app.ID, seller.Suspend, "audit"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.RequestTestCredit(ctx, seller1, usd(100_00), "try", ""); msgID(err) != "requirements_not_met error.test_credit_not_selling" {
		t.Fatalf("a suspended seller asks: %v", err)
	}
	if _, err := svc.ApproveTestCredit(ctx, ops, r.ID, money.Amount{}, time.Time{}); msgID(err) != "requirements_not_met error.test_credit_not_selling" {
		t.Fatalf("approving for a suspended seller: %v", err)
	}
	if _, _, err := svc.PlaceTestOrder(ctx, seller1, []order.LineRequest{{ProductID: "any", Plan: "dev"}}, ""); msgID(err) != "requirements_not_met error.test_credit_not_selling" {
		t.Fatalf("a suspended seller buys: %v", err)
	}
}

// requestNotices returns each operator's notifications of test-credit
// requests, newest first.
func requestNotices(t *testing.T, w *markettest.World) map[string][]notice.Notification {
	t.Helper()
	ctx := context.Background()
	operators, err := w.Store.UsersWithRole(ctx, account.RoleOperator)
	if err != nil || len(operators) == 0 {
		t.Fatalf("operators %v %v", operators, err)
	}
	out := map[string][]notice.Notification{}
	for _, u := range operators {
		notes, err := w.Store.Notifications(ctx, u.ID, 500)
		if err != nil {
			t.Fatal(err)
		}
		out[u.ID] = []notice.Notification{}
		for _, n := range notes {
			if n.Kind == "test_credit.requested" {
				out[u.ID] = append(out[u.ID], n)
			}
		}
	}
	return out
}

// mustToldOperators checks that every operator was told once more than
// before of a request of the seller for the amount, in both languages, with
// the link to the queue.
func mustToldOperators(t *testing.T, w *markettest.World, before map[string][]notice.Notification, sellerName, amount, purpose string) {
	t.Helper()
	for uid, notes := range requestNotices(t, w) {
		if len(notes) != len(before[uid])+1 {
			t.Errorf("operator %s told %d times, was %d", uid, len(notes), len(before[uid]))
			continue
		}
		n := notes[0]
		for _, text := range []string{n.TitleEN, n.TitleZH} {
			if !strings.Contains(text, amount) || !strings.Contains(text, sellerName) {
				t.Errorf("operator %s: title %q", uid, text)
			}
		}
		for _, text := range []string{n.BodyEN, n.BodyZH} {
			if !strings.Contains(text, purpose) {
				t.Errorf("operator %s: body %q", uid, text)
			}
		}
		if n.Link != "/ops/test-credit" || n.TitleEN == n.TitleZH {
			t.Errorf("operator %s told %+v", uid, n)
		}
	}
}

func first[T any](_ T, err error) error              { return err }
func second[T any, U any](_ T, _ U, err error) error { return err }

// productNamed is the id of the demo seller's product with the English name.
func productNamed(t *testing.T, w *markettest.World, sellerEmail, name string) string {
	t.Helper()
	vs, err := w.Svc.SellerProducts(context.Background(), w.Actor(t, sellerEmail, demo.Password))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Content().Name.EN == name {
			return v.ID
		}
	}
	t.Fatalf("no product %q", name)
	return ""
}
