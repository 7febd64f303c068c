package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/seller"
)

// Region is a cloud service region a seller can serve.
type Region struct {
	Code   string `json:"code" example:"cn-north-4"`
	NameEN string `json:"name_en" example:"Beijing"`
	NameZH string `json:"name_zh" example:"北京"`
	Zone   string `json:"zone" doc:"The IANA time zone of the region's customers: support hours are judged in it" example:"Asia/Shanghai"`
}

func regionOf(r seller.Region) Region {
	return Region{Code: r.Code, NameEN: r.NameEN, NameZH: r.NameZH, Zone: r.Zone}
}

type regionsOutput struct {
	Body struct {
		Regions []Region `json:"regions"`
	}
}

type regionOutput struct{ Body Region }

type saveRegionInput struct {
	Code string `path:"code" maxLength:"32" example:"cn-north-4"`
	Body struct {
		NameEN string `json:"name_en" maxLength:"120" example:"Beijing"`
		NameZH string `json:"name_zh" maxLength:"120" example:"北京"`
		Zone   string `json:"zone" maxLength:"64" example:"Asia/Shanghai"`
	}
}

func (h handlers) regions(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "list-regions", Method: http.MethodGet, Path: "/api/v1/regions",
		Summary: "The cloud service regions", Tags: []string{"Regions"},
		Description: "Public: sellers choose the regions they serve from this list.",
	}, func(ctx context.Context, _ *struct{}) (*regionsOutput, error) {
		list, err := h.svc.Regions(ctx)
		if err != nil {
			return nil, err
		}
		out := &regionsOutput{}
		out.Body.Regions = []Region{}
		for _, r := range list {
			out.Body.Regions = append(out.Body.Regions, regionOf(r))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "save-region", Method: http.MethodPut, Path: "/api/v1/regions/{code}",
		Summary: "Create or change a region (operators)", Tags: []string{"Regions"},
		Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403},
	}, func(ctx context.Context, in *saveRegionInput) (*regionOutput, error) {
		r, err := h.svc.SaveRegion(ctx, actorOf(ctx), seller.Region{Code: in.Code, NameEN: in.Body.NameEN, NameZH: in.Body.NameZH, Zone: in.Body.Zone})
		if err != nil {
			return nil, err
		}
		return &regionOutput{Body: regionOf(r)}, nil
	})
}
