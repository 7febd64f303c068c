package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/web/api"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m, "web/api")) }

// world is a running API over a store with the demo loaded.
type world struct {
	t     *testing.T
	url   string
	svc   *market.Service
	st    *store.Store
	clock *markettest.Clock // the service's and the simulated cloud's
}

func newWorld(t *testing.T, st *store.Store) *world {
	t.Helper()
	m := markettest.New(t, st, time.Now())
	svc := m.Svc
	if err := demo.Load(context.Background(), svc); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Register(mux, svc, api.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &world{t: t, url: srv.URL, svc: svc, st: st, clock: m.Clock}
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// errCode returns error.code and error.field, failing if the shape is wrong.
func (r response) errCode(t *testing.T) (code, field string) {
	t.Helper()
	e, ok := r.body["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %d %s", r.status, r.raw)
	}
	code, _ = e["code"].(string)
	field, _ = e["field"].(string)
	if msg, _ := e["message"].(string); code == "" || msg == "" {
		t.Fatalf("error without code or message: %s", r.raw)
	}
	if _, ok := e["field"]; !ok {
		t.Fatalf("error without field: %s", r.raw)
	}
	return code, field
}

// do sends a request; body is sent as is when it is a string, else as JSON.
func (w *world) do(method, path, token string, body any) response {
	w.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	var header http.Header
	if rd != nil {
		header = http.Header{"Content-Type": {"application/json"}}
	}
	return w.send(method, path, token, rd, header)
}

// login returns a bearer token for a demo account.
func (w *world) login(email string) string {
	w.t.Helper()
	r := w.do("POST", "/api/v1/sessions", "", map[string]string{"email": email, "password": demo.Password})
	tok, _ := r.body["token"].(string)
	if r.status != http.StatusCreated || tok == "" {
		w.t.Fatalf("login %s: %d %s", email, r.status, r.raw)
	}
	return tok
}

// auditCount counts every audit entry: a refused request must add none.
func (w *world) auditCount() int {
	w.t.Helper()
	es, err := w.st.Audit(context.Background(), audit.Filter{Limit: audit.MaxPage})
	if err != nil {
		w.t.Fatal(err)
	}
	return len(es)
}

func TestBadInputGetsTheErrorShapeAndChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		tok := w.login("other@demo.test")
		before := w.auditCount()
		huge := `{"email":"` + strings.Repeat("a", api.MaxBody) + `"}`
		tests := []struct {
			name, method, path, token string
			body                      any
			status                    int
			code, field               string
		}{
			{"malformed JSON", "POST", "/api/v1/users", "", `{oops`, 400, "invalid", ""},
			{"wrong type", "POST", "/api/v1/users", "", `{"email": 5, "password": "x", "display_name": "y"}`, 400, "invalid", "email"},
			{"unknown field", "POST", "/api/v1/users", "", `{"email":"a@b.co","password":"long enough pass 1","display_name":"A","admin":true}`, 400, "invalid", "admin"},
			{"missing field", "POST", "/api/v1/users", "", `{"email":"a@b.co","display_name":"A"}`, 400, "invalid", "password"},
			{"bad email", "POST", "/api/v1/users", "", map[string]string{"email": "not-an-email", "password": "a long good passphrase", "display_name": "A"}, 400, "invalid", "email"},
			{"weak password", "POST", "/api/v1/users", "", map[string]string{"email": "new@example.com", "password": "password123", "display_name": "A"}, 400, "invalid", "password"},
			{"email taken", "POST", "/api/v1/users", "", map[string]string{"email": "Other@demo.test", "password": "a long good passphrase", "display_name": "A"}, 409, "conflict", "email"},
			{"oversize body", "POST", "/api/v1/users", "", huge, 413, "too_large", ""},
			{"wrong password", "POST", "/api/v1/sessions", "", map[string]string{"email": "ops@demo.test", "password": "nope"}, 401, "unauthorized", ""},
			{"unknown email", "POST", "/api/v1/sessions", "", map[string]string{"email": "ghost@demo.test", "password": "nope"}, 401, "unauthorized", ""},
			{"no token", "GET", "/api/v1/me", "", nil, 401, "unauthorized", ""},
			{"bad token", "GET", "/api/v1/me", "cmt_nope", nil, 401, "unauthorized", ""},
			{"blank display name", "PATCH", "/api/v1/me", tok, map[string]string{"display_name": "   "}, 400, "invalid", "display_name"},
			{"token days out of range", "POST", "/api/v1/tokens", tok, map[string]any{"name": "x", "expires_in_days": 0}, 400, "invalid", "expires_in_days"},
			{"bad segment", "PATCH", "/api/v1/customers/org_x", tok, map[string]any{"segment": "vip"}, 400, "invalid", "segment"},
			{"bad audit limit", "GET", "/api/v1/audit?limit=9999", tok, nil, 400, "invalid", "limit"},
			{"unknown route", "GET", "/api/v1/nothing-here", tok, nil, 404, "not_found", ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := w.do(tc.method, tc.path, tc.token, tc.body)
				if r.status != tc.status {
					t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.raw)
				}
				if tc.path == "/api/v1/nothing-here" {
					return // the mux's own 404 for paths outside every operation
				}
				code, field := r.errCode(t)
				if code != tc.code || field != tc.field {
					t.Fatalf("code %q field %q, want %q %q: %s", code, field, tc.code, tc.field, r.raw)
				}
				if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("content type %q", ct)
				}
			})
		}
		if after := w.auditCount(); after != before {
			t.Fatalf("refused requests changed the audit log: %d entries, then %d", before, after)
		}
	})
}

