package store

import (
	"context"
	"strconv"
	"strings"
)

// SQLite's search walks storefront_fts in the order of the sort and stops
// after the page. FTS5 yields matches in rowid (search key) order and can stop
// early, so:
//
//   - newest is one walk, descending;
//   - relevance is one walk per bucket (every word in the names, some, none),
//     each an FTS5 expression;
//   - a price sort is one walk per group of adjacent price bands (a facet
//     token per currency and band), sorting only the group's matches, then the
//     products without a price in the currency; when few products match at
//     all it simply sorts them.

// smallMatch is the most matches a price sort just sorts; countUpTo is how
// far it counts them to size its band groups.
const (
	smallMatch = 400
	countUpTo  = 5000
)

// bandGroup is the fewest products (of all, before the filters) in the bands
// one walk of a price sort sorts.
const bandGroup = 1000

// searchIndex answers a search on SQLite through its full-text index.
func (q *queries) searchIndex(ctx context.Context, qu Query, tokens []string, c *cursor) ([]Hit, error) {
	facets := queryFacets(qu)
	want := qu.Limit + 1
	switch qu.Sort {
	case ByNewest:
		return q.walk(ctx, qu, c, match(tokens, facets), 0, want)
	case ByRelevance:
		var hits []Hit
		for _, b := range buckets(tokens) {
			if c != nil && b.score > c.Score {
				continue
			}
			bc := c
			if c != nil && b.score < c.Score {
				bc = nil // a lower bucket is walked from its start
			}
			found, err := q.walk(ctx, qu, bc, and(b.expr, facets), b.score, want-len(hits))
			if err != nil {
				return nil, err
			}
			if hits = append(hits, found...); len(hits) >= want {
				break
			}
		}
		return hits, nil
	}
	return q.walkPrices(ctx, qu, c, match(tokens, facets), want)
}

// queryFacets is the FTS5 expression of a query's filters the facets hold.
func queryFacets(qu Query) string {
	var tokens []string
	add := func(kind, value string) {
		if value != "" {
			tokens = append(tokens, facet(kind, value))
		}
	}
	add("type", string(qu.Type))
	add("category", qu.Category)
	add("seller", qu.SellerOrgID)
	add("region", qu.Region)
	add("mode", string(qu.Mode))
	if len(tokens) == 0 {
		return ""
	}
	return every("facets", tokens)
}

// match is the FTS5 expression of the query's words and facets; every product
// when it has neither.
func match(tokens []string, facets string) string {
	if len(tokens) == 0 {
		if facets == "" {
			return every("facets", []string{facet("all", "")})
		}
		return facets
	}
	return and(every("body", tokens), facets)
}

func and(a, b string) string {
	if b == "" {
		return a
	}
	return `(` + a + `) AND (` + b + `)`
}

// bucket is a relevance bucket: its score and the FTS5 expression of the
// products in it.
type bucket struct {
	score int
	expr  string
}

// buckets lists the relevance buckets of the tokens, best first.
func buckets(tokens []string) []bucket {
	all, inName, someInName := every("body", tokens), every("names", tokens), oneOf("names", tokens)
	if len(tokens) == 1 {
		return []bucket{{2, inName}, {0, `(` + all + `) NOT (` + inName + `)`}}
	}
	return []bucket{
		{2, inName},
		{1, `((` + all + `) AND (` + someInName + `)) NOT (` + inName + `)`},
		{0, `(` + all + `) NOT (` + someInName + `)`},
	}
}

// walk returns up to limit products matching expr, newest first, after the
// cursor's search key; score is their relevance bucket.
func (q *queries) walk(ctx context.Context, qu Query, c *cursor, expr string, score, limit int) ([]Hit, error) {
	st := &statement{}
	where := append([]string{`f.storefront_fts MATCH ` + st.arg(expr)}, conditions(qu, st, false)...)
	if c != nil {
		where = append(where, `f.rowid < `+st.arg(c.Key))
	}
	return list(ctx, q.q, scanHit, `SELECT `+hitColumns(strconv.Itoa(score), qu, st)+`
		FROM storefront_fts f JOIN storefront s ON s.search_key = f.rowid JOIN orgs o ON o.id = s.seller_org_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY f.rowid DESC LIMIT `+st.arg(limit), st.args...)
}

