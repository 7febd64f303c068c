// Package api is cloudmart's JSON API under /api/v1. Operations are declared
// with huma, which validates input against the same Go types that generate the
// OpenAPI document served at /api/openapi.json, so the document cannot drift
// from the handlers. Handlers decode, call one use case, and encode; every
// error leaves in one shape (see errors.go).
package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/market"
)

// Config is what the API needs besides the use cases.
type Config struct {
	Log     *slog.Logger
	Version string
}

// MaxBody is the largest JSON body an operation accepts.
const MaxBody = 1 << 20

// Register adds the API's operations and its OpenAPI document to mux.
func Register(mux *http.ServeMux, svc *market.Service, cfg Config) huma.API {
	hc := huma.DefaultConfig("cloudmart API", cfg.Version)
	hc.Info.Description = "The API of cloudmart, an open-source cloud software marketplace. " +
		"Authenticate with a bearer token from POST /api/v1/sessions or a personal token. " +
		`Every error is {"error":{"code","message","field"}}.`
	hc.OpenAPIPath = "/api/openapi"
	hc.DocsPath = ""     // the bundled docs page loads scripts from a CDN; we serve no third-party code
	hc.SchemasPath = ""  // schemas are inline in the document
	hc.CreateHooks = nil // no "$schema" links in bodies
	hc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "A token from POST /api/v1/sessions or a personal token."},
	}
	huma.NewErrorWithContext = newError(cfg.Log)
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		return huma.NewErrorWithContext(nil, status, msg, errs...)
	}
	a := humago.New(mux, hc)
	a.UseMiddleware(authenticate(a, svc))
	h := handlers{svc: svc}
	h.sessions(a)
	h.users(a)
	h.tokens(a)
	h.customers(a)
	h.audit(a)
	h.regions(a)
	h.agreements(a)
	h.applications(a)
	h.taxBank(a)
	h.documents(a)
	h.review(a)
	h.notifications(a)
	h.products(a)
	h.sellerProducts(a)
	h.productFiles(a)
	h.productReview(a)
	h.zones(a)
	h.banners(a)
	h.buying(a)
	h.afterBuying(a)
	h.support(a)
	h.resale(a)
	h.benefits(a)
	h.testCredit(a)
	h.programmes(a)
	return a
}

type handlers struct{ svc *market.Service }

type ctxKey int

const (
	actorKey ctxKey = iota
	tokenKey
	addrKey
)

// authenticate resolves a bearer token into the actor (an invalid token is
// refused at once, rather than treated as anonymous) and records the client's
// address for throttling.
func authenticate(a huma.API, svc *market.Service) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		ctx = huma.WithValue(ctx, addrKey, clientAddr(ctx))
		h := ctx.Header("Authorization")
		if h == "" {
			next(ctx)
			return
		}
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			_ = huma.WriteErr(a, ctx, http.StatusUnauthorized, "use the header Authorization: Bearer <token>")
			return
		}
		actor, tok, err := svc.Authenticate(ctx.Context(), strings.TrimSpace(secret))
		if err != nil {
			_ = huma.WriteErr(a, ctx, http.StatusUnauthorized, "the token is unknown, expired or revoked", err)
			return
		}
		ctx = huma.WithValue(ctx, actorKey, actor)
		next(huma.WithValue(ctx, tokenKey, tok))
	}
}

// clientAddr is the caller's IP (web's middleware has put a trusted proxy's
// X-Forwarded-For into RemoteAddr).
func clientAddr(ctx huma.Context) string {
	host, _, err := net.SplitHostPort(ctx.RemoteAddr())
	if err != nil {
		return ctx.RemoteAddr()
	}
	return host
}

// actorOf returns the caller (the zero Actor when anonymous).
func actorOf(ctx context.Context) account.Actor {
	a, _ := ctx.Value(actorKey).(account.Actor)
	return a
}

// tokenOf returns the token the caller authenticated with.
func tokenOf(ctx context.Context) account.Token {
	t, _ := ctx.Value(tokenKey).(account.Token)
	return t
}

func addrOf(ctx context.Context) string {
	s, _ := ctx.Value(addrKey).(string)
	return s
}

// bearer is the security requirement of operations that need a signed-in caller.
var bearer = []map[string][]string{{"bearer": {}}}
