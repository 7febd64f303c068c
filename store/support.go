package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/support"
)

// SupportTicket is a ticket with the names its pages show.
type SupportTicket struct {
	support.Ticket
	SellerName   string // the company's
	AssigneeName string // the operator's display name, "" while unassigned
	MessageCount int
}

const ticketColumns = `t.id, t.seller_org_id, t.opened_by, t.kind, t.subject, t.product_id, t.state, t.assignee_id, t.resolved_at,
	t.version, t.created_at, t.updated_at, o.name, COALESCE(a.display_name, ''), t.message_count`

const ticketFrom = ` FROM support_tickets t JOIN orgs o ON o.id = t.seller_org_id LEFT JOIN users a ON a.id = t.assignee_id`

func scanTicket(r scanner) (t SupportTicket, err error) {
	var product, assignee sql.NullString
	var resolved sql.NullTime
	err = r.Scan(&t.ID, &t.SellerOrgID, &t.OpenedBy, &t.Kind, &t.Subject, &product, &t.State, &assignee, &resolved,
		&t.Version, &t.CreatedAt, &t.UpdatedAt, &t.SellerName, &t.AssigneeName, &t.MessageCount)
	t.ProductID, t.AssigneeID, t.ResolvedAt = product.String, assignee.String, resolved.Time
	return t, err
}

// errNoTicket is the answer about a ticket that does not exist.
var errNoTicket = &fault.Error{Code: fault.NotFound, MsgID: "error.no_ticket", Message: "no such support ticket"}

// CreateTicket records a new ticket (its first message is added with
// AddTicketMessage).
func (tx *Tx) CreateTicket(ctx context.Context, t support.Ticket) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO support_tickets (id, seller_org_id, opened_by, kind, subject, product_id, state,
			assignee_id, resolved_at, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		t.ID, t.SellerOrgID, t.OpenedBy, t.Kind, t.Subject, nullable(t.ProductID), t.State, nullable(t.AssigneeID),
		nullTime(t.ResolvedAt), t.Version, t.CreatedAt, t.UpdatedAt)
	return domainError(err)
}

// SaveTicket stores t's state and assignee after a change made to the
// ticket as read at t.Version-1 (support.Moved and support.Assign add one),
// so of two changes made from one read only the first applies.
//
// Errors: Conflict (error.changed_meanwhile) when it changed meanwhile;
// NotFound.
func (tx *Tx) SaveTicket(ctx context.Context, t support.Ticket) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE support_tickets SET state = $3, assignee_id = $4, resolved_at = $5, updated_at = $6,
			version = version + 1
		WHERE id = $1 AND version = $2`,
		t.ID, t.Version-1, t.State, nullable(t.AssigneeID), nullTime(t.ResolvedAt), t.UpdatedAt)
	if changed, err := changedOne(res, err); changed || err != nil {
		return err
	}
	if _, err := tx.Ticket(ctx, t.ID); err != nil {
		return err
	}
	return &fault.Error{Code: fault.Conflict, MsgID: "error.changed_meanwhile", Message: "the ticket changed meanwhile: reload it"}
}

// Ticket returns a ticket.
//
// Errors: NotFound (error.no_ticket).
func (q *queries) Ticket(ctx context.Context, id string) (SupportTicket, error) {
	t, err := scanTicket(q.q.QueryRowContext(ctx, `SELECT `+ticketColumns+ticketFrom+` WHERE t.id = $1`, id))
	if errNoRows(err) {
		return t, errNoTicket
	}
	return t, err
}

// TicketFilter selects tickets; zero fields select all.
type TicketFilter struct {
	SellerOrgID string        // a company's tickets
	State       support.State // those in the state
	AssigneeID  string        // those assigned to the user
	Unassigned  bool          // those assigned to no one (AssigneeID is then ignored)
	Before      string        // the id of the last ticket of the previous page
	Limit       int           // 1–500, default 50
}

// Tickets lists tickets, newest first (by created time, then id).
func (q *queries) Tickets(ctx context.Context, f TicketFilter) ([]SupportTicket, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	st := &statement{}
	var where []string
	if f.SellerOrgID != "" {
		where = append(where, `t.seller_org_id = `+st.arg(f.SellerOrgID))
	}
	if f.State != "" {
		where = append(where, `t.state = `+st.arg(f.State))
	}
	switch {
	case f.Unassigned:
		where = append(where, `t.assignee_id IS NULL`)
	case f.AssigneeID != "":
		where = append(where, `t.assignee_id = `+st.arg(f.AssigneeID))
	}
	if f.Before != "" {
		where = append(where, `(t.created_at, t.id) < (SELECT created_at, id FROM support_tickets WHERE id = `+st.arg(f.Before)+`)`)
	}
	query := `SELECT ` + ticketColumns + ticketFrom
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	return list(ctx, q.q, scanTicket, query+` ORDER BY t.created_at DESC, t.id DESC LIMIT `+st.arg(f.Limit), st.args...)
}

// LapsedTickets lists up to limit resolved tickets resolved before the
// time (now less support.ReopenWithin), those resolved first first.
func (q *queries) LapsedTickets(ctx context.Context, resolvedBefore time.Time, limit int) ([]SupportTicket, error) {
	return list(ctx, q.q, scanTicket, `SELECT `+ticketColumns+ticketFrom+`
		WHERE t.state = $1 AND t.resolved_at < $2
		ORDER BY t.resolved_at, t.id LIMIT $3`, support.Resolved, resolvedBefore, limit)
}

// AddTicketMessage adds a message, with its files, to its ticket's thread,
// counting it against the thread's limit of support.MaxMessages.
//
// Errors: Invalid on "body" (error.ticket_messages_many) when the thread is
// full; NotFound for an unknown ticket.
func (tx *Tx) AddTicketMessage(ctx context.Context, m support.Message) error {
	res, err := tx.q.ExecContext(ctx, `UPDATE support_tickets SET message_count = message_count + 1 WHERE id = $1 AND message_count < $2`,
		m.TicketID, support.MaxMessages)
	if changed, err := changedOne(res, err); err != nil {
		return err
	} else if !changed {
		if _, err := tx.Ticket(ctx, m.TicketID); err != nil {
			return err
		}
		return fault.Field("body", "error.ticket_messages_many", "this ticket has as many messages as it may keep: open a new one")
	}
	if _, err := tx.q.ExecContext(ctx, `INSERT INTO support_messages (id, ticket_id, author_role, author_user_id, internal, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		m.ID, m.TicketID, m.Author, m.AuthorUserID, m.Internal, m.Body, m.CreatedAt); err != nil {
		return domainError(err)
	}
	if len(m.Attachments) == 0 {
		return nil
	}
	rows := make([][]any, len(m.Attachments))
	for i, a := range m.Attachments {
		rows[i] = []any{m.ID, i, a.BlobKey, a.Name, a.Size, a.ContentType}
	}
	_, err = insertRows(ctx, tx.q, "support_attachments", "message_id, position, blob_key, name, size, content_type", rows, "")
	return domainError(err)
}

