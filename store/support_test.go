package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/support"
)

func TestSupportTickets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		seller, company := mustUser(t, st, "support-seller@example.com")
		other, otherCompany := mustUser(t, st, "support-other@example.com")
		ops, _ := mustUser(t, st, "support-ops@example.com")
		open := func(id string, org, by string, at time.Time) support.Ticket {
			tk, err := support.New(support.Ticket{ID: id, SellerOrgID: org, OpenedBy: by, Kind: support.Enablement, Subject: "Help " + id, CreatedAt: at})
			if err != nil {
				t.Fatal(err)
			}
			m := support.Message{ID: ids.New("smg"), TicketID: id, Author: support.Seller, AuthorUserID: by, Body: "first", CreatedAt: at}
			if err := st.Write(ctx, func(tx *store.Tx) error {
				if err := tx.CreateTicket(ctx, tk); err != nil {
					return err
				}
				return tx.AddTicketMessage(ctx, m)
			}); err != nil {
				t.Fatal(err)
			}
			return tk
		}
		a := open("tkt_a", company.ID, seller.ID, t0)
		open("tkt_b", company.ID, seller.ID, t0.Add(time.Minute))
		open("tkt_c", otherCompany.ID, other.ID, t0.Add(2*time.Minute))

		// An operator's note with a file and a public answer.
		note := support.Message{ID: ids.New("smg"), TicketID: a.ID, Author: support.Operator, AuthorUserID: ops.ID, Internal: true, Body: "look",
			Attachments: []support.Attachment{{BlobKey: "support/tkt_a/att_1", Name: "trace.log", Size: 12, ContentType: "text/plain"}}, CreatedAt: t0.Add(time.Hour)}
		answer := support.Message{ID: ids.New("smg"), TicketID: a.ID, Author: support.Operator, AuthorUserID: ops.ID, Body: "done",
			Attachments: []support.Attachment{{BlobKey: "support/tkt_a/att_2", Name: "guide.pdf", Size: 99, ContentType: "application/pdf"},
				{BlobKey: "support/tkt_a/att_3", Name: "b.txt", Size: 1, ContentType: "text/plain"}}, CreatedAt: t0.Add(2 * time.Hour)}
		err := st.Write(ctx, func(tx *store.Tx) error {
			for _, m := range []support.Message{note, answer} {
				if err := tx.AddTicketMessage(ctx, m); err != nil {
					return err
				}
			}
			// Two changes in one transaction: the version moves on with each.
			assigned, _ := support.Assign(a, ops.ID, true, t0.Add(time.Hour))
			if err := tx.SaveTicket(ctx, assigned); err != nil {
				return err
			}
			return tx.SaveTicket(ctx, support.Moved(assigned, support.InProgress, t0.Add(time.Hour)))
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.Ticket(ctx, a.ID)
		if err != nil || got.State != support.InProgress || got.AssigneeID != ops.ID || got.Version != 3 || got.MessageCount != 3 ||
			got.AssigneeName != ops.DisplayName || got.SellerName != company.Name || !got.CreatedAt.Equal(t0) {
			t.Fatalf("ticket %+v %v", got, err)
		}

		// A change from a stale read is a conflict; an unknown ticket is not found.
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.SaveTicket(ctx, support.Moved(a, support.Resolved, t0)) })
		if !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale save: %v", err)
		}
		err = st.Write(ctx, func(tx *store.Tx) error { return tx.SaveTicket(ctx, support.Ticket{ID: "tkt_none", Version: 2}) })
		if !fault.Is(err, fault.NotFound) {
			t.Fatalf("unknown save: %v", err)
		}
		if _, err := st.Ticket(ctx, "tkt_none"); !fault.Is(err, fault.NotFound) {
			t.Fatalf("unknown ticket: %v", err)
		}

		// Sellers' threads leave internal notes out.
		for _, tc := range []struct {
			internal bool
			want     []string
		}{{true, []string{"first", "look", "done"}}, {false, []string{"first", "done"}}} {
			thread, err := st.TicketMessages(ctx, a.ID, tc.internal)
			if err != nil || len(thread) != len(tc.want) {
				t.Fatalf("thread (internal %v): %+v %v", tc.internal, thread, err)
			}
			for i, m := range thread {
				if m.Body != tc.want[i] {
					t.Errorf("thread (internal %v)[%d] = %q, want %q", tc.internal, i, m.Body, tc.want[i])
				}
			}
			last := thread[len(thread)-1]
			if len(last.Attachments) != 2 || last.Attachments[0].Name != "guide.pdf" || last.Attachments[1].Size != 1 || last.AuthorName != ops.DisplayName {
				t.Errorf("answer %+v", last)
			}
		}
		if f, internal, err := st.TicketAttachment(ctx, a.ID, "support/tkt_a/att_1"); err != nil || !internal || f.Name != "trace.log" {
			t.Errorf("note's file %+v %v %v", f, internal, err)
		}
		if _, internal, err := st.TicketAttachment(ctx, a.ID, "support/tkt_a/att_2"); err != nil || internal {
			t.Errorf("answer's file %v %v", internal, err)
		}
		if _, _, err := st.TicketAttachment(ctx, "tkt_b", "support/tkt_a/att_2"); !fault.Is(err, fault.NotFound) {
			t.Errorf("another ticket's file: %v", err)
		}

		// The database refuses a seller's internal note.
		err = st.Write(ctx, func(tx *store.Tx) error {
			return tx.AddTicketMessage(ctx, support.Message{ID: ids.New("smg"), TicketID: a.ID, Author: support.Seller, AuthorUserID: seller.ID,
				Internal: true, Body: "x", CreatedAt: t0})
		})
		if err == nil {
			t.Error("a seller's internal note was stored")
		}
		err = st.Write(ctx, func(tx *store.Tx) error {
			return tx.AddTicketMessage(ctx, support.Message{ID: ids.New("smg"), TicketID: "tkt_none", Author: support.Seller, AuthorUserID: seller.ID, Body: "x", CreatedAt: t0})
		})
		if !fault.Is(err, fault.NotFound) {
			t.Errorf("a message to no ticket: %v", err)
		}

		// Filters, newest first.
		for _, tc := range []struct {
			name string
			f    store.TicketFilter
			want string
		}{
			{"all", store.TicketFilter{}, "tkt_c tkt_b tkt_a"},
			{"a company's", store.TicketFilter{SellerOrgID: company.ID}, "tkt_b tkt_a"},
			{"open", store.TicketFilter{State: support.Open}, "tkt_c tkt_b"},
			{"assigned to ops", store.TicketFilter{AssigneeID: ops.ID}, "tkt_a"},
			{"unassigned", store.TicketFilter{Unassigned: true, AssigneeID: ops.ID}, "tkt_c tkt_b"},
			{"next page", store.TicketFilter{Before: "tkt_c", Limit: 1}, "tkt_b"},
			{"the other's open", store.TicketFilter{SellerOrgID: otherCompany.ID, State: support.Open}, "tkt_c"},
		} {
			list, err := st.Tickets(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, tk := range list {
				ids = append(ids, tk.ID)
			}
			if got := strings.Join(ids, " "); got != tc.want {
				t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
			}
		}
	})
}
