package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/engagement"
	"github.com/cloudmart/cloudmart/fault"
)

const engagementColumns = `id, order_id, line_no, product_id, seller_org_id, buyer_org_id, state, cause, currency, paid_minor, refunded_minor,
	zone, paid_at, accept_by, accepted_at, delivered_at, confirm_by, disputed_at, closed_at, reason, dispute_reason, resolution,
	version, created_at, updated_at`

func scanEngagement(r scanner) (e engagement.Engagement, err error) {
	var accepted, delivered, confirmBy, disputed, closed sql.NullTime
	err = r.Scan(&e.ID, &e.OrderID, &e.LineNo, &e.ProductID, &e.SellerOrgID, &e.BuyerOrgID, &e.State, &e.Cause, &e.Paid.Currency,
		&e.Paid.Minor, &e.Refunded.Minor, &e.Zone, &e.PaidAt, &e.AcceptBy, &accepted, &delivered, &confirmBy, &disputed, &closed,
		&e.Reason, &e.DisputeReason, &e.Resolution, &e.Version, &e.CreatedAt, &e.UpdatedAt)
	e.Refunded.Currency = e.Paid.Currency
	e.AcceptedAt, e.DeliveredAt, e.ConfirmBy, e.DisputedAt, e.ClosedAt = accepted.Time, delivered.Time, confirmBy.Time, disputed.Time, closed.Time
	return e, err
}

// errNoEngagement is the answer about an engagement that does not exist.
var errNoEngagement = fault.New(fault.NotFound, "no such service order")

// CreateEngagement records an engagement unless its order line has one
// already (a retried payment step), and returns the line's engagement and
// whether this call created it.
func (tx *Tx) CreateEngagement(ctx context.Context, e engagement.Engagement) (engagement.Engagement, bool, error) {
	res, err := tx.q.ExecContext(ctx, `INSERT INTO engagements (`+engagementColumns+`, due_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)
		ON CONFLICT (order_id, line_no) DO NOTHING`,
		e.ID, e.OrderID, e.LineNo, e.ProductID, e.SellerOrgID, e.BuyerOrgID, e.State, e.Cause, e.Paid.Currency, e.Paid.Minor, e.Refunded.Minor,
		e.Zone, e.PaidAt, e.AcceptBy, nullTime(e.AcceptedAt), nullTime(e.DeliveredAt), nullTime(e.ConfirmBy), nullTime(e.DisputedAt), nullTime(e.ClosedAt),
		e.Reason, e.DisputeReason, e.Resolution, e.Version, e.CreatedAt, e.UpdatedAt, nullTime(e.DueAt()))
	if err != nil {
		return engagement.Engagement{}, false, domainError(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return engagement.Engagement{}, false, err
	}
	stored, found, err := tx.EngagementOfLine(ctx, e.OrderID, e.LineNo)
	if err == nil && !found {
		err = errNoEngagement
	}
	return stored, n == 1, err
}

// TransitionEngagement stores e, the engagement after a step taken from the
// state `from` at e.Version, and adds one to its version. The change is made
// only if the stored engagement is still in that state and version, so of two
// steps taken at once only one applies.
//
// Errors: Conflict (error.changed_meanwhile) when the engagement changed
// meanwhile; NotFound.
func (tx *Tx) TransitionEngagement(ctx context.Context, from engagement.State, e engagement.Engagement) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE engagements SET state = $4, cause = $5, refunded_minor = $6, accepted_at = $7, delivered_at = $8,
			confirm_by = $9, disputed_at = $10, closed_at = $11, due_at = $12, reason = $13, dispute_reason = $14, resolution = $15,
			updated_at = $16, version = version + 1
		WHERE id = $1 AND state = $2 AND version = $3`,
		e.ID, from, e.Version, e.State, e.Cause, e.Refunded.Minor, nullTime(e.AcceptedAt), nullTime(e.DeliveredAt),
		nullTime(e.ConfirmBy), nullTime(e.DisputedAt), nullTime(e.ClosedAt), nullTime(e.DueAt()), e.Reason, e.DisputeReason, e.Resolution,
		e.UpdatedAt)
	if changed, err := changedOne(res, err); changed || err != nil {
		return err
	}
	if _, err := tx.Engagement(ctx, e.ID); err != nil {
		return err
	}
	return &fault.Error{Code: fault.Conflict, MsgID: "error.changed_meanwhile", Message: "the service order changed meanwhile: reload it"}
}

// changedOne reports whether an UPDATE changed its row.
func changedOne(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, domainError(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AddEngagementMessage adds a message, with its files, to its engagement's
// thread, counting it against the thread's limit of engagement.MaxMessages.
//
// Errors: Invalid on "body" (error.messages_many) when the thread is full;
// NotFound for an unknown engagement.
func (tx *Tx) AddEngagementMessage(ctx context.Context, m engagement.Message) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE engagements SET message_count = message_count + 1 WHERE id = $1 AND message_count < $2`,
		m.EngagementID, engagement.MaxMessages)
	if changed, err := changedOne(res, err); err != nil {
		return err
	} else if !changed {
		if _, err := tx.Engagement(ctx, m.EngagementID); err != nil {
			return err
		}
		return fault.Field("body", "error.messages_many", "this service order has as many messages as it may keep")
	}
	if _, err := tx.q.ExecContext(ctx, `INSERT INTO engagement_messages (id, engagement_id, author_role, author_user_id, action, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		m.ID, m.EngagementID, m.Author, nullable(m.AuthorUserID), m.Action, m.Body, m.CreatedAt); err != nil {
		return domainError(err)
	}
	for i, a := range m.Attachments {
		if _, err := tx.q.ExecContext(ctx, `INSERT INTO engagement_attachments (message_id, position, blob_key, name, size, content_type, deliverable)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			m.ID, i, a.BlobKey, a.Name, a.Size, a.ContentType, a.Deliverable); err != nil {
			return domainError(err)
		}
	}
	return nil
}

