package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/ids"
)

// checkAgainst runs saas-check against the endpoint and returns the names of
// the checks that passed and failed.
func checkAgainst(t *testing.T, endpoint, caFile string) (passed, failed []string, err error) {
	t.Helper()
	out, err := runCommand(context.Background(), "saas-check", "--endpoint", endpoint, "--access-key", simAccessKey, "--key", simKey,
		"--ca", caFile, "--allow-private", "127.0.0.0/8,::1/128")
	for line := range strings.Lines(out) {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "PASS "):
			passed = append(passed, strings.TrimPrefix(line, "PASS "))
		case strings.HasPrefix(line, "FAIL "):
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "FAIL "), ": ")
			failed = append(failed, name)
		}
	}
	if len(passed)+len(failed) != len(saasChecks) {
		t.Fatalf("saas-check printed %d results, want %d:\n%s", len(passed)+len(failed), len(saasChecks), out)
	}
	t.Logf("saas-check:\n%s", out)
	return passed, failed, err
}

func TestSaaSCheckPassesAgainstSellerSim(t *testing.T) {
	for _, mode := range [][]string{nil, {"--processing"}} {
		sim := startSim(t, mode...)
		_, failed, err := checkAgainst(t, sim.endpoint, sim.certFile)
		if err != nil || len(failed) > 0 {
			t.Errorf("seller-sim %v: failed %v, %v", mode, failed, err)
		}
	}
}

func TestSaaSCheckRefusesPrivateEndpointsByDefault(t *testing.T) {
	sim := startSim(t)
	out, err := runCommand(context.Background(), "saas-check", "--endpoint", sim.endpoint, "--access-key", simAccessKey, "--key", simKey, "--ca", sim.certFile)
	if exitCode(err) != 1 || !strings.Contains(out, "FAIL newInstance opens a test instance: ") || !strings.Contains(out, "--allow-private") {
		t.Errorf("without --allow-private: %v\n%s", err, out)
	}
}

// brokenSeller serves the simulator's seller through the SDK, spoilt by
// wrap, over TLS on loopback, and returns its URL and certificate file.
func brokenSeller(t *testing.T, seller saas.Seller, wrap func(http.Handler) http.Handler) (string, string) {
	t.Helper()
	srv := httptest.NewTLSServer(wrap(saas.NewHandler(saas.HandlerConfig{AccessKey: simAccessKey, Key: simKey}, seller)))
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/", caFile
}

func newSim(t *testing.T) *sim {
	t.Helper()
	s := &sim{key: simKey, base: "https://app.example.com"}
	if err := s.load(); err != nil {
		t.Fatal(err)
	}
	return s
}

// resigning signs every request afresh: the seller behind it accepts bad
// signatures, stale timestamps and replayed nonces.
func resigning(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		nonce := make([]byte, 16)
		_, _ = rand.Read(nonce)
		ts := time.Now().UnixMilli()
		q := r.URL.Query()
		q.Set("nonce", hex.EncodeToString(nonce))
		q.Set("timestamp", strconv.FormatInt(ts, 10))
		q.Set("signature", saas.Signature(simKey, simAccessKey, q.Get("nonce"), ts, body))
		r.URL.RawQuery = q.Encode()
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// unsigned drops the answers' Body-Sign.
func unsigned(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// forgetful opens a new instance each time an order line comes again.
type forgetful struct {
	*sim
	mu   sync.Mutex
	seen map[string]bool
}

func (f *forgetful) NewInstance(ctx context.Context, r saas.NewInstanceRequest) (saas.NewInstanceResult, error) {
	res, err := f.sim.NewInstance(ctx, r)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen[r.OrderLineID] {
		res.InstanceID = ids.New("ins")
	}
	f.seen[r.OrderLineID] = true
	return res, err
}

func TestSaaSCheckFindsBrokenSellers(t *testing.T) {
	same := func(h http.Handler) http.Handler { return h }
	var all []string
	for _, c := range saasChecks {
		all = append(all, c.name)
	}
	tests := []struct {
		name   string
		seller func(t *testing.T) saas.Seller
		wrap   func(http.Handler) http.Handler
		failed []string
	}{
		{"does not check requests", func(t *testing.T) saas.Seller { return newSim(t) }, resigning, []string{
			"a bad signature is refused with 000001", "a stale timestamp is refused with 000001", "a replayed nonce is refused with 000001"}},
		{"new instance on a repeat", func(t *testing.T) saas.Seller { return &forgetful{sim: newSim(t), seen: map[string]bool{}} }, same, []string{
			"newInstance repeated gives the same instance"}},
		{"does not sign answers", func(t *testing.T) saas.Seller { return newSim(t) }, unsigned, all},
		{"conforming", func(t *testing.T) saas.Seller { return newSim(t) }, same, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, ca := brokenSeller(t, tt.seller(t), tt.wrap)
			_, failed, err := checkAgainst(t, url, ca)
			if !slices.Equal(failed, tt.failed) {
				t.Errorf("failed checks %q, want %q", failed, tt.failed)
			}
			if (len(tt.failed) > 0) != (err != nil) || (err != nil && exitCode(err) != 1) {
				t.Errorf("saas-check returned %v", err)
			}
		})
	}
}
