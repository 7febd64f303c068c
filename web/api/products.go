package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
)

// Category is a shelf of the storefront.
type Category struct {
	Slug string `json:"slug" example:"storage"`
	Name Texts  `json:"name"`
}

// ProductHit is a product on sale as lists show it.
type ProductHit struct {
	ID          string    `json:"id"`
	Type        string    `json:"type" enum:"image,saas,license,professional_service"`
	Category    string    `json:"category" example:"storage"`
	Name        Texts     `json:"name"`
	Summary     Texts     `json:"summary"`
	Seller      SellerRef `json:"seller"`
	PublishedAt time.Time `json:"published_at"`
	FromPrice   *Money    `json:"from_price" doc:"The lowest price of its active plans in the asked currency (a pay-per-use plan counts at its lowest unit price); null when it has none in that currency"`
}

func hitOf(h store.Hit) ProductHit {
	out := ProductHit{ID: h.ProductID, Type: string(h.Type), Category: h.Category,
		Name: Texts{EN: h.Name.EN, ZH: h.Name.ZH}, Summary: Texts{EN: h.Summary.EN, ZH: h.Summary.ZH},
		Seller: SellerRef{ID: h.SellerOrgID, Name: h.SellerName}, PublishedAt: h.PublishedAt}
	if h.FromPrice.Minor >= 0 {
		m := moneyOf(h.FromPrice)
		out.FromPrice = &m
	}
	return out
}

func hitsOf(hits []store.Hit) []ProductHit {
	out := make([]ProductHit, 0, len(hits))
	for _, h := range hits {
		out = append(out, hitOf(h))
	}
	return out
}

// PublicProduct is what everyone sees of a product on sale: its published
// revision. Its uploaded files are given by the addresses where anyone reads
// them; a SaaS product's production endpoint and an image's reference are the
// marketplace's business, not the buyer's.
type PublicProduct struct {
	ID          string          `json:"id"`
	Type        string          `json:"type" enum:"image,saas,license,professional_service"`
	Name        Texts           `json:"name"`
	Summary     Texts           `json:"summary"`
	Description Texts           `json:"description"`
	Category    string          `json:"category"`
	DocsURL     string          `json:"docs_url" doc:"Empty when none"`
	LogoURL     string          `json:"logo_url" doc:"Where its logo is read; empty when none"`
	Screenshots []string        `json:"screenshot_urls" doc:"Where its screenshots are read, in order"`
	Regions     []string        `json:"regions" doc:"Codes of the regions where it can be bought"`
	Support     Support         `json:"support"`
	Seller      SellerRef       `json:"seller"`
	Image       *PublicImage    `json:"image,omitempty" doc:"For type image"`
	SaaS        *PublicSaaS     `json:"saas,omitempty" doc:"For type saas"`
	License     *PublicLicense  `json:"license,omitempty" doc:"For type license"`
	Service     *ServiceDetails `json:"service,omitempty" doc:"For type professional_service"`
	Plans       []Plan          `json:"plans" doc:"Every plan; only active ones are offered to new buyers"`
}

// PublicImage is what a buyer needs to know of an image: what it runs and
// the instance it needs.
type PublicImage struct {
	OSFamily     string   `json:"os_family" enum:"linux,windows"`
	OSVersion    string   `json:"os_version"`
	Arch         string   `json:"arch" enum:"x86_64,arm64"`
	MinVCPU      int      `json:"min_vcpu"`
	MinMemoryMiB int      `json:"min_memory_mib"`
	MinDiskGiB   int      `json:"min_disk_gib"`
	ImageRegions []string `json:"image_regions"`
	LoginUser    string   `json:"login_user"`
}

// PublicSaaS is what a buyer needs to know of a SaaS product.
type PublicSaaS struct {
	DeployRegion string `json:"deploy_region"`
	FreeTrial    bool   `json:"free_trial"`
}

// PublicLicense is what a licence grants.
type PublicLicense struct {
	Category       string `json:"category" enum:"operating_system,database,middleware,application"`
	GrantUnit      string `json:"grant_unit" enum:"seats,cores"`
	GrantQuantity  int    `json:"grant_quantity"`
	DurationMonths int    `json:"duration_months" doc:"0 is perpetual"`
	TermsURL       string `json:"terms_url" doc:"Where the terms are published; empty when they are an uploaded document"`
	TermsDocument  string `json:"terms_document_url" doc:"Where the uploaded terms (a PDF) are read; empty when none"`
}

func publicProductOf(p catalog.Product, sellerName string) PublicProduct {
	out := PublicProduct{ID: p.ID, Type: string(p.Type), Name: Texts(p.Name), Summary: Texts(p.Summary),
		Description: Texts(p.Description), Category: p.Category, DocsURL: p.DocsURL, Regions: nonNil(p.Regions),
		Support: Support{Email: p.Support.Email, Phone: p.Support.Phone, URL: p.Support.URL},
		Seller:  SellerRef{ID: p.SellerOrgID, Name: sellerName}, Plans: plansOf(p.Plans)}
	var terms string
	out.LogoURL, out.Screenshots, terms = publicFileURLs(p)
	if s := p.Image; s != nil {
		out.Image = &PublicImage{OSFamily: string(s.OSFamily), OSVersion: s.OSVersion, Arch: string(s.Arch), MinVCPU: s.MinVCPU,
			MinMemoryMiB: s.MinMemoryMiB, MinDiskGiB: s.MinDiskGiB, ImageRegions: nonNil(s.ImageRegions), LoginUser: s.LoginUser}
	}
	if s := p.SaaS; s != nil {
		out.SaaS = &PublicSaaS{DeployRegion: s.DeployRegion, FreeTrial: s.FreeTrial}
	}
	if s := p.License; s != nil {
		out.License = &PublicLicense{Category: string(s.Category), GrantUnit: string(s.GrantUnit), GrantQuantity: s.GrantQuantity,
			DurationMonths: s.DurationMonths, TermsURL: s.TermsURL, TermsDocument: terms}
	}
	if s := p.Service; s != nil {
		out.Service = serviceOf(s)
	}
	return out
}

