package engagement_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func cny(minor int64) money.Amount { return money.New(minor, money.CNY) }

// paidAt is Friday 2026-03-06 17:00 in Shanghai: the seller may accept until
// Thursday 2026-03-12 00:00 there.
var (
	paidAt   = time.Date(2026, 3, 6, 17, 0, 0, 0, shanghai)
	acceptBy = time.Date(2026, 3, 12, 0, 0, 0, 0, shanghai)
)

var files = []engagement.Attachment{{BlobKey: "engagements/e1/report.pdf", Name: "report.pdf", Size: 1234, ContentType: "application/pdf"}}

// awaiting is a fresh engagement of an 800.00 CNY service line.
func awaiting() engagement.Engagement {
	o := order.Order{ID: "ord_1", BuyerOrgID: "org_buyer", PaidAt: paidAt}
	l := order.Line{No: 2, ProductID: "prd_1", Type: catalog.TypeService, SellerOrgID: "org_seller", Paid: cny(80000)}
	return engagement.Start("eng_1", o, l, engagement.Calendar{Loc: shanghai})
}

// at moves e to the state through the actions that lead there.
func at(t *testing.T, s engagement.State) engagement.Engagement {
	t.Helper()
	steps := map[engagement.State][]engagement.Action{
		engagement.AwaitingAcceptance: nil,
		engagement.InProgress:         {accept},
		engagement.Delivered:          {accept, deliver},
		engagement.Disputed:           {accept, deliver, dispute},
		engagement.Confirmed:          {accept, deliver, confirm},
		engagement.Refunded:           {decline},
		engagement.PartiallyRefunded:  {accept, deliver, dispute, resolve(30000)},
	}[s]
	e := awaiting()
	now := paidAt.Add(time.Hour)
	for _, a := range steps {
		var err error
		if e, err = engagement.Next(e, a, now); err != nil {
			t.Fatalf("to %s, %s: %v", s, a.Kind, err)
		}
		now = now.Add(time.Hour)
	}
	if e.State != s {
		t.Fatalf("reached %s, want %s", e.State, s)
	}
	return e
}

var (
	accept  = engagement.Action{Kind: engagement.Accept, By: engagement.Seller}
	decline = engagement.Action{Kind: engagement.Decline, By: engagement.Seller, Note: "fully booked this month"}
	cancel  = engagement.Action{Kind: engagement.Cancel, By: engagement.Buyer}
	expire  = engagement.Action{Kind: engagement.Expire, By: engagement.System}
	deliver = engagement.Action{Kind: engagement.Deliver, By: engagement.Seller, Note: "migration done, report attached", Files: files}
	confirm = engagement.Action{Kind: engagement.Confirm, By: engagement.Buyer}
	autoOK  = engagement.Action{Kind: engagement.AutoConfirm, By: engagement.System}
	dispute = engagement.Action{Kind: engagement.Dispute, By: engagement.Buyer, Note: "two tables are missing"}
)

func resolve(refund int64) engagement.Action {
	return engagement.Action{Kind: engagement.Resolve, By: engagement.Operator, Note: "the tables were out of scope", Refund: cny(refund)}
}

func TestStart(t *testing.T) {
	e := awaiting()
	want := engagement.Engagement{ID: "eng_1", OrderID: "ord_1", LineNo: 2, ProductID: "prd_1", SellerOrgID: "org_seller", BuyerOrgID: "org_buyer",
		State: engagement.AwaitingAcceptance, Paid: cny(80000), Refunded: cny(0), Zone: "Asia/Shanghai",
		PaidAt: paidAt.UTC(), AcceptBy: acceptBy.UTC(), Version: 1, CreatedAt: paidAt.UTC(), UpdatedAt: paidAt.UTC()}
	if e != want {
		t.Fatalf("Start:\n got %+v\nwant %+v", e, want)
	}
	if e.DueAt() != acceptBy.UTC() || e.Accepted() {
		t.Fatalf("due %v, accepted %v", e.DueAt(), e.Accepted())
	}
	for org, role := range map[string]engagement.Role{"org_buyer": engagement.Buyer, "org_seller": engagement.Seller, "org_other": "", "": ""} {
		if got := e.RoleOf(org); got != role {
			t.Errorf("RoleOf(%q) = %q, want %q", org, got, role)
		}
	}
}

