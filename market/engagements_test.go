package market_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// auditService is a professional service of Yunfan (seller3) at ¥2,000.00.
func auditService() catalog.Product {
	return catalog.Product{
		Type:        catalog.TypeService,
		Name:        catalog.Text{EN: "Database health audit", ZH: "数据库健康审计"},
		Summary:     catalog.Text{EN: "An audit of your databases", ZH: "数据库审计"},
		Description: catalog.Text{EN: "Configuration, backups and performance reviewed.", ZH: "检查配置、备份与性能。"},
		Category:    "migration",
		Regions:     []string{"cn-north-4"},
		Support:     catalog.Support{Email: "delivery@yunfan.example"},
		Service: &catalog.ServiceSpec{Kind: catalog.ServiceDataMigration, Deliverables: catalog.Text{EN: "An audit report", ZH: "审计报告"},
			ExpectedDays: 5, NoSoftwareIncluded: true},
		Plans: []catalog.Plan{{Code: "fixed", Name: catalog.Text{EN: "Fixed price", ZH: "一口价"}, Mode: catalog.OneTime,
			Price: money.New(200000, money.CNY), Active: true}},
	}
}

// servicing is a buyer with ¥10,000.00 and Yunfan's audit on sale.
type servicing struct {
	w                    *markettest.World
	buyer, seller, ops   account.Actor
	other, otherSeller   account.Actor
	product              string
	ctx                  context.Context
	balanceBeforeBuying  money.Amount
	order                order.Order
	engagementID         string
	acceptBy, confirmsAt time.Time
}

func newServicing(t *testing.T, st *store.Store) *servicing {
	t.Helper()
	w, _, buyer := buying(t, st, 1_000_000)
	s := &servicing{w: w, buyer: buyer, ctx: context.Background(),
		seller: w.Actor(t, "seller3@demo.test", demo.Password), ops: w.Actor(t, "ops@demo.test", demo.Password),
		other: w.Actor(t, "direct@demo.test", demo.Password), otherSeller: w.Actor(t, "seller1@demo.test", demo.Password)}
	s.product = w.Publish(t, "seller3@demo.test", auditService())
	return s
}

// buy places an order of the audit and runs its open delivery: the
// engagement awaits acceptance, the order is delivering.
func (s *servicing) buy(t *testing.T) market.EngagementView {
	t.Helper()
	s.balanceBeforeBuying = balance(t, s.w, s.buyer)
	o, _, err := s.w.Svc.PlaceOrder(s.ctx, s.buyer, market.OrderRequest{OrgID: orgOf(s.buyer),
		Lines: []order.LineRequest{{ProductID: s.product, Plan: "fixed", Region: "cn-north-4"}}})
	if err != nil {
		t.Fatal(err)
	}
	s.order = o
	if err := deliverAll(t, s.w, s.w.Svc, o.ID); err != nil {
		t.Fatal(err)
	}
	e, ok, err := s.w.Svc.EngagementOfLine(s.ctx, s.buyer, o.ID, 1)
	if err != nil || !ok {
		t.Fatalf("no service order opened: %v", err)
	}
	s.engagementID = e.ID
	v := s.get(t, s.buyer)
	if v.State != engagement.AwaitingAcceptance || v.Role != engagement.Buyer || v.Paid != money.New(200000, money.CNY) ||
		v.ProductName.EN != "Database health audit" || v.SellerOrgID != sellerOrgOf(s.seller) {
		t.Fatalf("service order %+v", v)
	}
	if got := orderState(t, s.w, s.buyer, o.ID); got != order.Delivering {
		t.Fatalf("order %s while the service is under way", got)
	}
	s.wantOpen(t, delivery.Waiting)
	return v
}

func sellerOrgOf(a account.Actor) string {
	for _, m := range a.Memberships {
		if m.OrgKind == account.KindSeller {
			return m.OrgID
		}
	}
	return ""
}

