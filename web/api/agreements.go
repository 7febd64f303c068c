package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/seller"
)

// Agreement is a version of the Seller Agreement.
type Agreement struct {
	Version     string    `json:"version" example:"2026-01"`
	Title       string    `json:"title" example:"cloudmart Seller Agreement"`
	Body        string    `json:"body,omitempty" doc:"The full text (plain text)"`
	PublishedAt time.Time `json:"published_at"`
}

// Signature records which version of the Seller Agreement a company signed,
// who signed it and when.
type Signature struct {
	Version  string    `json:"version" example:"2026-01"`
	SignedBy string    `json:"signed_by" doc:"The user who signed for the company"`
	SignedAt time.Time `json:"signed_at"`
}

func signatureOf(s seller.Signature) Signature {
	return Signature{Version: s.Version, SignedBy: s.SignedBy, SignedAt: s.SignedAt}
}

type agreementOutput struct{ Body Agreement }

type publishAgreementInput struct {
	Body struct {
		Version string `json:"version" maxLength:"32" example:"2026-07"`
		Title   string `json:"title" maxLength:"200" example:"cloudmart Seller Agreement"`
		Body    string `json:"body" doc:"The full text, up to 200,000 bytes"`
	}
}

type signInput struct {
	Body struct {
		Version string `json:"version" maxLength:"32" doc:"The version in force, as read: a signature is of a text the signer saw" example:"2026-01"`
	}
}

type signatureOutput struct{ Body Signature }

func (h handlers) agreements(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "get-agreement", Method: http.MethodGet, Path: "/api/v1/agreement",
		Summary: "The Seller Agreement in force", Tags: []string{"Sellers"}, Errors: []int{404},
		Description: "Public. A seller must have signed this version to submit its application or publish anything new.",
	}, func(ctx context.Context, _ *struct{}) (*agreementOutput, error) {
		ag, body, err := h.svc.AgreementInForce(ctx)
		if err != nil {
			return nil, err
		}
		return &agreementOutput{Body: Agreement{Version: ag.Version, Title: ag.Title, Body: body, PublishedAt: ag.PublishedAt}}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "publish-agreement", Method: http.MethodPost, Path: "/api/v1/agreements", DefaultStatus: http.StatusCreated,
		Summary: "Publish a new version of the Seller Agreement (operators)", Tags: []string{"Sellers"},
		Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 409},
		Description: "The new version is in force at once: every seller must sign it again, and their administrators are told.",
	}, func(ctx context.Context, in *publishAgreementInput) (*agreementOutput, error) {
		ag, err := h.svc.PublishAgreement(ctx, actorOf(ctx), seller.Agreement{Version: in.Body.Version, Title: in.Body.Title}, in.Body.Body)
		if err != nil {
			return nil, err
		}
		return &agreementOutput{Body: Agreement{Version: ag.Version, Title: ag.Title, PublishedAt: ag.PublishedAt}}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "sign-agreement", Method: http.MethodPost, Path: "/api/v1/seller/agreement/signature", DefaultStatus: http.StatusCreated,
		Summary: "Sign the Seller Agreement in force for the caller's company", Tags: []string{"Sellers"},
		Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404},
		Description: "The company must have started its application. version must be the one in force (400 on version otherwise).",
	}, func(ctx context.Context, in *signInput) (*signatureOutput, error) {
		sig, err := h.svc.SignAgreement(ctx, actorOf(ctx), in.Body.Version)
		if err != nil {
			return nil, err
		}
		return &signatureOutput{Body: signatureOf(sig)}, nil
	})
}
