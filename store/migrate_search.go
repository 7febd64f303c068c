package store

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

// SQLite's migration 4 is in Go, not SQL: it rebuilds the full-text index
// with the facet tokens (names, body and facets columns; see fts.go), which
// are hashes SQL cannot compute. PostgreSQL's migration 4 is
// migrations/postgres/00004_search_keys.sql.
var sqliteGoMigrations = []*goose.Migration{
	goose.NewGoMigration(4, &goose.GoFunc{RunTx: searchFacetsUp}, &goose.GoFunc{RunTx: searchFacetsDown}),
}

func searchFacetsUp(ctx context.Context, sqlTx *sql.Tx) error {
	for _, stmt := range []string{
		`DROP TABLE storefront_fts`,
		`CREATE VIRTUAL TABLE storefront_fts USING fts5 (names, body, facets, tokenize = 'unicode61 remove_diacritics 0')`,
		// How many storefront products have their lowest price in each band
		// of each price list (currency, and billing mode or '' for all): the
		// price sorts walk only bands that hold some.
		`CREATE TABLE storefront_bands (
			currency TEXT NOT NULL,
			mode     TEXT NOT NULL,
			band     INTEGER NOT NULL,
			products INTEGER NOT NULL,
			PRIMARY KEY (currency, mode, band)
		)`,
	} {
		if _, err := sqlTx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	tx := &Tx{queries: queries{q: sqlTx, engine: SQLite}, tx: sqlTx}
	type row struct {
		id, names, body string
		key             int64
		sh              shelf
	}
	rows, err := list(ctx, sqlTx, func(r scanner) (x row, err error) {
		return x, r.Scan(&x.id, &x.names, &x.body, &x.key, &x.sh.Type, &x.sh.Category, &x.sh.Seller)
	}, `SELECT product_id, name_tokens, search_text, search_key, type, category, seller_org_id FROM storefront ORDER BY search_key`)
	if err != nil {
		return err
	}
	for _, x := range rows {
		if x.sh.Regions, err = list(ctx, sqlTx, func(r scanner) (s string, err error) { return s, r.Scan(&s) },
			`SELECT region FROM storefront_regions WHERE product_id = $1 ORDER BY region`, x.id); err != nil {
			return err
		}
		if x.sh.Plans, err = list(ctx, sqlTx, func(r scanner) (p shelfPlan, err error) {
			return p, r.Scan(&p.Code, &p.Mode, &p.Price.Currency, &p.Price.Minor, &p.Unit)
		}, `SELECT code, mode, currency, price_minor, unit FROM storefront_plans WHERE product_id = $1 ORDER BY code`, x.id); err != nil {
			return err
		}
		if err := tx.indexSearch(ctx, x.key, x.names, x.body, x.sh); err != nil {
			return err
		}
	}
	return nil
}

func searchFacetsDown(ctx context.Context, sqlTx *sql.Tx) error {
	for _, stmt := range []string{
		`DROP TABLE storefront_bands`,
		`DROP TABLE storefront_fts`,
		`CREATE VIRTUAL TABLE storefront_fts USING fts5 (product_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 0')`,
		`INSERT INTO storefront_fts (rowid, product_id, body) SELECT search_key, product_id, search_text FROM storefront`,
	} {
		if _, err := sqlTx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}