func (s *servicing) get(t *testing.T, who account.Actor) market.EngagementView {
	t.Helper()
	v, err := s.w.Svc.Engagement(s.ctx, who, s.engagementID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wantOpen checks the state of the line's open delivery.
func (s *servicing) wantOpen(t *testing.T, want delivery.State) {
	t.Helper()
	ds, err := s.w.Svc.Deliveries(s.ctx, s.ops, s.order.ID)
	if err != nil || len(ds) == 0 || ds[0].Action != delivery.Open || ds[0].State != want {
		t.Fatalf("deliveries %+v (%v), want the open %s", ds, err, want)
	}
}

func (s *servicing) file(name, body string) []market.Upload {
	return []market.Upload{{Name: name, Body: strings.NewReader(body)}}
}

func wantFault(t *testing.T, err error, code, msgID string) {
	t.Helper()
	fe := fault.As(err)
	if err == nil || fe.Code != code || (msgID != "" && fe.MsgID != msgID) {
		t.Fatalf("error %v, want %s %s", err, code, msgID)
	}
}

// The whole life: opened by the open delivery (once, however often the job
// runs), messages with files both ways, accepted (no longer refundable),
// delivered with deliverables, confirmed: the order is delivered.
func TestServiceOrderAcceptedDeliveredConfirmed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newServicing(t, st)
		svc := s.w.Svc
		v := s.buy(t)
		if want := time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC); !v.AcceptBy.Equal(want) || v.Zone != "Asia/Shanghai" {
			t.Fatalf("accept by %v in %s, want %v", v.AcceptBy, v.Zone, want) // Wed in Shanghai: Thu, Fri, Mon count
		}
		// The job run again: the same engagement, no second notice.
		ds, _ := svc.Deliveries(s.ctx, s.ops, s.order.ID)
		if err := svc.Deliver(s.ctx, ds[0].ID); err != nil {
			t.Fatal(err)
		}
		if list, err := svc.Engagements(s.ctx, s.buyer, store.EngagementFilter{BuyerOrgID: orgOf(s.buyer)}); err != nil || len(list) != 1 {
			t.Fatalf("the buyer's service orders %+v %v", list, err)
		}
		notes, _, _ := svc.Notifications(s.ctx, s.seller)
		if n := countKind(notes, "engagement.open", s.engagementID); n != 1 {
			t.Fatalf("the seller was told %d times of the new service order", n)
		}
		// Before acceptance the service is refundable in full.
		if rq, err := svc.Refundable(s.ctx, s.buyer, s.order.ID); err != nil || rq.Total.Minor != 200000 {
			t.Fatalf("refundable before acceptance %v %v", rq.Total, err)
		}

		// The buyer explains the job, with a file; the seller reads it.
		m, err := svc.PostEngagementMessage(s.ctx, s.buyer, s.engagementID, "Our schema is attached.", s.file("schema.sql", "CREATE TABLE t (id int);"))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Attachments) != 1 || m.Attachments[0].ContentType != "text/plain; charset=utf-8" || m.Attachments[0].Size != 24 {
			t.Fatalf("message %+v", m)
		}
		a, data, err := svc.EngagementFile(s.ctx, s.seller, s.engagementID, market.FileID(m.Attachments[0]))
		if err != nil || string(data) != "CREATE TABLE t (id int);" || a.Name != "schema.sql" {
			t.Fatalf("file %+v %q %v", a, data, err)
		}
		_, _, err = svc.EngagementFile(s.ctx, s.other, s.engagementID, market.FileID(m.Attachments[0]))
		wantFault(t, err, fault.NotFound, "")
		_, _, err = svc.EngagementFile(s.ctx, s.buyer, s.engagementID, "att_nothing")
		wantFault(t, err, fault.NotFound, "error.no_file")
		_, err = svc.PostEngagementMessage(s.ctx, s.buyer, s.engagementID, " ", nil)
		wantFault(t, err, fault.Invalid, "error.message_empty")
		notes, _, _ = svc.Notifications(s.ctx, s.seller)
		if countKind(notes, "engagement.message", s.engagementID) != 1 {
			t.Fatal("the seller was not told of the message")
		}

		// Accepted: nothing is refundable any more.
		if v, err = svc.AcceptEngagement(s.ctx, s.seller, s.engagementID); err != nil || v.State != engagement.InProgress || v.Role != engagement.Seller {
			t.Fatalf("accept: %+v %v", v, err)
		}
		if rq, err := svc.Refundable(s.ctx, s.buyer, s.order.ID); err != nil || !rq.Total.IsZero() {
			t.Fatalf("refundable after acceptance %v %v", rq.Total, err)
		}
		_, err = svc.Refund(s.ctx, s.buyer, market.RefundRequest{OrderID: s.order.ID})
		wantFault(t, err, fault.Invalid, "error.refund_nothing")
		if _, err := svc.PostEngagementMessage(s.ctx, s.seller, s.engagementID, "Started: the first results on Friday.", nil); err != nil {
			t.Fatal(err)
		}

		// Delivered with a report; confirmed by the buyer.
		_, err = svc.DeliverEngagement(s.ctx, s.seller, s.engagementID, "The report.", nil)
		wantFault(t, err, fault.Invalid, "error.deliverables_missing")
		_, err = svc.DeliverEngagement(s.ctx, s.seller, s.engagementID, "", s.file("report.pdf", "%PDF-1.4 report"))
		wantFault(t, err, fault.Invalid, "error.engagement_note")
		s.w.Clock.Advance(48 * time.Hour)
		v, err = svc.DeliverEngagement(s.ctx, s.seller, s.engagementID, "The audit report.", s.file("report.pdf", "%PDF-1.4 report"))
		if err != nil || v.State != engagement.Delivered || !v.ConfirmBy.Equal(v.DeliveredAt.Add(7*24*time.Hour)) {
			t.Fatalf("deliver: %+v %v", v, err)
		}
		full := s.get(t, s.buyer)
		if d := engagement.Deliverables(full.Thread); len(d) != 1 || d[0].Name != "report.pdf" || d[0].ContentType != "application/pdf" {
			t.Fatalf("deliverables %+v", d)
		}
		if len(full.Thread) != 3 || full.Thread[2].Action != engagement.Deliver || len(full.Actions) != 2 {
			t.Fatalf("thread %+v, actions %v", full.Thread, full.Actions)
		}
		s.wantOpen(t, delivery.Waiting)
		if v, err = svc.ConfirmEngagement(s.ctx, s.buyer, s.engagementID); err != nil || v.State != engagement.Confirmed {
			t.Fatalf("confirm: %+v %v", v, err)
		}
		s.wantOpen(t, delivery.Done)
		if got := orderState(t, s.w, s.buyer, s.order.ID); got != order.Delivered {
			t.Fatalf("order %s once confirmed", got)
		}
		// The thread is closed; the money stays with the seller.
		_, err = svc.PostEngagementMessage(s.ctx, s.buyer, s.engagementID, "Thanks!", nil)
		wantFault(t, err, fault.InvalidState, "error.thread_closed")
		if got, _ := s.balanceBeforeBuying.Sub(money.New(200000, money.CNY)); balance(t, s.w, s.buyer) != got {
			t.Fatalf("balance %v, want %v", balance(t, s.w, s.buyer), got)
		}
		notes, _, _ = svc.Notifications(s.ctx, s.seller)
		if countKind(notes, "engagement.confirm", s.engagementID) != 1 {
			t.Fatal("the seller was not told of the confirmation")
		}
	})
}

