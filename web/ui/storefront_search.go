package ui

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
)

// searchView is the search page, and a category's page.
type searchView struct {
	Action   string            // where the filter form sends its query
	Category *catalog.Category // the category of a category's page
	Heading  string
	Text     string // the words searched for
	Seller   string // the seller whose products are listed, by name
	Cards    []productCard
	Next     string // the address of the next page; "" on the last
	First    string // the address of the first page, from the second on
	Filtered bool   // a filter or words narrow the results
	Failed   bool   // the filters could not be used: no results to show

	Types, Categories, Regions, Modes, Currencies, Sorts []option
}

// searchFields are the fields of the filter form, in its query.
var searchFields = []string{"q", "type", "category", "region", "billing", "min_price", "max_price", "currency", "sort", "seller"}

// sorts are the orders the search page offers.
var sorts = []store.Sort{store.ByRelevance, store.ByNewest, store.ByPriceAsc, store.ByPriceDesc}

// storefrontSearch is the search page: products on sale found by their words
// in either language and narrowed by the filters, a page at a time.
func (s *server) storefrontSearch(w http.ResponseWriter, r *http.Request, p *page) {
	s.showSearch(w, r, p, nil)
}

// showSearch runs the search of the page's query and shows its results;
// cat fixes the category of a category's page.
func (s *server) showSearch(w http.ResponseWriter, r *http.Request, p *page, cat *catalog.Category) {
	ctx := r.Context()
	regions, err := s.svc.Regions(ctx)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Form = newForm("search", r, searchFields...)
	p.Form.Values["cursor"] = r.FormValue("cursor") // no input of the form: its error shows above it
	v := searchView{Action: "/products", Heading: p.T("search.heading"), Category: cat, Text: p.Form.Values["q"]}
	if cat != nil {
		v.Action, v.Heading = "/categories/"+cat.Slug, p.Choose(cat.Name.EN, cat.Name.ZH)
		p.TitleText = v.Heading
		p.Form.Values["category"] = cat.Slug
	}
	v.offer(p, regions)
	p.Title = "search.title"
	show := func(status int) {
		v.Failed = status != http.StatusOK
		p.Data = v
		s.render(w, r, p, status, "products")
	}
	q, err := searchQuery(p.Form, regions)
	if err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	v.Filtered = !blank(q.Text, string(q.Type), q.Category, q.Region, string(q.Mode), q.SellerOrgID, p.Form.Values["min_price"], p.Form.Values["max_price"])
	res, err := s.svc.Search(ctx, q)
	var logos map[string]string
	if err == nil {
		logos, err = s.svc.Logos(ctx, hitIDs(res.Hits))
	}
	v.Cards = s.cards(p, res.Hits, logos)
	if err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	if q.SellerOrgID != "" && len(res.Hits) > 0 {
		v.Seller = res.Hits[0].SellerName
	}
	if res.Next != "" {
		v.Next = v.Action + "?" + pageQuery(p.Form, res.Next)
	}
	if q.Cursor != "" {
		v.First = v.Action + "?" + pageQuery(p.Form, "")
	}
	show(http.StatusOK)
}

// offer fills the choices of the filter form.
func (v *searchView) offer(p *page, regions []seller.Region) {
	v.Types = []option{{Value: "", Label: p.T("search.any_type")}}
	for _, t := range catalog.Types {
		v.Types = append(v.Types, option{Value: string(t), Label: p.TypeName(t)})
	}
	v.Categories = append([]option{{Value: "", Label: p.T("search.any_category")}}, categoryLinks(p)...)
	v.Regions = []option{{Value: "", Label: p.T("search.any_region")}}
	for _, r := range regions {
		v.Regions = append(v.Regions, option{Value: r.Code, Label: p.Choose(r.NameEN, r.NameZH)})
	}
	v.Modes = []option{{Value: "", Label: p.T("search.any_billing")}}
	for _, m := range catalog.BillingModes {
		v.Modes = append(v.Modes, option{Value: string(m), Label: p.T("mode." + string(m))})
	}
	for _, c := range planCurrencies {
		v.Currencies = append(v.Currencies, option{Value: string(c), Label: string(c)})
	}
	for _, s := range sorts {
		value := string(s)
		if s == store.ByRelevance {
			value = "" // the default: by relevance, which without words is the newest first
		}
		v.Sorts = append(v.Sorts, option{Value: value, Label: p.T("search.sort." + string(s))})
	}
}

// searchQuery reads the filter form into a query of the storefront.
//
// Errors: Invalid on "type", "category", "region", "billing", "currency",
// "min_price" or "max_price".
func searchQuery(f *form, regions []seller.Region) (store.Query, error) {
	v := f.Values
	q := store.Query{Text: v["q"], Type: catalog.Type(v["type"]), Category: v["category"], Region: v["region"],
		Mode: catalog.BillingMode(v["billing"]), SellerOrgID: v["seller"], Currency: money.CNY, Sort: store.Sort(v["sort"]), Cursor: v["cursor"]}
	if c := money.Currency(v["currency"]); c != "" {
		q.Currency = c
	}
	if _, ok := catalog.CategoryBySlug(q.Category); q.Category != "" && !ok {
		return q, fault.Field("category", "error.category_unknown", "choose a category from the list")
	}
	switch {
	case q.Type != "" && !q.Type.Valid():
		return q, fault.Field("type", "error.type_unknown", "choose a product type")
	case q.Region != "" && !slices.ContainsFunc(regions, func(r seller.Region) bool { return r.Code == q.Region }):
		return q, fault.Field("region", "error.region_unknown", "choose a region from the list")
	case q.Mode != "" && !q.Mode.Valid():
		return q, fault.Field("billing", "error.billing_mode", "choose a billing mode from the list")
	case !slices.Contains(planCurrencies, q.Currency):
		return q, fault.Field("currency", "error.currency_unsupported", "choose CNY or USD")
	}
	var err error
	if q.MinPrice, err = priceBound(v["min_price"], "min_price", q.Currency); err != nil {
		return q, err
	}
	q.MaxPrice, err = priceBound(v["max_price"], "max_price", q.Currency)
	return q, err
}

// priceBound reads a bound of the price range, in minor units; empty is no
// bound (0).
//
// Errors: Invalid on field.
func priceBound(s, field string, c money.Currency) (int64, error) {
	if s == "" {
		return 0, nil
	}
	a, err := money.Parse(s, c)
	switch {
	case err != nil:
		return 0, fault.Field(field, "error.amount_format", "enter an amount such as 199.00, with at most two decimals and no separators")
	case a.IsNegative():
		return 0, fault.Field(field, "error.price_bound", "enter an amount of zero or more")
	}
	return a.Minor, nil
}

// pageQuery is the form's query with the cursor of a page ("" for the first).
func pageQuery(f *form, cursor string) string {
	q := url.Values{}
	for _, name := range searchFields {
		if v := f.Values[name]; v != "" {
			q.Set(name, v)
		}
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	return q.Encode()
}

// urlQuery encodes one name and value as a query.
func urlQuery(name, value string) string { return url.Values{name: {value}}.Encode() }
