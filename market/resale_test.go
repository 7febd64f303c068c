package market_test

import (
	"context"
	"testing"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/resale"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func orgOfKind(a account.Actor, kind account.OrgKind) string {
	for _, m := range a.Memberships {
		if m.OrgKind == kind {
			return m.OrgID
		}
	}
	return ""
}

// reselling is the demo world with the standard discount at 15%, and the
// people of a resale.
type reselling struct {
	w                                       *markettest.World
	ctx                                     context.Context
	ops, seller, partner, clinic, telesales account.Actor
	sellerOrg, partnerOrg, clinicOrg        string
}

func newReselling(t *testing.T, st *store.Store) *reselling {
	t.Helper()
	w := markettest.Demo(t, st, t0)
	r := &reselling{w: w, ctx: context.Background(),
		ops: w.Actor(t, "ops@demo.test", demo.Password), seller: w.Actor(t, "seller1@demo.test", demo.Password),
		partner: w.Actor(t, "partner@demo.test", demo.Password), clinic: w.Actor(t, "partner-customer@demo.test", demo.Password),
		telesales: w.Actor(t, "telesales@demo.test", demo.Password)}
	r.sellerOrg, r.partnerOrg, r.clinicOrg = orgOfKind(r.seller, account.KindSeller), orgOfKind(r.partner, account.KindPartner), orgOfKind(r.clinic, account.KindCustomer)
	if _, err := w.Svc.SetResaleRequirements(r.ctx, r.ops, resale.Requirements{MinApprovedDays: 0, RefundPolicy: true, MaxFailedDeliveries: 3, StandardDiscountBPS: 1500}); err != nil {
		t.Fatal(err)
	}
	return r
}

// accounts are the balances of the ledger accounts a partner's sale moves, in CNY.
func (r *reselling) accounts(t *testing.T) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for name, a := range map[string]ledger.Account{"customer": ledger.Customer(r.clinicOrg), "partner": ledger.PartnerPayable(r.partnerOrg),
		"platform": ledger.Commission, "seller": ledger.SellerPayable(r.sellerOrg)} {
		sum, err := r.w.Store.AccountBalance(r.ctx, a, money.CNY)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = sum.Minor
	}
	return out
}

func moved(before, after map[string]int64) map[string]int64 {
	out := map[string]int64{}
	var sum int64
	for k, v := range after {
		out[k] = v - before[k]
		sum += v - before[k]
	}
	out["sum"] = sum
	return out
}

func sameMoves(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s moved %d, want %d (%v)", what, k, got[k], v, got)
		}
	}
}

func TestResaleEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newReselling(t, st)
		ctx, svc := r.ctx, r.w.Svc

		// A product without a refund policy cannot be authorised.
		bare := r.w.Publish(t, "seller1@demo.test", databaseLicense())
		_, err := svc.AuthoriseResale(ctx, r.seller, market.AuthoriseResale{ProductID: bare, PartnerOrgID: r.partnerOrg, DiscountBPS: 1000})
		if fe := fault.As(err); fe == nil || fe.Code != fault.RequirementsNotMet || len(fe.Details) != 1 || fe.Details[0].ID != resale.ReqRefundPolicy {
			t.Fatalf("no refund policy: %#v", err)
		}
		standing, _, err := svc.SellerResale(ctx, r.seller, r.sellerOrg)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range standing {
			if s.ProductID == bare && (s.Eligible() || s.Missing[0].ID != resale.ReqRefundPolicy) {
				t.Fatalf("standing of the bare product: %+v", s)
			}
		}

		// With one, at 20% (above the standard 15%): pending.
		p := databaseLicense()
		days := 7
		p.RefundDays = &days
		product := r.w.Publish(t, "seller1@demo.test", p)
		a, err := svc.AuthoriseResale(ctx, r.seller, market.AuthoriseResale{ProductID: product, PartnerOrgID: r.partnerOrg, DiscountBPS: 2000, Note: "launch offer"})
		if err != nil || a.State != resale.Pending {
			t.Fatalf("authorise: %+v %v", a, err)
		}
		line := []order.LineRequest{{ProductID: product, Plan: "one-year"}}
		place := func(customer, key string) (order.Order, error) {
			o, _, err := svc.PlacePartnerOrder(ctx, r.partner, market.PartnerOrderRequest{PartnerOrgID: r.partnerOrg, CustomerOrgID: customer, Lines: line, IdempotencyKey: key})
			return o, err
		}
		if _, err := place(r.clinicOrg, ""); msgID(err) != "forbidden error.resale_not_authorised" {
			t.Fatalf("pending, not yet authorised: %v", err)
		}
		if pp, err := svc.PartnerProducts(ctx, r.partner, r.partnerOrg); err != nil || containsProduct(pp, product) {
			t.Fatalf("the partner sees a pending one: %v", err)
		}
		pending, err := svc.PendingResale(ctx, r.ops)
		if err != nil || !containsAuthorisation(pending, a.ID) {
			t.Fatalf("pending: %v", err)
		}
		if a, err = svc.DecideResale(ctx, r.ops, a.ID, resale.Approve, "agreed"); err != nil || a.State != resale.Active || a.DecidedBy != r.ops.UserID {
			t.Fatalf("approve: %+v %v", a, err)
		}
		if pp, err := svc.PartnerProducts(ctx, r.partner, r.partnerOrg); err != nil || !containsProduct(pp, product) {
			t.Fatalf("the partner does not see it: %v", err)
		}

		// The partner sells it to its customer at the list price, ¥1,000.00:
		// margin 20% = ¥200.00; commission 10% of ¥800.00 = ¥80.00; seller ¥720.00.
		before := r.accounts(t)
		start := before["partner"] // the demo's sales
		o, err := place(r.clinicOrg, "nw-1")
		if err != nil {
			t.Fatal(err)
		}
		if o.BuyerOrgID != r.clinicOrg || o.BuyerUserID != r.partner.UserID || o.Channel != "partner:"+r.partnerOrg || o.Payable.Minor != 100000 ||
			o.PartnerMargin().Minor != 20000 {
			t.Fatalf("order %+v", o)
		}
		paid := r.accounts(t)
		sameMoves(t, "payment", moved(before, paid), map[string]int64{"customer": -100000, "partner": 20000, "platform": 8000, "seller": 72000, "sum": 0})
		if again, replayed, err := svc.PlacePartnerOrder(ctx, r.partner, market.PartnerOrderRequest{PartnerOrgID: r.partnerOrg, CustomerOrgID: r.clinicOrg,
			Lines: line, IdempotencyKey: "nw-1"}); err != nil || !replayed || again.ID != o.ID {
			t.Fatalf("replay: %v %v", replayed, err)
		}
		if _, _, err := svc.PlaceOrder(ctx, r.clinic, market.OrderRequest{OrgID: r.clinicOrg, Lines: line, IdempotencyKey: "nw-1"}); msgID(err) != "idempotency_conflict error.idempotency_conflict" {
			t.Fatalf("the customer's own order with the partner's key: %v", err)
		}

		// A third refunded: each share gives back its part, rounded half away
		// from zero, the seller the rest: margin 200.00 × 1/3 = 66.67,
		// commission 80.00 × 1/3 = 26.67, seller 333.33 − 66.67 − 26.67.
		third := money.New(33333, money.CNY)
		if _, err := svc.Refund(ctx, r.clinic, market.RefundRequest{OrderID: o.ID, Amount: &third, Reason: "one core less"}); err != nil {
			t.Fatal(err)
		}
		sameMoves(t, "a third refunded", moved(paid, r.accounts(t)), map[string]int64{"customer": 33333, "partner": -6667, "platform": -2667, "seller": -23999, "sum": 0})

		// A second sale refunded in full: every share back exactly.
		before = r.accounts(t)
		second, err := place(r.clinicOrg, "nw-2")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Refund(ctx, r.ops, market.RefundRequest{OrderID: second.ID, Reason: "cancelled"}); err != nil {
			t.Fatal(err)
		}
		sameMoves(t, "paid and refunded", moved(before, r.accounts(t)), map[string]int64{"customer": 0, "partner": 0, "platform": 0, "seller": 0})
		if check, err := st.CheckLedger(ctx); err != nil || !check.Balanced() {
			t.Fatalf("ledger: %+v %v", check, err)
		}

		// The partner's sales: two orders, the margin net of refunds.
		sales, err := svc.PartnerSales(ctx, r.partner, r.partnerOrg)
		if err != nil {
			t.Fatal(err)
		}
		var total store.PartnerTotal
		for _, tt := range sales.Totals {
			if tt.Currency == money.CNY {
				total = tt
			}
		}
		if !containsSale(sales.Sales, o.ID) || !containsSale(sales.Sales, second.ID) {
			t.Fatalf("sales %+v", sales.Sales)
		}
		// ¥200.00 − ¥66.67 on the first, nothing left of the second, besides
		// the demo's: what the partner's payable holds.
		if payable := r.accounts(t)["partner"]; total.Orders != 2+len(demo.PartnerSales) || total.Margin.Minor != payable || payable-start != 13333 {
			t.Errorf("totals %+v, payable %d", total, r.accounts(t)["partner"])
		}
		for _, s := range sales.Sales {
			if s.Order.ID == o.ID && (s.Margin.Minor != 20000 || s.MarginRefunded.Minor != 6667) {
				t.Errorf("sale %+v", s)
			}
		}

		// The seller sees the partner's sales of its products and its
		// authorisations; it revokes, and the partner may sell no more.
		bySeller, err := svc.SellerPartnerSales(ctx, r.seller, r.sellerOrg)
		if err != nil || len(bySeller) < 2 {
			t.Fatalf("seller's partner sales: %d %v", len(bySeller), err)
		}
		if _, err := svc.RevokeResale(ctx, r.seller, a.ID, "end of the offer"); err != nil {
			t.Fatal(err)
		}
		if _, err := place(r.clinicOrg, ""); msgID(err) != "forbidden error.resale_not_authorised" {
			t.Fatalf("revoked: %v", err)
		}
	})
}

