package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/programme"
)

// Seller programmes (package programme): events and applications, migration
// declarations, trainings with sessions and enrolments. Seats are counted
// here, by conditional UPDATEs whose rows affected say whether a seat was
// left; the CHECKs of migration 00023 hold the counts however many
// transactions run at once.

var (
	errNoEvent       = &fault.Error{Code: fault.NotFound, MsgID: "error.no_event", Message: "no such event"}
	errNoApplication = &fault.Error{Code: fault.NotFound, MsgID: "error.no_event_application", Message: "no such application"}
	errNoMigration   = &fault.Error{Code: fault.NotFound, MsgID: "error.no_migration", Message: "no such migration declaration"}
	errNoCourse      = &fault.Error{Code: fault.NotFound, MsgID: "error.no_course", Message: "no such course"}
	errNoSession     = &fault.Error{Code: fault.NotFound, MsgID: "error.no_session", Message: "no such session"}
	errNoEnrolment   = &fault.Error{Code: fault.NotFound, MsgID: "error.no_enrolment", Message: "no such enrolment"}
	errProgChanged   = &fault.Error{Code: fault.Conflict, MsgID: "error.changed_meanwhile", Message: "it changed meanwhile: reload it"}
)

// one returns the first of xs, or notFound when there is none.
func one[T any](xs []T, err error, notFound error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	if len(xs) == 0 {
		return zero, notFound
	}
	return xs[0], nil
}

// ---- Events -----------------------------------------------------------------

const eventColumns = `id, kind, title_en, title_zh, description_en, description_zh, zone, starts_at, ends_at, apply_by, seats, accepted,
	requires_type, state, created_at, updated_at`

func scanEvent(r scanner) (e programme.Event, err error) {
	return e, r.Scan(&e.ID, &e.Kind, &e.Title.EN, &e.Title.ZH, &e.Description.EN, &e.Description.ZH, &e.Zone, &e.Start, &e.End,
		&e.ApplyBy, &e.Seats, &e.Accepted, &e.RequiresType, &e.State, &e.CreatedAt, &e.UpdatedAt)
}

// CreateEvent stores a new event.
func (tx *Tx) CreateEvent(ctx context.Context, e programme.Event) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO programme_events (`+eventColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		e.ID, e.Kind, e.Title.EN, e.Title.ZH, e.Description.EN, e.Description.ZH, e.Zone, e.Start, e.End, e.ApplyBy, e.Seats, e.Accepted,
		e.RequiresType, e.State, e.CreatedAt, e.UpdatedAt)
	return domainError(err)
}

// MoveEvent stores e's new state, made from the state `from`: of two moves
// at once only one applies.
//
// Errors: Conflict (error.changed_meanwhile); NotFound.
func (tx *Tx) MoveEvent(ctx context.Context, from programme.EventState, e programme.Event) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE programme_events SET state = $3, updated_at = $4 WHERE id = $1 AND state = $2`,
		e.ID, from, e.State, e.UpdatedAt)
	if changed, err := changedOne(res, err); changed || err != nil {
		return err
	}
	if _, err := tx.Event(ctx, e.ID); err != nil {
		return err
	}
	return errProgChanged
}

