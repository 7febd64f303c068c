package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
)

// What differs between the engines lives here: full-text search. PostgreSQL
// keeps a storefront row's tokens in a tsvector column generated from
// storefront.search_text. SQLite keeps them in the FTS5 table storefront_fts,
// whose rowid is the row's search key, in three columns: names (the tokens of
// the names), body (every token) and facets (opaque tokens for the filters and
// price bands, see shelf.facets), so that one MATCH answers a search's words and
// filters together, in search-key order, and can stop after a page.

// nextSearchKey allocates the search key of a product going on sale: keys
// grow, so the newest product has the largest.
func (tx *Tx) nextSearchKey(ctx context.Context) (int64, error) {
	query := `SELECT COALESCE(MAX(search_key), 0) + 1 FROM storefront` // one writer: no race
	if tx.engine == Postgres {
		query = `SELECT nextval('storefront_search_key')`
	}
	var key int64
	err := tx.q.QueryRowContext(ctx, query).Scan(&key)
	return key, err
}

// facet is the index token of a filter's value: letters and digits only, so
// that unicode61 keeps it whole, and no word a buyer types.
func facet(kind, value string) string {
	h := sha256.Sum256([]byte(kind + "\x00" + value))
	return "zz" + hex.EncodeToString(h[:8])
}

// priceBand buckets a price (minor units ≥ 0) by its order of magnitude, four
// bands per doubling; a higher price never has a lower band.
func priceBand(minor int64) int {
	if minor <= 0 {
		return 0
	}
	n := bits.Len64(uint64(minor))
	var frac uint64
	if n >= 3 {
		frac = uint64(minor) >> (n - 3) & 3
	} else {
		frac = uint64(minor) << (3 - n) & 3
	}
	return 4*n + int(frac)
}

// priceList is what a price sort orders by: the lowest price in a currency,
// among the plans of a billing mode when the search asks for one ("": all).
type priceList struct {
	Currency money.Currency
	Mode     catalog.BillingMode
}

func (l priceList) String() string { return string(l.Currency) + ":" + string(l.Mode) }

func bandFacet(l priceList, band int) string { return facet("band", l.String()+":"+strconv.Itoa(band)) }

func pricedFacet(l priceList) string { return facet("priced", l.String()) }

// shelfPrices are the list prices of the plans a product shows on the
// storefront: active, with a list price.
func shelfPrices(p catalog.Product) []shelfPlan {
	var out []shelfPlan
	for _, pl := range p.Plans {
		if price, ok := pl.ListPrice(); pl.Active && ok {
			out = append(out, shelfPlan{Code: pl.Code, PlanPrice: PlanPrice{Mode: pl.Mode, Unit: pl.Unit(), Price: price}})
		}
	}
	return out
}

// shelfPlan is a plan as the storefront keeps it.
type shelfPlan struct {
	Code string
	PlanPrice
}

// lowestPrices is the lowest price of each price list the plans are in: per
// currency, and per currency and billing mode.
func lowestPrices(plans []shelfPlan) map[priceList]int64 {
	low := map[priceList]int64{}
	for _, pl := range plans {
		for _, l := range []priceList{{pl.Price.Currency, ""}, {pl.Price.Currency, pl.Mode}} {
			if m, ok := low[l]; !ok || pl.Price.Minor < m {
				low[l] = pl.Price.Minor
			}
		}
	}
	return low
}

// shelf is what the facets are made of: a storefront row's filterable values.
type shelf struct {
	Type     catalog.Type
	Category string
	Seller   string
	Regions  []string
	Plans    []shelfPlan
}

// facets lists a product's facet tokens: every product has "all"; then its
// type, category, seller, regions and billing modes, and per price list it
// is in, "priced" and the band of its lowest price there.
func (sh shelf) facets() []string {
	out := []string{facet("all", ""), facet("type", string(sh.Type)), facet("category", sh.Category), facet("seller", sh.Seller)}
	for _, r := range sh.Regions {
		out = append(out, facet("region", r))
	}
	for _, pl := range sh.Plans {
		out = append(out, facet("mode", string(pl.Mode)))
	}
	for l, low := range lowestPrices(sh.Plans) {
		out = append(out, pricedFacet(l), bandFacet(l, priceBand(low)))
	}
	return out
}