// Engagement returns an engagement.
//
// Errors: NotFound.
func (q *queries) Engagement(ctx context.Context, id string) (engagement.Engagement, error) {
	es, err := list(ctx, q.q, scanEngagement, `SELECT `+engagementColumns+` FROM engagements WHERE id = $1`, id)
	if err == nil && len(es) == 0 {
		err = errNoEngagement
	}
	if err != nil {
		return engagement.Engagement{}, err
	}
	return es[0], nil
}

// EngagementOfLine returns the engagement of an order line, if it has one.
func (q *queries) EngagementOfLine(ctx context.Context, orderID string, lineNo int) (engagement.Engagement, bool, error) {
	es, err := list(ctx, q.q, scanEngagement, `SELECT `+engagementColumns+` FROM engagements WHERE order_id = $1 AND line_no = $2`, orderID, lineNo)
	if err != nil || len(es) == 0 {
		return engagement.Engagement{}, false, err
	}
	return es[0], true, nil
}

// EngagementFilter selects engagements; zero fields select all.
type EngagementFilter struct {
	BuyerOrgID  string           // a buyer's service orders
	SellerOrgID string           // a seller's
	State       engagement.State // e.g. the disputed ones, for operators
	Before      string           // the id of the last engagement of the previous page
	Limit       int              // 1–500, default 50
}

// Engagements lists engagements, newest first (by created time, then id).
func (q *queries) Engagements(ctx context.Context, f EngagementFilter) ([]engagement.Engagement, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	st := &statement{}
	var where []string
	if f.BuyerOrgID != "" {
		where = append(where, `buyer_org_id = `+st.arg(f.BuyerOrgID))
	}
	if f.SellerOrgID != "" {
		where = append(where, `seller_org_id = `+st.arg(f.SellerOrgID))
	}
	if f.State != "" {
		where = append(where, `state = `+st.arg(f.State))
	}
	if f.Before != "" {
		where = append(where, `(created_at, id) < (SELECT created_at, id FROM engagements WHERE id = `+st.arg(f.Before)+`)`)
	}
	query := `SELECT ` + engagementColumns + ` FROM engagements`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	return list(ctx, q.q, scanEngagement, query+` ORDER BY created_at DESC, id DESC LIMIT `+st.arg(f.Limit), st.args...)
}

// DueEngagements lists up to limit engagements whose current deadline
// (engagement.DueAt) has come by now, earliest first: those the scheduler has
// an automatic step for (engagement.Due).
func (q *queries) DueEngagements(ctx context.Context, now time.Time, limit int) ([]engagement.Engagement, error) {
	return list(ctx, q.q, scanEngagement, `SELECT `+engagementColumns+` FROM engagements
		WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2`, now, limit)
}

// EngagementMessages lists an engagement's thread, oldest first, with the
// messages' files.
func (q *queries) EngagementMessages(ctx context.Context, engagementID string) ([]engagement.Message, error) {
	msgs, err := list(ctx, q.q, func(r scanner) (m engagement.Message, err error) {
		var by sql.NullString
		err = r.Scan(&m.ID, &m.EngagementID, &m.Author, &by, &m.Action, &m.Body, &m.CreatedAt)
		m.AuthorUserID = by.String
		return m, err
	}, `SELECT id, engagement_id, author_role, author_user_id, action, body, created_at FROM engagement_messages
		WHERE engagement_id = $1 ORDER BY created_at, id`, engagementID)
	if err != nil || len(msgs) == 0 {
		return msgs, err
	}
	type row struct {
		messageID string
		file      engagement.Attachment
	}
	files, err := list(ctx, q.q, func(r scanner) (x row, err error) {
		return x, r.Scan(&x.messageID, &x.file.BlobKey, &x.file.Name, &x.file.Size, &x.file.ContentType, &x.file.Deliverable)
	}, `SELECT a.message_id, a.blob_key, a.name, a.size, a.content_type, a.deliverable
		FROM engagement_attachments a JOIN engagement_messages m ON m.id = a.message_id
		WHERE m.engagement_id = $1 ORDER BY a.message_id, a.position`, engagementID)
	if err != nil {
		return nil, err
	}
	at := make(map[string]int, len(msgs))
	for i, m := range msgs {
		at[m.ID] = i
	}
	for _, f := range files {
		m := &msgs[at[f.messageID]]
		m.Attachments = append(m.Attachments, f.file)
	}
	return msgs, nil
}
