package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/market"
)

// Instance is a cloud server delivered for one unit of an image line
// (docs/compute.md). It never carries the password: its buyer asks for it
// once with POST /api/v1/instances/{id}/password.
type Instance struct {
	ID              string     `json:"id" example:"ins_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	OrderID         string     `json:"order_id"`
	LineNo          int        `json:"line_no"`
	UnitNo          int        `json:"unit_no" doc:"1 … the line's quantity"`
	ProductID       string     `json:"product_id"`
	ProductName     Texts      `json:"product_name"`
	BuyerOrgID      string     `json:"buyer_org_id"`
	SellerOrgID     string     `json:"seller_org_id"`
	State           string     `json:"state" enum:"creating,running,stopped,deleted,failed" doc:"creating: booting (or made again after a failed server); stopped: its term ended, kept for the grace period; deleted: the grace period ended or it was refunded; failed: the cloud refused it"`
	Address         string     `json:"address" doc:"Where to log in; empty until it runs, and once deleted" example:"203.0.113.7"`
	LoginUser       string     `json:"login_user" example:"ubuntu"`
	Flavor          string     `json:"flavor" example:"c7.large.2"`
	Region          string     `json:"region" example:"cn-north-4"`
	ImageRef        string     `json:"image_ref" example:"img-bluepeak-waf-2611"`
	PasswordReady   bool       `json:"password_ready" doc:"The buyer may still see the password, once"`
	PasswordShownAt *time.Time `json:"password_shown_at" nullable:"true" doc:"When the buyer saw it; it is not kept after"`
	LastError       string     `json:"last_error" doc:"Why the last try failed"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

func instanceOf(in market.InstanceView) Instance {
	return Instance{ID: in.ID, OrderID: in.OrderID, LineNo: in.LineNo, UnitNo: in.UnitNo, ProductID: in.ProductID,
		ProductName: Texts{EN: in.ProductName.EN, ZH: in.ProductName.ZH}, BuyerOrgID: in.BuyerOrgID, SellerOrgID: in.SellerOrgID,
		State: string(in.State), Address: in.Address, LoginUser: in.LoginUser, Flavor: in.Flavor, Region: in.Region, ImageRef: in.ImageRef,
		PasswordReady: in.PasswordReady, PasswordShownAt: optionalTime(in.PasswordShownAt), LastError: in.LastError,
		CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt}
}

type instancesOutput struct {
	Body struct {
		Instances []Instance `json:"instances" doc:"The newest order's first, each order's by line and unit"`
	}
}

func instancesOf(list []market.InstanceView) *instancesOutput {
	out := &instancesOutput{}
	out.Body.Instances = make([]Instance, 0, len(list))
	for _, in := range list {
		out.Body.Instances = append(out.Body.Instances, instanceOf(in))
	}
	return out
}

type instanceOutput struct{ Body Instance }

type instanceIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type passwordOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		LoginUser string `json:"login_user" example:"ubuntu"`
		Password  string `json:"password" doc:"The login password. Shown this once: keep it now" example:"k7!Qz2-Lm9@vRt4:pX8w"`
	}
}

type instanceHoursInput struct {
	ID     string `path:"id" maxLength:"64"`
	Period string `query:"period" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"The billing month, YYYY-MM (UTC); the current one when left out"`
}

// HoursDay is an instance's running time and charges of one day (UTC).
type HoursDay struct {
	Day     string `json:"day" example:"2026-11-25"`
	Seconds int64  `json:"seconds" doc:"Running time recorded that day (hours that ended), in seconds"`
	Charged Money  `json:"charged" doc:"Charged by the ratings made that day"`
}

