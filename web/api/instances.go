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
