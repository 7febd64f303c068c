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

// sortUpTo is the most matches of a band group walkGroup sorts.
const sortUpTo = 100

// bandGroup is the fewest products (of all, before the filters) in the bands
// one walk of a price sort sorts.
const bandGroup = 1000

// searchIndex answers a search on SQLite through its full-text index and
// price lists. Its hits have their FromPrice (noPrice when none) and Cheapest.
func (q *queries) searchIndex(ctx context.Context, qu Query, tokens []string, c *cursor) ([]Hit, error) {
	facets := queryFacets(qu)
	want := qu.Limit + 1
	var hits []Hit
	switch qu.Sort {
	case ByNewest:
		found, err := q.walk(ctx, qu, c, match(tokens, facets), 0, want)
		if err != nil {
			return nil, err
		}
		hits = found
	case ByRelevance:
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
	default:
		found, err := q.walkPrices(ctx, qu, c, tokens, facets, want)
		if err != nil {
			return nil, err
		}
		if hits, err = q.load(ctx, found); err != nil {
			return nil, err
		}
	}
	return hits, q.plans(ctx, hits, qu.Currency, &priceList{qu.Currency, qu.Mode})
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

// cardColumns are a Hit's columns for scanCard (its prices come from plans),
// with the score given.
func cardColumns(score int) string {
	return `s.product_id, s.seller_org_id, o.name, s.type, s.category, s.name_en, s.name_zh,
		s.summary_en, s.summary_zh, s.published_at, s.search_key, ` + strconv.Itoa(score)
}

func scanCard(row scanner) (h Hit, err error) {
	err = row.Scan(&h.ProductID, &h.SellerOrgID, &h.SellerName, &h.Type, &h.Category, &h.Name.EN, &h.Name.ZH,
		&h.Summary.EN, &h.Summary.ZH, &h.PublishedAt, &h.key, &h.Score)
	return h, err
}

// limit is a LIMIT clause. Its number is written into the statement, not
// bound: SQLite's planner reads a bound LIMIT, so it prepares a statement
// again for each value bound there, which cost as much as running it.
func limit(n int) string { return ` LIMIT ` + strconv.Itoa(n) }

// walk returns up to n products matching expr, newest first, after the
// cursor's search key; score is their relevance bucket.
func (q *queries) walk(ctx context.Context, qu Query, c *cursor, expr string, score, n int) ([]Hit, error) {
	st := &statement{}
	where := append([]string{`f.storefront_fts MATCH ` + st.arg(expr)}, conditions(qu, st, false)...)
	if c != nil {
		where = append(where, `f.rowid < `+st.arg(c.Key))
	}
	return list(ctx, q.q, scanCard, `SELECT `+cardColumns(score)+`
		FROM storefront_fts f JOIN storefront s ON s.search_key = f.rowid JOIN orgs o ON o.id = s.seller_org_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY f.rowid DESC`+limit(n), st.args...)
}

// found is a product a price sort found: its search key, id and the sort's
// price (noPrice when it has none in the price list).
type found struct {
	key   int64
	id    string
	price int64
}

func scanFound(r scanner) (f found, err error) { return f, r.Scan(&f.key, &f.id, &f.price) }

// sorted returns up to n products matching expr in the order of the query's
// price sort, after the cursor: it sorts every match.
func (q *queries) sorted(ctx context.Context, qu Query, c *cursor, expr string, n int) ([]found, error) {
	st := &statement{}
	where := append([]string{`f.storefront_fts MATCH ` + st.arg(expr)}, conditions(qu, st, false)...)
	query := `SELECT * FROM (SELECT s.search_key AS search_key, s.product_id AS product_id,
			COALESCE(x.price, 4611686018427387904) AS price
		FROM storefront_fts f JOIN storefront s ON s.search_key = f.rowid
		LEFT JOIN storefront_prices x ON x.product_id = s.product_id AND x.currency = ` + st.arg(qu.Currency) + ` AND x.mode = ` + st.arg(qu.Mode) + `
		WHERE ` + strings.Join(where, " AND ") + `) x`
	order, after := priceOrder(qu.Sort, st, c, "price", "product_id")
	if after != "" {
		query += ` WHERE ` + after
	}
	return list(ctx, q.q, scanFound, query+` ORDER BY `+order+limit(n), st.args...)
}

// byPriceList reports whether a price sort walks the price list's index
// rather than the full-text index: when it has no words, and no filters
// that only the full-text index answers well (seller, region), nor a lowest
// price (a product whose lowest price is below it may have another plan in
// the range, so the walk could not start there).
func byPriceList(qu Query, tokens []string) bool {
	return len(tokens) == 0 && qu.SellerOrgID == "" && qu.Region == "" && qu.MinPrice == 0
}

// walkPrices answers a price sort: products with a price in the price list
// in its order, then those without one. Without words it walks the price
// list's index (walkPriceList); else it sorts every match when there are
// few, or walks the price bands group by group, sorting only each group's
// matches; groups are sized to the share of products that match, for a few
// pages each.
func (q *queries) walkPrices(ctx context.Context, qu Query, c *cursor, tokens []string, facets string, want int) ([]found, error) {
	expr := match(tokens, facets)
	pl := priceList{qu.Currency, qu.Mode}
	inTail := c != nil && (c.Price == noPrice || c.Price == -1)
	ranged := qu.MinPrice > 0 || qu.MaxPrice > 0
	var out []found
	if byPriceList(qu, tokens) {
		if !inTail {
			var err error
			if out, err = q.walkPriceList(ctx, qu, c, want); err != nil || len(out) >= want {
				return out, err
			}
		}
	} else {
		var n int
		if err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM storefront_fts WHERE storefront_fts MATCH $1`+limit(countUpTo)+`) x`,
			expr).Scan(&n); err != nil {
			return nil, err
		}
		if n < smallMatch {
			return q.sorted(ctx, qu, c, expr, want)
		}
		if !inTail {
			groups, err := q.bandGroups(ctx, qu, pl, c, n)
			if err != nil {
				return nil, err
			}
			for _, g := range groups {
				found, err := q.walkGroup(ctx, qu, c, and(expr, oneOf("facets", g.facets)), g, want-len(out))
				if err != nil {
					return nil, err
				}
				if out = append(out, found...); len(out) >= want {
					return out, nil
				}
			}
		}
	}
	if ranged {
		return out, nil // a price range needs a price
	}
	tc := c
	if !inTail {
		tc = nil
	}
	rest, err := q.sorted(ctx, qu, tc, `(`+expr+`) NOT (`+every("facets", []string{pricedFacet(pl)})+`)`, want-len(out))
	return append(out, rest...), err
}

// walkPriceList returns up to n products with a price in the query's price
// list, in the order of its price sort, after the cursor, walking the
// storefront_prices index of the query's category, else of its type, else of
// the whole list. Filters: see byPriceList; a billing mode is the price
// list's, and a top price (with no lowest) keeps exactly the products whose
// lowest price is at most it.
func (q *queries) walkPriceList(ctx context.Context, qu Query, c *cursor, n int) ([]found, error) {
	st := &statement{}
	index := "storefront_prices_order"
	where := []string{`x.currency = ` + st.arg(qu.Currency), `x.mode = ` + st.arg(qu.Mode)}
	switch {
	case qu.Category != "":
		index = "storefront_prices_category"
		where = append(where, `x.category = `+st.arg(qu.Category))
		if qu.Type != "" {
			where = append(where, `x.type = `+st.arg(qu.Type))
		}
	case qu.Type != "":
		index = "storefront_prices_type"
		where = append(where, `x.type = `+st.arg(qu.Type))
	}
	if qu.MaxPrice > 0 {
		where = append(where, `x.price <= `+st.arg(qu.MaxPrice))
	}
	order, cmp := `x.price ASC, x.product_id ASC`, `>`
	if qu.Sort == ByPriceDesc {
		order, cmp = `x.price DESC, x.product_id DESC`, `<`
	}
	if c != nil {
		where = append(where, `(x.price, x.product_id) `+cmp+` (`+st.arg(c.Price)+`, `+st.arg(c.ID)+`)`)
	}
	where = append(where, `EXISTS (SELECT 1 FROM seller_applications a WHERE a.org_id = x.seller_org_id AND a.state = 'approved')`)
	return list(ctx, q.q, scanFound, `SELECT x.search_key, x.product_id, x.price FROM storefront_prices x INDEXED BY `+index+`
		WHERE `+strings.Join(where, " AND ")+` ORDER BY `+order+limit(n), st.args...)
}

// walkGroup returns up to n products matching expr (the query's and a band
// group's) in the order of the price sort, after the cursor. It counts the
// matches first: a few it sorts; many it finds by walking the price list's
// index over the group's prices, keeping the matches, which it stops after
// the page: sorting them all would read every one.
func (q *queries) walkGroup(ctx context.Context, qu Query, c *cursor, expr string, g bandRun, n int) ([]found, error) {
	var m int
	if err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM storefront_fts WHERE storefront_fts MATCH $1`+limit(sortUpTo+1)+`) x`,
		expr).Scan(&m); err != nil || m == 0 {
		return nil, err
	}
	st := &statement{}
	where := []string{`s.currency = ` + st.arg(qu.Currency), `s.mode = ` + st.arg(qu.Mode)}
	order, cmp := `s.price ASC, s.product_id ASC`, `>`
	if qu.Sort == ByPriceDesc {
		order, cmp = `s.price DESC, s.product_id DESC`, `<`
	}
	if c != nil {
		where = append(where, `(s.price, s.product_id) `+cmp+` (`+st.arg(c.Price)+`, `+st.arg(c.ID)+`)`)
	}
	if qu.MaxPrice > 0 {
		where = append(where, `s.price <= `+st.arg(qu.MaxPrice)) // the lowest price is at most any in the range
	}
	var from string
	if m <= sortUpTo {
		from = `storefront_fts f CROSS JOIN storefront_prices s INDEXED BY storefront_prices_key ON s.currency = $1 AND s.mode = $2 AND s.search_key = f.rowid` // CROSS: the matches outside, not a full-text lookup per price
		where = append(where, `f.storefront_fts MATCH `+st.arg(expr))
	} else {
		from = `storefront_prices s INDEXED BY storefront_prices_order`
		where = append(where, `s.price >= `+st.arg(bandLow(g.low)), `s.price < `+st.arg(bandLow(g.high+1)),
			`s.search_key IN (SELECT rowid FROM storefront_fts WHERE storefront_fts MATCH `+st.arg(expr)+`)`)
	}
	where = append(where, conditions(qu, st, false)...)
	return list(ctx, q.q, scanFound, `SELECT s.search_key, s.product_id, s.price FROM `+from+`
		WHERE `+strings.Join(where, " AND ")+` ORDER BY `+order+limit(n), st.args...)
}