// TicketMessages lists a ticket's thread, oldest first, with the messages'
// files and their authors' names; internal notes only when internal is true.
func (q *queries) TicketMessages(ctx context.Context, ticketID string, internal bool) ([]support.Message, error) {
	notes := ` AND NOT m.internal`
	if internal {
		notes = ``
	}
	msgs, err := list(ctx, q.q, func(r scanner) (m support.Message, err error) {
		return m, r.Scan(&m.ID, &m.TicketID, &m.Author, &m.AuthorUserID, &m.AuthorName, &m.Internal, &m.Body, &m.CreatedAt)
	}, `SELECT m.id, m.ticket_id, m.author_role, m.author_user_id, u.display_name, m.internal, m.body, m.created_at
		FROM support_messages m JOIN users u ON u.id = m.author_user_id
		WHERE m.ticket_id = $1`+notes+` ORDER BY m.created_at, m.id`, ticketID)
	if err != nil || len(msgs) == 0 {
		return msgs, err
	}
	type row struct {
		messageID string
		file      support.Attachment
	}
	files, err := list(ctx, q.q, func(r scanner) (x row, err error) {
		return x, r.Scan(&x.messageID, &x.file.BlobKey, &x.file.Name, &x.file.Size, &x.file.ContentType)
	}, `SELECT a.message_id, a.blob_key, a.name, a.size, a.content_type
		FROM support_attachments a JOIN support_messages m ON m.id = a.message_id
		WHERE m.ticket_id = $1`+notes+` ORDER BY a.message_id, a.position`, ticketID)
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

// TicketAttachment returns the file kept under key on the ticket's thread,
// and whether it is on an internal note.
//
// Errors: NotFound (error.no_file), also for a file of another ticket.
func (q *queries) TicketAttachment(ctx context.Context, ticketID, key string) (support.Attachment, bool, error) {
	var a support.Attachment
	var internal bool
	err := q.q.QueryRowContext(ctx, `SELECT a.blob_key, a.name, a.size, a.content_type, m.internal
		FROM support_attachments a JOIN support_messages m ON m.id = a.message_id
		WHERE m.ticket_id = $1 AND a.blob_key = $2`, ticketID, key).Scan(&a.BlobKey, &a.Name, &a.Size, &a.ContentType, &internal)
	if errNoRows(err) {
		return a, false, &fault.Error{Code: fault.NotFound, MsgID: "error.no_file", Message: "no such file"}
	}
	return a, internal, err
}
