package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/catalog"
)

type productReviewInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body *struct {
		Reason string `json:"reason,omitempty" maxLength:"2000" doc:"Why: the seller reads it. Required to reject and to delist" example:"State the price including VAT."`
	}
}

func (in *productReviewInput) reason() string {
	if in.Body == nil {
		return ""
	}
	return in.Body.Reason
}

// productReviewSteps are the operators' decisions on a revision in review.
var productReviewSteps = []struct {
	path, id, summary string
	step              catalog.Step
}{
	{"approve", "approve-product", "Approve the revision in review: it goes on sale in place of the published one", catalog.Approve},
	{"reject", "reject-product", "Reject the revision in review (reason required); the published one stays on sale", catalog.Reject},
}

func (h handlers) productReview(a huma.API) {
	tags := []string{"Product review"}
	huma.Register(a, huma.Operation{
		OperationID: "list-products-in-review", Method: http.MethodGet, Path: "/api/v1/review/products",
		Summary: "Products with a revision waiting for review (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403},
	}, func(ctx context.Context, _ *struct{}) (*productsOutput, error) {
		list, err := h.svc.ProductsInReview(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		return productsOf(list), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-product-for-review", Method: http.MethodGet, Path: "/api/v1/review/products/{id}",
		Summary: "One product with its revisions and the changes in review (operators, or its seller)", Tags: tags,
		Security: bearer, Errors: []int{401, 404},
		Description: "changes lists what the revision in review changes in the published one, field by field. " +
			"Anyone else's product is 404, as if it did not exist.",
	}, func(ctx context.Context, in *productIDInput) (*productOutput, error) {
		v, err := h.svc.ProductForReview(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &productOutput{Body: sellerProductOf(v)}, nil
	})

	for _, s := range productReviewSteps {
		huma.Register(a, huma.Operation{
			OperationID: s.id, Method: http.MethodPost, Path: "/api/v1/review/products/{id}/" + s.path,
			Summary: s.summary + " (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
			Errors: []int{400, 401, 403, 404, 409},
			Description: "Never of the operator's own company (403). A product with no revision in review is 409 invalid_state. " +
				"The seller is told.",
		}, func(ctx context.Context, in *productReviewInput) (*productOutput, error) {
			v, err := h.svc.ReviewProduct(ctx, actorOf(ctx), in.ID, s.step, in.reason())
			if err != nil {
				return nil, err
			}
			return &productOutput{Body: sellerProductOf(v)}, nil
		})
	}

	huma.Register(a, huma.Operation{
		OperationID: "delist-product", Method: http.MethodPost, Path: "/api/v1/review/products/{id}/delist",
		Summary: "Take a product off sale (operators, with a reason)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 404, 409},
		Description: "The seller is told the reason. Another company's product is 404 to anyone but an operator; " +
			"a product that is not on sale is 409 invalid_state.",
	}, func(ctx context.Context, in *productReviewInput) (*productOutput, error) {
		v, err := h.svc.DelistProduct(ctx, actorOf(ctx), in.ID, in.reason())
		if err != nil {
			return nil, err
		}
		return &productOutput{Body: sellerProductOf(v)}, nil
	})
}