// indexSearch puts a product's tokens into SQLite's index under its search
// key, and counts its price bands.
func (tx *Tx) indexSearch(ctx context.Context, key int64, names, body string, sh shelf) error {
	if tx.engine != SQLite {
		return nil
	}
	if _, err := tx.q.ExecContext(ctx, `INSERT INTO storefront_fts (rowid, names, body, facets) VALUES ($1, $2, $3, $4)`,
		key, names, body, strings.Join(sh.facets(), " ")); err != nil {
		return err
	}
	for l, low := range lowestPrices(sh.Plans) {
		if _, err := tx.q.ExecContext(ctx, `
			INSERT INTO storefront_bands (currency, mode, band, products) VALUES ($1, $2, $3, 1)
			ON CONFLICT (currency, mode, band) DO UPDATE SET products = storefront_bands.products + 1`, l.Currency, l.Mode, priceBand(low)); err != nil {
			return err
		}
	}
	return nil
}

// shelvePrices puts a product into SQLite's price lists (storefront_prices):
// one row per price list it is in, with its lowest price there.
func (tx *Tx) shelvePrices(ctx context.Context, productID string, key int64, sh shelf) error {
	if tx.engine != SQLite {
		return nil
	}
	for l, low := range lowestPrices(sh.Plans) {
		if _, err := tx.q.ExecContext(ctx, `
			INSERT INTO storefront_prices (product_id, currency, mode, price, search_key, seller_org_id, type, category)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			productID, l.Currency, l.Mode, low, key, sh.Seller, sh.Type, sh.Category); err != nil {
			return err
		}
	}
	return nil
}

// unindexSearch takes a product out of SQLite's index and price lists, before
// its storefront rows go.
func (tx *Tx) unindexSearch(ctx context.Context, productID string) error {
	if tx.engine != SQLite {
		return nil
	}
	plans, err := list(ctx, tx.q, func(r scanner) (p shelfPlan, err error) {
		return p, r.Scan(&p.Mode, &p.Price.Currency, &p.Price.Minor)
	}, `SELECT mode, currency, price_minor FROM storefront_plans WHERE product_id = $1`, productID)
	if err != nil {
		return err
	}
	for l, low := range lowestPrices(plans) {
		if _, err := tx.q.ExecContext(ctx, `UPDATE storefront_bands SET products = products - 1 WHERE currency = $1 AND mode = $2 AND band = $3`,
			l.Currency, l.Mode, priceBand(low)); err != nil {
			return err
		}
	}
	if _, err := tx.q.ExecContext(ctx, `DELETE FROM storefront_prices WHERE product_id = $1`, productID); err != nil {
		return err
	}
	_, err = tx.q.ExecContext(ctx, `DELETE FROM storefront_fts
		WHERE rowid = (SELECT search_key FROM storefront WHERE product_id = $1)`, productID)
	return err
}

// CompactSearch merges SQLite's full-text index into one segment (FTS5's
// optimize); PostgreSQL has nothing to do. Each transaction that changes the
// storefront adds a segment to the index, and FTS5 merges them only a level
// at a time, so a catalogue put on sale in many transactions keeps a dozen,
// and every search seeks each of its words in each: merged, searches take
// about half the time. It takes a few seconds on 100,000 products, holding
// the writer: run it after loading many products, or now and then.
func (s *Store) CompactSearch(ctx context.Context) error {
	if s.engine != SQLite {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO storefront_fts (storefront_fts) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("store: compact search index: %w", err)
	}
	return nil
}

// nameHolds is the condition that a storefront row's (alias s) name_tokens
// hold the text bound at placeholder ph (" token "). Not LIKE: SQLite plans a
// statement with a LIKE against a bound value again once the value is bound.
func (q *queries) nameHolds(ph string) string {
	if q.engine == SQLite {
		return `instr(s.name_tokens, ` + ph + `) > 0`
	}
	return `strpos(s.name_tokens, ` + ph + `) > 0`
}

// matchCondition is the WHERE condition that keeps storefront rows (alias s)
// holding every token. Tokens come from package search: letters, digits and
// CJK characters only, so quoting them needs no escaping.
func (q *queries) matchCondition(tokens []string, st *statement) string {
	if q.engine == SQLite {
		return `s.search_key IN (SELECT rowid FROM storefront_fts WHERE storefront_fts MATCH ` + st.arg(every("body", tokens)) + `)`
	}
	quoted := make([]string, len(tokens))
	for i, t := range tokens {
		quoted[i] = `'` + t + `'`
	}
	return `s.search @@ to_tsquery('simple', ` + st.arg(strings.Join(quoted, " & ")) + `)`
}

// every and oneOf are FTS5 expressions: the column holds every token, or one
// of them.
func every(column string, tokens []string) string { return fts5(column, tokens, " AND ") }
func oneOf(column string, tokens []string) string { return fts5(column, tokens, " OR ") }

func fts5(column string, tokens []string, op string) string {
	quoted := make([]string, len(tokens))
	for i, t := range tokens {
		quoted[i] = `"` + t + `"`
	}
	return column + ` : (` + strings.Join(quoted, op) + `)`
}
