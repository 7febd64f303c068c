package store

import (
	"context"
	"strings"
)

// What differs between the engines lives here: full-text search. SQLite keeps
// the storefront's tokens in an FTS5 table; PostgreSQL in a tsvector column
// generated from storefront.search_text. Both hold exactly the tokens of
// package search, so both match alike.

// indexSearch puts a product's search document into SQLite's index, under a
// new key: its rowid there, kept in storefront.search_key.
func (tx *Tx) indexSearch(ctx context.Context, productID, document string) error {
	if tx.engine != SQLite {
		return nil
	}
	var key int64
	if err := tx.q.QueryRowContext(ctx, `
		UPDATE storefront SET search_key = (SELECT COALESCE(MAX(search_key), 0) + 1 FROM storefront)
		WHERE product_id = $1 RETURNING search_key`, productID).Scan(&key); err != nil {
		return err
	}
	_, err := tx.q.ExecContext(ctx, `INSERT INTO storefront_fts (rowid, product_id, body) VALUES ($1, $2, $3)`, key, productID, document)
	return err
}

// unindexSearch takes a product out of SQLite's index by its key, before its
// storefront row goes.
func (tx *Tx) unindexSearch(ctx context.Context, productID string) error {
	if tx.engine != SQLite {
		return nil
	}
	_, err := tx.q.ExecContext(ctx, `DELETE FROM storefront_fts
		WHERE rowid = (SELECT search_key FROM storefront WHERE product_id = $1)`, productID)
	return err
}

// nameHolds is the condition that a storefront row's (alias s) name_tokens
// hold the text bound at placeholder ph (" token "). Not LIKE: SQLite plans a
// statement with a LIKE against a bound value again once the value is bound,
// so each search was parsed and planned twice.
func (q *queries) nameHolds(ph string) string {
	if q.engine == SQLite {
		return `instr(s.name_tokens, ` + ph + `) > 0`
	}
	return `strpos(s.name_tokens, ` + ph + `) > 0`
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
		return `s.search_key IN (SELECT rowid FROM storefront_fts WHERE storefront_fts MATCH ` + placeholder(n) + `)`, strings.Join(quoted, " ")
	}
	quoted := make([]string, len(tokens))
	for i, t := range tokens {
		quoted[i] = `'` + t + `'`
	}
	return `s.search @@ to_tsquery('simple', ` + placeholder(n) + `)`, strings.Join(quoted, " & ")
}