type categoriesOutput struct {
	Body struct {
		Categories []Category `json:"categories" doc:"In the order the storefront shows them"`
	}
}

type searchInput struct {
	Q        string `query:"q" maxLength:"200" doc:"Words to find in names, summaries and descriptions, in English or Chinese (any two characters of a Chinese word)" example:"备份"`
	Type     string `query:"type" enum:"image,saas,license,professional_service"`
	Category string `query:"category" maxLength:"64" doc:"A category slug" example:"storage"`
	Region   string `query:"region" maxLength:"32" doc:"Only products that can be bought in this region" example:"cn-north-4"`
	Billing  string `query:"billing" enum:"one_time,monthly,yearly,pay_per_use" doc:"Only products with an active plan billed so"`
	Seller   string `query:"seller" maxLength:"64" doc:"Only this seller organisation's products"`
	Currency string `query:"currency" maxLength:"3" doc:"The currency of from_price, the price range and the price sorts; CNY when absent" example:"CNY"`
	MinPrice string `query:"min_price" maxLength:"32" doc:"Only products with an active plan at or above this decimal price in the currency" example:"100.00"`
	MaxPrice string `query:"max_price" maxLength:"32" doc:"Only products with an active plan at or below this decimal price in the currency" example:"500.00"`
	Sort     string `query:"sort" enum:"relevance,newest,price_asc,price_desc" doc:"relevance (the default with q) puts products with the words in their name first; newest is the default without q"`
	Cursor   string `query:"cursor" maxLength:"1024" doc:"next_cursor of the previous page, with the same other parameters"`
	Limit    int    `query:"limit" minimum:"1" maximum:"100" default:"20"`
}

// query turns the parameters into the search's query; prices are read in the
// query's currency.
//
// Errors: Invalid on currency, min_price or max_price.
func (in *searchInput) query() (store.Query, error) {
	q := store.Query{Text: in.Q, Type: catalog.Type(in.Type), Category: in.Category, Region: in.Region,
		Mode: catalog.BillingMode(in.Billing), SellerOrgID: in.Seller, Currency: money.Currency(in.Currency),
		Sort: store.Sort(in.Sort), Cursor: in.Cursor, Limit: in.Limit}
	if q.Currency == "" {
		q.Currency = money.CNY
	}
	for _, p := range []struct {
		field, value string
		into         *int64
	}{{"min_price", in.MinPrice, &q.MinPrice}, {"max_price", in.MaxPrice, &q.MaxPrice}} {
		if p.value == "" {
			continue
		}
		a, err := parseAmount(p.field, "currency", p.value, q.Currency)
		if err != nil {
			return q, err
		}
		*p.into = a.Minor
	}
	return q, nil
}

type searchOutput struct {
	Body struct {
		Products   []ProductHit `json:"products"`
		NextCursor string       `json:"next_cursor" doc:"Pass as cursor for the next page; empty on the last page"`
	}
}

type currencyInput struct {
	Currency string `query:"currency" maxLength:"3" doc:"The currency of from_price; CNY when absent" example:"CNY"`
}

type publicProductInput struct {
	ID string `path:"id" maxLength:"64"`
}

type publicProductOutput struct{ Body PublicProduct }

func (h handlers) products(a huma.API) {
	tags := []string{"Catalogue"}
	huma.Register(a, huma.Operation{
		OperationID: "list-categories", Method: http.MethodGet, Path: "/api/v1/categories",
		Summary: "The categories of the storefront", Tags: tags,
	}, func(ctx context.Context, _ *struct{}) (*categoriesOutput, error) {
		out := &categoriesOutput{}
		out.Body.Categories = make([]Category, 0, len(catalog.Categories))
		for _, c := range catalog.Categories {
			out.Body.Categories = append(out.Body.Categories, Category{Slug: c.Slug, Name: Texts(c.Name)})
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "search-products", Method: http.MethodGet, Path: "/api/v1/products",
		Summary: "Find products on sale", Tags: tags, Errors: []int{400},
		Description: "Public. Only published products of sellers allowed to sell are found. Filters combine; " +
			"a page ends with next_cursor, to pass as cursor with the same parameters for the next one.",
	}, func(ctx context.Context, in *searchInput) (*searchOutput, error) {
		q, err := in.query()
		if err != nil {
			return nil, err
		}
		page, err := h.svc.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		out := &searchOutput{}
		out.Body.Products, out.Body.NextCursor = hitsOf(page.Hits), page.Next
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-product", Method: http.MethodGet, Path: "/api/v1/products/{id}",
		Summary: "A product on sale", Tags: tags, Errors: []int{404},
		Description: "Public: the published revision. A product that is not on sale (never published, delisted, " +
			"or of a suspended seller) is 404.",
	}, func(ctx context.Context, in *publicProductInput) (*publicProductOutput, error) {
		p, seller, err := h.svc.PublicProduct(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &publicProductOutput{Body: publicProductOf(p, seller)}, nil
	})
}
