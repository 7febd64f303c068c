package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// services is a seller's professional service on the storefront and a buyer.
type services struct {
	st      *store.Store
	product catalog.Entry
	buyer   account.User
	org     account.Org // the buyer's
}

// mustServices puts a professional service on sale and makes a buyer.
func mustServices(t *testing.T, st *store.Store) services {
	t.Helper()
	id := ids.New("prd")
	shop(t, st, seller.Approved, product(id, catalog.TypeService, "Data migration", "数据迁移", "We move your data", "迁移您的数据", "migration",
		[]string{"cn-north-4"}, plan("once", catalog.OneTime, 80000, money.CNY)))
	p, err := st.Product(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	u, org := mustUser(t, st, ids.New("buyer")+"@example.com")
	return services{st: st, product: p, buyer: u, org: org}
}

// order places a paid order of n lines of the service, paid at paidAt (and
// changed by each of with), and returns the engagements of its lines (not
// stored yet).
func (s services) order(t *testing.T, n int, paidAt time.Time, with ...func(*order.Order)) []engagement.Engagement {
	t.Helper()
	paid := money.New(80000, money.CNY)
	o := order.Order{ID: ids.New("ord"), BuyerOrgID: s.org.ID, BuyerUserID: s.buyer.ID, Kind: order.New, Channel: "direct", State: order.Paid,
		PlacedAt: paidAt, PaidAt: paidAt, Quote: order.Quote{Currency: money.CNY, List: paid, Discount: money.New(0, money.CNY), Payable: paid}}
	for i := range n {
		o.Lines = append(o.Lines, order.Line{No: i + 1, ProductID: s.product.ID, Type: catalog.TypeService, SellerOrgID: s.product.SellerOrgID,
			Plan: "once", Mode: catalog.OneTime, Quantity: 1, Paid: paid})
	}
	for _, change := range with {
		change(&o)
	}
	if err := s.st.Write(context.Background(), func(tx *store.Tx) error { return tx.CreateOrder(context.Background(), o, "", "") }); err != nil {
		t.Fatal(err)
	}
	var out []engagement.Engagement
	for _, l := range o.Lines {
		out = append(out, engagement.Start(ids.New("eng"), o, l, engagement.Calendar{Loc: time.UTC}))
	}
	return out
}

// create stores engagements.
func (s services) create(t *testing.T, es ...engagement.Engagement) {
	t.Helper()
	ctx := context.Background()
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		for _, e := range es {
			if _, created, err := tx.CreateEngagement(ctx, e); err != nil || !created {
				return fmt.Errorf("create %s: %v, %v", e.ID, created, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// step takes a step on the stored engagement, as a use case does: load,
// decide, store.
func step(ctx context.Context, st *store.Store, id string, a engagement.Action, now time.Time) (engagement.Engagement, error) {
	var next engagement.Engagement
	err := st.Write(ctx, func(tx *store.Tx) error {
		e, err := tx.Engagement(ctx, id)
		if err != nil {
			return err
		}
		if next, err = engagement.Next(e, a, now); err != nil {
			return err
		}
		return tx.TransitionEngagement(ctx, e.State, next)
	})
	return next, err
}

// same reports whether two engagements hold the same values (times compared
// as instants).
func same(a, b engagement.Engagement) bool {
	times := func(e *engagement.Engagement) []*time.Time {
		return []*time.Time{&e.PaidAt, &e.AcceptBy, &e.AcceptedAt, &e.DeliveredAt, &e.ConfirmBy, &e.DisputedAt, &e.ClosedAt, &e.CreatedAt, &e.UpdatedAt}
	}
	ta, tb := times(&a), times(&b)
	for i := range ta {
		if !ta[i].Equal(*tb[i]) {
			return false
		}
		*ta[i], *tb[i] = time.Time{}, time.Time{}
	}
	return a == b
}

func TestEngagementCreateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := mustServices(t, st)
		es := s.order(t, 2, t0)
		s.create(t, es...)
		for _, e := range es {
			got, err := st.Engagement(ctx, e.ID)
			if err != nil || !same(got, e) {
				t.Fatalf("stored\n %+v, %v\nwant %+v", got, err, e)
			}
		}
		// The same line again, under another id: the stored one comes back.
		again := es[1]
		again.ID = ids.New("eng")
		var got engagement.Engagement
		var created bool
		err := st.Write(ctx, func(tx *store.Tx) (err error) {
			got, created, err = tx.CreateEngagement(ctx, again)
			return err
		})
		if err != nil || created || got.ID != es[1].ID {
			t.Fatalf("second create: %s %v %v", got.ID, created, err)
		}
		if e, found, err := st.EngagementOfLine(ctx, es[0].OrderID, 1); err != nil || !found || e.ID != es[0].ID {
			t.Fatalf("of line 1: %+v %v %v", e, found, err)
		}
		if _, found, err := st.EngagementOfLine(ctx, es[0].OrderID, 3); err != nil || found {
			t.Fatalf("of line 3: %v %v", found, err)
		}
		if _, err := st.Engagement(ctx, "eng_none"); !fault.Is(err, fault.NotFound) {
			t.Fatalf("unknown: %v", err)
		}
		// A line the order does not have is refused by the database.
		stray := es[0]
		stray.ID, stray.LineNo = ids.New("eng"), 9
		if err := st.Write(ctx, func(tx *store.Tx) error { _, _, err := tx.CreateEngagement(ctx, stray); return err }); err == nil {
			t.Fatal("an engagement of a line that does not exist was stored")
		}
	})
}

func TestEngagementLifeIsStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := mustServices(t, st)
		e := s.order(t, 1, t0)[0]
		s.create(t, e)
		files := []engagement.Attachment{{BlobKey: "engagements/x/report.pdf", Name: "report.pdf", Size: 2048, ContentType: "application/pdf"}}
		steps := []engagement.Action{
			{Kind: engagement.Accept, By: engagement.Seller},
			{Kind: engagement.Deliver, By: engagement.Seller, Note: "done", Files: files},
			{Kind: engagement.Dispute, By: engagement.Buyer, Note: "a table is missing"},
			{Kind: engagement.Resolve, By: engagement.Operator, Note: "half back", Refund: money.New(40000, money.CNY)},
		}
		now := t0
		for i, a := range steps {
			now = now.Add(time.Hour)
			next, err := step(ctx, st, e.ID, a, now)
			if err != nil {
				t.Fatalf("%s: %v", a.Kind, err)
			}
			got, err := st.Engagement(ctx, e.ID)
			next.Version++
			if err != nil || !same(got, next) || got.Version != 2+i {
				t.Fatalf("after %s:\n got %+v, %v\nwant %+v", a.Kind, got, err, next)
			}
		}
		got, _ := st.Engagement(ctx, e.ID)
		if got.State != engagement.PartiallyRefunded || got.Refunded != money.New(40000, money.CNY) || got.Resolution != "half back" ||
			got.DisputeReason != "a table is missing" || got.DeliveredAt.IsZero() || got.ConfirmBy.IsZero() {
			t.Fatalf("at the end: %+v", got)
		}

		// A step from a version read before the last change is refused.
		stale := e
		next, err := engagement.Next(stale, engagement.Action{Kind: engagement.Cancel, By: engagement.Buyer}, now)
		if err != nil {
			t.Fatal(err)
		}
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.TransitionEngagement(ctx, stale.State, next) })
		if !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale step: %v", err)
		}
		next.ID = "eng_none"
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.TransitionEngagement(ctx, stale.State, next) })
		if !fault.Is(err, fault.NotFound) {
			t.Fatalf("unknown engagement: %v", err)
		}
	})
}

