package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/search"
)

// Search orders, the same on both engines (docs/catalogue.md):
//
//   - newest: by search key, descending (the order products went on sale);
//   - relevance: by bucket — 2 when every query token is in the name, 1 when
//     some are, 0 when none are — then newest;
//   - price_asc: by the lowest price in the query's currency, then product id;
//     products without a price in it last;
//   - price_desc: the reverse, products without a price in it still last.
//
// PostgreSQL answers every search with one statement (searchSQL). SQLite does
// too only for tests (Query.plain); otherwise it walks its full-text index in
// the order of the sort and stops after the page (searchIndex), so a search
// costs about a page of rows however many products match.

// cursor is where a page ended, in the order of its sort.
type cursor struct {
	Score int    `json:"s"`
	Price int64  `json:"p"` // the sort's price key (see priceKey)
	Key   int64  `json:"k"`
	ID    string `json:"i"`
}

// noPrice sorts products without a plan in the currency after the others.
const noPrice = int64(1) << 62

// Search finds storefront products of sellers allowed to sell.
//
// Errors: Invalid on "sort" or "cursor".
func (q *queries) Search(ctx context.Context, qu Query) (Page, error) {
	if qu.Limit <= 0 || qu.Limit > 100 {
		qu.Limit = 20
	}
	if qu.Currency == "" {
		qu.Currency = money.CNY
	}
	tokens := search.QueryTokens(qu.Text)
	if qu.Sort == "" {
		qu.Sort = ByNewest
		if len(tokens) > 0 {
			qu.Sort = ByRelevance
		}
	}
	if qu.Sort == ByRelevance && len(tokens) == 0 {
		qu.Sort = ByNewest // every product is as relevant as every other
	}
	switch qu.Sort {
	case ByRelevance, ByNewest, ByPriceAsc, ByPriceDesc:
	default:
		return Page{}, fault.Field("sort", "error.sort", "sort by relevance, newest, price_asc or price_desc")
	}
	var c *cursor
	if qu.Cursor != "" {
		c = new(cursor)
		raw, err := base64.RawURLEncoding.DecodeString(qu.Cursor)
		if err != nil || json.Unmarshal(raw, c) != nil {
			return Page{}, fault.Field("cursor", "error.cursor", "the cursor is not one this search gave: start again from the first page")
		}
	}
	var hits []Hit
	var err error
	indexed := q.engine == SQLite && !qu.plain
	if indexed {
		hits, err = q.searchIndex(ctx, qu, tokens, c) // with their plans
	} else {
		hits, err = q.searchSQL(ctx, qu, tokens, c)
	}
	if err != nil {
		return Page{}, fmt.Errorf("store: search: %w", err)
	}
	page := Page{Hits: hits}
	if len(hits) > qu.Limit {
		page.Hits = hits[:qu.Limit]
		last := page.Hits[len(page.Hits)-1]
		raw, _ := json.Marshal(cursor{Score: last.Score, Price: priceKey(qu.Sort, last.FromPrice.Minor), Key: last.key, ID: last.ProductID})
		page.Next = base64.RawURLEncoding.EncodeToString(raw)
	}
	priced(page.Hits, qu.Currency)
	if indexed {
		return page, nil
	}
	if err := q.cheapest(ctx, page.Hits, qu.Currency); err != nil {
		return Page{}, fmt.Errorf("store: search: %w", err)
	}
	return page, nil
}

// priceKey is what a price sort orders by: the lowest price, with noPrice
// becoming -1 when descending so that those products come last either way.
func priceKey(s Sort, price int64) int64 {
	if s == ByPriceDesc && price == noPrice {
		return -1
	}
	return price
}

// statement builds a statement's text and arguments together.
type statement struct {
	args []any
}

// arg binds v and returns its placeholder.
func (st *statement) arg(v any) string {
	st.args = append(st.args, v)
	return placeholder(len(st.args))
}

// hitColumns are a Hit's columns for scanHit, with the score given and the
// lowest price (noPrice when none) of the query's price list: in its currency,
// among the plans of its billing mode if it has one.
func hitColumns(score string, qu Query, st *statement) string {
	list := `p.currency = ` + st.arg(qu.Currency)
	if qu.Mode != "" {
		list += ` AND p.mode = ` + st.arg(qu.Mode)
	}
	return `s.product_id, s.seller_org_id, o.name, s.type, s.category, s.name_en, s.name_zh,
		s.summary_en, s.summary_zh, s.published_at, s.search_key, ` + score + ` AS score,
		COALESCE((SELECT MIN(p.price_minor) FROM storefront_plans p WHERE p.product_id = s.product_id AND ` + list + `), 4611686018427387904) AS price`
}

// hitSelect selects a Hit's columns, with the lowest price in the currency
// bound at $1.
var hitSelect = `SELECT ` + hitColumns("0", Query{}, &statement{args: []any{}})