// bandLow is the lowest price in a band (or above: bands skip some numbers).
func bandLow(band int) int64 {
	lo, hi := int64(0), int64(1)<<62
	for lo < hi {
		mid := lo + (hi-lo)/2
		if priceBand(mid) >= band {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// load returns the hits of the products found, in their order (without
// those gone since).
func (q *queries) load(ctx context.Context, found []found) ([]Hit, error) {
	if len(found) == 0 {
		return nil, nil
	}
	st := &statement{}
	marks := make([]string, len(found))
	for i, f := range found {
		marks[i] = st.arg(f.key)
	}
	cards, err := list(ctx, q.q, scanCard, `SELECT `+cardColumns(0)+`
		FROM storefront s JOIN orgs o ON o.id = s.seller_org_id
		WHERE s.search_key IN (`+strings.Join(marks, ", ")+`)`, st.args...)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(cards))
	for i, h := range cards {
		at[h.key] = i
	}
	hits := make([]Hit, 0, len(found))
	for _, f := range found {
		if i, ok := at[f.key]; ok {
			hits = append(hits, cards[i])
		}
	}
	return hits, nil
}

// bandRun is a group of adjacent price bands a price sort walks at once:
// their facets, and the lowest and highest band.
type bandRun struct {
	facets    []string
	low, high int
}

// bandGroups lists the band facets to walk for a price sort, in its order and
// in groups: only bands that hold products, none before the cursor's, none
// above the price range's top. matches is how many products match, counted
// up to countUpTo.
func (q *queries) bandGroups(ctx context.Context, qu Query, pl priceList, c *cursor, matches int) ([]bandRun, error) {
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
	var groups []bandRun
	var group bandRun
	have := 0
	for _, b := range bands {
		if c != nil && (qu.Sort == ByPriceAsc && b.band < priceBand(c.Price) || qu.Sort == ByPriceDesc && b.band > priceBand(c.Price)) {
			continue
		}
		if qu.MaxPrice > 0 && b.band > priceBand(qu.MaxPrice) {
			continue
		}
		if len(group.facets) == 0 {
			group.low, group.high = b.band, b.band
		}
		group.facets = append(group.facets, bandFacet(pl, b.band))
		group.low, group.high = min(group.low, b.band), max(group.high, b.band)
		if have += b.products; have >= size {
			groups, group, have = append(groups, group), bandRun{}, 0
		}
	}
	if len(group.facets) > 0 {
		groups = append(groups, group)
	}
	return groups, nil
}
