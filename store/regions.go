package store

import (
	"context"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/seller"
)

func scanRegion(row scanner) (r seller.Region, err error) {
	return r, row.Scan(&r.Code, &r.NameEN, &r.NameZH, &r.Zone)
}

// SaveRegion creates or updates a region.
func (tx *Tx) SaveRegion(ctx context.Context, r seller.Region, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO regions (code, name_en, name_zh, zone, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
		ON CONFLICT (code) DO UPDATE SET name_en = $2, name_zh = $3, zone = $4, updated_at = $5`,
		r.Code, r.NameEN, r.NameZH, r.Zone, at)
	return err
}

// Regions lists every region by code.
func (q *queries) Regions(ctx context.Context) ([]seller.Region, error) {
	return list(ctx, q.q, scanRegion, `SELECT code, name_en, name_zh, zone FROM regions ORDER BY code`)
}

// Region returns the region with the code.
//
// Errors: NotFound.
func (q *queries) Region(ctx context.Context, code string) (seller.Region, error) {
	r, err := scanRegion(q.q.QueryRowContext(ctx, `SELECT code, name_en, name_zh, zone FROM regions WHERE code = $1`, code))
	if errNoRows(err) {
		return r, fault.New(fault.NotFound, "no region %q", code)
	}
	return r, err
}
