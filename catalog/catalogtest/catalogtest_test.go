package catalogtest_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/catalog/catalogtest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/search"
)

var regions = []string{"cn-north-4", "cn-east-3", "ap-southeast-1", "ap-southeast-3", "eu-west-101", "af-south-1", "la-south-2"}

func TestProductsPassReview(t *testing.T) {
	g := catalogtest.New(catalogtest.Config{Seed: 1, Regions: regions})
	sellers := map[string]catalogtest.Seller{}
	for _, s := range g.Sellers() {
		sellers[s.OrgID] = s
	}
	types := map[catalog.Type]int{}
	currencies := map[money.Currency]int{}
	modes := map[catalog.BillingMode]int{}
	ids := map[string]bool{}
	tokens := map[string]bool{}
	var last time.Time
	for _, l := range g.Products(0, 3000) {
		p := l.Product
		if err := p.Validate(regions); err != nil {
			t.Fatalf("%s (%s): %v", p.Name.EN, p.Type, err)
		}
		s, ok := sellers[p.SellerOrgID]
		if !ok || !slices.Contains(s.Offerings, p.Type) {
			t.Fatalf("%s: seller %q does not offer %s", p.ID, p.SellerOrgID, p.Type)
		}
		for _, r := range p.Regions {
			if !slices.Contains(s.Regions, r) {
				t.Fatalf("%s: sold in %s, which its seller does not serve", p.ID, r)
			}
		}
		if ids[p.ID] || !strings.HasPrefix(p.ID, "prd_") {
			t.Fatalf("id %q repeated or malformed", p.ID)
		}
		ids[p.ID] = true
		// Product i was published in its interval, after the ones before it.
		from := catalogtest.Start.Add(time.Duration(len(ids)-1) * catalogtest.PublishInterval)
		if l.PublishedAt.Before(from) || !l.PublishedAt.Before(from.Add(catalogtest.PublishInterval)) || !l.PublishedAt.After(last) {
			t.Fatalf("product %d published at %v, after %v", len(ids)-1, l.PublishedAt, last)
		}
		last = l.PublishedAt
		types[p.Type]++
		for _, pl := range p.Plans {
			currencies[pl.Currency()]++
			modes[pl.Mode]++
		}
		for _, tok := range search.IndexTokens(p.Name.EN + " " + p.Name.ZH + " " + p.Description.EN + " " + p.Description.ZH) {
			tokens[tok] = true
		}
	}
	for _, typ := range catalog.Types {
		if types[typ] < 300 {
			t.Errorf("only %d products of type %s", types[typ], typ)
		}
	}
	for _, m := range catalog.BillingModes {
		if modes[m] < 100 {
			t.Errorf("only %d plans %s", modes[m], m)
		}
	}
	if currencies[money.CNY] < 1000 || currencies[money.USD] < 300 {
		t.Errorf("currencies %v", currencies)
	}
	// Every word of the search mix finds something.
	for _, w := range append(slices.Clone(catalogtest.WordsZH), catalogtest.WordsEN...) {
		for _, tok := range search.QueryTokens(w) {
			if !tokens[tok] {
				t.Errorf("search word %q (token %q) occurs in no product", w, tok)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := catalogtest.New(catalogtest.Config{Seed: 7, Regions: regions})
	b := catalogtest.New(catalogtest.Config{Seed: 7, Regions: regions})
	if !reflect.DeepEqual(a.Sellers(), b.Sellers()) {
		t.Fatal("sellers differ for one seed")
	}
	// Product i is the same whatever was generated before it.
	whole := a.Products(0, 50)
	if !reflect.DeepEqual(whole[40:], b.Products(40, 50)) {
		t.Fatal("products differ for one seed")
	}
	if c := catalogtest.New(catalogtest.Config{Seed: 8, Regions: regions}); reflect.DeepEqual(c.Products(0, 5), a.Products(0, 5)) {
		t.Fatal("another seed gave the same products")
	}
	if !reflect.DeepEqual(catalogtest.Searches(3, 40, regions), catalogtest.Searches(3, 40, regions)) {
		t.Fatal("searches differ for one seed")
	}
}

func TestSearchesHaveTwoFilters(t *testing.T) {
	for _, s := range catalogtest.Searches(1, 400, regions) {
		n := 0
		for _, set := range []bool{s.Text != "", s.Type != "", s.Category != "", s.Region != "", s.Billing != "", s.MinPrice > 0 || s.MaxPrice > 0} {
			if set {
				n++
			}
		}
		if n != 2 || s.Sort == "" {
			t.Fatalf("%+v: %d filters", s, n)
		}
	}
}
