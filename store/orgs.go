package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
)

const orgColumns = `id, kind, name, COALESCE(segment, ''), COALESCE(account_manager_id, ''), COALESCE(partner_org_id, ''), created_at`

func scanOrg(row scanner) (account.Org, error) {
	var o account.Org
	err := row.Scan(&o.ID, &o.Kind, &o.Name, &o.Segment, &o.AccountManagerID, &o.PartnerOrgID, &o.CreatedAt)
	return o, err
}

// nullable stores "" as NULL.
func nullable(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// CreateOrg inserts an organisation.
func (tx *Tx) CreateOrg(ctx context.Context, o account.Org) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO orgs (id, kind, name, segment, account_manager_id, partner_org_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
		o.ID, o.Kind, o.Name, nullable(string(o.Segment)), nullable(o.AccountManagerID), nullable(o.PartnerOrgID), o.CreatedAt)
	return domainError(err)
}

// UpdateCustomer sets a customer's segment, account manager and partner.
func (tx *Tx) UpdateCustomer(ctx context.Context, o account.Org, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `
		UPDATE orgs SET segment = $2, account_manager_id = $3, partner_org_id = $4, updated_at = $5
		WHERE id = $1 AND kind = 'customer'`,
		o.ID, string(o.Segment), nullable(o.AccountManagerID), nullable(o.PartnerOrgID), at)
	return domainError(err)
}

// Org returns the organisation with the id.
//
// Errors: NotFound.
func (q *queries) Org(ctx context.Context, id string) (account.Org, error) {
	o, err := scanOrg(q.q.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE id = $1`, id))
	if errNoRows(err) {
		return o, fault.New(fault.NotFound, "no such organisation")
	}
	return o, err
}

// OrgByKindAndName returns the first organisation of the kind with the name.
//
// Errors: NotFound.
func (q *queries) OrgByKindAndName(ctx context.Context, kind account.OrgKind, name string) (account.Org, error) {
	o, err := scanOrg(q.q.QueryRowContext(ctx, `
		SELECT `+orgColumns+` FROM orgs WHERE kind = $1 AND name = $2 ORDER BY id LIMIT 1`, kind, name))
	if errNoRows(err) {
		return o, fault.New(fault.NotFound, "no such organisation")
	}
	return o, err
}

// CustomerFilter selects customers: by account manager, by partner, or all.
type CustomerFilter struct {
	AccountManagerID string
	PartnerOrgIDs    []string // any of these partners
	All              bool
}

// Customers lists customer organisations that match the filter, by name.
func (q *queries) Customers(ctx context.Context, f CustomerFilter) ([]account.Org, error) {
	query := `SELECT ` + orgColumns + ` FROM orgs WHERE kind = 'customer' AND (` + "$1" + ` OR account_manager_id = $2`
	args := []any{f.All, f.AccountManagerID}
	for _, p := range f.PartnerOrgIDs {
		args = append(args, p)
		query += ` OR partner_org_id = ` + placeholder(len(args))
	}
	query += `) ORDER BY name, id`
	return list(ctx, q.q, scanOrg, query, args...)
}

// AddMembership gives the user the role in the organisation.
//
// Errors: Conflict when the user has it already.
func (tx *Tx) AddMembership(ctx context.Context, orgID, userID string, role account.Role, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)`,
		orgID, userID, role, at)
	return domainError(err)
}

// Memberships lists the user's roles with their organisations, oldest first.
func (q *queries) Memberships(ctx context.Context, userID string) ([]account.Membership, error) {
	return list(ctx, q.q, func(row scanner) (m account.Membership, err error) {
		return m, row.Scan(&m.OrgID, &m.OrgName, &m.OrgKind, &m.Role)
	}, `
		SELECT m.org_id, o.name, o.kind, m.role
		FROM memberships m JOIN orgs o ON o.id = m.org_id
		WHERE m.user_id = $1
		ORDER BY m.created_at, m.org_id, m.role`, userID)
}

// UsersWithRole lists the users that have the role in any organisation.
func (q *queries) UsersWithRole(ctx context.Context, role account.Role) ([]account.User, error) {
	return list(ctx, q.q, scanUser, `
		SELECT DISTINCT u.id, u.email, u.display_name, u.created_at
		FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.role = $1 ORDER BY u.email`, role)
}

// RenameOrg changes an organisation's name.
func (tx *Tx) RenameOrg(ctx context.Context, id, name string, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `UPDATE orgs SET name = $2, updated_at = $3 WHERE id = $1`, id, name, at)
	return err
}

// OrgMembers lists the ids of the users with the role in the organisation.
func (q *queries) OrgMembers(ctx context.Context, orgID string, role account.Role) ([]string, error) {
	return list(ctx, q.q, func(row scanner) (id string, err error) { return id, row.Scan(&id) },
		`SELECT user_id FROM memberships WHERE org_id = $1 AND role = $2 ORDER BY created_at, user_id`, orgID, role)
}
