package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudmart/cloudmart/account"
)

// Throttle returns the throttle of the key; an unknown key has none.
func (q *queries) Throttle(ctx context.Context, key string) (account.Throttle, error) {
	t := account.Throttle{Key: key}
	var blocked sql.Null[time.Time]
	err := q.q.QueryRowContext(ctx, `
		SELECT failures, first_failure, blocked_until FROM login_throttles WHERE key = $1`, key).
		Scan(&t.Failures, &t.FirstFailure, &blocked)
	if errNoRows(err) {
		return t, nil
	}
	t.BlockedUntil = blocked.V
	return t, err
}

// SaveThrottle writes the throttle of its key.
func (tx *Tx) SaveThrottle(ctx context.Context, t account.Throttle) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO login_throttles (key, failures, first_failure, blocked_until) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO UPDATE SET failures = $2, first_failure = $3, blocked_until = $4`,
		t.Key, t.Failures, t.FirstFailure, sql.Null[time.Time]{V: t.BlockedUntil, Valid: !t.BlockedUntil.IsZero()})
	return err
}

// ClearThrottle forgets the key's failures (after a successful log-in).
func (tx *Tx) ClearThrottle(ctx context.Context, key string) error {
	_, err := tx.q.ExecContext(ctx, `DELETE FROM login_throttles WHERE key = $1`, key)
	return err
}

// PurgeThrottles deletes throttles whose last failure window and block ended
// before the time.
func (tx *Tx) PurgeThrottles(ctx context.Context, before time.Time) (int64, error) {
	res, err := tx.q.ExecContext(ctx, `
		DELETE FROM login_throttles
		WHERE first_failure < $1 AND (blocked_until IS NULL OR blocked_until < $1)`, before)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
