package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/subscription"
)

// Subscription is a monthly or yearly order line kept running: renewed,
// frozen at expiry, released (docs/buying.md).
type Subscription struct {
	ID          string     `json:"id" example:"sub_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	OrderID     string     `json:"order_id" doc:"The order that started it"`
	LineNo      int        `json:"line_no" doc:"Its line in that order"`
	ProductID   string     `json:"product_id"`
	Plan        string     `json:"plan" doc:"The plan's code now (an upgrade changes it)" example:"monthly"`
	Mode        string     `json:"mode" enum:"monthly,yearly"`
	Quantity    int        `json:"quantity"`
	Region      string     `json:"region" example:"cn-north-4"`
	Zone        string     `json:"zone" doc:"The IANA time zone of the region: periods are its calendar months" example:"Asia/Shanghai"`
	State       string     `json:"state" enum:"trial,active,frozen,released" doc:"frozen: expired, in the grace period (the instance is frozen; renewing restores it); released: ended"`
	AutoRenew   bool       `json:"auto_renew" doc:"A renewal order for one period is paid from the balance 3 days before period_end"`
	PeriodStart time.Time  `json:"period_start" doc:"Of the current term (or the trial)"`
	PeriodEnd   time.Time  `json:"period_end"`
	Periods     int        `json:"periods" doc:"Months or years in the current term; 0 in a trial"`
	GraceUntil  *time.Time `json:"grace_until" nullable:"true" doc:"While frozen: period_end + 15 days, when it is released unless renewed; null otherwise"`
}

func subscriptionOf(s subscription.Subscription) Subscription {
	out := Subscription{ID: s.ID, OrderID: s.OrderID, LineNo: s.LineNo, ProductID: s.ProductID, Plan: s.Plan, Mode: string(s.Mode),
		Quantity: s.Quantity, Region: s.Region, Zone: s.Zone, State: string(s.State), AutoRenew: s.AutoRenew,
		PeriodStart: s.PeriodStart, PeriodEnd: s.PeriodEnd, Periods: s.Periods}
	if s.State == subscription.Frozen {
		t := s.PeriodEnd.Add(subscription.Grace)
		out.GraceUntil = &t
	}
	return out
}

type subscriptionsInput struct {
	OrgID string `query:"org_id" maxLength:"64" doc:"The customer organisation; may be left out when the caller is a buyer in only one. Operators give any"`
}

type subscriptionsOutput struct {
	Body struct {
		Subscriptions []Subscription `json:"subscriptions" doc:"Every subscription of the organisation, released ones too, newest first"`
	}
}

type subscriptionOutput struct{ Body Subscription }

type autoRenewInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		AutoRenew bool `json:"auto_renew" doc:"true to renew from the balance before the term ends; false to let it expire"`
	}
}

type upgradeInput struct {
	ID             string `path:"id" maxLength:"64"`
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"Send one with every new upgrade and the same one when retrying it: the upgrade is made once"`
	Body           struct {
		Plan string `json:"plan" minLength:"1" maxLength:"64" doc:"The code of a dearer plan of the same product and billing mode" example:"pro"`
	}
}

type upgradeOutput struct {
	Location string `header:"Location" doc:"The upgrade order's address"`
	Body     Order
}

// afterBuying registers what follows a purchase: subscriptions, refunds
// and delivery.
func (h handlers) afterBuying(a huma.API) {
	h.subscriptions(a)
	h.refunds(a)
	h.licenses(a)
	h.instances(a)
	h.serviceOrders(a)
	h.saas(a)
	h.campaigns(a)
}

func (h handlers) subscriptions(a huma.API) {
	tags := []string{"Subscriptions"}
	huma.Register(a, huma.Operation{
		OperationID: "list-subscriptions", Method: http.MethodGet, Path: "/api/v1/subscriptions",
		Summary: "A customer organisation's subscriptions", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "Every monthly or yearly line the organisation bought, with its current plan, term, state and " +
			"auto-renewal (its buyers; operators give any org_id).",
	}, func(ctx context.Context, in *subscriptionsInput) (*subscriptionsOutput, error) {
		actor := actorOf(ctx)
		org, err := market.BuyingOrg(actor, in.OrgID)
		if err != nil {
			return nil, err
		}
		list, err := h.svc.Subscriptions(ctx, actor, org)
		if err != nil {
			return nil, err
		}
		out := &subscriptionsOutput{}
		out.Body.Subscriptions = make([]Subscription, 0, len(list))
		for _, s := range list {
			out.Body.Subscriptions = append(out.Body.Subscriptions, subscriptionOf(s))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "set-subscription-auto-renew", Method: http.MethodPut, Path: "/api/v1/subscriptions/{id}/auto-renew",
		Summary: "Turn a subscription's automatic renewal on or off", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 404, 409},
		Description: "For the buyers of the organisation that bought it; anyone else gets 404, as for a subscription that " +
			"does not exist. Answers the subscription. A released one is 409 invalid_state.",
	}, func(ctx context.Context, in *autoRenewInput) (*subscriptionOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		s, err := h.svc.SetAutoRenew(ctx, actorOf(ctx), in.ID, in.Body.AutoRenew)
		if err != nil {
			return nil, err
		}
		return &subscriptionOutput{Body: subscriptionOf(s)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "upgrade-subscription", Method: http.MethodPost, Path: "/api/v1/subscriptions/{id}/upgrade",
		DefaultStatus: http.StatusCreated, Summary: "Move a subscription to a dearer plan, paying the difference pro rata",
		Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 402, 404, 409},
		Description: "For the buyers of the organisation that bought it (anyone else gets 404). The new plan must be a " +
			"dearer plan of the same product, billing mode and currency (else 400 on plan); it costs the price difference × " +
			"quantity × periods of the term × the share of the term left, paid from the balance now with an order of kind " +
			"upgrade: 201 with the order and its Location. Only an active subscription is upgraded (409 invalid_state in a " +
			"trial, frozen or released); a balance that does not cover it is 402 insufficient_funds and nothing changes. " +
			"Send an Idempotency-Key and the same one when retrying: the same key for the same subscription and plan returns " +
			"the upgrade's order (201 again), the key with another upgrade is 422 idempotency_conflict. Without a key an " +
			"upgrade is still charged once: once the subscription is on the plan, the same upgrade again is 400 on plan.",
	}, func(ctx context.Context, in *upgradeInput) (*upgradeOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		o, err := h.svc.Upgrade(ctx, actorOf(ctx), in.ID, in.Body.Plan, in.IdempotencyKey)
		if err != nil {
			return nil, err
		}
		return &upgradeOutput{Location: orderURL(o.ID), Body: orderOf(o)}, nil
	})
}
