package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/resale"
	"github.com/cloudmart/cloudmart/store"
)

// ResaleRequirements are what a product must meet to be authorised for
// resale, and the standard partner discount (docs/benefits.md).
type ResaleRequirements struct {
	MinApprovedDays     int        `json:"min_approved_days" minimum:"0" maximum:"3650" doc:"The seller was approved at least this many days ago"`
	RefundPolicy        bool       `json:"refund_policy" doc:"The product's published revision sets a refund policy"`
	MaxFailedDeliveries int        `json:"max_failed_deliveries" minimum:"0" maximum:"10000" doc:"K: the seller had fewer than K failed deliveries in the last 30 days; 0 sets no limit"`
	StandardDiscountBPS int        `json:"standard_discount_bps" minimum:"0" maximum:"9000" doc:"The partner discount a seller gives without an operator's approval, in basis points (1500 = 15%)"`
	UpdatedAt           *time.Time `json:"updated_at,omitempty" readOnly:"true" doc:"Absent while the defaults apply"`
}

func requirementsOf(r resale.Requirements) ResaleRequirements {
	out := ResaleRequirements{MinApprovedDays: r.MinApprovedDays, RefundPolicy: r.RefundPolicy, MaxFailedDeliveries: r.MaxFailedDeliveries,
		StandardDiscountBPS: r.StandardDiscountBPS}
	if !r.UpdatedAt.IsZero() {
		t := r.UpdatedAt
		out.UpdatedAt = &t
	}
	return out
}

// ResaleAuthorisation is a seller's permission for a partner to resell a
// product with a partner discount.
type ResaleAuthorisation struct {
	ID           string     `json:"id" example:"rsa_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	ProductID    string     `json:"product_id"`
	ProductName  *Texts     `json:"product_name,omitempty"`
	SellerOrgID  string     `json:"seller_org_id"`
	SellerName   string     `json:"seller_name,omitempty"`
	PartnerOrgID string     `json:"partner_org_id"`
	PartnerName  string     `json:"partner_name,omitempty"`
	DiscountBPS  int        `json:"discount_bps" doc:"The partner's margin in basis points of the list price" example:"1500"`
	State        string     `json:"state" enum:"pending,active,declined,revoked"`
	Note         string     `json:"note,omitempty" doc:"The seller's, when it asked"`
	Reason       string     `json:"reason,omitempty" doc:"Of the last decision or revocation"`
	CreatedAt    time.Time  `json:"created_at"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
}

func authorisationOf(a resale.Authorisation) ResaleAuthorisation {
	out := ResaleAuthorisation{ID: a.ID, ProductID: a.ProductID, SellerOrgID: a.SellerOrgID, PartnerOrgID: a.PartnerOrgID, DiscountBPS: a.DiscountBPS,
		State: string(a.State), Note: a.Note, Reason: a.Reason, CreatedAt: a.CreatedAt}
	if !a.DecidedAt.IsZero() {
		t := a.DecidedAt
		out.DecidedAt = &t
	}
	return out
}

func resaleViewOf(v market.ResaleView) ResaleAuthorisation {
	out := authorisationOf(v.Authorisation)
	out.ProductName, out.SellerName, out.PartnerName = &Texts{EN: v.ProductName.EN, ZH: v.ProductName.ZH}, v.SellerName, v.PartnerName
	return out
}

func resaleViewsOf(vs []market.ResaleView) []ResaleAuthorisation {
	out := make([]ResaleAuthorisation, 0, len(vs))
	for _, v := range vs {
		out = append(out, resaleViewOf(v))
	}
	return out
}

// MissingRequirement is one resale requirement a product does not meet.
type MissingRequirement struct {
	ID      string `json:"id" enum:"seller_approved,approved_days,published,refund_policy,failed_deliveries"`
	Need    int    `json:"need,omitempty" doc:"For approved_days and failed_deliveries: the days needed, or K"`
	Have    int    `json:"have,omitempty" doc:"For approved_days and failed_deliveries: the days so far, or the failures"`
	Message string `json:"message" doc:"What is missing, in plain English"`
}