func countKind(ns []notice.Notification, kind, engagementID string) int {
	n := 0
	for _, x := range ns {
		if x.Kind == kind && strings.Contains(x.Link, engagementID) {
			n++
		}
	}
	return n
}

// Steps not allowed are refused and change nothing: the wrong part, the
// wrong state, too late; and to anyone else the service order does not exist.
func TestServiceOrderRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newServicing(t, st)
		svc := s.w.Svc
		s.buy(t)
		id := s.engagementID
		_, err := svc.AcceptEngagement(s.ctx, s.buyer, id)
		wantFault(t, err, fault.Forbidden, "error.engagement_role")
		_, err = svc.AcceptEngagement(s.ctx, s.ops, id)
		wantFault(t, err, fault.Forbidden, "error.engagement_role")
		_, err = svc.CancelEngagement(s.ctx, s.seller, id, "")
		wantFault(t, err, fault.Forbidden, "error.engagement_role")
		_, err = svc.ConfirmEngagement(s.ctx, s.buyer, id)
		wantFault(t, err, fault.InvalidState, "error.engagement_state")
		_, err = svc.DeliverEngagement(s.ctx, s.seller, id, "done", s.file("r.txt", "report"))
		wantFault(t, err, fault.InvalidState, "error.engagement_state")
		_, err = svc.ResolveEngagement(s.ctx, s.ops, id, "no", money.New(0, money.CNY))
		wantFault(t, err, fault.InvalidState, "error.engagement_state")
		_, err = svc.DeclineEngagement(s.ctx, s.seller, id, "  ")
		wantFault(t, err, fault.Invalid, "error.engagement_note")
		for _, who := range []account.Actor{s.other, s.otherSeller} {
			_, err = svc.Engagement(s.ctx, who, id)
			wantFault(t, err, fault.NotFound, "error.no_service_order")
			_, err = svc.AcceptEngagement(s.ctx, who, id)
			wantFault(t, err, fault.NotFound, "")
			_, err = svc.PostEngagementMessage(s.ctx, who, id, "hello", nil)
			wantFault(t, err, fault.NotFound, "")
		}
		// Lists: a buyer sees only its own, a seller only those of its products.
		_, err = svc.Engagements(s.ctx, s.other, store.EngagementFilter{BuyerOrgID: orgOf(s.buyer)})
		wantFault(t, err, fault.Forbidden, "")
		if list, err := svc.SellerEngagements(s.ctx, s.otherSeller, "", ""); err != nil || len(list) != 0 {
			t.Fatalf("another seller's list %+v %v", list, err)
		}
		if list, err := svc.SellerEngagements(s.ctx, s.seller, engagement.AwaitingAcceptance, ""); err != nil || len(list) == 0 || list[0].ID != id {
			t.Fatalf("the seller's list %+v %v", list, err)
		}
		_, err = svc.Engagements(s.ctx, s.seller, store.EngagementFilter{State: engagement.Disputed})
		wantFault(t, err, fault.Forbidden, "")
		// Too late to accept: the acceptance deadline passed.
		s.w.Clock.Set(s.get(t, s.ops).AcceptBy)
		_, err = svc.AcceptEngagement(s.ctx, s.seller, id)
		wantFault(t, err, fault.InvalidState, "error.engagement_acceptance_late")
		if v := s.get(t, s.buyer); v.State != engagement.AwaitingAcceptance || v.Version != 1 {
			t.Fatalf("refused steps changed it: %+v", v)
		}
	})
}

