package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
)

// Zone is a featured zone of the storefront.
type Zone struct {
	Slug     string `json:"slug" example:"security"`
	Name     Texts  `json:"name"`
	Position int    `json:"position" doc:"Zones show in ascending position"`
}

// ZoneWithProducts is a featured zone with its products on sale, in order.
type ZoneWithProducts struct {
	Zone
	Products []ProductHit `json:"products"`
}

func zoneOf(z catalog.Zone) Zone {
	return Zone{Slug: z.Slug, Name: Texts(z.Name), Position: z.Position}
}

type zonesOutput struct {
	Body struct {
		Zones []ZoneWithProducts `json:"zones"`
	}
}

type saveZoneInput struct {
	Slug string `path:"slug" maxLength:"40" example:"security"`
	Body struct {
		Name     Texts `json:"name" doc:"1 to 60 characters in each language"`
		Position int   `json:"position,omitempty" doc:"Zones show in ascending position"`
	}
}

type zoneOutput struct{ Body Zone }

type zoneSlugInput struct {
	Slug string `path:"slug" maxLength:"40"`
}

type placeInZoneInput struct {
	Slug string `path:"slug" maxLength:"40"`
	Body struct {
		Products []string `json:"products" maxItems:"100" doc:"Ids of products on sale, in the order to show them; replaces what the zone held"`
	}
}

func (h handlers) zones(a huma.API) {
	tags := []string{"Storefront"}
	huma.Register(a, huma.Operation{
		OperationID: "list-zones", Method: http.MethodGet, Path: "/api/v1/zones",
		Summary: "The featured zones with their products on sale", Tags: tags, Errors: []int{400},
		Description: "Public. A placed product that is no longer on sale is left out.",
	}, func(ctx context.Context, in *currencyInput) (*zonesOutput, error) {
		c := money.Currency(in.Currency)
		if c == "" {
			c = money.CNY
		}
		zones, err := h.svc.Zones(ctx, c)
		if err != nil {
			return nil, err
		}
		out := &zonesOutput{}
		out.Body.Zones = make([]ZoneWithProducts, 0, len(zones))
		for _, z := range zones {
			out.Body.Zones = append(out.Body.Zones, ZoneWithProducts{Zone: zoneOf(z.Zone), Products: hitsOf(z.Products)})
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "save-zone", Method: http.MethodPut, Path: "/api/v1/zones/{slug}",
		Summary: "Create or change a featured zone (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403},
	}, func(ctx context.Context, in *saveZoneInput) (*zoneOutput, error) {
		z, err := h.svc.SaveZone(ctx, actorOf(ctx), catalog.Zone{Slug: in.Slug, Name: catalog.Text(in.Body.Name), Position: in.Body.Position})
		if err != nil {
			return nil, err
		}
		return &zoneOutput{Body: zoneOf(z)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "delete-zone", Method: http.MethodDelete, Path: "/api/v1/zones/{slug}", DefaultStatus: http.StatusNoContent,
		Summary: "Remove a featured zone (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403, 404},
	}, func(ctx context.Context, in *zoneSlugInput) (*noContent, error) {
		return nil, h.svc.DeleteZone(ctx, actorOf(ctx), in.Slug)
	})

	huma.Register(a, huma.Operation{
		OperationID: "place-in-zone", Method: http.MethodPut, Path: "/api/v1/zones/{slug}/products", DefaultStatus: http.StatusNoContent,
		Summary: "Set the products of a featured zone (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors:      []int{400, 401, 403, 404},
		Description: "Only products on sale, of approved sellers, each once: otherwise 400 on products[i]. At most 48.",
	}, func(ctx context.Context, in *placeInZoneInput) (*noContent, error) {
		return nil, h.svc.PlaceInZone(ctx, actorOf(ctx), in.Slug, nonNil(in.Body.Products))
	})
}
