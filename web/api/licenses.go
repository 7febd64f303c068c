package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/delivery/license"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
)

// Delivery is one thing the marketplace does for a bought line
// (docs/delivery.md).
type Delivery struct {
	ID        string    `json:"id" example:"dlv_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	LineNo    int       `json:"line_no"`
	Action    string    `json:"action" enum:"open,renew,upgrade,freeze,release" doc:"open: deliver what was bought; renew, upgrade: after a renewal or upgrade order; freeze: the term ended; release: the grace period ended or the line was refunded"`
	Cause     string    `json:"cause" doc:"What asked for it: an order id, a refund id, or a subscription's term"`
	State     string    `json:"state" enum:"waiting,done,failed" doc:"failed: tried until its deadline; a failed open is refunded in full"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error" doc:"Why the last attempt failed; empty once done"`
	GiveUpAt  time.Time `json:"give_up_at" doc:"Tried until then (3 hours for an open, 1 hour otherwise)"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func deliveryOf(d delivery.Delivery) Delivery {
	return Delivery{ID: d.ID, LineNo: d.LineNo, Action: string(d.Action), Cause: d.Cause, State: string(d.State), Attempts: d.Attempts,
		LastError: d.LastError, GiveUpAt: d.GiveUpAt, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

// License is an issued licence with its status now.
type License struct {
	ID          string     `json:"id" example:"lic_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	OrderID     string     `json:"order_id"`
	LineNo      int        `json:"line_no"`
	ProductID   string     `json:"product_id"`
	Plan        string     `json:"plan"`
	BuyerOrgID  string     `json:"buyer_org_id"`
	Unit        string     `json:"unit" enum:"seats,cores"`
	Quantity    int        `json:"quantity" doc:"Seats or cores granted"`
	ValidFrom   time.Time  `json:"valid_from"`
	ValidUntil  *time.Time `json:"valid_until" nullable:"true" doc:"null: perpetual"`
	Version     int        `json:"version" doc:"1 when issued, one more with each renewal or upgrade"`
	Status      string     `json:"status" enum:"ALIVE,EXPIRED,RELEASED"`
	KeyID       string     `json:"key_id" doc:"The published key that signed it"`
	License     string     `json:"license" doc:"The signed licence (a compact JWS, EdDSA): what the seller's software holds"`
	MachineID   string     `json:"machine_id" doc:"The machine it is activated on; empty when not activated"`
	ActivatedAt *time.Time `json:"activated_at" nullable:"true"`
	LastSeenAt  *time.Time `json:"last_seen_at" nullable:"true" doc:"Its last heartbeat"`
	IssuedAt    time.Time  `json:"issued_at" doc:"When its latest document was signed"`
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func licenseOf(l market.LicenseView) License {
	return License{ID: l.ID, OrderID: l.OrderID, LineNo: l.LineNo, ProductID: l.ProductID, Plan: l.Plan, BuyerOrgID: l.Buyer, Unit: l.Unit,
		Quantity: l.Quantity, ValidFrom: l.ValidFrom, ValidUntil: optionalTime(l.ValidUntil), Version: l.Version, Status: string(l.Status),
		KeyID: l.KeyID, License: l.Token, MachineID: l.MachineID, ActivatedAt: optionalTime(l.ActivatedAt), LastSeenAt: optionalTime(l.LastSeenAt),
		IssuedAt: l.IssuedAt}
}

func licensesOf(list []market.LicenseView) *licensesOutput {
	out := &licensesOutput{}
	out.Body.Licenses = make([]License, 0, len(list))
	for _, l := range list {
		out.Body.Licenses = append(out.Body.Licenses, licenseOf(l))
	}
	return out
}

type deliveriesOutput struct {
	Body struct {
		Deliveries []Delivery `json:"deliveries"`
	}
}

type keySetOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         license.KeySet
}

type rotatedKeyOutput struct {
	Body struct {
		KeyID string `json:"key_id" doc:"The new signing key's id"`
	}
}

type licensesOutput struct {
	Body struct {
		Licenses []License `json:"licenses" doc:"Newest first"`
	}
}

type licenseOutput struct{ Body License }

type licenseIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type checkInput struct {
	Body struct {
		License   string `json:"license" minLength:"1" maxLength:"8192" doc:"The signed licence the software holds"`
		MachineID string `json:"machine_id" minLength:"1" maxLength:"200" doc:"A stable id of the machine it runs on" example:"3f2a9c1e-host-01"`
	}
}

type checkOutput struct{ Body market.CheckAnswer }