// UpdateEvent stores an operator's edit of an event (programme.Edit), while
// it is a draft or published and never below the sellers already accepted:
// both are conditions of the UPDATE, so an acceptance or a close meanwhile
// is never undone by an edit made from an older read.
//
// Errors: Invalid on "seats" (error.event_seats_accepted) when more sellers
// are accepted than the seats; Conflict (error.changed_meanwhile) when the
// event was closed meanwhile; NotFound.
func (tx *Tx) UpdateEvent(ctx context.Context, e programme.Event) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE programme_events SET title_en = $2, title_zh = $3, description_en = $4, description_zh = $5,
			zone = $6, starts_at = $7, ends_at = $8, apply_by = $9, seats = $10, updated_at = $11
		WHERE id = $1 AND state IN ('draft', 'published') AND accepted <= $10`,
		e.ID, e.Title.EN, e.Title.ZH, e.Description.EN, e.Description.ZH, e.Zone, e.Start, e.End, e.ApplyBy, e.Seats, e.UpdatedAt)
	if changed, err := changedOne(res, err); changed || err != nil {
		return err
	}
	now, err := tx.Event(ctx, e.ID)
	if err != nil {
		return err
	}
	if now.Accepted > e.Seats {
		return programme.SeatsBelowAccepted(now.Accepted)
	}
	return errProgChanged
}

// Event returns an event.
//
// Errors: NotFound.
func (q *queries) Event(ctx context.Context, id string) (programme.Event, error) {
	es, err := list(ctx, q.q, scanEvent, `SELECT `+eventColumns+` FROM programme_events WHERE id = $1`, id)
	return one(es, err, errNoEvent)
}

// Events lists the events in the states (all when none), soonest first.
func (q *queries) Events(ctx context.Context, states ...programme.EventState) ([]programme.Event, error) {
	st := &statement{}
	query := `SELECT ` + eventColumns + ` FROM programme_events`
	if len(states) > 0 {
		var in []string
		for _, s := range states {
			in = append(in, st.arg(s))
		}
		query += ` WHERE state IN (` + strings.Join(in, ", ") + `)`
	}
	return list(ctx, q.q, scanEvent, query+` ORDER BY starts_at, id`, st.args...)
}

const eventApplicationColumns = `id, event_id, seller_org_id, user_id, pitch, state, reason, created_at, decided_at, decided_by`

func scanEventApplication(r scanner) (a programme.Application, err error) {
	var decidedAt sql.NullTime
	var decidedBy sql.NullString
	err = r.Scan(&a.ID, &a.EventID, &a.SellerOrgID, &a.UserID, &a.Pitch, &a.State, &a.Reason, &a.CreatedAt, &decidedAt, &decidedBy)
	a.DecidedAt, a.DecidedBy = decidedAt.Time, decidedBy.String
	return a, err
}

// AddEventApplication stores a seller's application to an event.
//
// Errors: Conflict (error.applied_already) when the seller applied already.
func (tx *Tx) AddEventApplication(ctx context.Context, a programme.Application) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO event_applications (`+eventApplicationColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		a.ID, a.EventID, a.SellerOrgID, a.UserID, a.Pitch, a.State, a.Reason, a.CreatedAt, nullTime(a.DecidedAt), nullable(a.DecidedBy))
	return domainError(err)
}

// DecideEventApplication stores an operator's decision on a pending
// application; accepting it takes one of the event's seats, only while one
// is left.
//
// Errors: Conflict (error.event_full) when every seat is taken, or
// (error.changed_meanwhile) when the application was decided meanwhile;
// NotFound.
func (tx *Tx) DecideEventApplication(ctx context.Context, a programme.Application) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE event_applications SET state = $2, reason = $3, decided_at = $4, decided_by = $5
		WHERE id = $1 AND state = 'pending'`, a.ID, a.State, a.Reason, a.DecidedAt, nullable(a.DecidedBy))
	if changed, err := changedOne(res, err); err != nil {
		return err
	} else if !changed {
		if _, err := tx.EventApplication(ctx, a.ID); err != nil {
			return err
		}
		return errProgChanged
	}
	if a.State != programme.Accepted {
		return nil
	}
	res, err = tx.q.ExecContext(ctx, `UPDATE programme_events SET accepted = accepted + 1 WHERE id = $1 AND accepted < seats`, a.EventID)
	if changed, err := changedOne(res, err); err != nil || changed {
		return err
	}
	return &fault.Error{Code: fault.Conflict, MsgID: "error.event_full", Message: "every seat of this event is taken"}
}

// EventApplication returns an application.
//
// Errors: NotFound.
func (q *queries) EventApplication(ctx context.Context, id string) (programme.Application, error) {
	as, err := list(ctx, q.q, scanEventApplication, `SELECT `+eventApplicationColumns+` FROM event_applications WHERE id = $1`, id)
	return one(as, err, errNoApplication)
}

// EventApplicationFilter selects applications; zero fields select all.
type EventApplicationFilter struct {
	EventID     string
	SellerOrgID string
}

// EventApplications lists applications, oldest first.
func (q *queries) EventApplications(ctx context.Context, f EventApplicationFilter) ([]programme.Application, error) {
	st := &statement{}
	var where []string
	if f.EventID != "" {
		where = append(where, `event_id = `+st.arg(f.EventID))
	}
	if f.SellerOrgID != "" {
		where = append(where, `seller_org_id = `+st.arg(f.SellerOrgID))
	}
	return list(ctx, q.q, scanEventApplication, `SELECT `+eventApplicationColumns+` FROM event_applications`+whereAll(where)+
		` ORDER BY created_at, id`, st.args...)
}

// whereAll joins conditions into a WHERE clause ("" for none).
func whereAll(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(conds, " AND ")
}

// PublishedProductTypes lists the types of the seller's products on the
// storefront.
func (q *queries) PublishedProductTypes(ctx context.Context, sellerOrgID string) ([]catalog.Type, error) {
	return list(ctx, q.q, func(r scanner) (t catalog.Type, err error) { return t, r.Scan(&t) },
		`SELECT DISTINCT type FROM storefront WHERE seller_org_id = $1 ORDER BY type`, sellerOrgID)
}

// ---- Migration declarations ----------------------------------------------

const migrationColumns = `id, seller_org_id, user_id, kind, region, workload, evidence, state, reason, created_at, decided_at, decided_by`

func scanMigration(r scanner) (m programme.Migration, err error) {
	var decidedAt sql.NullTime
	var decidedBy sql.NullString
	err = r.Scan(&m.ID, &m.SellerOrgID, &m.UserID, &m.Kind, &m.Region, &m.Workload, &m.Evidence, &m.State, &m.Reason, &m.CreatedAt,
		&decidedAt, &decidedBy)
	m.DecidedAt, m.DecidedBy = decidedAt.Time, decidedBy.String
	return m, err
}

// AddMigration stores a seller's declaration.
func (tx *Tx) AddMigration(ctx context.Context, m programme.Migration) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO migration_declarations (`+migrationColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		m.ID, m.SellerOrgID, m.UserID, m.Kind, m.Region, m.Workload, m.Evidence, m.State, m.Reason, m.CreatedAt, nullTime(m.DecidedAt),
		nullable(m.DecidedBy))
	return domainError(err)
}

