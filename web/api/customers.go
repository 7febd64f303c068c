package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/market"
)

// Customer is a customer organisation.
type Customer struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	Segment          string    `json:"segment" enum:"telesales,channel_partner,direct,other"`
	AccountManagerID string    `json:"account_manager_id,omitempty" doc:"The user who looks after the customer"`
	PartnerOrgID     string    `json:"partner_org_id,omitempty" doc:"The channel partner that serves the customer"`
	CreatedAt        time.Time `json:"created_at"`
}

func customerOf(o account.Org) Customer {
	return Customer{ID: o.ID, Name: o.Name, Segment: string(o.Segment), AccountManagerID: o.AccountManagerID,
		PartnerOrgID: o.PartnerOrgID, CreatedAt: o.CreatedAt}
}

type customersOutput struct {
	Body struct {
		Customers []Customer `json:"customers"`
	}
}

type customerOutput struct{ Body Customer }

type customerIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type updateCustomerInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Segment          *string `json:"segment,omitempty" enum:"telesales,channel_partner,direct,other"`
		AccountManagerID *string `json:"account_manager_id,omitempty" maxLength:"64" doc:"Empty to remove"`
		PartnerOrgID     *string `json:"partner_org_id,omitempty" maxLength:"64" doc:"Empty to remove"`
	}
}

func (h handlers) customers(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "list-customers", Method: http.MethodGet, Path: "/api/v1/customers",
		Summary: "Customers in the caller's care", Tags: []string{"Customers"}, Security: bearer, Errors: []int{401, 403},
		Description: "All customers for an operator; its own for an account manager or a channel partner.",
	}, func(ctx context.Context, _ *struct{}) (*customersOutput, error) {
		list, err := h.svc.Customers(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &customersOutput{}
		out.Body.Customers = []Customer{}
		for _, o := range list {
			out.Body.Customers = append(out.Body.Customers, customerOf(o))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-customer", Method: http.MethodGet, Path: "/api/v1/customers/{id}",
		Summary: "One customer", Tags: []string{"Customers"}, Security: bearer, Errors: []int{401, 404},
	}, func(ctx context.Context, in *customerIDInput) (*customerOutput, error) {
		o, err := h.svc.Customer(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &customerOutput{Body: customerOf(o)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "update-customer", Method: http.MethodPatch, Path: "/api/v1/customers/{id}",
		Summary: "Change a customer's segment, account manager or partner (operators)", Tags: []string{"Customers"},
		Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404},
	}, func(ctx context.Context, in *updateCustomerInput) (*customerOutput, error) {
		c := market.CustomerChange{AccountManagerID: in.Body.AccountManagerID, PartnerOrgID: in.Body.PartnerOrgID}
		if in.Body.Segment != nil {
			s := account.Segment(*in.Body.Segment)
			c.Segment = &s
		}
		o, err := h.svc.UpdateCustomer(ctx, actorOf(ctx), in.ID, c)
		if err != nil {
			return nil, err
		}
		return &customerOutput{Body: customerOf(o)}, nil
	})
}
