package store

import (
	"context"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// SaveZone creates or changes a featured zone.
func (tx *Tx) SaveZone(ctx context.Context, z catalog.Zone, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO zones (slug, name_en, name_zh, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
		ON CONFLICT (slug) DO UPDATE SET name_en = $2, name_zh = $3, position = $4, updated_at = $5`,
		z.Slug, z.Name.EN, z.Name.ZH, z.Position, at)
	return err
}

// DeleteZone removes a zone and its placements.
func (tx *Tx) DeleteZone(ctx context.Context, slug string) error {
	if _, err := tx.q.ExecContext(ctx, `DELETE FROM zone_products WHERE zone_slug = $1`, slug); err != nil {
		return err
	}
	res, err := tx.q.ExecContext(ctx, `DELETE FROM zones WHERE slug = $1`, slug)
	if err := oneRow(res, err, ""); err != nil {
		return fault.New(fault.NotFound, "no such zone")
	}
	return nil
}

// Zones lists the featured zones in order.
func (q *queries) Zones(ctx context.Context) ([]catalog.Zone, error) {
	return list(ctx, q.q, func(row scanner) (z catalog.Zone, err error) {
		return z, row.Scan(&z.Slug, &z.Name.EN, &z.Name.ZH, &z.Position)
	}, `SELECT slug, name_en, name_zh, position FROM zones ORDER BY position, slug`)
}

// Zone returns one zone.
//
// Errors: NotFound.
func (q *queries) Zone(ctx context.Context, slug string) (catalog.Zone, error) {
	var z catalog.Zone
	err := q.q.QueryRowContext(ctx, `SELECT slug, name_en, name_zh, position FROM zones WHERE slug = $1`, slug).
		Scan(&z.Slug, &z.Name.EN, &z.Name.ZH, &z.Position)
	if errNoRows(err) {
		return z, fault.New(fault.NotFound, "no such zone")
	}
	return z, err
}

// SetZoneProducts replaces the products placed in a zone, in order.
func (tx *Tx) SetZoneProducts(ctx context.Context, slug string, productIDs []string) error {
	if _, err := tx.q.ExecContext(ctx, `DELETE FROM zone_products WHERE zone_slug = $1`, slug); err != nil {
		return err
	}
	for i, id := range productIDs {
		if _, err := tx.q.ExecContext(ctx, `INSERT INTO zone_products (zone_slug, product_id, position) VALUES ($1, $2, $3)`, slug, id, i); err != nil {
			return domainError(err)
		}
	}
	return nil
}

// ZoneProducts lists the ids of the products placed in a zone, in order.
func (q *queries) ZoneProducts(ctx context.Context, slug string) ([]string, error) {
	return list(ctx, q.q, func(row scanner) (id string, err error) { return id, row.Scan(&id) },
		`SELECT product_id FROM zone_products WHERE zone_slug = $1 ORDER BY position, product_id`, slug)
}

// ZoneHits lists the storefront products placed in a zone that are on sale by
// a seller allowed to sell, in the zone's order.
func (q *queries) ZoneHits(ctx context.Context, slug string, currency money.Currency) ([]Hit, error) {
	hits, err := list(ctx, q.q, scanHit, hitSelect+`
		FROM zone_products z JOIN storefront s ON s.product_id = z.product_id JOIN orgs o ON o.id = s.seller_org_id
		WHERE z.zone_slug = $2 AND `+sellerMaySell+` ORDER BY z.position, s.product_id`, currency, slug)
	priced(hits, currency)
	if err == nil {
		err = q.cheapest(ctx, hits, currency)
	}
	return hits, err
}

const bannerColumns = `id, title_en, title_zh, text_en, text_zh, link, COALESCE(product_id, ''), starts_at, ends_at`

func scanBanner(row scanner) (b catalog.Banner, err error) {
	return b, row.Scan(&b.ID, &b.Title.EN, &b.Title.ZH, &b.Text.EN, &b.Text.ZH, &b.Link, &b.ProductID, &b.StartsAt, &b.EndsAt)
}

// SaveBanner creates or changes a banner slot.
func (tx *Tx) SaveBanner(ctx context.Context, b catalog.Banner, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `
		INSERT INTO banners (id, title_en, title_zh, text_en, text_zh, link, product_id, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (id) DO UPDATE SET title_en = $2, title_zh = $3, text_en = $4, text_zh = $5, link = $6,
			product_id = $7, starts_at = $8, ends_at = $9`,
		b.ID, b.Title.EN, b.Title.ZH, b.Text.EN, b.Text.ZH, b.Link, nullable(b.ProductID), b.StartsAt, b.EndsAt, at)
	return domainError(err)
}

// DeleteBanner removes a banner slot.
func (tx *Tx) DeleteBanner(ctx context.Context, id string) error {
	res, err := tx.q.ExecContext(ctx, `DELETE FROM banners WHERE id = $1`, id)
	if err := oneRow(res, err, ""); err != nil {
		return fault.New(fault.NotFound, "no such banner")
	}
	return nil
}

// Banners lists every banner slot by start.
func (q *queries) Banners(ctx context.Context) ([]catalog.Banner, error) {
	return list(ctx, q.q, scanBanner, `SELECT `+bannerColumns+` FROM banners ORDER BY starts_at, id`)
}

// BannersShowing lists the banners showing at the time, by start.
func (q *queries) BannersShowing(ctx context.Context, at time.Time) ([]catalog.Banner, error) {
	return list(ctx, q.q, scanBanner, `SELECT `+bannerColumns+` FROM banners
		WHERE starts_at <= $1 AND ends_at > $1 ORDER BY starts_at, id`, at)
}

// Banner returns one banner slot.
//
// Errors: NotFound.
func (q *queries) Banner(ctx context.Context, id string) (catalog.Banner, error) {
	b, err := scanBanner(q.q.QueryRowContext(ctx, `SELECT `+bannerColumns+` FROM banners WHERE id = $1`, id))
	if errNoRows(err) {
		return b, fault.New(fault.NotFound, "no such banner")
	}
	return b, err
}