func (h handlers) licenses(a huma.API) {
	tags := []string{"Delivery"}
	huma.Register(a, huma.Operation{
		OperationID: "list-order-deliveries", Method: http.MethodGet, Path: "/api/v1/orders/{id}/deliveries",
		Summary: "What the marketplace did, and does, to deliver an order", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "Each line's deliveries in the order they run: its buyers and operators see all; a seller sees those of its lines.",
	}, func(ctx context.Context, in *orderIDInput) (*deliveriesOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		list, err := h.svc.Deliveries(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		out := &deliveriesOutput{}
		out.Body.Deliveries = make([]Delivery, 0, len(list))
		for _, d := range list {
			out.Body.Deliveries = append(out.Body.Deliveries, deliveryOf(d))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "license-keys", Method: http.MethodGet, Path: "/api/v1/license/keys",
		Summary: "The marketplace's licence signing keys (a JWK set)", Tags: tags,
		Description: "Every Ed25519 key that ever signed a licence, the one signing now first, as RFC 8037 JWKs with their key ids. " +
			"A licence names its key in its header (kid); keys are only ever added, so licences signed before a rotation stay valid. " +
			"Verify offline with any JOSE library (alg EdDSA), the Go package github.com/cloudmart/cloudmart/delivery/license, " +
			"or `cloudmart license verify`.",
	}, func(ctx context.Context, _ *struct{}) (*keySetOutput, error) {
		keys, err := h.svc.LicenseKeys(ctx)
		if err != nil {
			return nil, err
		}
		return &keySetOutput{CacheControl: "public, max-age=300", Body: keys}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "rotate-license-key", Method: http.MethodPost, Path: "/api/v1/license/keys",
		Summary: "Make a new licence signing key (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403},
		Description: "Licences are signed with the new key from now on; the old keys stay published, so licences signed with them stay valid.",
	}, func(ctx context.Context, _ *struct{}) (*rotatedKeyOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		kid, err := h.svc.RotateLicenseKey(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &rotatedKeyOutput{}
		out.Body.KeyID = kid
		return out, nil
	})

	// What a seller's software sends: no sign-in, the signed licence is the credential.
	checks := []struct {
		id, path, summary, description string
		do                             func(context.Context, market.Check) (market.CheckAnswer, error)
	}{
		{"activate-license", "/api/v1/licenses/activate", "Activate a licence on a machine (the seller's software)",
			"No sign-in: the signed licence is the credential. Binds the licence to the machine and answers its status " +
				"(ALIVE) and its latest signed document. Activating again on the same machine answers the same; another machine is " +
				"refused with 409 conflict (error.license_in_use) until the buyer frees the licence; an expired or released licence " +
				"with 409 invalid_state. A licence not signed by a published key, or changed, is 400 invalid on license with the reason.",
			h.svc.ActivateLicense},
		{"license-heartbeat", "/api/v1/licenses/heartbeat", "Check a licence (the seller's software, daily)",
			"Answers status ALIVE, EXPIRED (its term ended; a renewal brings a new document, answered in license) or " +
				"RELEASED (refunded or ended for good: stop), and the latest signed document, which the software should keep. " +
				"From a machine other than the one it is activated on: 409 conflict.",
			h.svc.LicenseHeartbeat},
	}
	for _, c := range checks {
		huma.Register(a, huma.Operation{
			OperationID: c.id, Method: http.MethodPost, Path: c.path, Summary: c.summary, Description: c.description,
			Tags: tags, MaxBodyBytes: MaxBody, Errors: []int{400, 404, 409},
		}, func(ctx context.Context, in *checkInput) (*checkOutput, error) {
			ans, err := c.do(ctx, market.Check{License: in.Body.License, MachineID: in.Body.MachineID})
			if err != nil {
				return nil, err
			}
			return &checkOutput{Body: ans}, nil
		})
	}

	huma.Register(a, huma.Operation{
		OperationID: "list-licenses", Method: http.MethodGet, Path: "/api/v1/licenses",
		Summary: "A customer organisation's licences", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "Every licence issued to the organisation (its buyers; operators give any org_id), with its status and signed document.",
	}, func(ctx context.Context, in *subscriptionsInput) (*licensesOutput, error) {
		actor := actorOf(ctx)
		org, err := market.BuyingOrg(actor, in.OrgID)
		if err != nil {
			return nil, err
		}
		list, err := h.svc.Licenses(ctx, actor, store.LicenseFilter{BuyerOrgID: org})
		return licensesOf(list), err
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-seller-licenses", Method: http.MethodGet, Path: "/api/v1/seller/licenses",
		Summary: "Licences issued for the seller's products, with their activations", Tags: tags, Security: bearer, Errors: []int{401, 403},
	}, func(ctx context.Context, _ *struct{}) (*licensesOutput, error) {
		list, err := h.svc.SellerLicenses(ctx, actorOf(ctx))
		return licensesOf(list), err
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-license", Method: http.MethodGet, Path: "/api/v1/licenses/{id}",
		Summary: "A licence", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "For its customer's buyers, its product's seller and operators; anyone else gets 404.",
	}, func(ctx context.Context, in *licenseIDInput) (*licenseOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		l, err := h.svc.License(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &licenseOutput{Body: licenseOf(l)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "reset-license-machine", Method: http.MethodPost, Path: "/api/v1/licenses/{id}/reset-machine",
		Summary: "Free a licence from its machine, to activate it on another", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "For its customer's buyers. Answers the licence.",
	}, func(ctx context.Context, in *licenseIDInput) (*licenseOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		if err := h.svc.ResetLicenseMachine(ctx, actorOf(ctx), in.ID); err != nil {
			return nil, err
		}
		l, err := h.svc.License(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &licenseOutput{Body: licenseOf(l)}, nil
	})
}