func TestSignUpSignInAndMe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		r := w.do("POST", "/api/v1/users", "", map[string]string{"email": " Ann@Example.com ", "password": "a long good passphrase", "display_name": "Ann  Lee", "org_name": "Ann's Bakery"})
		if r.status != 201 || r.body["email"] != "ann@example.com" || r.body["display_name"] != "Ann Lee" {
			t.Fatalf("sign up: %d %s", r.status, r.raw)
		}
		r = w.do("POST", "/api/v1/sessions", "", map[string]string{"email": "ann@example.com", "password": "a long good passphrase"})
		tok, _ := r.body["token"].(string)
		if r.status != 201 || !strings.HasPrefix(tok, "cmt_") {
			t.Fatalf("sign in: %d %s", r.status, r.raw)
		}
		r = w.do("GET", "/api/v1/me", tok, nil)
		if r.status != 200 || !strings.Contains(r.raw, `"roles":["buyer"]`) || !strings.Contains(r.raw, `"org_name":"Ann's Bakery"`) || !strings.Contains(r.raw, `"org_kind":"customer"`) {
			t.Fatalf("me: %d %s", r.status, r.raw)
		}
		if r := w.do("PATCH", "/api/v1/me", tok, map[string]string{"display_name": "Ann B. Lee"}); r.status != 200 || r.body["display_name"] != "Ann B. Lee" {
			t.Fatalf("rename: %d %s", r.status, r.raw)
		}
		if r := w.do("DELETE", "/api/v1/sessions/current", tok, nil); r.status != 204 {
			t.Fatalf("sign out: %d %s", r.status, r.raw)
		}
		if r := w.do("GET", "/api/v1/me", tok, nil); r.status != 401 {
			t.Fatalf("token works after sign out: %d", r.status)
		}
	})
}

func TestDemoRolesInMe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		for _, p := range demo.People {
			r := w.do("GET", "/api/v1/me", w.login(p.Email), nil)
			if r.status != 200 || (p.Role != "" && !strings.Contains(r.raw, `"role":"`+string(p.Role)+`"`)) {
				t.Errorf("%s: %d %s", p.Email, r.status, r.raw)
			}
		}
	})
}

func TestLoginIsThrottledPerAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		wrong := map[string]string{"email": "direct@demo.test", "password": "wrong password"}
		for i := range 5 {
			if r := w.do("POST", "/api/v1/sessions", "", wrong); r.status != 401 {
				t.Fatalf("attempt %d: %d", i+1, r.status)
			}
		}
		r := w.do("POST", "/api/v1/sessions", "", wrong)
		if code, _ := r.errCode(t); r.status != 429 || code != "too_many_attempts" || r.header.Get("Retry-After") == "" {
			t.Fatalf("6th attempt: %d %v %s", r.status, r.header, r.raw)
		}
		// While blocked even the right password waits: guessing gains nothing.
		right := map[string]string{"email": "direct@demo.test", "password": demo.Password}
		if r := w.do("POST", "/api/v1/sessions", "", right); r.status != 429 {
			t.Fatalf("right password while blocked: %d", r.status)
		}
		// Another account from the same address is not blocked.
		w.login("other@demo.test")
	})
}

func TestPersonalTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		session := w.login("seller1@demo.test")
		r := w.do("POST", "/api/v1/tokens", session, map[string]any{"name": "deploy", "expires_in_days": 30})
		personal, _ := r.body["token"].(string)
		id, _ := r.body["token_id"].(string)
		if r.status != 201 || personal == "" {
			t.Fatalf("create: %d %s", r.status, r.raw)
		}
		if r := w.do("GET", "/api/v1/me", personal, nil); r.status != 200 {
			t.Fatalf("personal token refused: %d", r.status)
		}
		r = w.do("GET", "/api/v1/tokens", session, nil)
		if r.status != 200 || !strings.Contains(r.raw, `"name":"deploy"`) || strings.Contains(r.raw, personal) || strings.Count(r.raw, `"current":true`) != 1 {
			t.Fatalf("list: %d %s", r.status, r.raw)
		}
		// Another user can neither see nor revoke it.
		other := w.login("seller2@demo.test")
		if r := w.do("DELETE", "/api/v1/tokens/"+id, other, nil); r.status != 404 {
			t.Fatalf("revoke by another user: %d", r.status)
		}
		if r := w.do("DELETE", "/api/v1/tokens/"+id, session, nil); r.status != 204 {
			t.Fatalf("revoke: %d %s", r.status, r.raw)
		}
		if r := w.do("GET", "/api/v1/me", personal, nil); r.status != 401 {
			t.Fatalf("revoked token works: %d", r.status)
		}
	})
}

func TestChangePasswordRevokesOtherTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		a, b := w.login("telesales@demo.test"), w.login("telesales@demo.test")
		if r := w.do("POST", "/api/v1/me/password", a, map[string]string{"current_password": "wrong", "new_password": "another long passphrase"}); r.status != 401 {
			t.Fatalf("wrong current password: %d %s", r.status, r.raw)
		}
		if r := w.do("POST", "/api/v1/me/password", a, map[string]string{"current_password": demo.Password, "new_password": "another long passphrase"}); r.status != 204 {
			t.Fatalf("change: %d %s", r.status, r.raw)
		}
		if r := w.do("GET", "/api/v1/me", a, nil); r.status != 200 {
			t.Fatalf("the changing token was revoked: %d", r.status)
		}
		if r := w.do("GET", "/api/v1/me", b, nil); r.status != 401 {
			t.Fatalf("other token survives: %d", r.status)
		}
		if r := w.do("POST", "/api/v1/sessions", "", map[string]string{"email": "telesales@demo.test", "password": "another long passphrase"}); r.status != 201 {
			t.Fatalf("new password refused: %d", r.status)
		}
	})
}

func TestOperatorUpdatesCustomerAndItIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ops := w.login("ops@demo.test")
		r := w.do("GET", "/api/v1/customers", ops, nil)
		var list struct {
			Customers []struct{ ID, Name, Segment string }
		}
		_ = json.Unmarshal([]byte(r.raw), &list)
		if r.status != 200 || len(list.Customers) != 4 {
			t.Fatalf("customers: %d %s", r.status, r.raw)
		}
		var meridian string
		for _, c := range list.Customers {
			if c.Name == "Meridian Studio" {
				meridian = c.ID
			}
		}
		r = w.do("PATCH", "/api/v1/customers/"+meridian, ops, map[string]string{"segment": "telesales"})
		if r.status != 200 || r.body["segment"] != "telesales" {
			t.Fatalf("update: %d %s", r.status, r.raw)
		}
		r = w.do("GET", "/api/v1/audit?action=customer.update&object_id="+meridian, ops, nil)
		if r.status != 200 || !strings.Contains(r.raw, `"before":{`) || !strings.Contains(r.raw, `"segment":"other"`) ||
			!strings.Contains(r.raw, `"segment":"telesales"`) || !strings.Contains(r.raw, `"actor_email":"ops@demo.test"`) || !strings.Contains(r.raw, `"actor_role":"operator"`) {
			t.Fatalf("audit: %d %s", r.status, r.raw)
		}
	})
}

func TestOpenAPIDocumentsTheOperations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		r := w.do("GET", "/api/openapi.json", "", nil)
		if r.status != 200 || !strings.HasPrefix(r.body["openapi"].(string), "3") {
			t.Fatalf("%d %s", r.status, r.raw[:min(200, len(r.raw))])
		}
		paths := r.body["paths"].(map[string]any)
		for _, p := range []string{"/api/v1/sessions", "/api/v1/sessions/current", "/api/v1/users", "/api/v1/me", "/api/v1/me/password",
			"/api/v1/tokens", "/api/v1/tokens/{id}", "/api/v1/customers", "/api/v1/customers/{id}", "/api/v1/audit"} {
			if paths[p] == nil {
				t.Errorf("%s is not documented", p)
			}
		}
		if !strings.Contains(r.raw, `"bearer"`) {
			t.Error("no bearer security scheme")
		}
	})
}