// TestConcurrentStepsOnlyOneApplies races the seller's acceptance against
// the buyer's cancellation: exactly one applies, on both engines, whether the
// others read before it (Conflict) or after (InvalidState).
func TestConcurrentStepsOnlyOneApplies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := mustServices(t, st)
		e := s.order(t, 1, t0)[0]
		s.create(t, e)
		accept := engagement.Action{Kind: engagement.Accept, By: engagement.Seller}
		cancel := engagement.Action{Kind: engagement.Cancel, By: engagement.Buyer}
		var applied, conflicts, refused atomic.Int64
		var winner atomic.Value
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 40 {
			a := accept
			if i%2 == 1 {
				a = cancel
			}
			// Half decide from the engagement read before the race, half
			// from what they read in their own transaction.
			early := i%4 < 2
			wg.Go(func() {
				<-start
				var err error
				if early {
					var next engagement.Engagement
					if next, err = engagement.Next(e, a, t0.Add(time.Hour)); err == nil {
						err = st.Write(ctx, func(tx *store.Tx) error { return tx.TransitionEngagement(ctx, e.State, next) })
					}
				} else {
					_, err = step(ctx, st, e.ID, a, t0.Add(time.Hour))
				}
				switch {
				case err == nil:
					applied.Add(1)
					winner.Store(a.Kind)
				case fault.Is(err, fault.Conflict):
					conflicts.Add(1)
				case fault.Is(err, fault.InvalidState):
					refused.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		close(start)
		wg.Wait()
		if applied.Load() != 1 || conflicts.Load()+refused.Load() != 39 {
			t.Fatalf("applied %d, conflicts %d, refused %d", applied.Load(), conflicts.Load(), refused.Load())
		}
		got, err := st.Engagement(ctx, e.ID)
		if err != nil || got.Version != 2 || got.Cause != winner.Load() {
			t.Fatalf("stored %+v %v; winner %v", got, err, winner.Load())
		}
	})
}

func TestEngagementLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := mustServices(t, st)
		other := mustServices(t, st) // another seller and buyer
		var mine []engagement.Engagement
		for i := range 5 {
			e := s.order(t, 1, t0.Add(time.Duration(i)*time.Minute))[0]
			s.create(t, e)
			mine = append(mine, e)
		}
		theirs := other.order(t, 1, t0)[0]
		other.create(t, theirs)
		// Two of mine are disputed.
		for _, e := range mine[1:3] {
			for _, a := range []engagement.Action{{Kind: engagement.Accept, By: engagement.Seller},
				{Kind: engagement.Deliver, By: engagement.Seller, Note: "done", Files: []engagement.Attachment{{BlobKey: "k", Name: "n", Size: 1, ContentType: "text/plain"}}},
				{Kind: engagement.Dispute, By: engagement.Buyer, Note: "no"}} {
				if _, err := step(ctx, st, e.ID, a, t0.Add(time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
		}
		idsOf := func(es []engagement.Engagement) string {
			var out []string
			for _, e := range es {
				out = append(out, e.ID)
			}
			return fmt.Sprint(out)
		}
		newest := func(es ...engagement.Engagement) string {
			es = slices.Clone(es)
			slices.Reverse(es)
			return idsOf(es)
		}
		tests := []struct {
			name string
			f    store.EngagementFilter
			want string
		}{
			{"the buyer's", store.EngagementFilter{BuyerOrgID: s.org.ID}, newest(mine...)},
			{"the seller's", store.EngagementFilter{SellerOrgID: s.product.SellerOrgID}, newest(mine...)},
			{"the other seller's", store.EngagementFilter{SellerOrgID: other.product.SellerOrgID}, idsOf([]engagement.Engagement{theirs})},
			{"disputed", store.EngagementFilter{State: engagement.Disputed}, newest(mine[1], mine[2])},
			{"first page", store.EngagementFilter{BuyerOrgID: s.org.ID, Limit: 2}, newest(mine[3], mine[4])},
			{"second page", store.EngagementFilter{BuyerOrgID: s.org.ID, Limit: 2, Before: mine[3].ID}, newest(mine[1], mine[2])},
			{"last page", store.EngagementFilter{BuyerOrgID: s.org.ID, Limit: 2, Before: mine[1].ID}, idsOf(mine[:1])},
			{"nobody's", store.EngagementFilter{BuyerOrgID: "org_none"}, "[]"},
		}
		for _, tc := range tests {
			got, err := st.Engagements(ctx, tc.f)
			if err != nil || idsOf(got) != tc.want {
				t.Errorf("%s: %s %v, want %s", tc.name, idsOf(got), err, tc.want)
			}
		}
	})
}

func TestDueEngagements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := mustServices(t, st)
		es := s.order(t, 4, t0) // accept by t0's day + 3 working days, in UTC
		s.create(t, es...)
		acceptBy := es[0].AcceptBy
		// 2: in progress (nothing due); 3: delivered an hour after payment.
		if _, err := step(ctx, st, es[1].ID, engagement.Action{Kind: engagement.Accept, By: engagement.Seller}, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		for _, a := range []engagement.Action{{Kind: engagement.Accept, By: engagement.Seller},
			{Kind: engagement.Deliver, By: engagement.Seller, Note: "done", Files: []engagement.Attachment{{BlobKey: "k", Name: "n", Size: 1, ContentType: "text/plain"}}}} {
			if _, err := step(ctx, st, es[2].ID, a, t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		confirmBy := t0.Add(time.Hour + engagement.ConfirmAfter)
		due := func(now time.Time, limit int) string {
			got, err := st.DueEngagements(ctx, now, limit)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range got {
				a, ok := engagement.Due(e, now)
				if !ok {
					t.Errorf("%s listed at %v but nothing is due", e.ID, now)
				}
				out = append(out, fmt.Sprintf("%d:%s", e.LineNo, a.Kind))
			}
			return fmt.Sprint(out)
		}
		if acceptBy.After(confirmBy) {
			t.Fatalf("the test needs acceptance due first: %v, %v", acceptBy, confirmBy)
		}
		tests := []struct {
			now   time.Time
			limit int
			want  string
		}{
			{acceptBy.Add(-time.Nanosecond), 10, "[]"},
			{acceptBy, 10, "[1:expire 4:expire]"},
			{acceptBy, 1, "[1:expire]"},
			{confirmBy, 10, "[1:expire 4:expire 3:auto_confirm]"},
		}
		for _, tc := range tests {
			if got := due(tc.now, tc.limit); got != tc.want {
				t.Errorf("at %v (limit %d): %s, want %s", tc.now, tc.limit, got, tc.want)
			}
		}
		// The job's step takes them out of the list.
		if _, err := step(ctx, st, es[0].ID, engagement.Action{Kind: engagement.Expire, By: engagement.System}, acceptBy); err != nil {
			t.Fatal(err)
		}
		if got := due(confirmBy, 10); got != "[4:expire 3:auto_confirm]" {
			t.Errorf("after expiry: %s", got)
		}
	})
}

func TestEngagementMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := mustServices(t, st)
		e := s.order(t, 1, t0)[0]
		s.create(t, e)
		deliver := engagement.Action{Kind: engagement.Deliver, By: engagement.Seller, Note: "the report", Files: []engagement.Attachment{
			{BlobKey: "engagements/a/report.pdf", Name: "报告.pdf", Size: 5 << 20, ContentType: "application/pdf"},
			{BlobKey: "engagements/a/dump.sql", Name: "dump.sql", Size: 77, ContentType: "text/plain; charset=utf-8"}}}
		delivery, _ := deliver.Message(ids.New("msg"), e, "", t0.Add(2*time.Hour))
		thread := []engagement.Message{
			{ID: ids.New("msg"), EngagementID: e.ID, Author: engagement.Buyer, AuthorUserID: s.buyer.ID, Body: "the database is at …", CreatedAt: t0.Add(time.Minute),
				Attachments: []engagement.Attachment{{BlobKey: "engagements/a/schema.png", Name: "schema.png", Size: 10, ContentType: "image/png"}}},
			{ID: ids.New("msg"), EngagementID: e.ID, Author: engagement.Seller, Body: "thanks", CreatedAt: t0.Add(time.Hour)},
			delivery,
		}
		for _, m := range thread {
			if err := st.Write(ctx, func(tx *store.Tx) error { return tx.AddEngagementMessage(ctx, m) }); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.EngagementMessages(ctx, e.ID)
		if err != nil || len(got) != len(thread) {
			t.Fatalf("thread: %+v %v", got, err)
		}
		for i := range thread {
			g, w := got[i], thread[i]
			if !g.CreatedAt.Equal(w.CreatedAt) || fmt.Sprint(g.Attachments) != fmt.Sprint(w.Attachments) {
				t.Errorf("message %d:\n got %+v\nwant %+v", i, g, w)
			}
			g.CreatedAt, w.CreatedAt, g.Attachments, w.Attachments = time.Time{}, time.Time{}, nil, nil
			if fmt.Sprint(g) != fmt.Sprint(w) {
				t.Errorf("message %d:\n got %+v\nwant %+v", i, g, w)
			}
		}
		if d := engagement.Deliverables(got); len(d) != 2 || d[0].Name != "报告.pdf" {
			t.Errorf("deliverables %+v", d)
		}
		if msgs, err := st.EngagementMessages(ctx, "eng_none"); err != nil || len(msgs) != 0 {
			t.Errorf("no thread: %v %v", msgs, err)
		}
		err = st.Write(ctx, func(tx *store.Tx) error {
			return tx.AddEngagementMessage(ctx, engagement.Message{ID: ids.New("msg"), EngagementID: "eng_none", Author: engagement.Buyer, Body: "x", CreatedAt: t0})
		})
		if !fault.Is(err, fault.NotFound) {
			t.Errorf("message to no engagement: %v", err)
		}
	})
}

// TestThreadIsBounded: a thread takes engagement.MaxMessages messages, then
// refuses more.
func TestThreadIsBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := mustServices(t, st)
		e := s.order(t, 1, t0)[0]
		s.create(t, e)
		msg := func() engagement.Message {
			return engagement.Message{ID: ids.New("msg"), EngagementID: e.ID, Author: engagement.Buyer, Body: "again", CreatedAt: t0}
		}
		err := st.Write(ctx, func(tx *store.Tx) error {
			for range engagement.MaxMessages {
				if err := tx.AddEngagementMessage(ctx, msg()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.AddEngagementMessage(ctx, msg()) })
		if fe := fault.As(err); fe == nil || fe.MsgID != "error.messages_many" {
			t.Fatalf("one message too many: %v", err)
		}
	})
}
