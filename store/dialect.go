package store

import (
	"context"
	"strings"
)

// What differs between the engines lives here: full-text search. SQLite keeps
// the storefront's tokens in an FTS5 table; PostgreSQL in a tsvector column
// generated from storefront.search_text. Both hold exactly the tokens of
// package search, so both match alike.

// indexSearch puts a product's search document into SQLite's index.
func (tx *Tx) indexSearch(ctx context.Context, productID, document string) error {
	if tx.engine != SQLite {
		return nil
	}
	if err := tx.unindexSearch(ctx, productID); err != nil {
		return err
	}
	_, err := tx.q.ExecContext(ctx, `INSERT INTO storefront_fts (product_id, body) VALUES ($1, $2)`, productID, document)
	return err
}

// unindexSearch takes a product out of SQLite's index.
func (tx *Tx) unindexSearch(ctx context.Context, productID string) error {
	if tx.engine != SQLite {
		return nil
	}
	_, err := tx.q.ExecContext(ctx, `DELETE FROM storefront_fts WHERE product_id = $1`, productID)
	return err
}

// matchCondition is the WHERE condition that keeps storefront rows (alias s)
// holding every token, with the argument to bind at placeholder n. Tokens come
// from package search: letters, digits and CJK characters only, so quoting
// them needs no escaping.
func (q *queries) matchCondition(tokens []string, n int) (string, any) {
	if q.engine == SQLite {
		quoted := make([]string, len(tokens))
		for i, t := range tokens {
			quoted[i] = `"` + t + `"`
		}
		return `s.product_id IN (SELECT product_id FROM storefront_fts WHERE storefront_fts MATCH ` + placeholder(n) + `)`, strings.Join(quoted, " ")
	}
	quoted := make([]string, len(tokens))
	for i, t := range tokens {
		quoted[i] = `'` + t + `'`
	}
	return `s.search @@ to_tsquery('simple', ` + placeholder(n) + `)`, strings.Join(quoted, " & ")
}
