package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// shop puts products on the storefront for a seller in the given state.
func shop(t *testing.T, st *store.Store, state seller.State, products ...catalog.Product) {
	t.Helper()
	ctx := context.Background()
	u, _ := mustUser(t, st, ids.New("u")+"@example.com")
	org := account.Org{ID: ids.New("org"), Kind: account.KindSeller, Name: "Seller " + string(state), CreatedAt: t0}
	err := st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrg(ctx, org); err != nil {
			return err
		}
		if err := tx.CreateApplication(ctx, seller.Record{ID: ids.New("app"), OrgID: org.ID, ApplicantID: u.ID, State: state, LegalName: org.Name, CreatedAt: t0}); err != nil {
			return err
		}
		for i, p := range products {
			p.SellerOrgID = org.ID
			e := catalog.Entry{ID: p.ID, SellerOrgID: org.ID, Type: p.Type, Listing: catalog.Listing{Live: &catalog.Revision{Number: 1, State: catalog.Published}}, CreatedAt: t0}
			if err := tx.CreateProduct(ctx, e, ""); err != nil {
				return err
			}
			if err := tx.PutOnStorefront(ctx, p, t0.Add(time.Duration(i)*time.Minute)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func plan(code string, mode catalog.BillingMode, minor int64, cur money.Currency) catalog.Plan {
	pl := catalog.Plan{Code: code, Mode: mode, Price: money.New(minor, cur), Active: true}
	if mode == catalog.PayPerUse {
		pl.Price = money.Amount{}
		pl.Usage = &catalog.UsagePrice{Unit: "GB", Tiers: []catalog.Tier{{UnitPrice: money.New(minor, cur)}}}
	}
	return pl
}

func product(id string, typ catalog.Type, en, zh, descEN, descZH, category string, regions []string, plans ...catalog.Plan) catalog.Product {
	return catalog.Product{ID: id, Type: typ, Name: catalog.Text{EN: en, ZH: zh}, Summary: catalog.Text{EN: en, ZH: zh},
		Description: catalog.Text{EN: descEN, ZH: descZH}, Category: category, Regions: regions, Plans: plans}
}

func TestSearchIsTheSameOnBothEngines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		shop(t, st, seller.Approved,
			product("p1-backup", catalog.TypeSaaS, "Lakeside DB Backup", "湖畔数据库备份", "Backup for PostgreSQL and MySQL: your data, kept safe", "为数据库提供自动备份", "database",
				[]string{"cn-north-4"}, plan("monthly", catalog.Monthly, 9900, money.CNY)),
			product("p2-waf", catalog.TypeImage, "Bluepeak WAF", "蓝峰Web应用防火墙", "A hardened web application firewall", "加固的Web应用防火墙镜像", "security",
				[]string{"cn-north-4", "cn-east-3"}, plan("usage", catalog.PayPerUse, 50, money.CNY), plan("yearly", catalog.Yearly, 99900, money.USD)),
			product("p3-migration", catalog.TypeService, "Data migration service", "数据迁移服务", "We move your data", "迁移您的数据", "migration",
				[]string{"cn-north-4"}, plan("once", catalog.OneTime, 500000, money.CNY)),
		)
		shop(t, st, seller.Suspended,
			product("p4-hidden", catalog.TypeSaaS, "Hidden data tool", "隐藏的数据工具", "never shown", "不显示", "database", []string{"cn-north-4"}, plan("m", catalog.Monthly, 100, money.CNY)))
		shop(t, st, seller.Draft,
			product("p5-draftseller", catalog.TypeSaaS, "Draft seller data", "草稿数据", "never shown", "不显示", "database", []string{"cn-north-4"}, plan("m", catalog.Monthly, 100, money.CNY)))
		tests := []struct {
			name string
			q    store.Query
			want []string
		}{
			{"a Chinese word", store.Query{Text: "数据", Sort: store.ByNewest}, []string{"p3-migration", "p1-backup"}},
			{"a three-character Chinese word", store.Query{Text: "数据库"}, []string{"p1-backup"}},
			{"one character", store.Query{Text: "墙"}, []string{"p2-waf"}},
			{"an English word, any case", store.Query{Text: "BACKUP"}, []string{"p1-backup"}},
			{"mixed languages", store.Query{Text: "WAF 防火墙"}, []string{"p2-waf"}},
			{"Latin inside Chinese", store.Query{Text: "web"}, []string{"p2-waf"}},
			{"words from the description", store.Query{Text: "PostgreSQL"}, []string{"p1-backup"}},
			{"no match", store.Query{Text: "kubernetes"}, nil},
			{"relevance: name matches first", store.Query{Text: "data"}, []string{"p3-migration", "p1-backup"}},
			{"region", store.Query{Region: "cn-east-3"}, []string{"p2-waf"}},
			{"billing mode", store.Query{Mode: catalog.PayPerUse}, []string{"p2-waf"}},
			{"type and category", store.Query{Type: catalog.TypeSaaS, Category: "database"}, []string{"p1-backup"}},
			{"price range in CNY", store.Query{MinPrice: 1, MaxPrice: 10000, Sort: store.ByPriceAsc}, []string{"p2-waf", "p1-backup"}},
			{"price range in USD", store.Query{Currency: money.USD, MinPrice: 1}, []string{"p2-waf"}},
			{"price ascending", store.Query{Sort: store.ByPriceAsc}, []string{"p2-waf", "p1-backup", "p3-migration"}},
			{"price descending", store.Query{Sort: store.ByPriceDesc}, []string{"p3-migration", "p1-backup", "p2-waf"}},
			{"newest: the order they went on sale", store.Query{}, []string{"p3-migration", "p2-waf", "p1-backup"}},
		}
		for _, tc := range tests {
			page, err := st.Search(ctx, tc.q)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			var got []string
			for _, h := range page.Hits {
				got = append(got, h.ProductID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
			// Page by page, one at a time, gives the same list.
			q := tc.q
			q.Limit = 1
			var paged []string
			for range 10 {
				page, err := st.Search(ctx, q)
				if err != nil {
					t.Fatalf("%s paged: %v", tc.name, err)
				}
				for _, h := range page.Hits {
					paged = append(paged, h.ProductID)
				}
				if page.Next == "" {
					break
				}
				q.Cursor = page.Next
			}
			if !slices.Equal(paged, tc.want) {
				t.Errorf("%s, page by page: %v, want %v", tc.name, paged, tc.want)
			}
		}
		page, _ := st.Search(ctx, store.Query{Text: "backup"})
		if h := page.Hits[0]; h.FromPrice != money.New(9900, money.CNY) || h.Name.ZH != "湖畔数据库备份" || h.SellerName != "Seller approved" {
			t.Errorf("hit %+v", h)
		}
		// Taking a product off the storefront takes it out of search.
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.TakeOffStorefront(ctx, "p1-backup") }); err != nil {
			t.Fatal(err)
		}
		if page, _ := st.Search(ctx, store.Query{Text: "数据库"}); len(page.Hits) != 0 {
			t.Errorf("found after removal: %+v", page.Hits)
		}
		if _, err := st.Search(ctx, store.Query{Cursor: "garbage!"}); err == nil {
			t.Error("a bad cursor was accepted")
		}
	})
}