// TestTransitions takes every allowed step once and checks what it changes.
func TestTransitions(t *testing.T) {
	lateAccept := acceptBy.Add(-time.Nanosecond)
	tests := []struct {
		name     string
		from     engagement.State
		a        engagement.Action
		now      time.Time
		want     engagement.State
		refunded int64
		check    func(e engagement.Engagement) bool
	}{
		{"seller accepts", engagement.AwaitingAcceptance, accept, paidAt.Add(time.Hour), engagement.InProgress, 0,
			func(e engagement.Engagement) bool {
				return e.AcceptedAt.Equal(paidAt.Add(time.Hour)) && e.Accepted() && e.DueAt().IsZero()
			}},
		{"seller accepts at the last instant", engagement.AwaitingAcceptance, accept, lateAccept, engagement.InProgress, 0, nil},
		{"seller declines: refunded in full", engagement.AwaitingAcceptance, decline, paidAt.Add(time.Hour), engagement.Refunded, 80000,
			func(e engagement.Engagement) bool {
				return e.Reason == "fully booked this month" && !e.ClosedAt.IsZero()
			}},
		{"buyer cancels: refunded in full", engagement.AwaitingAcceptance, cancel, paidAt.Add(time.Hour), engagement.Refunded, 80000,
			func(e engagement.Engagement) bool { return e.Reason == "" }},
		{"buyer cancels with a reason", engagement.AwaitingAcceptance, engagement.Action{Kind: engagement.Cancel, By: engagement.Buyer, Note: "  bought by mistake "},
			paidAt, engagement.Refunded, 80000, func(e engagement.Engagement) bool { return e.Reason == "bought by mistake" }},
		{"operator cancels for the buyer", engagement.AwaitingAcceptance, engagement.Action{Kind: engagement.Cancel, By: engagement.Operator, Note: "asked by phone"},
			paidAt, engagement.Refunded, 80000, func(e engagement.Engagement) bool { return e.Reason == "asked by phone" }},
		{"deadline passed: expired and refunded", engagement.AwaitingAcceptance, expire, acceptBy, engagement.Refunded, 80000,
			func(e engagement.Engagement) bool { return e.ClosedAt.Equal(acceptBy) }},
		{"seller delivers", engagement.InProgress, deliver, paidAt.Add(48 * time.Hour), engagement.Delivered, 0,
			func(e engagement.Engagement) bool {
				return e.DeliveredAt.Equal(paidAt.Add(48*time.Hour)) && e.ConfirmBy.Equal(paidAt.Add(48*time.Hour+7*24*time.Hour)) && e.DueAt() == e.ConfirmBy
			}},
		{"buyer confirms", engagement.Delivered, confirm, paidAt.Add(72 * time.Hour), engagement.Confirmed, 0,
			func(e engagement.Engagement) bool { return e.ClosedAt.Equal(paidAt.Add(72 * time.Hour)) }},
		{"buyer confirms after the deadline too", engagement.Delivered, confirm, paidAt.Add(30 * 24 * time.Hour), engagement.Confirmed, 0, nil},
		{"no answer for 7 days: confirmed", engagement.Delivered, autoOK, paidAt.Add(2*time.Hour + 7*24*time.Hour), engagement.Confirmed, 0, nil},
		{"buyer disputes", engagement.Delivered, dispute, paidAt.Add(72 * time.Hour), engagement.Disputed, 0,
			func(e engagement.Engagement) bool {
				return e.DisputeReason == "two tables are missing" && e.DueAt().IsZero()
			}},
		{"operator confirms", engagement.Disputed, resolve(0), paidAt.Add(96 * time.Hour), engagement.Confirmed, 0,
			func(e engagement.Engagement) bool { return e.Resolution == "the tables were out of scope" }},
		{"operator confirms (no currency)", engagement.Disputed, engagement.Action{Kind: engagement.Resolve, By: engagement.Operator, Note: "ok"},
			paidAt.Add(96 * time.Hour), engagement.Confirmed, 0, nil},
		{"operator refunds in whole", engagement.Disputed, resolve(80000), paidAt.Add(96 * time.Hour), engagement.Refunded, 80000, nil},
		{"operator refunds in part", engagement.Disputed, resolve(30000), paidAt.Add(96 * time.Hour), engagement.PartiallyRefunded, 30000, nil},
		{"operator refunds one fen", engagement.Disputed, resolve(1), paidAt.Add(96 * time.Hour), engagement.PartiallyRefunded, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			was := at(t, tc.from)
			e, err := engagement.Next(was, tc.a, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			if e.State != tc.want || e.Cause != tc.a.Kind || e.Refunded != cny(tc.refunded) || !e.UpdatedAt.Equal(tc.now) {
				t.Fatalf("got %s by %s, refunded %v, updated %v; want %s, %d", e.State, e.Cause, e.Refunded, e.UpdatedAt, tc.want, tc.refunded)
			}
			if r := engagement.Refund(was, e); r != cny(tc.refunded) {
				t.Errorf("Refund = %v, want %d", r, tc.refunded)
			}
			if e.State.Final() != e.DueAt().IsZero() && e.State != engagement.InProgress && e.State != engagement.Disputed {
				t.Errorf("final %v with deadline %v", e.State.Final(), e.DueAt())
			}
			if e.UpdatedAt.Location() != time.UTC {
				t.Errorf("times not in UTC: %v", e.UpdatedAt)
			}
			if tc.check != nil && !tc.check(e) {
				t.Errorf("fields: %+v", e)
			}
			if e.Version != was.Version || e.ID != was.ID || e.Paid != was.Paid {
				t.Errorf("changed what it must not: %+v", e)
			}
		})
	}
}