// A decline and a cancellation refund the line in full to the balance: the
// open delivery is finished first, the release the refund asks for runs, the
// order is refunded.
func TestServiceOrderDeclinedOrCancelled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newServicing(t, st)
		svc := s.w.Svc
		s.buy(t)
		v, err := svc.DeclineEngagement(s.ctx, s.seller, s.engagementID, "Fully booked this month.")
		if err != nil || v.State != engagement.Refunded || v.Cause != engagement.Decline || v.Refunded.Minor != 200000 {
			t.Fatalf("decline: %+v %v", v, err)
		}
		s.refundedInFull(t)
		notes, _, _ := svc.Notifications(s.ctx, s.buyer)
		if countKind(notes, "engagement.decline", s.engagementID) != 1 {
			t.Fatal("the buyer was not told of the decline")
		}

		s.buy(t)
		if v, err = svc.CancelEngagement(s.ctx, s.buyer, s.engagementID, "Found another way."); err != nil || v.State != engagement.Refunded {
			t.Fatalf("cancel: %+v %v", v, err)
		}
		s.refundedInFull(t)
		// Cancelled twice: refused, nothing more refunded.
		_, err = svc.CancelEngagement(s.ctx, s.buyer, s.engagementID, "")
		wantFault(t, err, fault.InvalidState, "error.engagement_state")
		if balance(t, s.w, s.buyer) != s.balanceBeforeBuying {
			t.Fatal("a second cancellation refunded again")
		}
	})
}

