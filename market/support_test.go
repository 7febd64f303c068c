package market_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/support"
)

func TestSupportTickets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.Demo(t, st, time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC))
		svc := w.Svc
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		seller2 := w.Actor(t, "seller2@demo.test", demo.Password)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		am := w.Actor(t, "am@demo.test", demo.Password)
		buyer := w.Actor(t, "telesales@demo.test", demo.Password)

		// A buyer has no company to ask for; a seller asks about another's product in vain.
		if _, err := svc.OpenTicket(ctx, buyer, market.OpenTicketInput{Kind: support.Consulting, Subject: "x", Body: "x"}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a buyer opens a ticket: %v", err)
		}
		theirs, err := svc.SellerProducts(ctx, seller2)
		if err != nil || len(theirs) == 0 {
			t.Fatalf("seller2's products: %v", err)
		}
		_, err = svc.OpenTicket(ctx, seller1, market.OpenTicketInput{Kind: support.Consulting, Subject: "x", Body: "x", ProductID: theirs[0].ID})
		if f := fault.As(err); f == nil || f.Field != "product_id" {
			t.Fatalf("another's product: %v", err)
		}

		// seller1 opens a ticket with a file; the operators hear of it.
		v, err := svc.OpenTicket(ctx, seller1, market.OpenTicketInput{Kind: support.Enablement, Subject: "Backup API onboarding",
			Body: "How do we report usage?", Files: []market.Upload{{Name: "trace.log", Body: strings.NewReader("GET /usage 500")}}})
		if err != nil {
			t.Fatal(err)
		}
		if v.State != support.Open || v.Role != support.Seller || len(v.Thread) != 1 || len(v.Thread[0].Attachments) != 1 ||
			v.Thread[0].Attachments[0].ContentType != "text/plain; charset=utf-8" {
			t.Fatalf("opened %+v", v)
		}
		id, file := v.ID, market.TicketFileID(v.Thread[0].Attachments[0])
		if !heard(t, svc, ops, "support.open") {
			t.Error("operators not told of the new ticket")
		}

		// Only operators are assignees, and only operators assign.
		if _, err := svc.AssignTicket(ctx, seller1, id, ops.UserID); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a seller assigns: %v", err)
		}
		if _, err := svc.AssignTicket(ctx, ops, id, am.UserID); fault.As(err) == nil || fault.As(err).MsgID != "error.assignee_operator" {
			t.Errorf("an account manager assigned: %v", err)
		}
		if _, err := svc.AssignTicket(ctx, ops, id, seller1.UserID); fault.As(err) == nil || fault.As(err).MsgID != "error.assignee_operator" {
			t.Errorf("a seller assigned: %v", err)
		}
		if v, err = svc.AssignTicket(ctx, ops, id, ops.UserID); err != nil || v.AssigneeID != ops.UserID || v.AssigneeName != "Olivia Park" {
			t.Fatalf("assigned %+v %v", v, err)
		}

		// An internal note with a file, a public answer that starts the ticket, a question to the seller.
		note, err := svc.ReplyTicket(ctx, ops, id, "Their meter is misconfigured.", true, []market.Upload{{Name: "note.txt", Body: strings.NewReader("internal")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ReplyTicket(ctx, seller1, id, "psst", true, nil); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a seller's internal note: %v", err)
		}
		if _, err := svc.ReplyTicket(ctx, ops, id, "Send the usage records of one day.", false, nil); err != nil {
			t.Fatal(err)
		}
		if v, _ = svc.Ticket(ctx, ops, id); v.State != support.InProgress {
			t.Fatalf("after the operator's answer: %s", v.State)
		}
		if _, err := svc.MoveTicket(ctx, seller1, id, support.WaitingOnSeller); !fault.Is(err, fault.Forbidden) {
			t.Errorf("the seller makes it wait on itself: %v", err)
		}
		if v, err = svc.MoveTicket(ctx, ops, id, support.WaitingOnSeller); err != nil || v.State != support.WaitingOnSeller {
			t.Fatalf("waiting: %+v %v", v, err)
		}
		if !heard(t, svc, seller1, "support.waiting_on_seller") || !heard(t, svc, seller1, "support.message") {
			t.Error("the seller not told")
		}
		// The seller's answer puts it back in progress and tells the assignee.
		if _, err := svc.ReplyTicket(ctx, seller1, id, "Attached.", false, []market.Upload{{Name: "usage.csv", Body: strings.NewReader("day,units\n1,5\n")}}); err != nil {
			t.Fatal(err)
		}
		if !heard(t, svc, ops, "support.message") {
			t.Error("the assignee not told of the answer")
		}

		// The seller never sees the internal note, nor reads its file.
		mine, err := svc.Ticket(ctx, seller1, id)
		if err != nil || mine.State != support.InProgress {
			t.Fatalf("seller's view %+v %v", mine, err)
		}
		for _, m := range mine.Thread {
			if m.Internal || m.ID == note.ID {
				t.Errorf("the seller sees a note: %+v", m)
			}
		}
		if len(mine.Thread) != 3 {
			t.Errorf("the seller's thread has %d messages, want 3", len(mine.Thread))
		}
		theirsView, _ := svc.Ticket(ctx, ops, id)
		if len(theirsView.Thread) != 4 {
			t.Errorf("the operator's thread has %d messages, want 4", len(theirsView.Thread))
		}
		noteFile := market.TicketFileID(note.Attachments[0])
		if _, _, err := svc.TicketFile(ctx, seller1, id, noteFile); !fault.Is(err, fault.NotFound) {
			t.Errorf("the seller reads the note's file: %v", err)
		}
		if _, data, err := svc.TicketFile(ctx, ops, id, noteFile); err != nil || string(data) != "internal" {
			t.Errorf("the operator reads the note's file: %q %v", data, err)
		}
		if a, data, err := svc.TicketFile(ctx, seller1, id, file); err != nil || string(data) != "GET /usage 500" || a.Name != "trace.log" {
			t.Errorf("the seller's own file: %q %v", data, err)
		}

		// Another seller sees neither the ticket nor its files, nor lists it.
		if _, err := svc.Ticket(ctx, seller2, id); !fault.Is(err, fault.NotFound) {
			t.Errorf("seller2 reads seller1's ticket: %v", err)
		}
		if _, _, err := svc.TicketFile(ctx, seller2, id, file); !fault.Is(err, fault.NotFound) {
			t.Errorf("seller2 reads seller1's file: %v", err)
		}
		if _, err := svc.ReplyTicket(ctx, seller2, id, "hi", false, nil); !fault.Is(err, fault.NotFound) {
			t.Errorf("seller2 answers seller1's ticket: %v", err)
		}
		if _, err := svc.Ticket(ctx, buyer, id); !fault.Is(err, fault.NotFound) {
			t.Errorf("a buyer reads a ticket: %v", err)
		}
		list2, err := svc.Tickets(ctx, seller2, store.TicketFilter{SellerOrgID: v.SellerOrgID})
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range list2 {
			if tk.SellerOrgID != sellerOrgOf(seller2) {
				t.Errorf("seller2 lists %s of %s", tk.ID, tk.SellerName)
			}
		}
		if _, err := svc.Tickets(ctx, buyer, store.TicketFilter{}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a buyer lists tickets: %v", err)
		}
		queue, err := svc.Tickets(ctx, ops, store.TicketFilter{AssigneeID: ops.UserID, State: support.InProgress})
		if err != nil || !hasTicket(queue, id) {
			t.Errorf("ops' queue %v %v", queue, err)
		}

		// Resolved by the operator, reopened by the seller within 14 days, not after.
		if _, err := svc.MoveTicket(ctx, ops, id, support.Resolved); err != nil {
			t.Fatal(err)
		}
		w.Clock.Advance(13 * 24 * time.Hour)
		if v, err = svc.MoveTicket(ctx, seller1, id, support.InProgress); err != nil || v.State != support.InProgress {
			t.Fatalf("reopened: %+v %v", v, err)
		}
		if _, err := svc.MoveTicket(ctx, seller1, id, support.Resolved); err != nil {
			t.Fatal(err)
		}
		w.Clock.Advance(15 * 24 * time.Hour)
		if _, err := svc.MoveTicket(ctx, seller1, id, support.InProgress); fault.As(err) == nil || fault.As(err).MsgID != "error.ticket_reopen_late" {
			t.Fatalf("reopened late: %v", err)
		}
		if v, err = svc.MoveTicket(ctx, ops, id, support.Closed); err != nil || len(v.Moves) != 0 {
			t.Fatalf("closed: %+v %v", v, err)
		}
		if _, err := svc.ReplyTicket(ctx, seller1, id, "one more thing", false, nil); !fault.Is(err, fault.InvalidState) {
			t.Errorf("a message on a closed ticket: %v", err)
		}

		// A suspended seller opens no ticket but still reads its old ones.
		app, err := svc.MyApplication(ctx, seller1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Review(ctx, ops, app.ID, seller.Suspend, "audit"); err != nil {
			t.Fatal(err)
		}
		_, err = svc.OpenTicket(ctx, seller1, market.OpenTicketInput{Kind: support.Consulting, Subject: "Why suspended?", Body: "?"})
		if f := fault.As(err); f == nil || f.Code != fault.Forbidden || f.MsgID != "error.support_not_selling" {
			t.Errorf("a suspended seller opens a ticket: %v", err)
		}
		if _, err := svc.Ticket(ctx, seller1, id); err != nil {
			t.Errorf("a suspended seller reads its ticket: %v", err)
		}
		if list, err := svc.Tickets(ctx, seller1, store.TicketFilter{}); err != nil || !hasTicket(list, id) {
			t.Errorf("a suspended seller lists its tickets: %v", err)
		}
	})
}