// TestRefusals tries every action by every role in every state: only the
// role the action belongs to may take it (else Forbidden), and only from its
// state (else InvalidState); the engagement comes back unchanged.
func TestRefusals(t *testing.T) {
	valid := map[engagement.Kind]engagement.Action{engagement.Accept: accept, engagement.Decline: decline, engagement.Cancel: cancel,
		engagement.Expire: expire, engagement.Deliver: deliver, engagement.Confirm: confirm, engagement.AutoConfirm: autoOK,
		engagement.Dispute: dispute, engagement.Resolve: resolve(100)}
	from := map[engagement.Kind]engagement.State{engagement.Accept: engagement.AwaitingAcceptance, engagement.Decline: engagement.AwaitingAcceptance,
		engagement.Cancel: engagement.AwaitingAcceptance, engagement.Expire: engagement.AwaitingAcceptance, engagement.Deliver: engagement.InProgress,
		engagement.Confirm: engagement.Delivered, engagement.AutoConfirm: engagement.Delivered, engagement.Dispute: engagement.Delivered,
		engagement.Resolve: engagement.Disputed}
	roles := []engagement.Role{engagement.Buyer, engagement.Seller, engagement.Operator, engagement.System, "stranger"}
	refused := 0
	for _, s := range engagement.States {
		e := at(t, s)
		for _, k := range engagement.Kinds {
			// A moment where no deadline stands in the way of the allowed
			// step (deadlines: TestDeadlineRefusals).
			now := e.UpdatedAt.Add(time.Minute)
			if k == engagement.Expire || k == engagement.AutoConfirm {
				now = now.Add(30 * 24 * time.Hour)
			}
			for _, by := range roles {
				a := valid[k]
				a.By = by
				got, err := engagement.Next(e, a, now)
				switch {
				case slices.Contains(engagement.Who(k), by) && s == from[k]:
					if err != nil {
						t.Errorf("%s by %s in %s: %v", k, by, s, err)
					}
					continue
				case !slices.Contains(engagement.Who(k), by):
					if !fault.Is(err, fault.Forbidden) || fault.As(err).MsgID != "error.engagement_role" {
						t.Errorf("%s by %s in %s: %v, want forbidden", k, by, s, err)
					}
				default:
					if !fault.Is(err, fault.InvalidState) || fault.As(err).MsgID != "error.engagement_state" {
						t.Errorf("%s by %s in %s: %v, want invalid_state", k, by, s, err)
					}
				}
				if got != e {
					t.Errorf("%s by %s in %s changed the engagement", k, by, s)
				}
				refused++
			}
		}
	}
	if want := len(engagement.States)*len(engagement.Kinds)*len(roles) - len(engagement.Kinds) - 1; refused != want {
		t.Errorf("%d refusals checked, want %d", refused, want)
	}
	if _, err := engagement.Next(awaiting(), engagement.Action{Kind: "pause", By: engagement.Seller}, paidAt); !fault.Is(err, fault.Invalid) || fault.As(err).Field != "action" {
		t.Errorf("unknown action: %v", err)
	}
}

