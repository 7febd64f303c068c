package support_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/support"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// msgID is the message id of a fault error, "" for nil.
func msgID(err error) string {
	if err == nil {
		return ""
	}
	if f := fault.As(err); f != nil {
		return f.MsgID
	}
	return err.Error()
}

func TestNew(t *testing.T) {
	tests := []struct {
		name, kind, subject, want string
	}{
		{"consulting", "consulting", "Pricing advice", ""},
		{"enablement", "enablement", "  Help with the SaaS endpoint  ", ""},
		{"unknown kind", "sales", "x", "error.ticket_kind"},
		{"no subject", "consulting", "   ", "error.ticket_subject"},
		{"200 characters", "consulting", strings.Repeat("é", 200), ""},
		{"201 characters", "consulting", strings.Repeat("é", 201), "error.ticket_subject"},
	}
	for _, tc := range tests {
		got, err := support.New(support.Ticket{ID: "tkt_1", Kind: support.Kind(tc.kind), Subject: tc.subject, CreatedAt: t0})
		if msgID(err) != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
			continue
		}
		if err == nil && (got.State != support.Open || got.Version != 1 || got.Subject != strings.TrimSpace(tc.subject) || !got.UpdatedAt.Equal(t0)) {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
}

func TestMove(t *testing.T) {
	resolved := support.Ticket{State: support.Resolved, ResolvedAt: t0}
	tests := []struct {
		name string
		t    support.Ticket
		to   support.State
		by   support.Role
		now  time.Time
		want string
	}{
		{"operator starts", support.Ticket{State: support.Open}, support.InProgress, support.Operator, t0, ""},
		{"seller does not start", support.Ticket{State: support.Open}, support.InProgress, support.Seller, t0, "error.ticket_move_role"},
		{"operator asks the seller", support.Ticket{State: support.InProgress}, support.WaitingOnSeller, support.Operator, t0, ""},
		{"seller does not wait on itself", support.Ticket{State: support.InProgress}, support.WaitingOnSeller, support.Seller, t0, "error.ticket_move_role"},
		{"open cannot wait", support.Ticket{State: support.Open}, support.WaitingOnSeller, support.Operator, t0, "error.ticket_state"},
		{"operator takes it back", support.Ticket{State: support.WaitingOnSeller}, support.InProgress, support.Operator, t0, ""},
		{"seller resolves its waiting ticket", support.Ticket{State: support.WaitingOnSeller}, support.Resolved, support.Seller, t0, ""},
		{"operator resolves", support.Ticket{State: support.InProgress}, support.Resolved, support.Operator, t0, ""},
		{"seller resolves", support.Ticket{State: support.Open}, support.Resolved, support.Seller, t0, ""},
		{"seller reopens on the day", resolved, support.InProgress, support.Seller, t0, ""},
		{"seller reopens at 14 days", resolved, support.InProgress, support.Seller, t0.Add(support.ReopenWithin), ""},
		{"seller reopens a second late", resolved, support.InProgress, support.Seller, t0.Add(support.ReopenWithin + time.Second), "error.ticket_reopen_late"},
		{"operator reopens any time", resolved, support.InProgress, support.Operator, t0.AddDate(1, 0, 0), ""},
		{"seller closes", resolved, support.Closed, support.Seller, t0, ""},
		{"operator closes", resolved, support.Closed, support.Operator, t0, ""},
		{"only resolved tickets close", support.Ticket{State: support.InProgress}, support.Closed, support.Operator, t0, "error.ticket_state"},
		{"closed is final", support.Ticket{State: support.Closed}, support.InProgress, support.Operator, t0, "error.ticket_state"},
		{"closed is final for sellers", support.Ticket{State: support.Closed}, support.Resolved, support.Seller, t0, "error.ticket_state"},
		{"nothing moves back to open", support.Ticket{State: support.InProgress}, support.Open, support.Operator, t0, "error.ticket_state"},
		{"unknown state", support.Ticket{State: support.Open}, "done", support.Operator, t0, "error.ticket_state_unknown"},
		{"same state", support.Ticket{State: support.InProgress}, support.InProgress, support.Operator, t0, "error.ticket_state"},
		{"unknown role", support.Ticket{State: support.Open}, support.Resolved, "buyer", t0, "error.ticket_move_role"},
	}
	for _, tc := range tests {
		if got := msgID(support.Move(tc.t, tc.to, tc.by, tc.now)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestMoves(t *testing.T) {
	resolved := support.Ticket{State: support.Resolved, ResolvedAt: t0}
	tests := []struct {
		name string
		t    support.Ticket
		by   support.Role
		now  time.Time
		want string
	}{
		{"operator on open", support.Ticket{State: support.Open}, support.Operator, t0, "in_progress resolved"},
		{"seller on open", support.Ticket{State: support.Open}, support.Seller, t0, "resolved"},
		{"seller on resolved", resolved, support.Seller, t0, "in_progress closed"},
		{"seller on resolved too late", resolved, support.Seller, t0.AddDate(0, 1, 0), "closed"},
		{"operator on closed", support.Ticket{State: support.Closed}, support.Operator, t0, ""},
	}
	for _, tc := range tests {
		var got []string
		for _, s := range support.Moves(tc.t, tc.by, tc.now) {
			got = append(got, string(s))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, got, tc.want)
		}
	}
}

func TestMoved(t *testing.T) {
	tk := support.Ticket{State: support.InProgress, Version: 3}
	r := support.Moved(tk, support.Resolved, t0)
	if r.State != support.Resolved || !r.ResolvedAt.Equal(t0) || r.Version != 4 || !r.UpdatedAt.Equal(t0) {
		t.Fatalf("resolved: %+v", r)
	}
	back := support.Moved(r, support.InProgress, t0.Add(time.Hour))
	if back.State != support.InProgress || !back.ResolvedAt.IsZero() || back.Version != 5 {
		t.Fatalf("reopened: %+v", back)
	}
	if c := support.Moved(r, support.Closed, t0.Add(time.Hour)); !c.ResolvedAt.Equal(t0) {
		t.Fatalf("closed forgets its resolution: %+v", c)
	}
}

func TestLapsed(t *testing.T) {
	resolved := support.Ticket{State: support.Resolved, ResolvedAt: t0}
	for _, c := range []struct {
		name string
		t    support.Ticket
		at   time.Time
		want bool
	}{
		{"resolved just now", resolved, t0, false},
		{"resolved 14 days ago: the seller may still reopen it", resolved, t0.Add(support.ReopenWithin), false},
		{"resolved 14 days and a second ago", resolved, t0.Add(support.ReopenWithin + time.Second), true},
		{"in progress for long", support.Ticket{State: support.InProgress}, t0.Add(100 * support.ReopenWithin), false},
		{"closed already", support.Ticket{State: support.Closed, ResolvedAt: t0}, t0.Add(2 * support.ReopenWithin), false},
	} {
		if got := support.Lapsed(c.t, c.at); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
		// A lapsed ticket is exactly one the seller can no longer reopen.
		if c.t.State == support.Resolved && support.Lapsed(c.t, c.at) != (support.Move(c.t, support.InProgress, support.Seller, c.at) != nil) {
			t.Errorf("%s: lapsed and reopenable disagree", c.name)
		}
	}
}

func TestAssign(t *testing.T) {
	tests := []struct {
		name     string
		state    support.State
		assignee string
		operator bool
		want     string
	}{
		{"operator", support.Open, "usr_ops", true, ""},
		{"unassign", support.InProgress, "", false, ""},
		{"not an operator", support.Open, "usr_seller", false, "error.assignee_operator"},
		{"closed", support.Closed, "usr_ops", true, "error.ticket_closed"},
		{"resolved may be reassigned", support.Resolved, "usr_ops", true, ""},
	}
	for _, tc := range tests {
		got, err := support.Assign(support.Ticket{State: tc.state, AssigneeID: "usr_before", Version: 2}, tc.assignee, tc.operator, t0)
		if msgID(err) != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
			continue
		}
		if err == nil && (got.AssigneeID != tc.assignee || got.Version != 3 || got.State != tc.state) {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
}

func TestCheckMessage(t *testing.T) {
	file := support.Attachment{BlobKey: "support/tkt_1/att_1", Name: "trace.log", Size: 10, ContentType: "text/plain; charset=utf-8"}
	tests := []struct {
		name  string
		state support.State
		m     support.Message
		want  string
	}{
		{"seller writes", support.Open, support.Message{Author: support.Seller, Body: "hello"}, ""},
		{"operator writes", support.WaitingOnSeller, support.Message{Author: support.Operator, Body: "hello"}, ""},
		{"operator notes", support.InProgress, support.Message{Author: support.Operator, Internal: true, Body: "check the logs"}, ""},
		{"seller never notes", support.InProgress, support.Message{Author: support.Seller, Internal: true, Body: "psst"}, "error.internal_note_operator"},
		{"a buyer does not write", support.Open, support.Message{Author: "buyer", Body: "hello"}, "error.message_author"},
		{"a file alone", support.Resolved, support.Message{Author: support.Seller, Attachments: []support.Attachment{file}}, ""},
		{"empty", support.Open, support.Message{Author: support.Seller, Body: "  "}, "error.message_empty"},
		{"4,000 characters", support.Open, support.Message{Author: support.Seller, Body: strings.Repeat("字", 4000)}, ""},
		{"4,001 characters", support.Open, support.Message{Author: support.Seller, Body: strings.Repeat("字", 4001)}, "error.message_long"},
		{"closed", support.Closed, support.Message{Author: support.Operator, Body: "hello"}, "error.ticket_closed"},
		{"six files", support.Open, support.Message{Author: support.Seller, Attachments: []support.Attachment{file, file, file, file, file, file}}, "error.attachments_many"},
		{"a file too large", support.Open, support.Message{Author: support.Seller, Attachments: []support.Attachment{{BlobKey: file.BlobKey, Name: "big.bin", Size: support.MaxFileSize + 1, ContentType: "application/octet-stream"}}}, "error.attachment_size"},
		{"a file of unknown type", support.Open, support.Message{Author: support.Seller, Attachments: []support.Attachment{{BlobKey: file.BlobKey, Name: "x", Size: 1, ContentType: "??"}}}, "error.content_type"},
		{"a file named with a slash", support.Open, support.Message{Author: support.Seller, Attachments: []support.Attachment{{BlobKey: file.BlobKey, Name: "a/b", Size: 1, ContentType: "text/plain"}}}, "error.file_name"},
	}
	for _, tc := range tests {
		if got := msgID(support.CheckMessage(support.Ticket{State: tc.state}, tc.m)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestAfterMessage(t *testing.T) {
	tests := []struct {
		name     string
		state    support.State
		author   support.Role
		internal bool
		want     support.State
	}{
		{"seller answers the question", support.WaitingOnSeller, support.Seller, false, support.InProgress},
		{"seller adds to an open ticket", support.Open, support.Seller, false, support.Open},
		{"seller writes on a resolved ticket", support.Resolved, support.Seller, false, support.Resolved},
		{"operator answers an open ticket", support.Open, support.Operator, false, support.InProgress},
		{"an internal note starts nothing", support.Open, support.Operator, true, support.Open},
		{"operator writes while waiting", support.WaitingOnSeller, support.Operator, false, support.WaitingOnSeller},
	}
	for _, tc := range tests {
		m := support.Message{Author: tc.author, Internal: tc.internal, Body: "x"}
		if got := support.AfterMessage(support.Ticket{State: tc.state}, m); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestVisible(t *testing.T) {
	thread := []support.Message{{ID: "1"}, {ID: "2", Internal: true}, {ID: "3"}}
	if got := support.Visible(thread, support.Seller); len(got) != 2 || got[0].ID != "1" || got[1].ID != "3" {
		t.Errorf("seller sees %+v", got)
	}
	if got := support.Visible(thread, support.Operator); len(got) != 3 {
		t.Errorf("operator sees %+v", got)
	}
}