// refundedInFull checks that what was paid is back and the deliveries ran.
func (s *servicing) refundedInFull(t *testing.T) {
	t.Helper()
	if got := balance(t, s.w, s.buyer); got != s.balanceBeforeBuying {
		t.Fatalf("balance %v, want %v back", got, s.balanceBeforeBuying)
	}
	s.wantOpen(t, delivery.Done)
	if err := deliverAll(t, s.w, s.w.Svc, s.order.ID); err != nil {
		t.Fatal(err)
	}
	ds, _ := s.w.Svc.Deliveries(s.ctx, s.ops, s.order.ID)
	if len(ds) != 2 || ds[1].Action != delivery.Release || ds[1].State != delivery.Done {
		t.Fatalf("deliveries %+v", ds)
	}
	if got := orderState(t, s.w, s.buyer, s.order.ID); got != order.Refunded {
		t.Fatalf("order %s", got)
	}
}

// The deadlines move a service order on by themselves, with the injected
// clock: not before, from the deadline on; a step someone took first is
// passed over.
func TestServiceOrderDeadlines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newServicing(t, st)
		svc := s.w.Svc
		v := s.buy(t)
		if n, err := svc.RunEngagements(s.ctx, v.AcceptBy.Add(-time.Microsecond)); err != nil || n != 0 {
			t.Fatalf("before the deadline: %d %v", n, err)
		}
		if n, err := svc.RunEngagements(s.ctx, v.AcceptBy); err != nil || n != 1 {
			t.Fatalf("at the deadline: %d %v", n, err)
		}
		if v = s.get(t, s.buyer); v.State != engagement.Refunded || v.Cause != engagement.Expire {
			t.Fatalf("expired: %+v", v)
		}
		s.refundedInFull(t)
		notes, _, _ := svc.Notifications(s.ctx, s.seller)
		if countKind(notes, "engagement.expire", s.engagementID) != 1 {
			t.Fatal("the seller was not told of the expiry")
		}

		// Delivered, then confirmed seven days later without an answer.
		v = s.buy(t)
		if _, err := svc.AcceptEngagement(s.ctx, s.seller, s.engagementID); err != nil {
			t.Fatal(err)
		}
		if v, err := svc.DeliverEngagement(s.ctx, s.seller, s.engagementID, "Done.", s.file("r.txt", "report")); err != nil {
			t.Fatal(err)
		} else if n, err := svc.RunEngagements(s.ctx, v.ConfirmBy.Add(-time.Microsecond)); err != nil || n != 0 {
			t.Fatalf("before confirm by: %d %v", n, err)
		}
		v = s.get(t, s.buyer)
		s.w.Clock.Set(v.ConfirmBy)
		_, err := svc.DisputeEngagement(s.ctx, s.buyer, s.engagementID, "Too late?")
		wantFault(t, err, fault.InvalidState, "error.engagement_dispute_late")
		if n, err := svc.RunEngagements(s.ctx, v.ConfirmBy); err != nil || n != 1 {
			t.Fatalf("at confirm by: %d %v", n, err)
		}
		if v = s.get(t, s.buyer); v.State != engagement.Confirmed || v.Cause != engagement.AutoConfirm {
			t.Fatalf("auto-confirmed: %+v", v)
		}
		if got := orderState(t, s.w, s.buyer, s.order.ID); got != order.Delivered {
			t.Fatalf("order %s", got)
		}
		if n, err := svc.RunEngagements(s.ctx, v.ConfirmBy.Add(time.Hour)); err != nil || n != 0 {
			t.Fatalf("run again: %d %v", n, err)
		}
	})
}

