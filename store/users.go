package store

import (
	"context"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
)

const userColumns = `id, email, display_name, created_at`

func scanUser(row scanner) (account.User, error) {
	var u account.User
	err := row.Scan(&u.ID, &u.Email, &u.DisplayName, &u.CreatedAt)
	return u, err
}

// CreateUser inserts a user with its password hash.
//
// Errors: Conflict on "email" when the email is taken.
func (tx *Tx) CreateUser(ctx context.Context, u account.User, passwordHash string) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5)`,
		u.ID, u.Email, u.DisplayName, passwordHash, u.CreatedAt)
	return domainError(err)
}

// User returns the user with the id.
//
// Errors: NotFound.
func (q *queries) User(ctx context.Context, id string) (account.User, error) {
	u, err := scanUser(q.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errNoRows(err) {
		return u, fault.New(fault.NotFound, "no such user")
	}
	return u, err
}

// UserByEmail returns the user with the (normalised) email and its password hash.
//
// Errors: NotFound.
func (q *queries) UserByEmail(ctx context.Context, email string) (account.User, string, error) {
	var u account.User
	var hash string
	err := q.q.QueryRowContext(ctx, `
		SELECT `+userColumns+`, password_hash FROM users WHERE email = $1`, strings.ToLower(email)).
		Scan(&u.ID, &u.Email, &u.DisplayName, &u.CreatedAt, &hash)
	if errNoRows(err) {
		return u, "", fault.New(fault.NotFound, "no such user")
	}
	return u, hash, err
}

// PasswordHash returns the user's password hash.
//
// Errors: NotFound.
func (q *queries) PasswordHash(ctx context.Context, userID string) (string, error) {
	var hash string
	err := q.q.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, userID).Scan(&hash)
	if errNoRows(err) {
		return "", fault.New(fault.NotFound, "no such user")
	}
	return hash, err
}

// UpdateUserName sets the user's display name.
func (tx *Tx) UpdateUserName(ctx context.Context, u account.User, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `UPDATE users SET display_name = $2, updated_at = $3 WHERE id = $1`, u.ID, u.DisplayName, at)
	return err
}

// UpdatePassword sets the user's password hash.
func (tx *Tx) UpdatePassword(ctx context.Context, userID, hash string, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1`, userID, hash, at)
	return err
}
