package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
)

// SellerProduct is a product as its seller and the operators see it: where it
// stands in review, the revision on sale (or delisted) and the one in the
// works, each with its content, and what the one in the works changes.
type SellerProduct struct {
	ID        string    `json:"id" example:"prd_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	Type      string    `json:"type" enum:"image,saas,license,professional_service"`
	Seller    SellerRef `json:"seller"`
	Live      *Revision `json:"live" doc:"The revision published or delisted; null until first approved"`
	Pending   *Revision `json:"pending" doc:"The revision in the works (draft, in_review or rejected); null when none"`
	Changes   []Change  `json:"changes" doc:"What pending changes in live, field by field; empty without both"`
	Version   int       `json:"version" doc:"Counts every change: send it back with PUT to refuse a stale edit"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Revision is one version of a product's content and where it stands.
type Revision struct {
	Number      int            `json:"number" example:"2"`
	State       string         `json:"state" enum:"draft,in_review,published,rejected,delisted,superseded"`
	Reason      string         `json:"reason" doc:"Why it was last rejected or delisted"`
	Content     ProductContent `json:"content"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	SubmittedAt *time.Time     `json:"submitted_at" nullable:"true"`
	DecidedAt   *time.Time     `json:"decided_at" nullable:"true"`
}

// Change is one difference between the published revision and the one in
// review. Field is the field's path ("name.zh", "plans[monthly].price");
// amounts read "CNY 199.00"; an added plan has an empty before and a removed
// one an empty after.
type Change struct {
	Field  string `json:"field" example:"plans[monthly].price"`
	Before string `json:"before" example:"CNY 199.00"`
	After  string `json:"after" example:"CNY 249.00"`
}

// ProductSummary is a row of a list of products.
type ProductSummary struct {
	ID        string         `json:"id"`
	Type      string         `json:"type" enum:"image,saas,license,professional_service"`
	Name      Texts          `json:"name" doc:"Of the revision in the works, or else of the live one"`
	Seller    SellerRef      `json:"seller"`
	Live      *RevisionState `json:"live" doc:"Null until first approved"`
	Pending   *RevisionState `json:"pending" doc:"Null when nothing is in the works"`
	UpdatedAt time.Time      `json:"updated_at"`
	Version   int            `json:"version"`
}

// RevisionState is where a revision stands.
type RevisionState struct {
	Number int    `json:"number"`
	State  string `json:"state" enum:"draft,in_review,published,rejected,delisted,superseded"`
	Reason string `json:"reason"`
}

// SellerRef names the seller of a product.
type SellerRef struct {
	ID   string `json:"id" doc:"The seller organisation" example:"org_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	Name string `json:"name" example:"Lakeside Data 湖畔数据"`
}

type productsOutput struct {
	Body struct {
		Products []ProductSummary `json:"products"`
	}
}

type productOutput struct{ Body SellerProduct }

type createProductInput struct {
	Body ProductContent
}

type createdProductOutput struct {
	Body struct {
		Product    SellerProduct `json:"product"`
		SigningKey string        `json:"signing_key,omitempty" doc:"SaaS only: the key that signs the delivery protocol's calls. Shown this once: store it now"`
	}
}

type productIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

// saveProductBody is the content with the version the seller edited.
type saveProductBody struct {
	ProductContent
	Version int `json:"version,omitempty" minimum:"0" doc:"The version edited: a change made meanwhile is refused with 409 (0 or absent skips the check)"`
}

type saveProductInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body saveProductBody
}

type delistInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body *struct {
		Reason string `json:"reason,omitempty" maxLength:"2000" doc:"Why; required of an operator, optional for the seller" example:"The product is discontinued."`
	}
}

type signingKeyOutput struct {
	Body struct {
		SigningKey string `json:"signing_key" doc:"The new key, shown this once; the old one stops working"`
	}
}