// A dispute goes to the operators' queue; an operator refunds part of it
// (posted to the ledger: the balance gets it back), or all of it.
func TestServiceOrderDisputeResolved(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newServicing(t, st)
		svc := s.w.Svc
		deliver := func() {
			t.Helper()
			s.buy(t)
			if _, err := svc.AcceptEngagement(s.ctx, s.seller, s.engagementID); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.DeliverEngagement(s.ctx, s.seller, s.engagementID, "Done.", s.file("r.txt", "report")); err != nil {
				t.Fatal(err)
			}
		}
		deliver()
		_, err := svc.DisputeEngagement(s.ctx, s.buyer, s.engagementID, "")
		wantFault(t, err, fault.Invalid, "error.engagement_note")
		if v, err := svc.DisputeEngagement(s.ctx, s.buyer, s.engagementID, "Half the databases were not audited."); err != nil || v.State != engagement.Disputed {
			t.Fatalf("dispute: %+v %v", v, err)
		}
		queue, err := svc.Engagements(s.ctx, s.ops, store.EngagementFilter{State: engagement.Disputed})
		queue = slices.DeleteFunc(queue, func(v market.EngagementView) bool { return v.ID != s.engagementID }) // the demo has its own
		if err != nil || len(queue) != 1 || queue[0].Role != engagement.Operator {
			t.Fatalf("the dispute queue %+v %v", queue, err)
		}
		notes, _, _ := svc.Notifications(s.ctx, s.ops)
		if countKind(notes, "engagement.dispute", s.engagementID) != 1 {
			t.Fatal("operators were not told of the dispute")
		}
		_, err = svc.ResolveEngagement(s.ctx, s.buyer, s.engagementID, "mine", money.New(200000, money.CNY))
		wantFault(t, err, fault.Forbidden, "error.engagement_role")
		_, err = svc.ResolveEngagement(s.ctx, s.ops, s.engagementID, "too much", money.New(200001, money.CNY))
		wantFault(t, err, fault.Invalid, "error.resolution_refund")
		v, err := svc.ResolveEngagement(s.ctx, s.ops, s.engagementID, "Half the work was done.", money.New(100000, money.CNY))
		if err != nil || v.State != engagement.PartiallyRefunded || v.Refunded.Minor != 100000 {
			t.Fatalf("resolve: %+v %v", v, err)
		}
		want, _ := s.balanceBeforeBuying.Sub(money.New(100000, money.CNY))
		if got := balance(t, s.w, s.buyer); got != want {
			t.Fatalf("balance %v, want %v", got, want)
		}
		if got := orderState(t, s.w, s.buyer, s.order.ID); got != order.PartiallyRefunded {
			t.Fatalf("order %s", got)
		}
		s.wantOpen(t, delivery.Done)
		rs, err := svc.Refunds(s.ctx, s.buyer, s.order.ID)
		if err != nil || len(rs) != 1 || !strings.Contains(rs[0].Reason, "Half the work was done.") || rs[0].PostingID == "" {
			t.Fatalf("refunds %+v %v", rs, err)
		}

		// All of it back.
		deliver()
		if _, err := svc.DisputeEngagement(s.ctx, s.buyer, s.engagementID, "Nothing was delivered."); err != nil {
			t.Fatal(err)
		}
		if v, err := svc.ResolveEngagement(s.ctx, s.ops, s.engagementID, "The report is empty.", money.New(200000, money.CNY)); err != nil || v.State != engagement.Refunded {
			t.Fatalf("resolve in full: %+v %v", v, err)
		}
		s.refundedInFull(t)
	})
}

// The general refund before acceptance cancels the service order in the
// same transaction; a line refunded before its open ran gets none.
func TestServiceOrderRefundedThroughTheOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newServicing(t, st)
		svc := s.w.Svc
		s.buy(t)
		r, err := svc.Refund(s.ctx, s.buyer, market.RefundRequest{OrderID: s.order.ID, Reason: "Budget cut."})
		if err != nil || r.Amount.Minor != 200000 {
			t.Fatalf("refund %+v %v", r, err)
		}
		if v := s.get(t, s.seller); v.State != engagement.Refunded || v.Cause != engagement.Cancel || v.Reason != "Budget cut." {
			t.Fatalf("the service order after the refund: %+v", v)
		}
		s.refundedInFull(t)

		// Refunded by an operator before the open delivery ran.
		o, _, err := svc.PlaceOrder(s.ctx, s.buyer, market.OrderRequest{OrgID: orgOf(s.buyer),
			Lines: []order.LineRequest{{ProductID: s.product, Plan: "fixed", Region: "cn-north-4"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Refund(s.ctx, s.ops, market.RefundRequest{OrderID: o.ID, Reason: "Asked by phone."}); err != nil {
			t.Fatal(err)
		}
		if err := deliverAll(t, s.w, svc, o.ID); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := svc.EngagementOfLine(s.ctx, s.buyer, o.ID, 1); err != nil || ok {
			t.Fatalf("a refunded line got a service order: %v %v", ok, err)
		}
		ds, _ := svc.Deliveries(s.ctx, s.ops, o.ID)
		for _, d := range ds {
			if d.State != delivery.Done {
				t.Fatalf("deliveries %+v", ds)
			}
		}
	})
}
