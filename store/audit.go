package store

import (
	"context"
	"database/sql"

	"github.com/cloudmart/cloudmart/audit"
)

// AddAudit appends an entry to the audit log.
func (tx *Tx) AddAudit(ctx context.Context, e audit.Entry) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO audit_log (id, at, actor_user_id, actor_email, actor_role, org_id, action,
		                       object_type, object_id, summary, before_json, after_json)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		e.ID, e.At, nullable(e.ActorUserID), e.ActorEmail, e.ActorRole, nullable(e.OrgID), e.Action,
		e.ObjectType, e.ObjectID, e.Summary, nullableJSON(e.Before), nullableJSON(e.After))
	return err
}

func nullableJSON(b []byte) sql.NullString {
	return sql.NullString{String: string(b), Valid: len(b) > 0}
}

// Audit lists entries that match the filter, newest first.
func (q *queries) Audit(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	f = f.Normal()
	query := `
		SELECT id, at, COALESCE(actor_user_id, ''), actor_email, actor_role, COALESCE(org_id, ''), action,
		       object_type, object_id, summary, COALESCE(before_json, ''), COALESCE(after_json, '')
		FROM audit_log WHERE 1 = 1`
	var args []any
	where := func(cond string, v any) {
		args = append(args, v)
		query += ` AND ` + cond + ` ` + placeholder(len(args))
	}
	if f.ActorUserID != "" {
		where("actor_user_id =", f.ActorUserID)
	}
	if f.Action != "" {
		where("action =", f.Action)
	}
	if f.ObjectType != "" {
		where("object_type =", f.ObjectType)
	}
	if f.ObjectID != "" {
		where("object_id =", f.ObjectID)
	}
	if f.OrgID != "" {
		where("org_id =", f.OrgID)
	}
	if !f.Since.IsZero() {
		where("at >=", f.Since)
	}
	if !f.Until.IsZero() {
		where("at <", f.Until)
	}
	if f.Before != "" {
		where("id <", f.Before)
	}
	args = append(args, f.Limit)
	query += ` ORDER BY id DESC LIMIT ` + placeholder(len(args))
	return list(ctx, q.q, scanAudit, query, args...)
}

func scanAudit(row scanner) (audit.Entry, error) {
	var e audit.Entry
	var before, after string
	err := row.Scan(&e.ID, &e.At, &e.ActorUserID, &e.ActorEmail, &e.ActorRole, &e.OrgID, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.Summary, &before, &after)
	if before != "" {
		e.Before = []byte(before)
	}
	if after != "" {
		e.After = []byte(after)
	}
	return e, err
}