func (h handlers) sellerProducts(a huma.API) {
	tags := []string{"Seller products"}
	huma.Register(a, huma.Operation{
		OperationID: "list-my-products", Method: http.MethodGet, Path: "/api/v1/seller/products",
		Summary: "The products of the caller's company", Tags: tags, Security: bearer, Errors: []int{401, 403},
	}, func(ctx context.Context, _ *struct{}) (*productsOutput, error) {
		list, err := h.svc.SellerProducts(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		return productsOf(list), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "create-product", Method: http.MethodPost, Path: "/api/v1/seller/products", DefaultStatus: http.StatusCreated,
		Summary: "Start a product: its first revision, a draft", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403},
		Description: "Only an approved, unsuspended seller that declared the type among its offerings may list it (403). " +
			"A draft may leave anything out, but what is given must be well formed (400 names the field). " +
			"A SaaS product gets its signing key, answered this once as signing_key.",
	}, func(ctx context.Context, in *createProductInput) (*createdProductOutput, error) {
		p, err := in.Body.product()
		if err != nil {
			return nil, err
		}
		v, key, err := h.svc.CreateProduct(ctx, actorOf(ctx), p)
		if err != nil {
			return nil, err
		}
		out := &createdProductOutput{}
		out.Body.Product, out.Body.SigningKey = sellerProductOf(v), key
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-my-product", Method: http.MethodGet, Path: "/api/v1/seller/products/{id}",
		Summary: "One product of the caller's company, with its revisions", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "Another company's product is 404, as if it did not exist.",
	}, func(ctx context.Context, in *productIDInput) (*productOutput, error) {
		v, err := h.svc.SellerProduct(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &productOutput{Body: sellerProductOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "save-my-product", Method: http.MethodPut, Path: "/api/v1/seller/products/{id}",
		Summary: "Change a product's content", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 404, 409},
		Description: "Changes the draft or rejected revision in the works; for a published product, starts a new revision " +
			"while the published one stays on sale. 409 invalid_state while a revision is in review, and 409 conflict " +
			"when version is not the product's.",
	}, func(ctx context.Context, in *saveProductInput) (*productOutput, error) {
		p, err := in.Body.product()
		if err != nil {
			return nil, err
		}
		v, err := h.svc.SaveProduct(ctx, actorOf(ctx), in.ID, p, in.Body.Version)
		if err != nil {
			return nil, err
		}
		return &productOutput{Body: sellerProductOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "submit-my-product", Method: http.MethodPost, Path: "/api/v1/seller/products/{id}/submit",
		Summary: "Send the revision in the works to review, or relist a delisted product", Tags: tags, Security: bearer,
		Errors: []int{400, 401, 403, 404, 409, 422},
		Description: "The content must pass every rule of its type (400 names the field); the company must still be allowed " +
			"to sell the type (403) and have signed the Seller Agreement in force (422 requirements_not_met). The operators are told.",
	}, func(ctx context.Context, in *productIDInput) (*productOutput, error) {
		v, err := h.svc.SubmitProduct(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &productOutput{Body: sellerProductOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "delist-my-product", Method: http.MethodPost, Path: "/api/v1/seller/products/{id}/delist",
		Summary: "Take a product off sale", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors:      []int{400, 401, 404, 409},
		Description: "A revision in the works is unaffected. Submitting again relists the product through review.",
	}, func(ctx context.Context, in *delistInput) (*productOutput, error) {
		var reason string
		if in.Body != nil {
			reason = in.Body.Reason
		}
		v, err := h.svc.DelistProduct(ctx, actorOf(ctx), in.ID, reason)
		if err != nil {
			return nil, err
		}
		return &productOutput{Body: sellerProductOf(v)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "rotate-signing-key", Method: http.MethodPost, Path: "/api/v1/seller/products/{id}/signing-key",
		Summary: "Replace a SaaS product's signing key", Tags: tags, Security: bearer, Errors: []int{401, 404, 409},
		Description: "Answers the new key this once; the old one stops working. 409 invalid_state for a product that is not SaaS.",
	}, func(ctx context.Context, in *productIDInput) (*signingKeyOutput, error) {
		key, err := h.svc.RotateSigningKey(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		out := &signingKeyOutput{}
		out.Body.SigningKey = key
		return out, nil
	})
}

func sellerProductOf(v market.ProductView) SellerProduct {
	out := SellerProduct{ID: v.ID, Type: string(v.Type), Seller: SellerRef{ID: v.SellerOrgID, Name: v.SellerName},
		Live: revisionOf(v.Live), Pending: revisionOf(v.Pending), Changes: []Change{}, Version: v.Version,
		CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	for _, c := range v.Changes {
		out.Changes = append(out.Changes, Change{Field: c.Field, Before: c.Before, After: c.After})
	}
	return out
}

func revisionOf(r *catalog.RevisionRecord) *Revision {
	if r == nil {
		return nil
	}
	return &Revision{Number: r.Number, State: string(r.State), Reason: r.Reason, Content: contentOf(r.Content),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, SubmittedAt: timeOrNil(r.SubmittedAt), DecidedAt: timeOrNil(r.DecidedAt)}
}

func productsOf(list []market.ProductView) *productsOutput {
	out := &productsOutput{}
	out.Body.Products = []ProductSummary{}
	for _, v := range list {
		name := v.Content().Name
		out.Body.Products = append(out.Body.Products, ProductSummary{ID: v.ID, Type: string(v.Type), Name: Texts{EN: name.EN, ZH: name.ZH},
			Seller: SellerRef{ID: v.SellerOrgID, Name: v.SellerName}, Live: stateOf(v.Listing.Live), Pending: stateOf(v.Listing.Pending),
			UpdatedAt: v.UpdatedAt, Version: v.Version})
	}
	return out
}

func stateOf(r *catalog.Revision) *RevisionState {
	if r == nil {
		return nil
	}
	return &RevisionState{Number: r.Number, State: string(r.State), Reason: r.Reason}
}
