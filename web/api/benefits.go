package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/benefit"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
)

// Benefit is where a seller stands with one benefit of the seed's table.
type Benefit struct {
	ID     string `json:"id" enum:"homepage_banner,featured_zones,resale,joint_marketing,sales_trainings,test_coupons,technical_support,trainings"`
	Name   Texts  `json:"name"`
	Has    bool   `json:"has" doc:"Whether the seller has the benefit now"`
	Reason Texts  `json:"reason" doc:"Why, or exactly what is missing, in each language"`
	// ReasonID and ReasonArgs are the reason as a message id and its
	// arguments, for clients that translate themselves.
	ReasonID   string            `json:"reason_id" example:"ben.why.banner_missing"`
	ReasonArgs map[string]string `json:"reason_args,omitempty" example:"{\"Amount\":\"62,310.00\"}"`
	Action     BenefitAction     `json:"action"`
	Progress   *BenefitProgress  `json:"progress,omitempty" doc:"Toward the benefit's threshold: the homepage banner's USD 100,000 of transactions"`
}

// BenefitAction is what a benefit opens.
type BenefitAction struct {
	Label Texts  `json:"label"`
	UI    string `json:"ui" doc:"A page of the site" example:"/seller/test-credit"`
	API   string `json:"api" doc:"The API path behind it" example:"/api/v1/seller/test-credit"`
}

// BenefitProgress is how far a seller is toward a threshold.
type BenefitProgress struct {
	Have    Money `json:"have" doc:"Transactions in USD: paid net of refunds, each order at the rate of its payment date"`
	Target  Money `json:"target"`
	Percent int   `json:"percent" minimum:"0" maximum:"100"`
}

func benefitsOf(list []benefit.Status) []Benefit {
	out := make([]Benefit, 0, len(list))
	for _, s := range list {
		b := Benefit{ID: string(s.ID), Name: Texts(s.Name), Has: s.Has, Reason: Texts(s.Reason.Text), ReasonID: s.Reason.MsgID,
			ReasonArgs: s.Reason.Args, Action: BenefitAction{Label: Texts(s.Action.Label), UI: s.Action.UI, API: s.Action.API}}
		if p := s.Progress; p != nil {
			b.Progress = &BenefitProgress{Have: moneyOf(p.Have), Target: moneyOf(p.Target), Percent: p.Percent()}
		}
		out = append(out, b)
	}
	return out
}

type benefitsOutput struct {
	Body struct {
		SellerOrgID string    `json:"seller_org_id"`
		Benefits    []Benefit `json:"benefits" doc:"Every benefit of the seed's table, in its order"`
	}
}

type sellerBenefitsInput struct {
	OrgID string `path:"org_id" maxLength:"64"`
}

// Rate is an exchange rate to USD.
type Rate struct {
	Currency      string    `json:"currency" example:"CNY"`
	EffectiveFrom string    `json:"effective_from" format:"date" example:"2026-01-01" doc:"The first day (UTC) the rate applies to"`
	Rate          string    `json:"rate" example:"0.14085" doc:"USD per unit of the currency, a decimal with at most 8 digits after the point"`
	SetBy         string    `json:"set_by"`
	SetAt         time.Time `json:"set_at"`
}

func rateOf(r benefit.Rate) Rate {
	return Rate{Currency: string(r.Currency), EffectiveFrom: r.EffectiveFrom.String(), Rate: r.Decimal(), SetBy: r.SetBy, SetAt: r.SetAt}
}

type ratesOutput struct {
	Body struct {
		Rates []Rate `json:"rates" doc:"By currency and day"`
	}
}

type rateOutput struct{ Body Rate }

type setRateInput struct {
	Currency      string `path:"currency" maxLength:"3" example:"CNY"`
	EffectiveFrom string `path:"effective_from" maxLength:"10" example:"2026-01-01"`
	Body          struct {
		Rate string `json:"rate" maxLength:"20" example:"0.14085" doc:"USD per unit of the currency, a decimal with at most 8 digits after the point"`
	}
}

func (in setRateInput) rate() (benefit.Rate, error) {
	r := benefit.Rate{Currency: money.Currency(strings.ToUpper(in.Currency))}
	var err error
	if r.EffectiveFrom, err = seller.ParseDate(in.EffectiveFrom); err != nil {
		return r, fault.Field("effective_from", "error.rate_date", "enter the day the rate takes effect, as YYYY-MM-DD")
	}
	r.Scaled, err = benefit.ParseRate(in.Body.Rate)
	return r, err
}

func (h handlers) benefits(a huma.API) {
	tags := []string{"Seller benefits"}
	huma.Register(a, huma.Operation{
		OperationID: "get-my-benefits", Method: http.MethodGet, Path: "/api/v1/seller/benefits",
		Summary: "The signed-in seller's benefits", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "Every benefit of the seed's Seller Benefits table: whether the seller has it, why or exactly what is missing, " +
			"and what it opens. A suspended or unapproved seller has none. 403 for someone who works for no seller.",
	}, func(ctx context.Context, _ *struct{}) (*benefitsOutput, error) {
		org, list, err := h.svc.MyBenefits(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &benefitsOutput{}
		out.Body.SellerOrgID, out.Body.Benefits = org, benefitsOf(list)
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-seller-benefits", Method: http.MethodGet, Path: "/api/v1/sellers/{org_id}/benefits",
		Summary: "A seller's benefits (operators, and the seller itself)", Tags: tags, Security: bearer, Errors: []int{401, 403, 404},
		Description: "The same answer as GET /api/v1/seller/benefits gives the seller.",
	}, func(ctx context.Context, in *sellerBenefitsInput) (*benefitsOutput, error) {
		list, err := h.svc.SellerBenefits(ctx, actorOf(ctx), in.OrgID)
		if err != nil {
			return nil, err
		}
		out := &benefitsOutput{}
		out.Body.SellerOrgID, out.Body.Benefits = in.OrgID, benefitsOf(list)
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-exchange-rates", Method: http.MethodGet, Path: "/api/v1/exchange-rates",
		Summary: "Exchange rates to USD", Tags: tags, Security: bearer, Errors: []int{401},
		Description: "Anyone signed in. The rate of a payment is the latest rate of its currency effective on or before its day in UTC.",
	}, func(ctx context.Context, _ *struct{}) (*ratesOutput, error) {
		list, err := h.svc.Rates(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &ratesOutput{}
		out.Body.Rates = make([]Rate, 0, len(list))
		for _, r := range list {
			out.Body.Rates = append(out.Body.Rates, rateOf(r))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "set-exchange-rate", Method: http.MethodPut, Path: "/api/v1/exchange-rates/{currency}/{effective_from}",
		Summary: "Set a currency's rate to USD from a day (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors:      []int{400, 401, 403},
		Description: "Replaces the rate of that currency and day if there is one. Audited.",
	}, func(ctx context.Context, in *setRateInput) (*rateOutput, error) {
		r, err := in.rate()
		if err == nil {
			r, err = h.svc.SetRate(ctx, actorOf(ctx), r)
		}
		if err != nil {
			return nil, err
		}
		return &rateOutput{Body: rateOf(r)}, nil
	})
}
