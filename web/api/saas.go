package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/usage"
)

// SaaSInstance is an instance a seller opened for a SaaS line, as its buyers
// see it (docs/saas-protocol.md).
type SaaSInstance struct {
	OrderID       string     `json:"order_id"`
	LineNo        int        `json:"line_no"`
	ProductID     string     `json:"product_id"`
	ProductName   Text       `json:"product_name"`
	Plan          string     `json:"plan"`
	InstanceID    string     `json:"instance_id" doc:"The seller's id of the instance"`
	State         string     `json:"state" enum:"opening,normal,frozen,released,failed" doc:"opening: the seller is still opening it"`
	Trial         bool       `json:"trial" doc:"Opened as a free trial, not converted yet"`
	FrontEndURL   string     `json:"front_end_url" doc:"Where the buyer signs in"`
	AdminURL      string     `json:"admin_url"`
	UserName      string     `json:"user_name"`
	HasPassword   bool       `json:"has_password" doc:"An initial password can be revealed, once"`
	PasswordShown *time.Time `json:"password_shown_at" nullable:"true" doc:"When the initial password was revealed"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

func saasInstanceOf(v market.SaaSInstanceView) SaaSInstance {
	return SaaSInstance{OrderID: v.OrderID, LineNo: v.LineNo, ProductID: v.ProductID, ProductName: Text(v.ProductName), Plan: v.Plan,
		InstanceID: v.InstanceID, State: string(v.State), Trial: v.Trial, FrontEndURL: v.FrontEndURL, AdminURL: v.AdminURL, UserName: v.UserName,
		HasPassword: v.HasPassword, PasswordShown: optionalTime(v.PasswordShown), CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
}

// SaaSExchange is one call to a production endpoint and its answer.
type SaaSExchange struct {
	ID                string    `json:"id"`
	DeliveryID        string    `json:"delivery_id" doc:"Empty for a test order"`
	OrderID           string    `json:"order_id" doc:"Empty for a test order"`
	LineNo            int       `json:"line_no"`
	ProductID         string    `json:"product_id"`
	Activity          string    `json:"activity" enum:"newInstance,refreshInstance,updateInstanceStatus,upgradeInstance,releaseInstance,queryInstance"`
	URL               string    `json:"url" doc:"The endpoint, without the signing parameters"`
	RequestBody       string    `json:"request_body"`
	HTTPStatus        int       `json:"http_status" doc:"0 when no answer came"`
	ResponseBody      string    `json:"response_body" doc:"Cut to 64 KiB"`
	ResponseTruncated bool      `json:"response_truncated"`
	ResultCode        string    `json:"result_code" doc:"Empty when no signed, readable answer came"`
	Error             string    `json:"error" doc:"Why the call failed; empty on 000000"`
	Test              bool      `json:"test" doc:"A test order sent by the seller"`
	StartedAt         time.Time `json:"started_at"`
	DurationMS        float64   `json:"duration_ms"`
}

func saasExchangeOf(e store.SaaSExchange) SaaSExchange {
	return SaaSExchange{ID: e.ID, DeliveryID: e.DeliveryID, OrderID: e.OrderID, LineNo: e.LineNo, ProductID: e.ProductID, Activity: e.Activity,
		URL: e.URL, RequestBody: e.RequestBody, HTTPStatus: e.HTTPStatus, ResponseBody: e.ResponseBody, ResponseTruncated: e.ResponseTruncated,
		ResultCode: e.ResultCode, Error: e.Error, Test: e.Test, StartedAt: e.StartedAt, DurationMS: float64(e.Duration.Microseconds()) / 1000}
}

type orderLineInput struct {
	ID     string `path:"id" maxLength:"64"`
	LineNo int    `path:"no" minimum:"1" maximum:"1000"`
}

type saasInstanceOutput struct{ Body SaaSInstance }

type saasInstancesOutput struct {
	Body struct {
		Instances []SaaSInstance `json:"instances" doc:"Newest first"`
	}
}

type saasPasswordOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Password string `json:"password" doc:"The initial password; it is never shown again"`
	}
}

type exchangesInput struct {
	ProductID  string    `query:"product_id" maxLength:"64" doc:"One product's calls; all the seller's when left out"`
	DeliveryID string    `query:"delivery_id" maxLength:"64" doc:"One delivery's calls"`
	Before     time.Time `query:"before" doc:"Older than this (the started_at of the last one seen), for the next page"`
	Limit      int       `query:"limit" minimum:"0" maximum:"500" doc:"100 when left out"`
}

type exchangesOutput struct {
	Body struct {
		Exchanges []SaaSExchange `json:"exchanges" doc:"Newest first"`
	}
}

type exchangeOutput struct{ Body SaaSExchange }

type deliveryIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type deliveryOutput struct{ Body Delivery }

func (h handlers) saas(a huma.API) {
	h.usage(a)
	tags := []string{"SaaS"}
	huma.Register(a, huma.Operation{
		OperationID: "list-saas-instances", Method: http.MethodGet, Path: "/api/v1/saas/instances",
		Summary: "A customer organisation's SaaS instances", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "Every instance sellers opened for the organisation's SaaS lines, with how to reach it (its buyers; operators give any org_id).",
	}, func(ctx context.Context, in *subscriptionsInput) (*saasInstancesOutput, error) {
		actor := actorOf(ctx)
		org, err := market.BuyingOrg(actor, in.OrgID)
		if err != nil {
			return nil, err
		}
		list, err := h.svc.SaaSInstances(ctx, actor, org)
		if err != nil {
			return nil, err
		}
		out := &saasInstancesOutput{}
		out.Body.Instances = make([]SaaSInstance, 0, len(list))
		for _, v := range list {
			out.Body.Instances = append(out.Body.Instances, saasInstanceOf(v))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-saas-instance", Method: http.MethodGet, Path: "/api/v1/orders/{id}/lines/{no}/instance",
		Summary: "The SaaS instance of an order line", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "For the order's buyers, the line's seller and operators; 404 when the seller has not answered yet.",
	}, func(ctx context.Context, in *orderLineInput) (*saasInstanceOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		v, ok, err := h.svc.SaaSInstance(ctx, actorOf(ctx), in.ID, in.LineNo)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, huma.Error404NotFound("no instance opened for this line yet")
		}
		return &saasInstanceOutput{Body: saasInstanceOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "reveal-saas-password", Method: http.MethodPost, Path: "/api/v1/orders/{id}/lines/{no}/instance/password",
		Summary: "Reveal a SaaS instance's initial password, once", Tags: tags, Security: bearer, Errors: []int{401, 404, 409},
		Description: "For the order's buyers. The first call answers the password the seller gave; every later call is 409 " +
			"invalid_state (error.saas_password_shown). The reveal is in the audit log.",
	}, func(ctx context.Context, in *orderLineInput) (*saasPasswordOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		pw, err := h.svc.RevealSaaSPassword(ctx, actorOf(ctx), in.ID, in.LineNo)
		if err != nil {
			return nil, err
		}
		out := &saasPasswordOutput{CacheControl: "no-store"}
		out.Body.Password = pw
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-saas-exchanges", Method: http.MethodGet, Path: "/api/v1/seller/saas/exchanges",
		Summary: "Production interface messages: every call made to the seller's endpoints", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "Each call with its request body, HTTP status, answer (cut to 64 KiB), result code, error, time and duration; newest first. " +
			"Signatures and keys are never kept.",
	}, func(ctx context.Context, in *exchangesInput) (*exchangesOutput, error) {
		list, err := h.svc.SaaSExchanges(ctx, actorOf(ctx), market.ExchangeQuery{ProductID: in.ProductID, DeliveryID: in.DeliveryID, Before: in.Before, Limit: in.Limit})
		if err != nil {
			return nil, err
		}
		out := &exchangesOutput{}
		out.Body.Exchanges = make([]SaaSExchange, 0, len(list))
		for _, e := range list {
			out.Body.Exchanges = append(out.Body.Exchanges, saasExchangeOf(e))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "retry-delivery", Method: http.MethodPost, Path: "/api/v1/seller/deliveries/{id}/retry",
		Summary: "Try a waiting or failed delivery again", Tags: tags, Security: bearer, Errors: []int{401, 404, 409},
		Description: "For the seller of the line: the delivery is waiting again with a new deadline and is queued at once. " +
			"A done delivery, or a failed opening whose line was refunded, is 409 invalid_state.",
	}, func(ctx context.Context, in *deliveryIDInput) (*deliveryOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		d, err := h.svc.RetryDelivery(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &deliveryOutput{Body: deliveryOf(d)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "send-saas-test-order", Method: http.MethodPost, Path: "/api/v1/seller/products/{id}/test-order",
		Summary: "Send a test order (newInstance with testFlag true) to a product's endpoint", Tags: tags, Security: bearer, Errors: []int{401, 404, 409},
		Description: "No order, no money: the call goes to the endpoint of the product's latest revision, and the exchange is answered " +
			"(and kept with the others). A failed call is a 200 whose exchange says why.",
	}, func(ctx context.Context, in *productIDInput) (*exchangeOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		ex, err := h.svc.SendTestOrder(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &exchangeOutput{Body: saasExchangeOf(ex)}, nil
	})
}

type usageInput struct {
	Body struct {
		Records []usage.Record `json:"records" doc:"Up to 1,000 records. Each is one instance's usage within one clock hour (UTC), at most 48 hours late; record_id (unique among the seller's records) makes it idempotent; an adjustment names the record it corrects in adjusts and may be negative"`
	}
}

type usageOutput struct {
	Body struct {
		Results []market.UsageResult `json:"results" doc:"One per record, in the order sent"`
	}
}

type instanceUsageInput struct {
	ID     string    `path:"id" maxLength:"64"`
	LineNo int       `path:"no" minimum:"1" maximum:"1000"`
	From   time.Time `query:"from" doc:"From this time (UTC day); 30 days ago when left out"`
	To     time.Time `query:"to" doc:"Before this time; now when left out"`
}

// UsageDay is an instance's usage and charges of one day (UTC).
type UsageDay struct {
	Day      string `json:"day" example:"2026-03-10"`
	Quantity int64  `json:"quantity" doc:"Reported on that day, adjustments included"`
	Charged  Money  `json:"charged" doc:"Charged by the ratings made that day"`
}

type instanceUsageOutput struct {
	Body struct {
		Unit string     `json:"unit"`
		Days []UsageDay `json:"days"`
	}
}

type reconciliationInput struct {
	Period string `query:"period" required:"true" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"The billing month, YYYY-MM (UTC)"`
}

// Reconciliation is one instance's billing month for the seller.
type Reconciliation struct {
	OrderID    string `json:"order_id"`
	LineNo     int    `json:"line_no"`
	InstanceID string `json:"instance_id"`
	ProductID  string `json:"product_id"`
	Period     string `json:"period"`
	Records    int    `json:"records" doc:"Records kept, adjustments included"`
	Reported   int64  `json:"reported" doc:"Their quantities summed"`
	Unrated    int64  `json:"unrated" doc:"Of which not rated yet (rated hourly; a balance short waits)"`
	Charged    *Money `json:"charged,omitempty" doc:"Charged to the buyer so far; left out when nothing was rated"`
}

type reconciliationOutput struct {
	Body struct {
		Instances []Reconciliation `json:"instances"`
	}
}

func (h handlers) usage(a huma.API) {
	tags := []string{"Usage"}
	huma.Register(a, huma.Operation{
		OperationID: "report-usage", Method: http.MethodPost, Path: "/api/v1/usage",
		Summary: "Report the usage of pay-per-use SaaS instances (sellers)", Tags: tags, Security: bearer, MaxBodyBytes: 1 << 20,
		Errors: []int{400, 401, 403},
		Description: "Up to 1,000 records (more is 400 invalid, error.usage_batch). The answer lists each record as accepted or " +
			"rejected with a reason: record_conflict (the record_id was used for other usage), too_late (ended more than 48 hours ago), " +
			"in_future, quantity_negative (use an adjustment), unknown_instance (not an instance of your products), not_metered, unit, " +
			"period (not within one clock hour), adjusts_unknown, adjustment_below_zero. A record sent again unchanged is accepted " +
			"once (duplicate true). Accepted usage is rated hourly and charged to the buyer (docs/usage.md).",
	}, func(ctx context.Context, in *usageInput) (*usageOutput, error) {
		res, err := h.svc.ReportUsage(ctx, actorOf(ctx), in.Body.Records)
		if err != nil {
			return nil, err
		}
		out := &usageOutput{}
		out.Body.Results = res
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-instance-usage", Method: http.MethodGet, Path: "/api/v1/orders/{id}/lines/{no}/usage",
		Summary: "A SaaS instance's usage and charges per day", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "For the order's buyers, the line's seller and operators.",
	}, func(ctx context.Context, in *instanceUsageInput) (*instanceUsageOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		to := in.To
		if to.IsZero() {
			to = time.Now()
		}
		from := in.From
		if from.IsZero() {
			from = to.AddDate(0, 0, -30)
		}
		unit, days, err := h.svc.InstanceUsage(ctx, actorOf(ctx), in.ID, in.LineNo, from, to)
		if err != nil {
			return nil, err
		}
		out := &instanceUsageOutput{}
		out.Body.Unit, out.Body.Days = unit, make([]UsageDay, 0, len(days))
		for _, d := range days {
			out.Body.Days = append(out.Body.Days, UsageDay{Day: d.Day.Format("2006-01-02"), Quantity: d.Quantity, Charged: moneyOf(d.Charged)})
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "usage-reconciliation", Method: http.MethodGet, Path: "/api/v1/seller/usage/reconciliation",
		Summary: "The seller's usage reconciliation of a billing month", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "Per instance: the records kept, the usage reported and not yet rated, and what was charged.",
	}, func(ctx context.Context, in *reconciliationInput) (*reconciliationOutput, error) {
		list, err := h.svc.UsageReconciliation(ctx, actorOf(ctx), in.Period)
		if err != nil {
			return nil, err
		}
		out := &reconciliationOutput{}
		out.Body.Instances = make([]Reconciliation, 0, len(list))
		for _, r := range list {
			rec := Reconciliation{OrderID: r.OrderID, LineNo: r.LineNo, InstanceID: r.InstanceID, ProductID: r.ProductID, Period: r.Period,
				Records: r.Records, Reported: r.Reported, Unrated: r.Unrated}
			if r.Charged.Currency != "" {
				m := moneyOf(r.Charged)
				rec.Charged = &m
			}
			out.Body.Instances = append(out.Body.Instances, rec)
		}
		return out, nil
	})
}