// ResaleStanding is one of the seller's products as resale sees it.
type ResaleStanding struct {
	ProductID      string                `json:"product_id"`
	Name           Texts                 `json:"name"`
	Eligible       bool                  `json:"eligible" doc:"It meets the requirements: it may be authorised"`
	Missing        []MissingRequirement  `json:"missing" doc:"What it lacks; empty when eligible"`
	Authorisations []ResaleAuthorisation `json:"authorisations" doc:"Newest first"`
}

// PartnerProduct is a product authorised to the partner.
type PartnerProduct struct {
	ProductID   string   `json:"product_id"`
	Name        Texts    `json:"name"`
	SellerName  string   `json:"seller_name"`
	DiscountBPS int      `json:"discount_bps" doc:"The partner's margin on each sale, in basis points of the list price"`
	Plans       []Texts  `json:"plans" doc:"Plans on sale, by name"`
	PlanCodes   []string `json:"plan_codes" doc:"The plans' codes, in the same order"`
	Regions     []string `json:"regions"`
}

// PartnerSale is an order the partner placed for a customer, with its margin.
type PartnerSale struct {
	Order          Order `json:"order"`
	Margin         Money `json:"margin" doc:"The partner's margin when placed"`
	MarginRefunded Money `json:"margin_refunded" doc:"Taken back by refunds"`
}

// PartnerTotal is the partner's business in one currency, net of refunds.
type PartnerTotal struct {
	Currency string `json:"currency" example:"CNY"`
	Orders   int    `json:"orders"`
	Sales    Money  `json:"sales" doc:"What its customers paid, less refunds"`
	Margin   Money  `json:"margin" doc:"Its margin, less what refunds took back"`
}

type requirementsOutput struct{ Body ResaleRequirements }

type requirementsInput struct{ Body ResaleRequirements }

type authorisationsOutput struct {
	Body struct {
		Authorisations []ResaleAuthorisation `json:"authorisations"`
	}
}

type authorisationOutput struct{ Body ResaleAuthorisation }

type decideResaleInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Reason string `json:"reason,omitempty" maxLength:"500"`
	}
}

type sellerResaleOutput struct {
	Body struct {
		Requirements ResaleRequirements `json:"requirements"`
		Products     []ResaleStanding   `json:"products"`
	}
}

type authoriseInput struct {
	Body struct {
		ProductID    string `json:"product_id" maxLength:"64"`
		PartnerOrgID string `json:"partner_org_id" maxLength:"64" doc:"The channel partner (GET /api/v1/resale/partners)"`
		DiscountBPS  int    `json:"discount_bps" doc:"The partner's margin, 0–9000 basis points of the list price; above the standard discount an operator approves" example:"1500"`
		Note         string `json:"note,omitempty" maxLength:"500" doc:"To the operator, when one must approve"`
	}
}

type partnersOutput struct {
	Body struct {
		Partners []OrgRefNamed `json:"partners"`
	}
}

// OrgRefNamed is an organisation's id and name.
type OrgRefNamed struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type partnerProductsOutput struct {
	Body struct {
		Products []PartnerProduct `json:"products"`
	}
}

type partnerOrderInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"As for POST /api/v1/orders: the order is placed once"`
	Body           struct {
		CustomerOrgID string     `json:"customer_org_id" maxLength:"64" doc:"One of the partner's customers (GET /api/v1/customers)"`
		Lines         []CartLine `json:"lines" doc:"1–20 lines of products authorised to the partner, in one currency"`
	}
}

type partnerSalesOutput struct {
	Body struct {
		Totals         []PartnerTotal `json:"totals" doc:"By currency"`
		Sales          []PartnerSale  `json:"sales" doc:"The orders it placed, newest first (the newest 100)"`
		CustomerOrders []Order        `json:"customer_orders" doc:"Its customers' orders, placed by it or by them, newest first (the newest 100)"`
	}
}

func (h handlers) resale(a huma.API) {
	tags := []string{"Resale"}
	huma.Register(a, huma.Operation{
		OperationID: "get-resale-requirements", Method: http.MethodGet, Path: "/api/v1/resale/requirements",
		Summary: "The resale requirements", Tags: tags, Security: bearer, Errors: []int{401},
		Description: "What a product must meet to be authorised for resale by channel partners, and the standard partner discount; the defaults until an operator sets them.",
	}, func(ctx context.Context, _ *struct{}) (*requirementsOutput, error) {
		r, err := h.svc.ResaleRequirements(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		return &requirementsOutput{Body: requirementsOf(r)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "set-resale-requirements", Method: http.MethodPut, Path: "/api/v1/resale/requirements",
		Summary: "Set the resale requirements", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403},
		Description: "Operators. They judge authorisations made or approved from now on; active ones stay. Audited.",
	}, func(ctx context.Context, in *requirementsInput) (*requirementsOutput, error) {
		b := in.Body
		r, err := h.svc.SetResaleRequirements(ctx, actorOf(ctx), resale.Requirements{MinApprovedDays: b.MinApprovedDays, RefundPolicy: b.RefundPolicy,
			MaxFailedDeliveries: b.MaxFailedDeliveries, StandardDiscountBPS: b.StandardDiscountBPS})
		if err != nil {
			return nil, err
		}
		return &requirementsOutput{Body: requirementsOf(r)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-pending-resale", Method: http.MethodGet, Path: "/api/v1/resale/authorisations/pending",
		Summary: "Authorisations waiting for an operator", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "Operators: the authorisations above the standard discount, newest first.",
	}, func(ctx context.Context, _ *struct{}) (*authorisationsOutput, error) {
		vs, err := h.svc.PendingResale(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &authorisationsOutput{}
		out.Body.Authorisations = resaleViewsOf(vs)
		return out, nil
	})

	for _, step := range []resale.Step{resale.Approve, resale.Decline} {
		huma.Register(a, huma.Operation{
			OperationID: string(step) + "-resale", Method: http.MethodPost, Path: "/api/v1/resale/authorisations/{id}/" + string(step),
			Summary: map[resale.Step]string{resale.Approve: "Approve", resale.Decline: "Decline"}[step] + " a pending authorisation", Tags: tags, Security: bearer,
			MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404, 409, 422},
			Description: "Operators. An approval checks the product against the requirements again (422 requirements_not_met); " +
				"an authorisation that is not pending is 409 invalid_state.",
		}, func(ctx context.Context, in *decideResaleInput) (*authorisationOutput, error) {
			au, err := h.svc.DecideResale(ctx, actorOf(ctx), in.ID, step, in.Body.Reason)
			if err != nil {
				return nil, err
			}
			return &authorisationOutput{Body: authorisationOf(au)}, nil
		})
	}

	huma.Register(a, huma.Operation{
		OperationID: "list-resale-partners", Method: http.MethodGet, Path: "/api/v1/resale/partners",
		Summary: "The channel partners", Tags: tags, Security: bearer, Errors: []int{401},
		Description: "The partner organisations a seller may authorise, by name.",
	}, func(ctx context.Context, _ *struct{}) (*partnersOutput, error) {
		orgs, err := h.svc.ResalePartners(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &partnersOutput{}
		out.Body.Partners = []OrgRefNamed{}
		for _, o := range orgs {
			out.Body.Partners = append(out.Body.Partners, OrgRefNamed{ID: o.ID, Name: o.Name})
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-seller-resale", Method: http.MethodGet, Path: "/api/v1/seller/resale",
		Summary: "The seller's products' resale standing", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "For each of the company's products: whether it meets the resale requirements (and what it lacks), and its authorisations.",
	}, func(ctx context.Context, _ *struct{}) (*sellerResaleOutput, error) {
		actor := actorOf(ctx)
		org, err := market.SellerOrgOf(actor)
		if err != nil {
			return nil, err
		}
		standing, req, err := h.svc.SellerResale(ctx, actor, org)
		if err != nil {
			return nil, err
		}
		out := &sellerResaleOutput{}
		out.Body.Requirements = requirementsOf(req)
		out.Body.Products = []ResaleStanding{}
		for _, s := range standing {
			rs := ResaleStanding{ProductID: s.ProductID, Name: Texts{EN: s.Name.EN, ZH: s.Name.ZH}, Eligible: s.Eligible(),
				Missing: []MissingRequirement{}, Authorisations: resaleViewsOf(s.Authorisations)}
			for _, m := range s.Missing {
				rs.Missing = append(rs.Missing, MissingRequirement{ID: m.ID, Need: m.Need, Have: m.Have, Message: m.Message()})
			}
			out.Body.Products = append(out.Body.Products, rs)
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "authorise-resale", Method: http.MethodPost, Path: "/api/v1/seller/resale/authorisations", DefaultStatus: http.StatusCreated,
		Summary: "Authorise a product for resale by a partner", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403, 404, 409, 422},
		Description: "The seller's people. At or below the standard discount it is active at once; above it, pending until an operator " +
			"approves. A product that misses requirements is refused with 422 requirements_not_met, each missing one in details; a " +
			"second live authorisation of the product for the partner is 409 (error.resale_exists).",
	}, func(ctx context.Context, in *authoriseInput) (*authorisationOutput, error) {
		b := in.Body
		au, err := h.svc.AuthoriseResale(ctx, actorOf(ctx), market.AuthoriseResale{ProductID: b.ProductID, PartnerOrgID: b.PartnerOrgID,
			DiscountBPS: b.DiscountBPS, Note: b.Note})
		if err != nil {
			return nil, err
		}
		return &authorisationOutput{Body: authorisationOf(au)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "revoke-resale", Method: http.MethodPost, Path: "/api/v1/seller/resale/authorisations/{id}/revoke",
		Summary: "Revoke an authorisation", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 404, 409},
		Description: "The seller's people end a pending or active authorisation: the partner may sell the product no more.",
	}, func(ctx context.Context, in *decideResaleInput) (*authorisationOutput, error) {
		au, err := h.svc.RevokeResale(ctx, actorOf(ctx), in.ID, in.Body.Reason)
		if err != nil {
			return nil, err
		}
		return &authorisationOutput{Body: authorisationOf(au)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-seller-partner-sales", Method: http.MethodGet, Path: "/api/v1/seller/resale/sales",
		Summary: "Partners' sales of the seller's products", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "The orders channel partners placed with the company's products, each with only its lines, newest first (the newest 100).",
	}, func(ctx context.Context, _ *struct{}) (*ordersOutput, error) {
		actor := actorOf(ctx)
		org, err := market.SellerOrgOf(actor)
		if err != nil {
			return nil, err
		}
		list, err := h.svc.SellerPartnerSales(ctx, actor, org)
		if err != nil {
			return nil, err
		}
		return ordersOf(list, 500), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-partner-products", Method: http.MethodGet, Path: "/api/v1/partner/products",
		Summary: "The products authorised to the partner", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "The caller's channel partner's products to resell (authorised and on sale), with its discount on each.",
	}, func(ctx context.Context, _ *struct{}) (*partnerProductsOutput, error) {
		actor := actorOf(ctx)
		org, err := market.PartnerOrgOf(actor)
		if err != nil {
			return nil, err
		}
		pp, err := h.svc.PartnerProducts(ctx, actor, org)
		if err != nil {
			return nil, err
		}
		out := &partnerProductsOutput{}
		out.Body.Products = []PartnerProduct{}
		for _, p := range pp {
			x := PartnerProduct{ProductID: p.Product.ID, Name: Texts{EN: p.Product.Name.EN, ZH: p.Product.Name.ZH}, SellerName: p.SellerName,
				DiscountBPS: p.Authorisation.DiscountBPS, Regions: p.Product.Regions, Plans: []Texts{}, PlanCodes: []string{}}
			for _, pl := range p.Product.Plans {
				x.Plans = append(x.Plans, Texts{EN: pl.Name.EN, ZH: pl.Name.ZH})
				x.PlanCodes = append(x.PlanCodes, pl.Code)
			}
			out.Body.Products = append(out.Body.Products, x)
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "place-partner-order", Method: http.MethodPost, Path: "/api/v1/partner/orders", DefaultStatus: http.StatusCreated,
		Summary: "Place an order for one of the partner's customers", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 402, 403, 404, 409, 422},
		Description: "The customer buys at the list price, paid from its balance, on the channel partner:<id>; the partner's margin " +
			"(each line's price × its discount) goes to the partner, out of the seller's share. A customer that is not the partner's " +
			"is 403 (error.resale_not_customer); a product not authorised to it, 403 (error.resale_not_authorised). " +
			"Idempotency-Key as for POST /api/v1/orders (200 and Idempotent-Replayed: true for a replay).",
		Responses: map[string]*huma.Response{
			"200": {Description: "The order placed before with this Idempotency-Key and this body (Idempotent-Replayed: true)"},
		},
	}, func(ctx context.Context, in *partnerOrderInput) (*placedOrderOutput, error) {
		actor := actorOf(ctx)
		org, err := market.PartnerOrgOf(actor)
		if err != nil {
			return nil, err
		}
		o, replayed, err := h.svc.PlacePartnerOrder(ctx, actor, market.PartnerOrderRequest{PartnerOrgID: org, CustomerOrgID: in.Body.CustomerOrgID,
			Lines: lineRequests(in.Body.Lines), IdempotencyKey: in.IdempotencyKey})
		if err != nil {
			return nil, err
		}
		out := &placedOrderOutput{Status: http.StatusCreated, Location: orderURL(o.ID), Body: orderOf(o)}
		if replayed {
			out.Status, out.Replayed = http.StatusOK, "true"
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-partner-sales", Method: http.MethodGet, Path: "/api/v1/partner/sales",
		Summary: "The partner's sales and margin", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "Its totals by currency (net of refunds), the orders it placed with the margin on each, and its customers' orders.",
	}, func(ctx context.Context, _ *struct{}) (*partnerSalesOutput, error) {
		actor := actorOf(ctx)
		org, err := market.PartnerOrgOf(actor)
		if err != nil {
			return nil, err
		}
		ps, err := h.svc.PartnerSales(ctx, actor, org)
		if err != nil {
			return nil, err
		}
		return partnerSalesOf(ps), nil
	})
}

func partnerSalesOf(ps market.PartnerSales) *partnerSalesOutput {
	out := &partnerSalesOutput{}
	out.Body.Totals, out.Body.Sales, out.Body.CustomerOrders = []PartnerTotal{}, []PartnerSale{}, []Order{}
	for _, t := range ps.Totals {
		out.Body.Totals = append(out.Body.Totals, PartnerTotal{Currency: string(t.Currency), Orders: t.Orders, Sales: moneyOf(t.Sales), Margin: moneyOf(t.Margin)})
	}
	for _, s := range ps.Sales {
		out.Body.Sales = append(out.Body.Sales, partnerSaleOf(s))
	}
	for _, o := range ps.CustomerOrders {
		out.Body.CustomerOrders = append(out.Body.CustomerOrders, orderOf(o))
	}
	return out
}

func partnerSaleOf(s store.PartnerSale) PartnerSale {
	return PartnerSale{Order: orderOf(s.Order), Margin: moneyOf(s.Margin), MarginRefunded: moneyOf(s.MarginRefunded)}
}
