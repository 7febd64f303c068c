package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/notice"
)

const notificationColumns = `id, user_id, kind, title_en, title_zh, body_en, body_zh, link, created_at, read_at`

func scanNotification(row scanner) (notice.Notification, error) {
	var n notice.Notification
	var read sql.Null[time.Time]
	err := row.Scan(&n.ID, &n.UserID, &n.Kind, &n.TitleEN, &n.TitleZH, &n.BodyEN, &n.BodyZH, &n.Link, &n.CreatedAt, &read)
	n.ReadAt = read.V
	return n, err
}

// AddNotification stores a notification.
func (tx *Tx) AddNotification(ctx context.Context, n notice.Notification) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO notifications (id, user_id, kind, title_en, title_zh, body_en, body_zh, link, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		n.ID, n.UserID, n.Kind, n.TitleEN, n.TitleZH, n.BodyEN, n.BodyZH, n.Link, n.CreatedAt)
	return err
}

// Notification returns one notification.
//
// Errors: NotFound.
func (q *queries) Notification(ctx context.Context, id string) (notice.Notification, error) {
	n, err := scanNotification(q.q.QueryRowContext(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE id = $1`, id))
	if errNoRows(err) {
		return n, fault.New(fault.NotFound, "no such notification")
	}
	return n, err
}

// Notifications lists the user's newest notifications (at most limit).
func (q *queries) Notifications(ctx context.Context, userID string, limit int) ([]notice.Notification, error) {
	return list(ctx, q.q, scanNotification, `
		SELECT `+notificationColumns+` FROM notifications WHERE user_id = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`, userID, limit)
}

// UnreadNotifications counts the user's unread notifications.
func (q *queries) UnreadNotifications(ctx context.Context, userID string) (int, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n)
	return n, err
}

// MarkNotificationRead marks one of the user's notifications read (id "" marks all).
func (tx *Tx) MarkNotificationRead(ctx context.Context, userID, id string, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `
		UPDATE notifications SET read_at = $3
		WHERE user_id = $1 AND ($2 = '' OR id = $2) AND read_at IS NULL`, userID, id, at)
	return err
}

// TakeUnmailed marks up to limit notifications not yet queued for mailing as
// queued, oldest first, and returns their ids. The outer mail_queued = FALSE
// is checked again on the row as it is when updated, so two dispatchers at
// once never take one notification twice.
func (tx *Tx) TakeUnmailed(ctx context.Context, limit int) ([]string, error) {
	return list(ctx, tx.q, func(r scanner) (id string, err error) { return id, r.Scan(&id) },
		`UPDATE notifications SET mail_queued = TRUE
		WHERE mail_queued = FALSE AND id IN (SELECT id FROM notifications WHERE mail_queued = FALSE ORDER BY created_at LIMIT $1)
		RETURNING id`, limit)
}
