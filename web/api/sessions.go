package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/market"
)

type loginInput struct {
	UserAgent string `header:"User-Agent" doc:"Labels the token in the user's token list"`
	Body      struct {
		Email    string `json:"email" maxLength:"254" doc:"The account's email" example:"ops@demo.test"`
		Password string `json:"password" maxLength:"256" doc:"The account's password"`
	}
}

type tokenBody struct {
	Token     string    `json:"token" doc:"The secret bearer token: shown once, keep it safe"`
	TokenID   string    `json:"token_id" doc:"The token's id, to list or revoke it"`
	ExpiresAt time.Time `json:"expires_at"`
}

type tokenOutput struct{ Body tokenBody }

type noContent struct{}

func (h handlers) sessions(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "create-session", Method: http.MethodPost, Path: "/api/v1/sessions", DefaultStatus: http.StatusCreated,
		Summary: "Sign in", Tags: []string{"Accounts"}, MaxBodyBytes: MaxBody,
		Description: "Checks the email and password and answers a bearer token valid for 30 days. " +
			"Failed attempts are slowed down per account and per address: 429 with Retry-After.",
		Errors: []int{400, 401, 429},
	}, func(ctx context.Context, in *loginInput) (*tokenOutput, error) {
		secret, tok, err := h.svc.LogIn(ctx, market.LogIn{Email: in.Body.Email, Password: in.Body.Password,
			Addr: addrOf(ctx), Kind: account.TokenAPI, Name: in.UserAgent})
		if err != nil {
			return nil, err
		}
		return &tokenOutput{Body: tokenBody{Token: secret, TokenID: tok.ID, ExpiresAt: tok.ExpiresAt}}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "delete-current-session", Method: http.MethodDelete, Path: "/api/v1/sessions/current", DefaultStatus: http.StatusNoContent,
		Summary: "Sign out: revoke the token of this request", Tags: []string{"Accounts"}, Security: bearer, Errors: []int{401},
	}, func(ctx context.Context, _ *struct{}) (*noContent, error) {
		return nil, h.svc.LogOut(ctx, actorOf(ctx), tokenOf(ctx).ID)
	})
}
