package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/market"
)

// User is a user as the API shows it.
type User struct {
	ID          string    `json:"id" example:"usr_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	Email       string    `json:"email" example:"ann@example.com"`
	DisplayName string    `json:"display_name" example:"Ann Lee"`
	CreatedAt   time.Time `json:"created_at"`
}

func userOf(u account.User) User {
	return User{ID: u.ID, Email: u.Email, DisplayName: u.DisplayName, CreatedAt: u.CreatedAt}
}

// Membership is one role of the user in one organisation.
type Membership struct {
	OrgID   string `json:"org_id"`
	OrgName string `json:"org_name"`
	OrgKind string `json:"org_kind" enum:"customer,seller,operator,partner"`
	Role    string `json:"role" enum:"buyer,seller_admin,seller_member,operator,account_manager,partner"`
}

type signUpInput struct {
	Body struct {
		Email       string `json:"email" maxLength:"254" example:"ann@example.com"`
		Password    string `json:"password" maxLength:"256" doc:"At least 10 characters and hard to guess"`
		DisplayName string `json:"display_name" maxLength:"120" example:"Ann Lee"`
		OrgName     string `json:"org_name,omitempty" maxLength:"120" doc:"The customer organisation to create; the display name if empty" example:"Ann's Bakery"`
	}
}

type userOutput struct{ Body User }

type meOutput struct {
	Body struct {
		User        User         `json:"user"`
		Memberships []Membership `json:"memberships"`
		Roles       []string     `json:"roles" doc:"The distinct roles of all memberships"`
	}
}

type updateMeInput struct {
	Body struct {
		DisplayName string `json:"display_name" maxLength:"120"`
	}
}

type passwordInput struct {
	Body struct {
		CurrentPassword string `json:"current_password" maxLength:"256"`
		NewPassword     string `json:"new_password" maxLength:"256"`
	}
}

func (h handlers) users(a huma.API) {
	huma.Register(a, huma.Operation{
		OperationID: "sign-up", Method: http.MethodPost, Path: "/api/v1/users", DefaultStatus: http.StatusCreated,
		Summary: "Sign up", Tags: []string{"Accounts"}, MaxBodyBytes: MaxBody, Errors: []int{400, 409},
		Description: "Creates a user and a customer organisation (segment direct) in which the user is a buyer. Sign in afterwards.",
	}, func(ctx context.Context, in *signUpInput) (*userOutput, error) {
		u, err := h.svc.SignUp(ctx, market.SignUp{Email: in.Body.Email, Password: in.Body.Password,
			DisplayName: in.Body.DisplayName, OrgName: in.Body.OrgName})
		if err != nil {
			return nil, err
		}
		return &userOutput{Body: userOf(u)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: "/api/v1/me",
		Summary: "Who the caller is: user, organisations and roles", Tags: []string{"Accounts"}, Security: bearer, Errors: []int{401},
	}, func(ctx context.Context, _ *struct{}) (*meOutput, error) {
		actor := actorOf(ctx)
		u, ms, err := h.svc.Me(ctx, actor)
		if err != nil {
			return nil, err
		}
		out := &meOutput{}
		out.Body.User = userOf(u)
		out.Body.Memberships = []Membership{}
		for _, m := range ms {
			out.Body.Memberships = append(out.Body.Memberships, Membership{OrgID: m.OrgID, OrgName: m.OrgName, OrgKind: string(m.OrgKind), Role: string(m.Role)})
		}
		out.Body.Roles = []string{}
		for _, r := range (account.Actor{Memberships: ms}).Roles() {
			out.Body.Roles = append(out.Body.Roles, string(r))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "update-me", Method: http.MethodPatch, Path: "/api/v1/me",
		Summary: "Change the caller's display name", Tags: []string{"Accounts"}, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401},
	}, func(ctx context.Context, in *updateMeInput) (*userOutput, error) {
		u, err := h.svc.UpdateProfile(ctx, actorOf(ctx), in.Body.DisplayName)
		if err != nil {
			return nil, err
		}
		return &userOutput{Body: userOf(u)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "change-password", Method: http.MethodPost, Path: "/api/v1/me/password", DefaultStatus: http.StatusNoContent,
		Summary: "Change the caller's password", Tags: []string{"Accounts"}, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401},
		Description: "Every other session and token of the user is revoked; the token of this request stays.",
	}, func(ctx context.Context, in *passwordInput) (*noContent, error) {
		return nil, h.svc.ChangePassword(ctx, actorOf(ctx), in.Body.CurrentPassword, in.Body.NewPassword, tokenOf(ctx).ID)
	})
}
