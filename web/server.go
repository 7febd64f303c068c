// Package web is cloudmart's HTTP face: the JSON API under /api/v1 (package
// api), the web UI (package ui), and the operational endpoints /healthz,
// /readyz and /metrics, behind one middleware chain.
package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/web/api"
	"github.com/cloudmart/cloudmart/web/ui"
)

// Config is what the server needs besides the use cases.
type Config struct {
	Log     *slog.Logger
	Version string
	// Ready lists the checks /readyz runs (database, blob store …).
	Ready map[string]func(context.Context) error
	// TrustProxy takes the client address from X-Forwarded-For (behind a load
	// balancer that sets it); otherwise the connection's address is used.
	TrustProxy bool
}

// MaxBody is the largest request body the server reads at all.
const MaxBody = 32 << 20

// NewServer returns the whole HTTP handler.
func NewServer(svc *market.Service, cfg Config) http.Handler {
	mux := http.NewServeMux()
	api.Register(mux, svc, api.Config{Log: cfg.Log, Version: cfg.Version})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": cfg.Version})
	})
	mux.HandleFunc("GET /readyz", readyz(cfg))
	mux.Handle("GET /metrics", promhttp.Handler())
	ui.Routes(mux, svc, cfg.Log)
	return chain(mux,
		recoverPanics(cfg.Log),
		clientAddress(cfg.TrustProxy),
		requestID,
		observe(cfg.Log),
		securityHeaders,
		// Browsers' cross-site POSTs are refused (Sec-Fetch-Site / Origin), which
		// protects the cookie-authenticated UI forms; API clients send neither
		// header and authenticate with bearer tokens, which browsers never attach.
		http.NewCrossOriginProtection().Handler,
		limitBodies(MaxBody),
	)
}

// readyz answers 200 when every check passes within two seconds, 503 otherwise.
func readyz(cfg Config) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status, out := http.StatusOK, map[string]string{}
		for name, check := range cfg.Ready {
			if err := check(ctx); err != nil {
				cfg.Log.WarnContext(r.Context(), "not ready", "check", name, "err", err)
				status, out[name] = http.StatusServiceUnavailable, "failing"
			} else {
				out[name] = "ok"
			}
		}
		writeJSON(w, status, map[string]any{"ready": status == http.StatusOK, "checks": out})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