// DecideMigration stores an operator's decision on a pending declaration.
//
// Errors: Conflict (error.changed_meanwhile) when it was decided meanwhile;
// NotFound.
func (tx *Tx) DecideMigration(ctx context.Context, m programme.Migration) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE migration_declarations SET state = $2, reason = $3, decided_at = $4, decided_by = $5
		WHERE id = $1 AND state = 'pending'`, m.ID, m.State, m.Reason, m.DecidedAt, nullable(m.DecidedBy))
	if changed, err := changedOne(res, err); changed || err != nil {
		return err
	}
	if _, err := tx.Migration(ctx, m.ID); err != nil {
		return err
	}
	return errProgChanged
}

// Migration returns a declaration.
//
// Errors: NotFound.
func (q *queries) Migration(ctx context.Context, id string) (programme.Migration, error) {
	ms, err := list(ctx, q.q, scanMigration, `SELECT `+migrationColumns+` FROM migration_declarations WHERE id = $1`, id)
	return one(ms, err, errNoMigration)
}

// MigrationFilter selects declarations; zero fields select all.
type MigrationFilter struct {
	SellerOrgID string
	State       programme.MigrationState
}

// Migrations lists declarations, newest first.
func (q *queries) Migrations(ctx context.Context, f MigrationFilter) ([]programme.Migration, error) {
	st := &statement{}
	var where []string
	if f.SellerOrgID != "" {
		where = append(where, `seller_org_id = `+st.arg(f.SellerOrgID))
	}
	if f.State != "" {
		where = append(where, `state = `+st.arg(f.State))
	}
	return list(ctx, q.q, scanMigration, `SELECT `+migrationColumns+` FROM migration_declarations`+whereAll(where)+
		` ORDER BY created_at DESC, id DESC`, st.args...)
}

// VerifiedMigrations counts the seller's declarations an operator verified:
// one or more opens the sales trainings (and the benefit that says so).
func (q *queries) VerifiedMigrations(ctx context.Context, sellerOrgID string) (int, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM migration_declarations WHERE seller_org_id = $1 AND state = 'verified'`,
		sellerOrgID).Scan(&n)
	return n, err
}

// ---- Trainings --------------------------------------------------------------

const courseColumns = `id, title_en, title_zh, description_en, description_zh, kind, audience, created_at`

func scanCourse(r scanner) (c programme.Course, err error) {
	return c, r.Scan(&c.ID, &c.Title.EN, &c.Title.ZH, &c.Description.EN, &c.Description.ZH, &c.Kind, &c.Audience, &c.CreatedAt)
}