// InstanceHours is what an instance of a pay-per-use image ran and was
// charged in a billing month (docs/compute.md, "Billing pay-per-use images").
type InstanceHours struct {
	Metered bool       `json:"metered" doc:"Its plan is pay-per-use: billed by the hour. When false, nothing else is given"`
	Period  string     `json:"period" example:"2026-11"`
	Unit    string     `json:"unit,omitempty" doc:"The plan's usage unit: one per hour billed" example:"hour"`
	Seconds int64      `json:"seconds" doc:"Running time recorded in the month (hours that ended), in seconds"`
	Unrated int64      `json:"unrated_seconds" doc:"Of which not charged yet: the balance did not cover it"`
	Hours   int64      `json:"hours" doc:"Hours charged for the month so far: its charged running time rounded up to whole hours"`
	Charged *Money     `json:"charged,omitempty" doc:"Charged for the month so far"`
	RatedAt *time.Time `json:"rated_at,omitempty" nullable:"true" doc:"The month's last rating"`
	Days    []HoursDay `json:"days" doc:"The days it ran or was charged, oldest first"`
}

type instanceHoursOutput struct{ Body InstanceHours }

type hoursReconciliationInput struct {
	Period string `query:"period" required:"true" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"The billing month, YYYY-MM (UTC)"`
}

// HoursReconciliation is one instance's billing month for its seller.
type HoursReconciliation struct {
	InstanceID string `json:"instance_id"`
	OrderID    string `json:"order_id"`
	LineNo     int    `json:"line_no"`
	UnitNo     int    `json:"unit_no"`
	ProductID  string `json:"product_id"`
	Period     string `json:"period"`
	Seconds    int64  `json:"seconds" doc:"Running time recorded, in seconds"`
	Unrated    int64  `json:"unrated_seconds" doc:"Of which not charged yet"`
	Hours      int64  `json:"hours" doc:"Hours charged so far"`
	Charged    *Money `json:"charged,omitempty" doc:"Charged to the buyer so far; left out when nothing was rated"`
}

type hoursReconciliationOutput struct {
	Body struct {
		Instances []HoursReconciliation `json:"instances"`
	}
}

func instanceHoursOf(v market.InstanceHours) InstanceHours {
	out := InstanceHours{Metered: v.Metered, Period: v.Period, Unit: v.Unit, Seconds: v.Seconds, Unrated: v.Unrated, Hours: v.Hours,
		RatedAt: optionalTime(v.RatedAt), Days: make([]HoursDay, 0, len(v.Days))}
	if v.Metered {
		m := moneyOf(v.Charged)
		out.Charged = &m
	}
	for _, d := range v.Days {
		out.Days = append(out.Days, HoursDay{Day: d.Day.Format("2006-01-02"), Seconds: d.Seconds, Charged: moneyOf(d.Charged)})
	}
	return out
}

