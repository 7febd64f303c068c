package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/catalog"
)

// Banner is a slot of the homepage banner for a time window: a message of the
// marketplace's own, or a seller's product.
type Banner struct {
	ID        string    `json:"id" example:"ban_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	Title     Texts     `json:"title"`
	Text      Texts     `json:"text"`
	Link      string    `json:"link" example:"/campaigns/spring"`
	ProductID string    `json:"product_id" doc:"The product shown; empty for a message of the marketplace"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
}

func bannerOf(b catalog.Banner) Banner {
	return Banner{ID: b.ID, Title: Texts(b.Title), Text: Texts(b.Text), Link: b.Link, ProductID: b.ProductID, StartsAt: b.StartsAt, EndsAt: b.EndsAt}
}

func bannersOf(list []catalog.Banner) *bannersOutput {
	out := &bannersOutput{}
	out.Body.Banners = make([]Banner, 0, len(list))
	for _, b := range list {
		out.Body.Banners = append(out.Body.Banners, bannerOf(b))
	}
	return out
}

// bannerBody is a banner as an operator enters it.
type bannerBody struct {
	Title     Texts     `json:"title" doc:"1 to 80 characters in each language"`
	Text      Texts     `json:"text" doc:"1 to 200 characters in each language"`
	Link      string    `json:"link" maxLength:"2048" doc:"A page of the site (/…) or an https:// address" example:"/campaigns/spring"`
	ProductID string    `json:"product_id,omitempty" maxLength:"64" doc:"A product on sale whose seller is eligible for the banner (otherwise 422 requirements_not_met)"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at" doc:"After starts_at"`
}

func (b bannerBody) banner(id string) catalog.Banner {
	return catalog.Banner{ID: id, Title: catalog.Text(b.Title), Text: catalog.Text(b.Text), Link: b.Link, ProductID: b.ProductID,
		StartsAt: b.StartsAt, EndsAt: b.EndsAt}
}

type bannersOutput struct {
	Body struct {
		Banners []Banner `json:"banners" doc:"By start"`
	}
}

type bannerOutput struct{ Body Banner }

type createBannerInput struct{ Body bannerBody }

type saveBannerInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body bannerBody
}

type bannerIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type eligibilityInput struct {
	OrgID string `path:"org_id" maxLength:"64"`
}

type eligibilityOutput struct {
	Body struct {
		Eligible bool  `json:"eligible"`
		Reason   Texts `json:"reason" doc:"Why, or what is missing, in each language"`
	}
}

func (h handlers) banners(a huma.API) {
	tags := []string{"Storefront"}
	huma.Register(a, huma.Operation{
		OperationID: "list-home-banners", Method: http.MethodGet, Path: "/api/v1/banners",
		Summary: "The homepage banners showing now", Tags: tags, Description: "Public.",
	}, func(ctx context.Context, _ *struct{}) (*bannersOutput, error) {
		list, err := h.svc.HomeBanners(ctx)
		if err != nil {
			return nil, err
		}
		return bannersOf(list), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-banners", Method: http.MethodGet, Path: "/api/v1/banners/all",
		Summary: "Every banner slot, past, showing and to come (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403},
	}, func(ctx context.Context, _ *struct{}) (*bannersOutput, error) {
		list, err := h.svc.Banners(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		return bannersOf(list), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "create-banner", Method: http.MethodPost, Path: "/api/v1/banners", DefaultStatus: http.StatusCreated,
		Summary: "Schedule a homepage banner (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403, 422},
		Description: "A banner showing a product needs the product on sale (400 on product_id) and its seller eligible " +
			"for the homepage banner (422 requirements_not_met, with the detail homepage_banner).",
	}, func(ctx context.Context, in *createBannerInput) (*bannerOutput, error) {
		b, err := h.svc.SaveBanner(ctx, actorOf(ctx), in.Body.banner(""))
		if err != nil {
			return nil, err
		}
		return &bannerOutput{Body: bannerOf(b)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "save-banner", Method: http.MethodPut, Path: "/api/v1/banners/{id}",
		Summary: "Change a homepage banner (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403, 422},
	}, func(ctx context.Context, in *saveBannerInput) (*bannerOutput, error) {
		b, err := h.svc.SaveBanner(ctx, actorOf(ctx), in.Body.banner(in.ID))
		if err != nil {
			return nil, err
		}
		return &bannerOutput{Body: bannerOf(b)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "delete-banner", Method: http.MethodDelete, Path: "/api/v1/banners/{id}", DefaultStatus: http.StatusNoContent,
		Summary: "Remove a homepage banner (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403, 404},
	}, func(ctx context.Context, in *bannerIDInput) (*noContent, error) {
		return nil, h.svc.DeleteBanner(ctx, actorOf(ctx), in.ID)
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-banner-eligibility", Method: http.MethodGet, Path: "/api/v1/sellers/{org_id}/banner-eligibility",
		Summary: "Whether a seller may be placed in the homepage banner (operators, and the seller itself)", Tags: tags,
		Security: bearer, Errors: []int{401, 403},
	}, func(ctx context.Context, in *eligibilityInput) (*eligibilityOutput, error) {
		ok, why, err := h.svc.SellerBannerEligibility(ctx, actorOf(ctx), in.OrgID)
		if err != nil {
			return nil, err
		}
		out := &eligibilityOutput{}
		out.Body.Eligible, out.Body.Reason = ok, Texts(why)
		return out, nil
	})
}
