package programme_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/programme"
	"github.com/cloudmart/cloudmart/seller"
)

func course(a programme.Audience) programme.Course {
	return programme.Course{ID: "crs_1", Kind: programme.Onsite, Audience: a,
		Title: catalog.Text{EN: "Selling cloud", ZH: "云销售"}, Description: catalog.Text{EN: "A day.", ZH: "一天。"}}
}

func session() programme.Session {
	return programme.Session{ID: "ses_1", CourseID: "crs_1", Zone: "Asia/Shanghai", Start: now.Add(48 * time.Hour),
		End: now.Add(54 * time.Hour), Place: "Room 3, 100 Century Avenue, Shanghai", Seats: 30}
}

func TestCourseValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*programme.Course)
		want   string
	}{
		{"valid", func(*programme.Course) {}, ""},
		{"online", func(c *programme.Course) { c.Kind = programme.Online }, ""},
		{"hybrid is no kind", func(c *programme.Course) { c.Kind = "hybrid" }, "invalid/kind"},
		{"everyone is no audience", func(c *programme.Course) { c.Audience = "everyone" }, "invalid/audience"},
		{"no Chinese title", func(c *programme.Course) { c.Title.ZH = "" }, "invalid/title_zh"},
		{"title at the limit", func(c *programme.Course) { c.Title.EN = string(make([]rune, programme.MaxTitle)) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := course(programme.Marketplace)
			tt.change(&c)
			if got := code(c.Validate()); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidateSession(t *testing.T) {
	tests := []struct {
		name   string
		kind   programme.CourseKind
		change func(*programme.Session)
		want   string
	}{
		{"onsite with an address", programme.Onsite, func(*programme.Session) {}, ""},
		{"online with a https link", programme.Online, func(s *programme.Session) { s.Place = "https://meet.example.com/abc" }, ""},
		{"online with an address", programme.Online, func(*programme.Session) {}, "invalid/place"},
		{"online with a http link", programme.Online, func(s *programme.Session) { s.Place = "http://meet.example.com/abc" }, "invalid/place"},
		{"no place", programme.Onsite, func(s *programme.Session) { s.Place = "" }, "invalid/place"},
		{"ends before it starts", programme.Onsite, func(s *programme.Session) { s.End = s.Start.Add(-time.Hour) }, "invalid/end"},
		{"no seats", programme.Onsite, func(s *programme.Session) { s.Seats = 0 }, "invalid/seats"},
		{"unknown zone", programme.Onsite, func(s *programme.Session) { s.Zone = "" }, "invalid/zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := session()
			tt.change(&s)
			if got := code(programme.ValidateSession(s, tt.kind)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMayEnrol(t *testing.T) {
	migrated := approved()
	migrated.VerifiedMigrations = 1
	suspended := migrated
	suspended.State = seller.Suspended
	tests := []struct {
		name string
		c    programme.Course
		s    programme.Seller
		at   time.Time
		want string
	}{
		{"marketplace course, approved seller", course(programme.Marketplace), approved(), now, ""},
		{"sales training, no verified migration", course(programme.Sales), approved(), now, "requirements_not_met/error.training_needs_migration"},
		{"sales training, one verified migration", course(programme.Sales), migrated, now, ""},
		{"suspended seller with a migration", course(programme.Sales), suspended, now, "forbidden/error.programme_seller_not_selling"},
		{"suspended seller, marketplace course", course(programme.Marketplace), suspended, now, "forbidden/error.programme_seller_not_selling"},
		{"a second before the start", course(programme.Marketplace), approved(), session().Start.Add(-time.Second), ""},
		{"at the start", course(programme.Marketplace), approved(), session().Start, "invalid_state/error.session_started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := code(programme.MayEnrol(tt.c, session(), tt.s, tt.at)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	cancelled := session()
	cancelled.CancelledAt = now
	if got := code(programme.MayEnrol(course(programme.Marketplace), cancelled, approved(), now)); got != "invalid_state/error.session_cancelled" {
		t.Fatalf("enrolling in a cancelled session: %q", got)
	}
}

func TestEditCourse(t *testing.T) {
	tests := []struct {
		name        string
		title, desc catalog.Text
		want        string
	}{
		{"new title and description", catalog.Text{EN: " Selling SaaS ", ZH: "销售 SaaS"}, catalog.Text{EN: "Two days.", ZH: "两天。"}, ""},
		{"no English title", catalog.Text{ZH: "销售"}, catalog.Text{EN: "x", ZH: "x"}, "invalid/title_en"},
		{"no Chinese description", catalog.Text{EN: "x", ZH: "x"}, catalog.Text{EN: "x"}, "invalid/description_zh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := course(programme.Sales)
			got, err := programme.EditCourse(c, tt.title, tt.desc)
			if code(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if err != nil && got != c {
				t.Fatalf("a refused edit changed the course: %+v", got)
			}
			if err == nil && (got.Title.EN != "Selling SaaS" || got.Description != tt.desc || got.Kind != c.Kind || got.Audience != c.Audience || got.ID != c.ID) {
				t.Fatalf("edited %+v", got)
			}
		})
	}
}

func TestCancelSession(t *testing.T) {
	s := session()
	tests := []struct {
		name string
		s    programme.Session
		at   time.Time
		want string
	}{
		{"a second before the start", s, s.Start.Add(-time.Second), ""},
		{"at the start", s, s.Start, "invalid_state/error.session_started"},
		{"cancelled already", programme.Session{Start: s.Start, CancelledAt: now}, now, "invalid_state/error.session_cancelled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := programme.CancelSession(tt.s, tt.at)
			if code(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if err == nil && (!got.Cancelled() || !got.CancelledAt.Equal(tt.at) || got.SeatsLeft() != 0) {
				t.Fatalf("cancelled %+v", got)
			}
		})
	}
}

func TestCancelAndMark(t *testing.T) {
	s := session()
	e := programme.Enrolment{ID: "enr_1", SessionID: s.ID, State: programme.Enrolled}
	if got, err := programme.Cancel(e, s, now); err != nil || got.State != programme.Cancelled || !got.CancelledAt.Equal(now) {
		t.Fatalf("cancel: %+v %v", got, err)
	}
	if _, err := programme.Cancel(e, s, s.Start); code(err) != "invalid_state/error.session_started" {
		t.Fatalf("cancel at the start: %v", err)
	}
	cancelled, _ := programme.Cancel(e, s, now)
	if _, err := programme.Cancel(cancelled, s, now); code(err) != "invalid_state/error.enrolment_cancelled" {
		t.Fatalf("cancel twice: %v", err)
	}
	marks := []struct {
		name string
		e    programme.Enrolment
		a    programme.Attendance
		at   time.Time
		want string
	}{
		{"attended, at the end", e, programme.Attended, s.End, ""},
		{"absent, after", e, programme.Absent, s.End.Add(time.Hour), ""},
		{"during the session", e, programme.Attended, s.End.Add(-time.Second), "invalid_state/error.session_not_ended"},
		{"unknown mark", e, "late", s.End, "invalid/attendance"},
		{"cancelled enrolment", cancelled, programme.Attended, s.End, "invalid_state/error.enrolment_cancelled"},
	}
	for _, tt := range marks {
		got, err := programme.Mark(tt.e, s, tt.a, tt.at)
		if code(err) != tt.want || (err == nil && got.Attendance != tt.a) {
			t.Errorf("%s: %+v %v, want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestValidateAttendee(t *testing.T) {
	tests := []struct{ name, email, want string }{
		{"Hu Jun", "hu.jun@lakeside.example", ""},
		{"", "hu.jun@lakeside.example", "invalid/name"},
		{"Hu Jun", "not an address", "invalid/email"},
		{"Hu Jun", "Hu Jun <hu.jun@lakeside.example>", "invalid/email"},
	}
	for _, tt := range tests {
		if got := code(programme.ValidateAttendee(tt.name, tt.email)); got != tt.want {
			t.Errorf("%q %q: %q, want %q", tt.name, tt.email, got, tt.want)
		}
	}
}

func TestMigrations(t *testing.T) {
	regions := []string{"cn-north-4", "cn-east-3"}
	m := programme.Migration{Kind: programme.SaaS, Region: "cn-east-3", Workload: "Our ticketing SaaS", Evidence: "https://status.example.com",
		State: programme.MigrationPending}
	tests := []struct {
		name   string
		change func(*programme.Migration)
		want   string
	}{
		{"valid", func(*programme.Migration) {}, ""},
		{"independently deployed", func(m *programme.Migration) { m.Kind = programme.Independent }, ""},
		{"unknown kind", func(m *programme.Migration) { m.Kind = "paas" }, "invalid/kind"},
		{"region outside the catalogue", func(m *programme.Migration) { m.Region = "us-east-1" }, "invalid/region"},
		{"nothing runs", func(m *programme.Migration) { m.Workload = " " }, "invalid/workload"},
		{"no evidence", func(m *programme.Migration) { m.Evidence = "" }, "invalid/evidence"},
	}
	for _, tt := range tests {
		x := m
		tt.change(&x)
		if got := code(programme.ValidateMigration(x, regions)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if v, err := programme.Verify(m, true, "", "usr_ops", now); err != nil || v.State != programme.MigrationVerified {
		t.Fatalf("verify: %+v %v", v, err)
	}
	if _, err := programme.Verify(m, false, "", "usr_ops", now); code(err) != "invalid/reason" {
		t.Fatalf("reject without a reason: %v", err)
	}
	v, _ := programme.Verify(m, false, "the status page shows another company", "usr_ops", now)
	if v.State != programme.MigrationRejected {
		t.Fatalf("reject: %+v", v)
	}
	if _, err := programme.Verify(v, true, "", "usr_ops", now); code(err) != "invalid_state/error.migration_decided" {
		t.Fatalf("verify a rejected one: %v", err)
	}
	if programme.EvidenceURL("https://status.example.com/x") == "" || programme.EvidenceURL("ran it since May") != "" ||
		programme.EvidenceURL("javascript:alert(1)") != "" {
		t.Fatal("EvidenceURL")
	}
}
