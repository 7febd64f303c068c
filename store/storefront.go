package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/search"
)

// PutOnStorefront makes a product's published content what buyers browse and
// search, replacing what was there.
func (tx *Tx) PutOnStorefront(ctx context.Context, p catalog.Product, publishedAt time.Time) error {
	if err := tx.TakeOffStorefront(ctx, p.ID); err != nil {
		return err
	}
	doc := search.Document(p.Name.EN, p.Name.ZH, p.Summary.EN, p.Summary.ZH, p.Description.EN, p.Description.ZH)
	names := " " + strings.Join(search.IndexTokens(p.Name.EN+" "+p.Name.ZH), " ") + " "
	if _, err := tx.q.ExecContext(ctx, `
		INSERT INTO storefront (product_id, seller_org_id, type, category, name_en, name_zh, summary_en, summary_zh,
			name_tokens, search_text, published_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		p.ID, p.SellerOrgID, p.Type, p.Category, p.Name.EN, p.Name.ZH, p.Summary.EN, p.Summary.ZH, names, doc, publishedAt); err != nil {
		return err
	}
	for _, r := range p.Regions {
		if _, err := tx.q.ExecContext(ctx, `INSERT INTO storefront_regions (product_id, region) VALUES ($1, $2)`, p.ID, r); err != nil {
			return err
		}
	}
	for _, pl := range p.Plans {
		price, ok := pl.ListPrice()
		if !pl.Active || !ok {
			continue
		}
		if _, err := tx.q.ExecContext(ctx, `
			INSERT INTO storefront_plans (product_id, code, mode, currency, price_minor, unit) VALUES ($1, $2, $3, $4, $5, $6)`,
			p.ID, pl.Code, pl.Mode, price.Currency, price.Minor, pl.Unit()); err != nil {
			return err
		}
	}
	return tx.indexSearch(ctx, p.ID, doc)
}

// TakeOffStorefront removes a product from browsing and search.
func (tx *Tx) TakeOffStorefront(ctx context.Context, productID string) error {
	if err := tx.unindexSearch(ctx, productID); err != nil {
		return err
	}
	for _, stmt := range []string{
		`DELETE FROM storefront_plans WHERE product_id = $1`,
		`DELETE FROM storefront_regions WHERE product_id = $1`,
		`DELETE FROM storefront WHERE product_id = $1`,
	} {
		if _, err := tx.q.ExecContext(ctx, stmt, productID); err != nil {
			return err
		}
	}
	return nil
}

// Sort orders search results.
type Sort string

const (
	ByRelevance Sort = "relevance" // products with the words in their name first, then newest
	ByNewest    Sort = "newest"
	ByPriceAsc  Sort = "price_asc"  // lowest "from" price in the query's currency first
	ByPriceDesc Sort = "price_desc" // highest first
)

// Query selects storefront products. Zero fields select all.
type Query struct {
	Text        string // words to find in names, summaries and descriptions, in any language
	Type        catalog.Type
	Category    string
	Region      string
	Mode        catalog.BillingMode
	SellerOrgID string
	Currency    money.Currency // of the price range and price sorts; CNY if empty
	MinPrice    int64          // minor units; a plan at or above (0: no bound)
	MaxPrice    int64          // minor units; a plan at or below (0: no bound)
	Sort        Sort
	Cursor      string // from the previous page's Next
	Limit       int    // 1–100, default 20
}

// Hit is one product found.
type Hit struct {
	ProductID   string
	SellerOrgID string
	SellerName  string
	Type        catalog.Type
	Category    string
	Name        catalog.Text
	Summary     catalog.Text
	PublishedAt time.Time
	FromPrice   money.Amount // the lowest price in the query's currency; Minor -1 when none
	Score       int
	// Cheapest is the plan a card shows: the cheapest in the query's currency,
	// else in CNY, else in USD, else in any; zero when the product has none.
	Cheapest PlanPrice
}

// PlanPrice is a plan's list price with its billing mode (and usage unit).
type PlanPrice struct {
	Mode  catalog.BillingMode
	Unit  string
	Price money.Amount
}

// Page is a page of hits and the cursor of the next one ("" at the end).
type Page struct {
	Hits []Hit
	Next string
}

// cursor is where a page ended, in the order of its sort.
type cursor struct {
	Score int       `json:"s"`
	Price int64     `json:"p"`
	At    time.Time `json:"a"`
	ID    string    `json:"i"`
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
	if qu.Sort == "" {
		qu.Sort = ByNewest
		if strings.TrimSpace(qu.Text) != "" {
			qu.Sort = ByRelevance
		}
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return placeholder(len(args)) }
	tokens := search.QueryTokens(qu.Text)
	score := "0"
	var where []string
	where = append(where, sellerMaySell)
	if len(tokens) > 0 {
		args = append(args, nil)
		cond, v := q.matchCondition(tokens, len(args))
		args[len(args)-1] = v
		where = append(where, cond)
		var parts []string
		for _, t := range tokens {
			parts = append(parts, `CASE WHEN `+q.nameHolds(arg(" "+t+" "))+` THEN 2 ELSE 0 END`)
		}
		score = strings.Join(parts, " + ")
	}
	if qu.Type != "" {
		where = append(where, `s.type = `+arg(qu.Type))
	}
	if qu.Category != "" {
		where = append(where, `s.category = `+arg(qu.Category))
	}
	if qu.SellerOrgID != "" {
		where = append(where, `s.seller_org_id = `+arg(qu.SellerOrgID))
	}
	if qu.Region != "" {
		where = append(where, `EXISTS (SELECT 1 FROM storefront_regions r WHERE r.product_id = s.product_id AND r.region = `+arg(qu.Region)+`)`)
	}
	cur := arg(qu.Currency)
	if qu.Mode != "" || qu.MinPrice > 0 || qu.MaxPrice > 0 {
		cond := `EXISTS (SELECT 1 FROM storefront_plans p WHERE p.product_id = s.product_id`
		if qu.Mode != "" {
			cond += ` AND p.mode = ` + arg(qu.Mode)
		}
		if qu.MinPrice > 0 || qu.MaxPrice > 0 {
			cond += ` AND p.currency = ` + cur
		}
		if qu.MinPrice > 0 {
			cond += ` AND p.price_minor >= ` + arg(qu.MinPrice)
		}
		if qu.MaxPrice > 0 {
			cond += ` AND p.price_minor <= ` + arg(qu.MaxPrice)
		}
		where = append(where, cond+`)`)
	}
	inner := `SELECT s.product_id, s.seller_org_id, o.name AS seller_name, s.type, s.category, s.name_en, s.name_zh,
			s.summary_en, s.summary_zh, s.published_at, (` + score + `) AS score,
			COALESCE((SELECT MIN(p.price_minor) FROM storefront_plans p WHERE p.product_id = s.product_id AND p.currency = ` + cur + `), ` + arg(noPrice) + `) AS price
		FROM storefront s JOIN orgs o ON o.id = s.seller_org_id
		WHERE ` + strings.Join(where, " AND ")
	var after, order string
	var c cursor
	if qu.Cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(qu.Cursor)
		if err != nil || json.Unmarshal(raw, &c) != nil {
			return Page{}, fault.Field("cursor", "error.cursor", "the cursor is not one this search gave: start again from the first page")
		}
	}
	switch qu.Sort {
	case ByRelevance:
		order = `score DESC, published_at DESC, product_id DESC`
		if qu.Cursor != "" {
			s, a, i := arg(c.Score), arg(c.At), arg(c.ID)
			after = `score < ` + s + ` OR (score = ` + s + ` AND (published_at < ` + a + ` OR (published_at = ` + a + ` AND product_id < ` + i + `)))`
		}
	case ByNewest:
		order = `published_at DESC, product_id DESC`
		if qu.Cursor != "" {
			a, i := arg(c.At), arg(c.ID)
			after = `published_at < ` + a + ` OR (published_at = ` + a + ` AND product_id < ` + i + `)`
		}
	case ByPriceAsc:
		order = `price ASC, product_id ASC`
		if qu.Cursor != "" {
			p, i := arg(c.Price), arg(c.ID)
			after = `price > ` + p + ` OR (price = ` + p + ` AND product_id > ` + i + `)`
		}
	case ByPriceDesc:
		// Products without a price in the currency come last here too.
		order = `(CASE WHEN price = ` + arg(noPrice) + ` THEN -1 ELSE price END) DESC, product_id DESC`
		if qu.Cursor != "" {
			p, i := arg(c.Price), arg(c.ID)
			key := `(CASE WHEN price = ` + arg(noPrice) + ` THEN -1 ELSE price END)`
			after = key + ` < ` + p + ` OR (` + key + ` = ` + p + ` AND product_id < ` + i + `)`
		}
	default:
		return Page{}, fault.Field("sort", "error.sort", "sort by relevance, newest, price_asc or price_desc")
	}
	query := `SELECT * FROM (` + inner + `) x`
	if after != "" {
		query += ` WHERE ` + after
	}
	query += ` ORDER BY ` + order + ` LIMIT ` + arg(qu.Limit+1)
	hits, err := list(ctx, q.q, scanHit, query, args...)
	if err != nil {
		return Page{}, fmt.Errorf("store: search: %w", err)
	}
	page := Page{Hits: hits}
	if len(hits) > qu.Limit {
		page.Hits = hits[:qu.Limit]
		last := page.Hits[len(page.Hits)-1]
		price := last.FromPrice.Minor
		if qu.Sort == ByPriceDesc && price == noPrice {
			price = -1
		}
		raw, _ := json.Marshal(cursor{Score: last.Score, Price: price, At: last.PublishedAt, ID: last.ProductID})
		page.Next = base64.RawURLEncoding.EncodeToString(raw)
	}
	priced(page.Hits, qu.Currency)
	return page, q.cheapest(ctx, page.Hits, qu.Currency)
}

// cheapest fills in each hit's Cheapest plan, in one query for the page.
func (q *queries) cheapest(ctx context.Context, hits []Hit, want money.Currency) error {
	if len(hits) == 0 {
		return nil
	}
	var marks []string
	args := []any{}
	at := map[string]int{}
	for i, h := range hits {
		args = append(args, h.ProductID)
		marks = append(marks, placeholder(len(args)))
		at[h.ProductID] = i
	}
	type row struct {
		id string
		PlanPrice
	}
	rows, err := list(ctx, q.q, func(r scanner) (x row, err error) {
		err = r.Scan(&x.id, &x.Mode, &x.Price.Currency, &x.Price.Minor, &x.Unit)
		return x, err
	}, `SELECT product_id, mode, currency, price_minor, unit FROM storefront_plans
		WHERE product_id IN (`+strings.Join(marks, ", ")+`) ORDER BY product_id, price_minor, code`, args...)
	if err != nil {
		return err
	}
	rank := func(c money.Currency) int {
		switch c {
		case want:
			return 0
		case money.CNY:
			return 1
		case money.USD:
			return 2
		}
		return 3
	}
	best := map[string]int{}
	for _, r := range rows { // cheapest first within a product: the first of the best currency wins
		i := at[r.id]
		if b, ok := best[r.id]; !ok || rank(r.Price.Currency) < b {
			best[r.id] = rank(r.Price.Currency)
			hits[i].Cheapest = r.PlanPrice
		}
	}
	return nil
}

// priced gives hits their price's currency, and -1 where they have no plan in it.
func priced(hits []Hit, c money.Currency) {
	for i := range hits {
		hits[i].FromPrice.Currency = c
		if hits[i].FromPrice.Minor == noPrice {
			hits[i].FromPrice.Minor = -1
		}
	}
}

// sellerMaySell keeps storefront rows (alias s) of sellers allowed to sell:
// approved, not suspended.
const sellerMaySell = `EXISTS (SELECT 1 FROM seller_applications a WHERE a.org_id = s.seller_org_id AND a.state = 'approved')`

// hitSelect selects a Hit's columns, with the lowest price in the currency
// bound at $1 (noPrice when none).
const hitSelect = `SELECT s.product_id, s.seller_org_id, o.name, s.type, s.category, s.name_en, s.name_zh,
	s.summary_en, s.summary_zh, s.published_at, 0,
	COALESCE((SELECT MIN(p.price_minor) FROM storefront_plans p WHERE p.product_id = s.product_id AND p.currency = $1), 4611686018427387904)`

func scanHit(row scanner) (h Hit, err error) {
	err = row.Scan(&h.ProductID, &h.SellerOrgID, &h.SellerName, &h.Type, &h.Category, &h.Name.EN, &h.Name.ZH,
		&h.Summary.EN, &h.Summary.ZH, &h.PublishedAt, &h.Score, &h.FromPrice.Minor)
	return h, err
}

// OnStorefront reports whether the product is on the storefront and its
// seller may sell.
func (q *queries) OnStorefront(ctx context.Context, productID string) (bool, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM storefront s WHERE s.product_id = $1 AND `+sellerMaySell, productID).Scan(&n)
	return n > 0, err
}