// sorted returns up to limit products matching expr in the order of the
// query's price sort, after the cursor.
func (q *queries) sorted(ctx context.Context, qu Query, c *cursor, expr string, limit int) ([]Hit, error) {
	st := &statement{}
	where := append([]string{`f.storefront_fts MATCH ` + st.arg(expr)}, conditions(qu, st, false)...)
	order, after := priceOrder(qu.Sort, st, c, "price", "product_id")
	query := `SELECT * FROM (SELECT ` + hitColumns("0", qu, st) + `
		FROM storefront_fts f JOIN storefront s ON s.search_key = f.rowid JOIN orgs o ON o.id = s.seller_org_id
		WHERE ` + strings.Join(where, " AND ") + `) x`
	if after != "" {
		query += ` WHERE ` + after
	}
	return list(ctx, q.q, scanHit, query+` ORDER BY `+order+` LIMIT `+st.arg(limit), st.args...)
}

// walkPrices answers a price sort: by sorting every match when there are few,
// else group of price bands by group, then the products without a price.
// Groups are sized to the share of products that match, for a few pages each.
func (q *queries) walkPrices(ctx context.Context, qu Query, c *cursor, expr string, want int) ([]Hit, error) {
	var n int
	if err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM storefront_fts WHERE storefront_fts MATCH $1 LIMIT $2) x`,
		expr, countUpTo).Scan(&n); err != nil {
		return nil, err
	}
	if n < smallMatch {
		return q.sorted(ctx, qu, c, expr, want)
	}
	pl := priceList{qu.Currency, qu.Mode}
	inTail := c != nil && (c.Price == noPrice || c.Price == -1)
	var hits []Hit
	if !inTail {
		groups, err := q.bandGroups(ctx, qu, pl, c, n)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			found, err := q.sorted(ctx, qu, c, and(expr, oneOf("facets", g)), want-len(hits))
			if err != nil {
				return nil, err
			}
			if hits = append(hits, found...); len(hits) >= want {
				return hits, nil
			}
		}
	}
	if qu.MinPrice > 0 || qu.MaxPrice > 0 {
		return hits, nil // a price range needs a price
	}
	tc := c
	if !inTail {
		tc = nil
	}
	rest, err := q.sorted(ctx, qu, tc, `(`+expr+`) NOT (`+every("facets", []string{pricedFacet(pl)})+`)`, want-len(hits))
	return append(hits, rest...), err
}

// bandGroups lists the band facets to walk for a price sort, in its order and
// in groups: only bands that hold products, none before the cursor's, none
// above the price range's top. matches is how many products match, counted
// up to countUpTo.
func (q *queries) bandGroups(ctx context.Context, qu Query, pl priceList, c *cursor, matches int) ([][]string, error) {
	order := "ASC"
	if qu.Sort == ByPriceDesc {
		order = "DESC"
	}
	type band struct{ band, products int }
	bands, err := list(ctx, q.q, func(r scanner) (b band, err error) { return b, r.Scan(&b.band, &b.products) },
		`SELECT band, products FROM storefront_bands WHERE currency = $1 AND mode = $2 AND products > 0 ORDER BY band `+order, pl.Currency, pl.Mode)
	if err != nil {
		return nil, err
	}
	total := 0
	for _, b := range bands {
		total += b.products
	}
	// A group of size products holds about size*matches/total matches: make
	// that four pages' worth, and never less than bandGroup.
	size := max(bandGroup, 4*(qu.Limit+1)*total/max(matches, 1))
	var groups [][]string
	var group []string
	have := 0
	for _, b := range bands {
		if c != nil && (qu.Sort == ByPriceAsc && b.band < priceBand(c.Price) || qu.Sort == ByPriceDesc && b.band > priceBand(c.Price)) {
			continue
		}
		if qu.MaxPrice > 0 && b.band > priceBand(qu.MaxPrice) {
			continue
		}
		group = append(group, bandFacet(pl, b.band))
		if have += b.products; have >= size {
			groups, group, have = append(groups, group), nil, 0
		}
	}
	if len(group) > 0 {
		groups = append(groups, group)
	}
	return groups, nil
}