func containsProduct(pp []market.PartnerProduct, id string) bool {
	for _, p := range pp {
		if p.Product.ID == id {
			return true
		}
	}
	return false
}

func containsAuthorisation(vs []market.ResaleView, id string) bool {
	for _, v := range vs {
		if v.ID == id {
			return true
		}
	}
	return false
}

func containsSale(ss []store.PartnerSale, id string) bool {
	for _, s := range ss {
		if s.Order.ID == id {
			return true
		}
	}
	return false
}

func TestResaleRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newReselling(t, st)
		ctx, svc := r.ctx, r.w.Svc
		p := databaseLicense()
		days := 5
		p.RefundDays = &days
		product := r.w.Publish(t, "seller1@demo.test", p)
		a, err := svc.AuthoriseResale(ctx, r.seller, market.AuthoriseResale{ProductID: product, PartnerOrgID: r.partnerOrg, DiscountBPS: 1500})
		if err != nil || a.State != resale.Active {
			t.Fatalf("at the standard discount: %+v %v", a, err)
		}
		tianhe := orgOfKind(r.telesales, account.KindCustomer)
		line := []order.LineRequest{{ProductID: product, Plan: "one-year"}}
		tests := []struct {
			name  string
			who   account.Actor
			req   market.PartnerOrderRequest
			error string
		}{
			{"not its customer", r.partner, market.PartnerOrderRequest{PartnerOrgID: r.partnerOrg, CustomerOrgID: tianhe, Lines: line}, "forbidden error.resale_not_customer"},
			{"no such customer", r.partner, market.PartnerOrderRequest{PartnerOrgID: r.partnerOrg, CustomerOrgID: "org_nope", Lines: line}, "forbidden error.resale_not_customer"},
			{"not a partner", r.clinic, market.PartnerOrderRequest{PartnerOrgID: r.partnerOrg, CustomerOrgID: r.clinicOrg, Lines: line}, "forbidden error.forbidden"},
			{"a product not authorised", r.partner, market.PartnerOrderRequest{PartnerOrgID: r.partnerOrg, CustomerOrgID: r.clinicOrg,
				Lines: append(line, order.LineRequest{ProductID: r.w.Publish(t, "seller1@demo.test", databaseLicense()), Plan: "one-year"})}, "forbidden error.resale_not_authorised"},
			{"an empty cart", r.partner, market.PartnerOrderRequest{PartnerOrgID: r.partnerOrg, CustomerOrgID: r.clinicOrg}, "invalid error.cart_empty"},
		}
		for _, tc := range tests {
			if _, _, err := svc.PlacePartnerOrder(ctx, tc.who, tc.req); msgID(err) != tc.error {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.error)
			}
		}

		// Authorisations: the same again, a bad discount, another's product, a
		// customer as partner; a suspended seller has no resale.
		refusals := []struct {
			name  string
			who   account.Actor
			in    market.AuthoriseResale
			error string
		}{
			{"twice", r.seller, market.AuthoriseResale{ProductID: product, PartnerOrgID: r.partnerOrg, DiscountBPS: 1000}, "conflict error.resale_exists"},
			{"90% and more", r.seller, market.AuthoriseResale{ProductID: product, PartnerOrgID: r.partnerOrg, DiscountBPS: 9001}, "invalid error.resale_discount"},
			{"another seller's product", r.w.Actor(t, "seller2@demo.test", demo.Password), market.AuthoriseResale{ProductID: product, PartnerOrgID: r.partnerOrg, DiscountBPS: 1000}, "not_found error.no_product"},
			{"a partner that is none", r.seller, market.AuthoriseResale{ProductID: product, PartnerOrgID: r.clinicOrg, DiscountBPS: 1000}, "invalid error.resale_partner"},
			{"a partner authorising", r.partner, market.AuthoriseResale{ProductID: product, PartnerOrgID: r.partnerOrg, DiscountBPS: 1000}, "forbidden error.forbidden"},
		}
		for _, tc := range refusals {
			if _, err := svc.AuthoriseResale(ctx, tc.who, tc.in); msgID(err) != tc.error {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.error)
			}
		}
		// Operators only decide, and only pending ones.
		if _, err := svc.DecideResale(ctx, r.seller, a.ID, resale.Approve, ""); msgID(err) != "forbidden error.forbidden" {
			t.Errorf("a seller approving: %v", err)
		}
		if _, err := svc.DecideResale(ctx, r.ops, a.ID, resale.Decline, ""); msgID(err) != "invalid_state error.resale_state" {
			t.Errorf("declining an active one: %v", err)
		}
		if _, err := svc.RevokeResale(ctx, r.w.Actor(t, "seller2@demo.test", demo.Password), a.ID, ""); msgID(err) != "not_found error.resale_unknown" {
			t.Errorf("another seller revoking: %v", err)
		}
		if _, err := svc.SetResaleRequirements(ctx, r.seller, resale.Defaults); msgID(err) != "forbidden error.forbidden" {
			t.Errorf("a seller setting requirements: %v", err)
		}
		// Too new a seller: 30 days asked, approved today.
		if _, err := svc.SetResaleRequirements(ctx, r.ops, resale.Requirements{MinApprovedDays: 30, StandardDiscountBPS: 1500}); err != nil {
			t.Fatal(err)
		}
		other := r.w.Publish(t, "seller1@demo.test", p)
		_, err = svc.AuthoriseResale(ctx, r.seller, market.AuthoriseResale{ProductID: other, PartnerOrgID: r.partnerOrg, DiscountBPS: 1000})
		if fe := fault.As(err); fe == nil || fe.Code != fault.RequirementsNotMet || fe.Details[0].ID != resale.ReqApprovedDays {
			t.Fatalf("approved too recently: %#v", err)
		}
		// A suspended seller has no resale at all.
		app, err := svc.MyApplication(ctx, r.seller)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Review(ctx, r.ops, app.ID, seller.Suspend, "unpaid fees"); err != nil {
			t.Fatal(err)
		}
		_, err = svc.AuthoriseResale(ctx, r.seller, market.AuthoriseResale{ProductID: other, PartnerOrgID: r.partnerOrg, DiscountBPS: 1000})
		if fe := fault.As(err); fe == nil || fe.Code != fault.RequirementsNotMet || fe.Details[0].ID != resale.ReqSellerApproved {
			t.Fatalf("suspended: %#v", err)
		}
	})
}

func TestResaleCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newReselling(t, st)
		ctx, svc := r.ctx, r.w.Svc
		// The demo: Lakeside DB Enterprise alone has a refund policy, and is
		// authorised to Northwind.
		if e, a, err := svc.ResaleCounts(ctx, r.sellerOrg, r.w.Clock.Now()); err != nil || e != 1 || a != 1 {
			t.Fatalf("demo: eligible %d, authorised %d, %v", e, a, err)
		}
		p := databaseLicense()
		days := 3
		p.RefundDays = &days
		product := r.w.Publish(t, "seller1@demo.test", p)
		if e, a, err := svc.ResaleCounts(ctx, r.sellerOrg, r.w.Clock.Now()); err != nil || e != 2 || a != 1 {
			t.Fatalf("one more eligible: %d, %d, %v", e, a, err)
		}
		if _, err := svc.AuthoriseResale(ctx, r.seller, market.AuthoriseResale{ProductID: product, PartnerOrgID: r.partnerOrg, DiscountBPS: 2000}); err != nil {
			t.Fatal(err)
		}
		if e, a, err := svc.ResaleCounts(ctx, r.sellerOrg, r.w.Clock.Now()); err != nil || e != 2 || a != 1 {
			t.Fatalf("pending is not authorised: %d, %d, %v", e, a, err)
		}
		harbor := orgOfKind(r.w.Actor(t, "seller4@demo.test", demo.Password), account.KindSeller)
		if e, a, err := svc.ResaleCounts(ctx, harbor, r.w.Clock.Now()); err != nil || e != 1 || a != 0 {
			t.Fatalf("Harbor DevTools: %d, %d, %v", e, a, err)
		}
	})
}
