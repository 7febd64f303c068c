package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/catalog/catalogtest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// TestSearchWalksAgree checks SQLite's index walks (newest, relevance by
// bucket, price sorts band group by band group) against one plain SQL
// statement on SQLite and against PostgreSQL, page by page, on a generated
// catalogue large enough for every path: more matches than are simply
// sorted, several band groups, products without a price in the currency.
func TestSearchWalksAgree(t *testing.T) {
	const products = 2500
	lite := storetest.Open(t, store.SQLite)
	bulkLoad(t, lite, 11, 0, products)
	searches := catalogtest.Searches(11, 160, regionCodes())
	extra := []catalogtest.Search{
		{Sort: "newest"}, {Sort: "price_asc"}, {Sort: "price_desc"},
		{Currency: money.USD, Sort: "price_asc"}, {Currency: money.USD, Sort: "price_desc"},
		{Text: "cloud database", Sort: "relevance"}, {Text: "数据 安全"}, {Text: "data 数据"},
		{Text: "cloud", Currency: money.USD, Sort: "price_desc"}, {Text: "数据", Sort: "price_asc"},
		// Price sorts that walk a price list's index: of a category, of a
		// type, of both, of all; with a billing mode (pay-per-use prices tie
		// a lot), a top price, in USD.
		{Category: "security", Billing: catalog.Monthly, Sort: "price_asc"},
		{Category: "security", Billing: catalog.Monthly, Sort: "price_desc"},
		{Type: catalog.TypeSaaS, Sort: "price_desc"}, {Type: catalog.TypeImage, Sort: "price_asc"},
		{Category: "database", Type: catalog.TypeLicense, Sort: "price_asc"},
		{Billing: catalog.PayPerUse, Sort: "price_asc"}, {Billing: catalog.PayPerUse, Sort: "price_desc"},
		{Category: "ai", Currency: money.CNY, MaxPrice: 100000, Sort: "price_desc"},
		{Category: "devops", Billing: catalog.OneTime, Currency: money.USD, MaxPrice: 50000, Sort: "price_asc"},
		{Type: catalog.TypeService, Currency: money.USD, MaxPrice: 200000, Sort: "price_asc"},
		// and through the full-text index: a region, a lowest price.
		{Region: "cn-east-3", Sort: "price_asc"}, {Category: "storage", Currency: money.CNY, MinPrice: 50000, Sort: "price_desc"},
	}
	wants := make([][]string, 0, len(searches)+len(extra))
	for _, s := range append(extra, searches...) {
		q := queryOf(s)
		q.Limit = 9
		want := allPages(t, lite, store.Plain(q))
		if got := allPages(t, lite, q); !slices.Equal(got, want) {
			t.Errorf("%+v: SQLite's walk found %d %v…, one statement %d %v…", s, len(got), head(got), len(want), head(want))
		}
		wants = append(wants, want)
	}
	if !t.Failed() {
		storetest.Ran[store.SQLite].Add(1)
	}
	t.Run("postgres", func(t *testing.T) {
		pg := storetest.Open(t, store.Postgres)
		bulkLoad(t, pg, 11, 0, products)
		for i, s := range append(extra, searches...) {
			q := queryOf(s)
			q.Limit = 9
			if got := allPages(t, pg, q); !slices.Equal(got, wants[i]) {
				t.Errorf("%+v: PostgreSQL found %d %v…, SQLite %d %v…", s, len(got), head(got), len(wants[i]), head(wants[i]))
			}
		}
		if !t.Failed() {
			storetest.Ran[store.Postgres].Add(1)
		}
	})
}

// allPages follows a search's cursors to the end (at most 40 pages).
func allPages(t *testing.T, st *store.Store, q store.Query) []string {
	t.Helper()
	var ids []string
	for range 40 {
		page, err := st.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		for _, h := range page.Hits {
			ids = append(ids, h.ProductID)
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	return ids
}

func head(ids []string) []string { return ids[:min(len(ids), 4)] }