func hasTicket(list []market.TicketView, id string) bool {
	for _, v := range list {
		if v.ID == id {
			return true
		}
	}
	return false
}

// heard reports whether the actor has a notification of the kind.
func heard(t *testing.T, svc *market.Service, who account.Actor, kind string) bool {
	t.Helper()
	ns, _, err := svc.Notifications(context.Background(), who)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if n.Kind == kind {
			return true
		}
	}
	return false
}

// TestSupportTicketsCloseAfterReopenWindow: the job closes a resolved ticket
// once the seller may no longer reopen it (14 days after its resolution, not
// a second sooner), as the system, and tells the seller; a reopened and
// resolved-again ticket counts from its last resolution.
func TestSupportTicketsCloseAfterReopenWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC)
		w := markettest.Demo(t, st, t0)
		svc := w.Svc
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		closeDue := func(want int) {
			t.Helper()
			if n, err := svc.CloseLapsedTickets(ctx, w.Clock.Now()); err != nil || n != want {
				t.Fatalf("at %s: closed %d (%v), want %d", w.Clock.Now(), n, err, want)
			}
		}
		resolved := func(subject string) string {
			t.Helper()
			v, err := svc.OpenTicket(ctx, seller1, market.OpenTicketInput{Kind: support.Consulting, Subject: subject, Body: "?"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.MoveTicket(ctx, ops, v.ID, support.Resolved); err != nil {
				t.Fatal(err)
			}
			return v.ID
		}
		state := func(id string) support.State {
			t.Helper()
			v, err := svc.Ticket(ctx, ops, id)
			if err != nil {
				t.Fatal(err)
			}
			return v.State
		}

		// The demo's Lakeside ticket was resolved about 10.7 days ago.
		closeDue(0)
		x := resolved("Per-core pricing")
		w.Clock.Advance(4 * 24 * time.Hour)
		closeDue(1)
		lakeside, err := svc.Tickets(ctx, ops, store.TicketFilter{State: support.Closed})
		if err != nil || len(lakeside) != 1 || !strings.HasPrefix(lakeside[0].Subject, "Pricing per core") {
			t.Fatalf("closed tickets %+v %v", lakeside, err)
		}

		// y is reopened within its window and resolved again two days later.
		y := resolved("Region choice")
		w.Clock.Advance(24 * time.Hour)
		if _, err := svc.MoveTicket(ctx, seller1, y, support.InProgress); err != nil {
			t.Fatal(err)
		}
		w.Clock.Advance(24 * time.Hour)
		if _, err := svc.MoveTicket(ctx, ops, y, support.Resolved); err != nil {
			t.Fatal(err)
		}

		// x at exactly 14 days may still be reopened; a second later it closes.
		w.Clock.Set(t0.Add(support.ReopenWithin))
		closeDue(0)
		w.Clock.Advance(time.Second)
		closeDue(1)
		closeDue(0)
		if state(x) != support.Closed || state(y) != support.Resolved {
			t.Fatalf("x %s, y %s", state(x), state(y))
		}
		if _, err := svc.MoveTicket(ctx, seller1, x, support.InProgress); !fault.Is(err, fault.InvalidState) {
			t.Fatalf("reopening a closed ticket: %v", err)
		}
		entries, err := svc.Audit(ctx, ops, audit.Filter{Action: "support.close", ObjectID: x})
		if err != nil || len(entries) != 1 || entries[0].ActorRole != "system" || entries[0].ActorUserID != "" || entries[0].OrgID != sellerOrgOf(seller1) {
			t.Fatalf("audit %+v %v", entries, err)
		}
		ns, _, err := svc.Notifications(ctx, seller1)
		if err != nil {
			t.Fatal(err)
		}
		told := 0
		for _, n := range ns {
			if n.Kind == "support.closed" && n.Link == "/seller/support/"+x && n.TitleZH != n.TitleEN && strings.Contains(n.BodyEN, "14 days") {
				told++
			}
		}
		if told != 1 {
			t.Fatalf("the seller told %d times of x's closing", told)
		}

		// y counts from its second resolution, six days after t0.
		w.Clock.Set(t0.Add(6*24*time.Hour + support.ReopenWithin))
		closeDue(0)
		w.Clock.Advance(time.Second)
		closeDue(1)
		if state(y) != support.Closed {
			t.Fatalf("y %s", state(y))
		}
	})
}
