package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/account"
)

// Token is a session or API token as its owner sees it (never its secret).
type Token struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind" enum:"session,api,personal"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	Current    bool       `json:"current" doc:"True for the token of this request"`
}

type tokensOutput struct {
	Body struct {
		Tokens []Token `json:"tokens"`
	}
}

type createTokenInput struct {
	Body struct {
		Name          string `json:"name" maxLength:"120" example:"deploy script"`
		ExpiresInDays int    `json:"expires_in_days" minimum:"1" maximum:"366" example:"90"`
	}
}

type tokenIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

func (h handlers) tokens(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "list-tokens", Method: http.MethodGet, Path: "/api/v1/tokens",
		Summary: "The caller's sessions and tokens in force", Tags: []string{"Accounts"}, Security: bearer, Errors: []int{401},
	}, func(ctx context.Context, _ *struct{}) (*tokensOutput, error) {
		list, err := h.svc.Tokens(ctx, actorOf(ctx))
		if err != nil {
			return nil, err
		}
		out := &tokensOutput{}
		out.Body.Tokens = []Token{}
		current := tokenOf(ctx).ID
		for _, t := range list {
			out.Body.Tokens = append(out.Body.Tokens, tokenJSON(t, current))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "create-token", Method: http.MethodPost, Path: "/api/v1/tokens", DefaultStatus: http.StatusCreated,
		Summary: "Create a personal API token", Tags: []string{"Accounts"}, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401},
		Description: "The secret is in the answer only: it cannot be shown again.",
	}, func(ctx context.Context, in *createTokenInput) (*tokenOutput, error) {
		secret, tok, err := h.svc.CreateToken(ctx, actorOf(ctx), in.Body.Name, in.Body.ExpiresInDays)
		if err != nil {
			return nil, err
		}
		return &tokenOutput{Body: tokenBody{Token: secret, TokenID: tok.ID, ExpiresAt: tok.ExpiresAt}}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "revoke-token", Method: http.MethodDelete, Path: "/api/v1/tokens/{id}", DefaultStatus: http.StatusNoContent,
		Summary: "Revoke one of the caller's sessions or tokens", Tags: []string{"Accounts"}, Security: bearer, Errors: []int{401, 404},
	}, func(ctx context.Context, in *tokenIDInput) (*noContent, error) {
		return nil, h.svc.RevokeToken(ctx, actorOf(ctx), in.ID)
	})
}

func tokenJSON(t account.Token, current string) Token {
	out := Token{ID: t.ID, Kind: string(t.Kind), Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, Current: t.ID == current}
	if !t.LastUsedAt.IsZero() {
		used := t.LastUsedAt
		out.LastUsedAt = &used
	}
	return out
}
