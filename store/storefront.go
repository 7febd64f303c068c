package store

import (
	"context"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
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
	key, err := tx.nextSearchKey(ctx)
	if err != nil {
		return err
	}
	if _, err := tx.q.ExecContext(ctx, `
		INSERT INTO storefront (product_id, seller_org_id, type, category, name_en, name_zh, summary_en, summary_zh,
			name_tokens, search_text, published_at, search_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		p.ID, p.SellerOrgID, p.Type, p.Category, p.Name.EN, p.Name.ZH, p.Summary.EN, p.Summary.ZH, names, doc, publishedAt, key); err != nil {
		return err
	}
	for _, r := range p.Regions {
		if _, err := tx.q.ExecContext(ctx, `INSERT INTO storefront_regions (product_id, region) VALUES ($1, $2)`, p.ID, r); err != nil {
			return err
		}
	}
	plans := shelfPrices(p)
	for _, pl := range plans {
		if _, err := tx.q.ExecContext(ctx, `
			INSERT INTO storefront_plans (product_id, code, mode, currency, price_minor, unit) VALUES ($1, $2, $3, $4, $5, $6)`,
			p.ID, pl.Code, pl.Mode, pl.Price.Currency, pl.Price.Minor, pl.Unit); err != nil {
			return err
		}
	}
	sh := shelf{Type: p.Type, Category: p.Category, Seller: p.SellerOrgID, Regions: p.Regions, Plans: plans}
	if err := tx.indexSearch(ctx, key, names, doc, sh); err != nil {
		return err
	}
	return tx.shelvePrices(ctx, p.ID, key, sh)
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

	plain bool // answer with one SQL statement on SQLite too (tests compare)
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
	Score       int          // relevance bucket: 2 every word in the name, 1 some, 0 none
	// Cheapest is the plan a card shows: the cheapest in the query's currency,
	// else in CNY, else in USD, else in any; zero when the product has none.
	Cheapest PlanPrice

	key int64 // the storefront row's search key: the newest order
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

// cheapest fills in each hit's Cheapest plan, in one query for the page.
func (q *queries) cheapest(ctx context.Context, hits []Hit, want money.Currency) error {
	return q.plans(ctx, hits, want, nil)
}

// plans fills in each hit's Cheapest plan (the cheapest in currency want,
// else in CNY, else in USD, else in any) and, when from is not nil, its
// FromPrice: the lowest price in that price list, noPrice when it has none.
// One query for the page.
func (q *queries) plans(ctx context.Context, hits []Hit, want money.Currency, from *priceList) error {
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
		if from != nil {
			hits[i].FromPrice.Minor = noPrice
		}
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
		if from != nil && r.Price.Currency == from.Currency && (from.Mode == "" || r.Mode == from.Mode) && r.Price.Minor < hits[i].FromPrice.Minor {
			hits[i].FromPrice.Minor = r.Price.Minor
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

// OnStorefront reports whether the product is on the storefront and its
// seller may sell.
func (q *queries) OnStorefront(ctx context.Context, productID string) (bool, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM storefront s WHERE s.product_id = $1 AND `+sellerMaySell, productID).Scan(&n)
	return n > 0, err
}