func (h handlers) instances(a huma.API) {
	tags := []string{"Delivery"}
	huma.Register(a, huma.Operation{
		OperationID: "list-instances", Method: http.MethodGet, Path: "/api/v1/instances",
		Summary: "A customer organisation's instances (image products)", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "Every server delivered for the organisation's image lines, one per unit, with its state, address and login user " +
			"(its buyers; operators give any org_id).",
	}, func(ctx context.Context, in *subscriptionsInput) (*instancesOutput, error) {
		actor := actorOf(ctx)
		org, err := market.BuyingOrg(actor, in.OrgID)
		if err != nil {
			return nil, err
		}
		list, err := h.svc.Instances(ctx, actor, org)
		if err != nil {
			return nil, err
		}
		return instancesOf(list), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-seller-instances", Method: http.MethodGet, Path: "/api/v1/seller/instances",
		Summary: "Instances delivered for the seller's image products", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "For the seller company's people; never with passwords.",
	}, func(ctx context.Context, _ *struct{}) (*instancesOutput, error) {
		list, err := h.svc.SellerInstances(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		return instancesOf(list), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-instance", Method: http.MethodGet, Path: "/api/v1/instances/{id}",
		Summary: "An instance", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "For its customer's buyers, its product's seller and operators; anyone else gets 404.",
	}, func(ctx context.Context, in *instanceIDInput) (*instanceOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		v, err := h.svc.Instance(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &instanceOutput{Body: instanceOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-instance-hours", Method: http.MethodGet, Path: "/api/v1/instances/{id}/hours",
		Summary: "An instance's running hours and charges in a month", Tags: tags, Security: bearer, Errors: []int{400, 401, 404},
		Description: "For an instance of a pay-per-use image: its running time per day, the hours charged (the month's running " +
			"time, to the second, rounded up to whole hours) and what they cost. For its customer's buyers, its product's seller " +
			"and operators; anyone else gets 404.",
	}, func(ctx context.Context, in *instanceHoursInput) (*instanceHoursOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		v, err := h.svc.ImageInstanceHours(ctx, actorOf(ctx), in.ID, in.Period)
		if err != nil {
			return nil, err
		}
		return &instanceHoursOutput{Body: instanceHoursOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "seller-instance-hours", Method: http.MethodGet, Path: "/api/v1/seller/instances/hours",
		Summary: "The seller's reconciliation of image hours in a month", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "Per instance of the seller's pay-per-use images that ran in the month: the running time recorded, what of it " +
			"is not charged yet, the hours charged and the amount.",
	}, func(ctx context.Context, in *hoursReconciliationInput) (*hoursReconciliationOutput, error) {
		list, err := h.svc.ImageHoursReconciliation(ctx, actorOf(ctx), in.Period)
		if err != nil {
			return nil, err
		}
		out := &hoursReconciliationOutput{}
		out.Body.Instances = make([]HoursReconciliation, 0, len(list))
		for _, r := range list {
			rec := HoursReconciliation{InstanceID: r.InstanceID, OrderID: r.OrderID, LineNo: r.LineNo, UnitNo: r.UnitNo, ProductID: r.ProductID,
				Period: r.Period, Seconds: r.Seconds, Unrated: r.Unrated, Hours: r.Quantity}
			if r.Charged.Currency != "" {
				m := moneyOf(r.Charged)
				rec.Charged = &m
			}
			out.Body.Instances = append(out.Body.Instances, rec)
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "release-instances", Method: http.MethodPost, Path: "/api/v1/instances/{id}/release",
		DefaultStatus: http.StatusAccepted,
		Summary:       "Delete the servers of an instance's line (its buyers)", Tags: tags, Security: bearer, Errors: []int{401, 404, 409},
		Description: "Ends the line the instance belongs to: a release deletes every server of the line (all its units) shortly " +
			"(see the order's deliveries), a subscription of the line is released, so nothing more is renewed, and a pay-per-use " +
			"line is billed only for the time its servers ran. Nothing paid is given back: ask for a refund on the order for that. " +
			"Answers 202 with the instance; asking again changes nothing; once deleted, 409 invalid_state (error.instance_released). " +
			"Anyone but the customer's buyers gets 404.",
	}, func(ctx context.Context, in *instanceIDInput) (*instanceOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		actor := actorOf(ctx)
		if err := h.svc.ReleaseInstances(ctx, actor, in.ID); err != nil {
			return nil, err
		}
		v, err := h.svc.Instance(ctx, actor, in.ID)
		if err != nil {
			return nil, err
		}
		return &instanceOutput{Body: instanceOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "reveal-instance-password", Method: http.MethodPost, Path: "/api/v1/instances/{id}/password",
		Summary: "Show an instance's login password, once", Tags: tags, Security: bearer, Errors: []int{401, 404, 409},
		Description: "For its customer's buyers (anyone else gets 404), once the instance runs: the answer holds the password, " +
			"which the marketplace then forgets. Asked again: 409 invalid_state (error.password_shown); before the instance " +
			"runs: 409 invalid_state (error.instance_not_ready). Change a lost password on the server.",
	}, func(ctx context.Context, in *instanceIDInput) (*passwordOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		actor := actorOf(ctx)
		v, err := h.svc.Instance(ctx, actor, in.ID)
		if err != nil {
			return nil, err
		}
		pw, err := h.svc.RevealPassword(ctx, actor, in.ID)
		if err != nil {
			return nil, err
		}
		out := &passwordOutput{CacheControl: "no-store"}
		out.Body.LoginUser, out.Body.Password = v.LoginUser, pw
		return out, nil
	})
}