// CreateCourse stores a new course.
func (tx *Tx) CreateCourse(ctx context.Context, c programme.Course) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO training_courses (`+courseColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		c.ID, c.Title.EN, c.Title.ZH, c.Description.EN, c.Description.ZH, c.Kind, c.Audience, c.CreatedAt)
	return domainError(err)
}

// UpdateCourse stores a course's title and description.
//
// Errors: NotFound.
func (tx *Tx) UpdateCourse(ctx context.Context, c programme.Course) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE training_courses SET title_en = $2, title_zh = $3, description_en = $4, description_zh = $5
		WHERE id = $1`, c.ID, c.Title.EN, c.Title.ZH, c.Description.EN, c.Description.ZH)
	if changed, err := changedOne(res, err); changed || err != nil {
		return err
	}
	return errNoCourse
}

// Course returns a course.
//
// Errors: NotFound.
func (q *queries) Course(ctx context.Context, id string) (programme.Course, error) {
	cs, err := list(ctx, q.q, scanCourse, `SELECT `+courseColumns+` FROM training_courses WHERE id = $1`, id)
	return one(cs, err, errNoCourse)
}

// Courses lists every course, oldest first.
func (q *queries) Courses(ctx context.Context) ([]programme.Course, error) {
	return list(ctx, q.q, scanCourse, `SELECT `+courseColumns+` FROM training_courses ORDER BY created_at, id`)
}

const sessionColumns = `id, course_id, starts_at, ends_at, zone, place, seats, taken, created_at, cancelled_at`

func scanSession(r scanner) (s programme.Session, err error) {
	var cancelled sql.NullTime
	err = r.Scan(&s.ID, &s.CourseID, &s.Start, &s.End, &s.Zone, &s.Place, &s.Seats, &s.Taken, &s.CreatedAt, &cancelled)
	s.CancelledAt = cancelled.Time
	return s, err
}

// AddSession stores a new session of a course.
func (tx *Tx) AddSession(ctx context.Context, s programme.Session) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO training_sessions (`+sessionColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		s.ID, s.CourseID, s.Start, s.End, s.Zone, s.Place, s.Seats, s.Taken, s.CreatedAt, nullTime(s.CancelledAt))
	return domainError(err)
}

// CancelSession stores the session cancelled (programme.CancelSession),
// cancels its enrolments and frees their seats, and returns the enrolments
// it cancelled. The session's row is changed first, so an enrolment made at
// the same time either came before (and is cancelled here) or finds the
// session cancelled.
//
// Errors: Conflict (error.changed_meanwhile) when it was cancelled
// meanwhile; NotFound.
func (tx *Tx) CancelSession(ctx context.Context, s programme.Session) ([]programme.Enrolment, error) {
	res, err := tx.q.ExecContext(ctx, `UPDATE training_sessions SET cancelled_at = $2, taken = 0 WHERE id = $1 AND cancelled_at IS NULL`,
		s.ID, s.CancelledAt)
	if changed, err := changedOne(res, err); err != nil {
		return nil, err
	} else if !changed {
		if _, err := tx.Session(ctx, s.ID); err != nil {
			return nil, err
		}
		return nil, errProgChanged
	}
	enrolled, err := list(ctx, tx.q, scanEnrolment, `SELECT `+enrolmentColumns+` FROM training_enrolments
		WHERE session_id = $1 AND state = 'enrolled' ORDER BY created_at, id`, s.ID)
	if err != nil {
		return nil, err
	}
	if _, err := tx.q.ExecContext(ctx, `UPDATE training_enrolments SET state = 'cancelled', cancelled_at = $2
		WHERE session_id = $1 AND state = 'enrolled'`, s.ID, s.CancelledAt); err != nil {
		return nil, err
	}
	for i := range enrolled {
		enrolled[i].State, enrolled[i].CancelledAt = programme.Cancelled, s.CancelledAt
	}
	return enrolled, nil
}

// Session returns a session.
//
// Errors: NotFound.
func (q *queries) Session(ctx context.Context, id string) (programme.Session, error) {
	ss, err := list(ctx, q.q, scanSession, `SELECT `+sessionColumns+` FROM training_sessions WHERE id = $1`, id)
	return one(ss, err, errNoSession)
}

// Sessions lists the sessions of a course, or of every course for "",
// earliest first.
func (q *queries) Sessions(ctx context.Context, courseID string) ([]programme.Session, error) {
	if courseID == "" {
		return list(ctx, q.q, scanSession, `SELECT `+sessionColumns+` FROM training_sessions ORDER BY starts_at, id`)
	}
	return list(ctx, q.q, scanSession, `SELECT `+sessionColumns+` FROM training_sessions WHERE course_id = $1 ORDER BY starts_at, id`,
		courseID)
}

const enrolmentColumns = `id, session_id, seller_org_id, user_id, name, email, state, attendance, created_at, cancelled_at`

func scanEnrolment(r scanner) (e programme.Enrolment, err error) {
	var cancelled sql.NullTime
	err = r.Scan(&e.ID, &e.SessionID, &e.SellerOrgID, &e.UserID, &e.Name, &e.Email, &e.State, &e.Attendance, &e.CreatedAt, &cancelled)
	e.CancelledAt = cancelled.Time
	return e, err
}

// Enrol takes a seat of the enrolment's session, only while one is left, and
// stores the enrolment.
//
// Errors: Conflict (error.session_full) when every seat is taken;
// InvalidState (error.session_cancelled) when the session was cancelled;
// Conflict (error.enrolled_already) when the address is enrolled in the
// session already; NotFound for an unknown session.
func (tx *Tx) Enrol(ctx context.Context, e programme.Enrolment) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE training_sessions SET taken = taken + 1 WHERE id = $1 AND taken < seats AND cancelled_at IS NULL`,
		e.SessionID)
	if changed, err := changedOne(res, err); err != nil {
		return err
	} else if !changed {
		if s, err := tx.Session(ctx, e.SessionID); err != nil {
			return err
		} else if s.Cancelled() {
			return programme.ErrSessionCancelled
		}
		return &fault.Error{Code: fault.Conflict, MsgID: "error.session_full", Message: "every seat of this session is taken"}
	}
	_, err = tx.q.ExecContext(ctx, `INSERT INTO training_enrolments (`+enrolmentColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.ID, e.SessionID, e.SellerOrgID, e.UserID, e.Name, e.Email, e.State, e.Attendance, e.CreatedAt, nullTime(e.CancelledAt))
	return domainError(err)
}