func scanHit(row scanner) (h Hit, err error) {
	err = row.Scan(&h.ProductID, &h.SellerOrgID, &h.SellerName, &h.Type, &h.Category, &h.Name.EN, &h.Name.ZH,
		&h.Summary.EN, &h.Summary.ZH, &h.PublishedAt, &h.key, &h.Score, &h.FromPrice.Minor)
	return h, err
}

// sellerMaySell keeps storefront rows (alias s) of sellers allowed to sell:
// approved, not suspended.
const sellerMaySell = `EXISTS (SELECT 1 FROM seller_applications a WHERE a.org_id = s.seller_org_id AND a.state = 'approved')`

// conditions returns the WHERE conditions on storefront rows (alias s) of the
// query's filters other than its words: all of them, or (faceted false) only
// those the full-text index cannot answer.
func conditions(qu Query, st *statement, faceted bool) []string {
	where := []string{sellerMaySell}
	if faceted {
		if qu.Type != "" {
			where = append(where, `s.type = `+st.arg(qu.Type))
		}
		if qu.Category != "" {
			where = append(where, `s.category = `+st.arg(qu.Category))
		}
		if qu.SellerOrgID != "" {
			where = append(where, `s.seller_org_id = `+st.arg(qu.SellerOrgID))
		}
		if qu.Region != "" {
			where = append(where, `EXISTS (SELECT 1 FROM storefront_regions r WHERE r.product_id = s.product_id AND r.region = `+st.arg(qu.Region)+`)`)
		}
	}
	ranged := qu.MinPrice > 0 || qu.MaxPrice > 0
	if ranged || (faceted && qu.Mode != "") {
		cond := `EXISTS (SELECT 1 FROM storefront_plans p WHERE p.product_id = s.product_id`
		if qu.Mode != "" {
			cond += ` AND p.mode = ` + st.arg(qu.Mode)
		}
		if ranged {
			cond += ` AND p.currency = ` + st.arg(qu.Currency)
		}
		if qu.MinPrice > 0 {
			cond += ` AND p.price_minor >= ` + st.arg(qu.MinPrice)
		}
		if qu.MaxPrice > 0 {
			cond += ` AND p.price_minor <= ` + st.arg(qu.MaxPrice)
		}
		where = append(where, cond+`)`)
	}
	return where
}

// priceOrder is the ORDER BY of a price sort over columns price and id, and
// the condition (after) that keeps rows after cursor c.
func priceOrder(s Sort, st *statement, c *cursor, price, id string) (order, after string) {
	if s == ByPriceAsc {
		order = price + ` ASC, ` + id + ` ASC`
		if c != nil {
			p, i := st.arg(c.Price), st.arg(c.ID)
			after = `(` + price + ` > ` + p + ` OR (` + price + ` = ` + p + ` AND ` + id + ` > ` + i + `))`
		}
		return order, after
	}
	key := `(CASE WHEN ` + price + ` = 4611686018427387904 THEN -1 ELSE ` + price + ` END)`
	order = key + ` DESC, ` + id + ` DESC`
	if c != nil {
		p, i := st.arg(c.Price), st.arg(c.ID)
		after = `(` + key + ` < ` + p + ` OR (` + key + ` = ` + p + ` AND ` + id + ` < ` + i + `))`
	}
	return order, after
}

// searchSQL answers a search with one statement that finds every match and
// sorts them.
func (q *queries) searchSQL(ctx context.Context, qu Query, tokens []string, c *cursor) ([]Hit, error) {
	st := &statement{}
	score := "0"
	where := conditions(qu, st, true)
	if len(tokens) > 0 {
		where = append(where, q.matchCondition(tokens, st))
		var all, some []string
		for _, t := range tokens {
			holds := q.nameHolds(st.arg(" " + t + " "))
			all, some = append(all, holds), append(some, holds)
		}
		score = `CASE WHEN ` + strings.Join(all, " AND ") + ` THEN 2 WHEN ` + strings.Join(some, " OR ") + ` THEN 1 ELSE 0 END`
	}
	query := `SELECT * FROM (SELECT ` + hitColumns(score, qu, st) + `
		FROM storefront s JOIN orgs o ON o.id = s.seller_org_id
		WHERE ` + strings.Join(where, " AND ") + `) x`
	var order, after string
	switch qu.Sort {
	case ByRelevance:
		order = `score DESC, search_key DESC`
		if c != nil {
			s, k := st.arg(c.Score), st.arg(c.Key)
			after = `score < ` + s + ` OR (score = ` + s + ` AND search_key < ` + k + `)`
		}
	case ByNewest:
		order = `search_key DESC`
		if c != nil {
			after = `search_key < ` + st.arg(c.Key)
		}
	default:
		order, after = priceOrder(qu.Sort, st, c, "price", "product_id")
	}
	if after != "" {
		query += ` WHERE ` + after
	}
	query += ` ORDER BY ` + order + limit(qu.Limit+1)
	return list(ctx, q.q, scanHit, query, st.args...)
}