// TestDeadlineRefusals: an acceptance or a dispute too late, an automatic
// step too early.
func TestDeadlineRefusals(t *testing.T) {
	delivered := at(t, engagement.Delivered)
	tests := []struct {
		name  string
		e     engagement.Engagement
		a     engagement.Action
		now   time.Time
		msgID string
	}{
		{"accept at the deadline", awaiting(), accept, acceptBy, "error.engagement_acceptance_late"},
		{"accept after it", awaiting(), accept, acceptBy.Add(72 * time.Hour), "error.engagement_acceptance_late"},
		{"expire before it", awaiting(), expire, acceptBy.Add(-time.Nanosecond), "error.engagement_not_due"},
		{"dispute at the deadline", delivered, dispute, delivered.ConfirmBy, "error.engagement_dispute_late"},
		{"auto-confirm before it", delivered, autoOK, delivered.ConfirmBy.Add(-time.Nanosecond), "error.engagement_not_due"},
	}
	for _, tc := range tests {
		got, err := engagement.Next(tc.e, tc.a, tc.now)
		if !fault.Is(err, fault.InvalidState) || fault.As(err).MsgID != tc.msgID || got != tc.e {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.msgID)
		}
	}
}

// TestInputRefusals: the texts, files and amounts that go with a step.
func TestInputRefusals(t *testing.T) {
	long := strings.Repeat("字", engagement.MaxBody+1)
	six := make([]engagement.Attachment, 6)
	for i := range six {
		six[i] = files[0]
	}
	tests := []struct {
		name  string
		from  engagement.State
		a     engagement.Action
		field string
		msgID string
	}{
		{"decline without a reason", engagement.AwaitingAcceptance, engagement.Action{Kind: engagement.Decline, By: engagement.Seller, Note: "  "}, "note", "error.engagement_note"},
		{"cancel with a reason too long", engagement.AwaitingAcceptance, engagement.Action{Kind: engagement.Cancel, By: engagement.Buyer, Note: long}, "note", "error.message_long"},
		{"deliver without files", engagement.InProgress, engagement.Action{Kind: engagement.Deliver, By: engagement.Seller, Note: "done"}, "files", "error.deliverables_missing"},
		{"deliver without a note", engagement.InProgress, engagement.Action{Kind: engagement.Deliver, By: engagement.Seller, Files: files}, "note", "error.engagement_note"},
		{"deliver six files", engagement.InProgress, engagement.Action{Kind: engagement.Deliver, By: engagement.Seller, Note: "done", Files: six}, "files", "error.attachments_many"},
		{"deliver a file without a key", engagement.InProgress, engagement.Action{Kind: engagement.Deliver, By: engagement.Seller, Note: "done",
			Files: []engagement.Attachment{{Name: "a.pdf", Size: 1, ContentType: "application/pdf"}}}, "files[0]", "error.blob_key"},
		{"dispute without a reason", engagement.Delivered, engagement.Action{Kind: engagement.Dispute, By: engagement.Buyer}, "note", "error.engagement_note"},
		{"resolve without a note", engagement.Disputed, engagement.Action{Kind: engagement.Resolve, By: engagement.Operator, Refund: cny(1)}, "note", "error.engagement_note"},
		{"refund more than paid", engagement.Disputed, resolve(80001), "refund", "error.resolution_refund"},
		{"refund a negative amount", engagement.Disputed, resolve(-1), "refund", "error.resolution_refund"},
		{"refund in another currency", engagement.Disputed, engagement.Action{Kind: engagement.Resolve, By: engagement.Operator, Note: "x", Refund: money.New(100, money.USD)}, "refund", "error.resolution_refund"},
	}
	for _, tc := range tests {
		e := at(t, tc.from)
		got, err := engagement.Next(e, tc.a, e.UpdatedAt.Add(time.Minute))
		if fe := fault.As(err); fe == nil || fe.Code != fault.Invalid || fe.Field != tc.field || fe.MsgID != tc.msgID || got != e {
			t.Errorf("%s: %v, want %s on %s", tc.name, err, tc.msgID, tc.field)
		}
	}
}

