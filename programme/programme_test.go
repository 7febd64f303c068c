package programme_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/programme"
	"github.com/cloudmart/cloudmart/seller"
)

var now = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

func event() programme.Event {
	return programme.Event{ID: "evt_1", Kind: programme.TechnologyForum,
		Title:       catalog.Text{EN: "Cloud forum", ZH: "云论坛"},
		Description: catalog.Text{EN: "Talks.", ZH: "演讲。"},
		Zone:        "Asia/Shanghai", Start: now.Add(30 * 24 * time.Hour), End: now.Add(31 * 24 * time.Hour),
		ApplyBy: now.Add(20 * 24 * time.Hour), Seats: 10, State: programme.EventPublished}
}

func approved() programme.Seller { return programme.Seller{OrgID: "org_1", State: seller.Approved} }

// code is err's fault code and, after a slash, its field or message id.
func code(err error) string {
	if err == nil {
		return ""
	}
	e := fault.As(err)
	if e.Field != "" {
		return e.Code + "/" + e.Field
	}
	return e.Code + "/" + e.MsgID
}

func TestEventValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*programme.Event)
		want   string
	}{
		{"valid", func(*programme.Event) {}, ""},
		{"every kind of the seed", func(e *programme.Event) { e.Kind = programme.CoBrandingCampaign }, ""},
		{"unknown kind", func(e *programme.Event) { e.Kind = "webinar" }, "invalid/kind"},
		{"no English title", func(e *programme.Event) { e.Title.EN = "  " }, "invalid/title_en"},
		{"no Chinese description", func(e *programme.Event) { e.Description.ZH = "" }, "invalid/description_zh"},
		{"unknown zone", func(e *programme.Event) { e.Zone = "Mars/Olympus" }, "invalid/zone"},
		{"Local is no zone", func(e *programme.Event) { e.Zone = "Local" }, "invalid/zone"},
		{"ends at its start", func(e *programme.Event) { e.End = e.Start }, "invalid/end"},
		{"applications close at the start", func(e *programme.Event) { e.ApplyBy = e.Start }, ""},
		{"applications close after the start", func(e *programme.Event) { e.ApplyBy = e.Start.Add(time.Minute) }, "invalid/apply_by"},
		{"no seats", func(e *programme.Event) { e.Seats = 0 }, "invalid/seats"},
		{"one seat", func(e *programme.Event) { e.Seats = 1 }, ""},
		{"too many seats", func(e *programme.Event) { e.Seats = programme.MaxSeats + 1 }, "invalid/seats"},
		{"requires SaaS", func(e *programme.Event) { e.RequiresType = catalog.TypeSaaS }, ""},
		{"requires an unknown type", func(e *programme.Event) { e.RequiresType = "api" }, "invalid/requires_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := event()
			tt.change(&e)
			if got := code(e.Validate()); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEdit(t *testing.T) {
	details := func(e programme.Event) programme.EventDetails {
		return programme.EventDetails{Title: e.Title, Description: e.Description, Zone: e.Zone, Start: e.Start, End: e.End,
			ApplyBy: e.ApplyBy, Seats: e.Seats}
	}
	withAccepted := func(n int) programme.Event { e := event(); e.Accepted = n; return e }
	inState := func(s programme.EventState) programme.Event { e := event(); e.State = s; return e }
	tests := []struct {
		name   string
		e      programme.Event
		change func(*programme.EventDetails)
		want   string
	}{
		{"a new title, trimmed", event(), func(d *programme.EventDetails) { d.Title = catalog.Text{EN: " Forum 2027 ", ZH: "论坛 2027"} }, ""},
		{"a draft", inState(programme.EventDraft), func(d *programme.EventDetails) { d.Seats = 3 }, ""},
		{"a closed event", inState(programme.EventClosed), func(*programme.EventDetails) {}, "invalid_state/error.event_edit_state"},
		{"no Chinese title", event(), func(d *programme.EventDetails) { d.Title.ZH = " " }, "invalid/title_zh"},
		{"another zone", event(), func(d *programme.EventDetails) { d.Zone = "Europe/Dublin" }, ""},
		{"an unknown zone", event(), func(d *programme.EventDetails) { d.Zone = "Atlantis" }, "invalid/zone"},
		{"ends before it starts", event(), func(d *programme.EventDetails) { d.End = d.Start.Add(-time.Hour) }, "invalid/end"},
		{"deadline after the start", event(), func(d *programme.EventDetails) { d.ApplyBy = d.Start.Add(time.Hour) }, "invalid/apply_by"},
		{"seats down to the accepted", withAccepted(4), func(d *programme.EventDetails) { d.Seats = 4 }, ""},
		{"seats below the accepted", withAccepted(4), func(d *programme.EventDetails) { d.Seats = 3 }, "invalid/seats"},
		{"no seats", event(), func(d *programme.EventDetails) { d.Seats = 0 }, "invalid/seats"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := details(tt.e)
			tt.change(&d)
			got, err := programme.Edit(tt.e, d, now)
			if code(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if err != nil {
				if got != tt.e {
					t.Fatalf("a refused edit changed the event: %+v", got)
				}
				return
			}
			if got.ID != tt.e.ID || got.Kind != tt.e.Kind || got.State != tt.e.State || got.Accepted != tt.e.Accepted ||
				got.Seats != d.Seats || got.Zone != d.Zone || !got.UpdatedAt.Equal(now) || got.Title.EN != strings.TrimSpace(d.Title.EN) {
				t.Fatalf("edited %+v from %+v", got, d)
			}
		})
	}
	if err := programme.SeatsBelowAccepted(4); code(err) != "invalid/seats" || !strings.Contains(err.Error(), "4 sellers") {
		t.Fatalf("seats below accepted: %v", err)
	}
}

func TestMove(t *testing.T) {
	tests := []struct {
		from, to programme.EventState
		at       time.Time
		want     string
	}{
		{programme.EventDraft, programme.EventPublished, now, ""},
		{programme.EventPublished, programme.EventClosed, now, ""},
		{programme.EventDraft, programme.EventClosed, now, "invalid_state/error.event_state"},
		{programme.EventClosed, programme.EventPublished, now, "invalid_state/error.event_state"},
		{programme.EventPublished, programme.EventPublished, now, "invalid_state/error.event_state"},
		{programme.EventPublished, programme.EventDraft, now, "invalid_state/error.event_state"},
		// Published on its deadline: no seller could apply.
		{programme.EventDraft, programme.EventPublished, event().ApplyBy, "invalid/apply_by"},
	}
	for _, tt := range tests {
		e := event()
		e.State = tt.from
		got, err := programme.Move(e, tt.to, tt.at)
		if code(err) != tt.want {
			t.Errorf("%s → %s: %v, want %q", tt.from, tt.to, err, tt.want)
		}
		if err == nil && (got.State != tt.to || !got.UpdatedAt.Equal(tt.at)) {
			t.Errorf("%s → %s: %+v", tt.from, tt.to, got)
		}
	}
}

func TestMayApply(t *testing.T) {
	saasOnly := event()
	saasOnly.RequiresType = catalog.TypeSaaS
	draft := event()
	draft.State = programme.EventDraft
	closed := event()
	closed.State = programme.EventClosed
	withSaaS := approved()
	withSaaS.PublishedTypes = []catalog.Type{catalog.TypeLicense, catalog.TypeSaaS}
	withLicence := approved()
	withLicence.PublishedTypes = []catalog.Type{catalog.TypeLicense}
	state := func(s seller.State) programme.Seller { x := approved(); x.State = s; return x }
	tests := []struct {
		name string
		e    programme.Event
		s    programme.Seller
		at   time.Time
		want string
	}{
		{"approved seller, open event", event(), approved(), now, ""},
		{"a second before the deadline", event(), approved(), event().ApplyBy.Add(-time.Second), ""},
		{"at the deadline", event(), approved(), event().ApplyBy, "invalid_state/error.event_not_open"},
		{"suspended seller", event(), state(seller.Suspended), now, "forbidden/error.programme_seller_not_selling"},
		{"submitted applicant", event(), state(seller.Submitted), now, "forbidden/error.programme_seller_not_selling"},
		{"no application at all", event(), state(""), now, "forbidden/error.programme_seller_not_selling"},
		{"draft event", draft, approved(), now, "invalid_state/error.event_not_open"},
		{"closed event", closed, approved(), now, "invalid_state/error.event_not_open"},
		{"needs SaaS, has SaaS", saasOnly, withSaaS, now, ""},
		{"needs SaaS, has a licence", saasOnly, withLicence, now, "requirements_not_met/error.event_requirements"},
		{"needs SaaS, has nothing published", saasOnly, approved(), now, "requirements_not_met/error.event_requirements"},
		{"suspended comes first", saasOnly, state(seller.Suspended), now, "forbidden/error.programme_seller_not_selling"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := code(programme.MayApply(tt.e, tt.s, tt.at)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	err := fault.As(programme.MayApply(saasOnly, withLicence, now))
	if len(err.Details) != 1 || err.Details[0].ID != "published_product" {
		t.Fatalf("details: %+v", err.Details)
	}
}

func TestDecide(t *testing.T) {
	pending := programme.Application{ID: "eap_1", State: programme.Pending}
	tests := []struct {
		name   string
		a      programme.Application
		accept bool
		reason string
		want   programme.ApplicationState
		err    string
	}{
		{"accept", pending, true, "", programme.Accepted, ""},
		{"decline with a reason", pending, false, "full programme", programme.Declined, ""},
		{"decline without a reason", pending, false, "   ", "", "invalid/reason"},
		{"reason too long", pending, false, string(make([]rune, programme.MaxNote+1)), "", "invalid/reason"},
		{"decided already", programme.Application{State: programme.Accepted}, false, "no", "", "invalid_state/error.application_decided"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := programme.Decide(tt.a, tt.accept, tt.reason, "usr_ops", now)
			if code(err) != tt.err {
				t.Fatalf("error %v, want %q", err, tt.err)
			}
			if err == nil && (got.State != tt.want || got.DecidedBy != "usr_ops" || !got.DecidedAt.Equal(now)) {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

func TestAt(t *testing.T) {
	got, err := programme.At("start", "Asia/Shanghai", "2026-12-01T09:30")
	if err != nil || !got.Equal(time.Date(2026, 12, 1, 1, 30, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Fatalf("Shanghai 09:30: %v %v", got, err)
	}
	// Dublin in summer is an hour ahead of UTC.
	if got, err := programme.At("start", "Europe/Dublin", "2027-07-01T10:00"); err != nil || got.Hour() != 9 {
		t.Fatalf("Dublin: %v %v", got, err)
	}
	if _, err := programme.At("start", "Asia/Shanghai", "1 December"); code(err) != "invalid/start" {
		t.Fatalf("bad time: %v", err)
	}
	if _, err := programme.At("start", "Nowhere/City", "2026-12-01T09:30"); code(err) != "invalid/zone" {
		t.Fatalf("bad zone: %v", err)
	}
}
