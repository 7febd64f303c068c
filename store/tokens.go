package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
)

const tokenColumns = `id, user_id, kind, name, created_at, expires_at, last_used_at, revoked_at`

func scanToken(row scanner) (account.Token, error) {
	var t account.Token
	var used, revoked sql.Null[time.Time]
	err := row.Scan(&t.ID, &t.UserID, &t.Kind, &t.Name, &t.CreatedAt, &t.ExpiresAt, &used, &revoked)
	t.LastUsedAt, t.RevokedAt = used.V, revoked.V
	return t, err
}

// CreateToken stores a token by the hash of its secret.
func (tx *Tx) CreateToken(ctx context.Context, t account.Token, hash string) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO tokens (id, user_id, kind, name, hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.ID, t.UserID, t.Kind, t.Name, hash, t.CreatedAt, t.ExpiresAt)
	return domainError(err)
}

// TokenByHash returns the token in force with the hash at now.
//
// Errors: Unauthorized when there is none (unknown, expired or revoked).
func (q *queries) TokenByHash(ctx context.Context, hash string, now time.Time) (account.Token, error) {
	t, err := scanToken(q.q.QueryRowContext(ctx, `
		SELECT `+tokenColumns+` FROM tokens
		WHERE hash = $1 AND revoked_at IS NULL AND expires_at > $2`, hash, now))
	if errNoRows(err) {
		return t, &fault.Error{Code: fault.Unauthorized, MsgID: "error.token_invalid", Message: "the token is unknown, expired or revoked: sign in again"}
	}
	return t, err
}

// TouchToken records that the token was used, at most once a minute, so that
// reads do not each become a write. It goes through Write, so on SQLite it
// joins the group commit instead of taking the writer alone.
func (s *Store) TouchToken(ctx context.Context, id string, now time.Time) error {
	return s.Write(ctx, func(tx *Tx) error {
		_, err := tx.q.ExecContext(ctx, `
			UPDATE tokens SET last_used_at = $2
			WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)`, id, now, now.Add(-time.Minute))
		return err
	})
}

// Tokens lists the user's tokens in force at now, newest first.
func (q *queries) Tokens(ctx context.Context, userID string, now time.Time) ([]account.Token, error) {
	return list(ctx, q.q, scanToken, `
		SELECT `+tokenColumns+` FROM tokens
		WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
		ORDER BY created_at DESC, id DESC`, userID, now)
}

// Token returns the user's token with the id (in force or not).
//
// Errors: NotFound, also when the token is another user's.
func (q *queries) Token(ctx context.Context, userID, id string) (account.Token, error) {
	t, err := scanToken(q.q.QueryRowContext(ctx, `
		SELECT `+tokenColumns+` FROM tokens WHERE id = $1 AND user_id = $2`, id, userID))
	if errNoRows(err) {
		return t, fault.New(fault.NotFound, "no such token")
	}
	return t, err
}

// RevokeToken revokes one token of the user; revoking twice changes nothing.
func (tx *Tx) RevokeToken(ctx context.Context, userID, id string, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `
		UPDATE tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, userID, at)
	return err
}

// RevokeTokensExcept revokes all the user's tokens but keepID (which may be "").
func (tx *Tx) RevokeTokensExcept(ctx context.Context, userID, keepID string, at time.Time) (int64, error) {
	res, err := tx.q.ExecContext(ctx, `
		UPDATE tokens SET revoked_at = $3 WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL`, userID, keepID, at)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PurgeTokens deletes tokens that expired or were revoked before the time.
func (tx *Tx) PurgeTokens(ctx context.Context, before time.Time) (int64, error) {
	res, err := tx.q.ExecContext(ctx, `
		DELETE FROM tokens WHERE expires_at < $1 OR revoked_at < $1`, before)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