func TestActions(t *testing.T) {
	delivered := at(t, engagement.Delivered)
	tests := []struct {
		name string
		e    engagement.Engagement
		by   engagement.Role
		now  time.Time
		want []engagement.Kind
	}{
		{"seller, awaiting", awaiting(), engagement.Seller, paidAt, []engagement.Kind{engagement.Accept, engagement.Decline}},
		{"seller, awaiting, too late", awaiting(), engagement.Seller, acceptBy, []engagement.Kind{engagement.Decline}},
		{"buyer, awaiting", awaiting(), engagement.Buyer, paidAt, []engagement.Kind{engagement.Cancel}},
		{"operator, awaiting", awaiting(), engagement.Operator, paidAt, []engagement.Kind{engagement.Cancel}},
		{"system, awaiting", awaiting(), engagement.System, paidAt, nil},
		{"system, awaiting, due", awaiting(), engagement.System, acceptBy, []engagement.Kind{engagement.Expire}},
		{"seller, in progress", at(t, engagement.InProgress), engagement.Seller, paidAt, []engagement.Kind{engagement.Deliver}},
		{"buyer, in progress", at(t, engagement.InProgress), engagement.Buyer, paidAt, nil},
		{"buyer, delivered", delivered, engagement.Buyer, delivered.DeliveredAt, []engagement.Kind{engagement.Confirm, engagement.Dispute}},
		{"buyer, delivered, late", delivered, engagement.Buyer, delivered.ConfirmBy, []engagement.Kind{engagement.Confirm}},
		{"operator, disputed", at(t, engagement.Disputed), engagement.Operator, paidAt, []engagement.Kind{engagement.Resolve}},
		{"buyer, confirmed", at(t, engagement.Confirmed), engagement.Buyer, paidAt, nil},
	}
	for _, tc := range tests {
		if got := engagement.Actions(tc.e, tc.by, tc.now); !equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func equal(a, b []engagement.Kind) bool {
	return strings.Join(kinds(a), ",") == strings.Join(kinds(b), ",")
}

func kinds(ks []engagement.Kind) []string {
	var out []string
	for _, k := range ks {
		out = append(out, string(k))
	}
	return out
}

func TestDue(t *testing.T) {
	delivered := at(t, engagement.Delivered)
	tests := []struct {
		name string
		e    engagement.Engagement
		now  time.Time
		want engagement.Kind // "" for nothing
	}{
		{"awaiting, before the deadline", awaiting(), acceptBy.Add(-time.Nanosecond), ""},
		{"awaiting, at the deadline", awaiting(), acceptBy, engagement.Expire},
		{"awaiting, long after", awaiting(), acceptBy.AddDate(1, 0, 0), engagement.Expire},
		{"in progress, years later", at(t, engagement.InProgress), acceptBy.AddDate(1, 0, 0), ""},
		{"delivered, before", delivered, delivered.ConfirmBy.Add(-time.Nanosecond), ""},
		{"delivered, at", delivered, delivered.ConfirmBy, engagement.AutoConfirm},
		{"disputed, years later", at(t, engagement.Disputed), acceptBy.AddDate(1, 0, 0), ""},
		{"confirmed", at(t, engagement.Confirmed), acceptBy.AddDate(1, 0, 0), ""},
		{"refunded", at(t, engagement.Refunded), acceptBy.AddDate(1, 0, 0), ""},
	}
	for _, tc := range tests {
		a, ok := engagement.Due(tc.e, tc.now)
		if ok != (tc.want != "") || a.Kind != tc.want || (ok && a.By != engagement.System) {
			t.Errorf("%s: %+v %v, want %q", tc.name, a, ok, tc.want)
		}
		if ok {
			if _, err := engagement.Next(tc.e, a, tc.now); err != nil {
				t.Errorf("%s: the due step is refused: %v", tc.name, err)
			}
		}
	}
}

// clock is the scheduler's injectable time.
type clock struct{ now time.Time }

func (c *clock) advance(d time.Duration) time.Time { c.now = c.now.Add(d); return c.now }

// run is the deadline job once: the due step, if any.
func run(t *testing.T, e engagement.Engagement, now time.Time) engagement.Engagement {
	t.Helper()
	a, ok := engagement.Due(e, now)
	if !ok {
		return e
	}
	e, err := engagement.Next(e, a, now)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestAutomaticSteps drives two engagements by a clock, running the job each
// hour: one the seller never answers, one the buyer never confirms.
func TestAutomaticSteps(t *testing.T) {
	c := &clock{now: paidAt}
	e := awaiting()
	for e.State == engagement.AwaitingAcceptance {
		e = run(t, e, c.advance(time.Hour))
	}
	// Friday 17:00 + the job each hour: expired at the first run from Thursday 00:00.
	if e.State != engagement.Refunded || e.Cause != engagement.Expire || !e.ClosedAt.Equal(acceptBy) || e.Refunded != e.Paid {
		t.Fatalf("unanswered: %+v", e)
	}

	c = &clock{now: paidAt}
	e = awaiting()
	var err error
	if e, err = engagement.Next(e, accept, c.advance(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if e, err = engagement.Next(e, deliver, c.advance(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	delivered := c.now
	for e.State == engagement.Delivered {
		e = run(t, e, c.advance(time.Hour))
	}
	if e.State != engagement.Confirmed || e.Cause != engagement.AutoConfirm || !e.ClosedAt.Equal(delivered.Add(7*24*time.Hour)) || !e.Refunded.IsZero() {
		t.Fatalf("unconfirmed: %+v", e)
	}
}