// CancelEnrolment stores the enrolment cancelled and gives its seat back.
//
// Errors: Conflict (error.changed_meanwhile) when it was cancelled
// meanwhile; NotFound.
func (tx *Tx) CancelEnrolment(ctx context.Context, e programme.Enrolment) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE training_enrolments SET state = 'cancelled', cancelled_at = $2 WHERE id = $1 AND state = 'enrolled'`,
		e.ID, e.CancelledAt)
	if changed, err := changedOne(res, err); err != nil {
		return err
	} else if !changed {
		if _, err := tx.Enrolment(ctx, e.ID); err != nil {
			return err
		}
		return errProgChanged
	}
	_, err = tx.q.ExecContext(ctx, `UPDATE training_sessions SET taken = taken - 1 WHERE id = $1`, e.SessionID)
	return err
}

// MarkAttendance stores an enrolment's attendance (an enrolled one only).
//
// Errors: Conflict (error.changed_meanwhile) when it was cancelled; NotFound.
func (tx *Tx) MarkAttendance(ctx context.Context, id string, a programme.Attendance) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE training_enrolments SET attendance = $2 WHERE id = $1 AND state = 'enrolled'`, id, a)
	if changed, err := changedOne(res, err); changed || err != nil {
		return err
	}
	if _, err := tx.Enrolment(ctx, id); err != nil {
		return err
	}
	return errProgChanged
}

// Enrolment returns an enrolment.
//
// Errors: NotFound.
func (q *queries) Enrolment(ctx context.Context, id string) (programme.Enrolment, error) {
	es, err := list(ctx, q.q, scanEnrolment, `SELECT `+enrolmentColumns+` FROM training_enrolments WHERE id = $1`, id)
	return one(es, err, errNoEnrolment)
}

// EnrolmentFilter selects enrolments; zero fields select all.
type EnrolmentFilter struct {
	SessionID   string
	SellerOrgID string
}

// Enrolments lists enrolments, oldest first.
func (q *queries) Enrolments(ctx context.Context, f EnrolmentFilter) ([]programme.Enrolment, error) {
	st := &statement{}
	var where []string
	if f.SessionID != "" {
		where = append(where, `session_id = `+st.arg(f.SessionID))
	}
	if f.SellerOrgID != "" {
		where = append(where, `seller_org_id = `+st.arg(f.SellerOrgID))
	}
	return list(ctx, q.q, scanEnrolment, `SELECT `+enrolmentColumns+` FROM training_enrolments`+whereAll(where)+
		` ORDER BY created_at, id`, st.args...)
}
