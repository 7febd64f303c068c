package ui_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
	"github.com/cloudmart/cloudmart/web/ui"
)

// password is strong enough for account.CheckPassword.
const password = "correct horse battery staple 42"

// site is the UI on a fresh database, as production wraps it.
type site struct {
	srv   *httptest.Server
	svc   *market.Service
	st    *store.Store
	world *markettest.World // the service's clock, blob store and queue
	log   *syncBuffer       // what the UI logged
}

func newSite(t *testing.T) *site {
	t.Helper()
	st := storetest.Open(t, store.SQLite)
	world := markettest.New(t, st, time.Now())
	svc := world.Svc
	logs := &syncBuffer{}
	mux := http.NewServeMux()
	ui.Routes(mux, svc, slog.New(slog.NewTextHandler(logs, nil)))
	srv := httptest.NewServer(http.NewCrossOriginProtection().Handler(mux))
	t.Cleanup(srv.Close)
	return &site{srv: srv, svc: svc, st: st, world: world, log: logs}
}

// syncBuffer is a log destination that handlers may write to concurrently.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// browser is one visitor: a cookie jar that does not follow redirects, so
// tests see each 303.
type browser struct {
	t    *testing.T
	site *site
	hc   *http.Client
	lang string // Accept-Language sent, if any
}

func (s *site) browser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, site: s, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

func (b *browser) do(method, path string, form url.Values) response {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, b.site.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	res, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return response{Status: res.StatusCode, Body: string(out), Location: res.Header.Get("Location"), Header: res.Header}
}

func (b *browser) get(path string) response { b.t.Helper(); return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	return b.do(http.MethodPost, path, form)
}

// cookie returns the browser's cookie of the name, or "".
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.site.srv.URL)
	for _, c := range b.hc.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// mustSignUp opens an account through the form; the browser is then signed in.
func (b *browser) mustSignUp(email, name string) {
	b.t.Helper()
	r := b.post("/signup", url.Values{"email": {email}, "display_name": {name}, "org_name": {name + " Ltd"},
		"password": {password}, "password_confirm": {password}})
	if r.Status != http.StatusSeeOther || r.Location != "/account?done=welcome" {
		b.t.Fatalf("sign up %s: %d %q\n%s", email, r.Status, r.Location, r.Body)
	}
}

// mustLogIn signs in through the form.
func (b *browser) mustLogIn(email, pw string) {
	b.t.Helper()
	r := b.post("/login", url.Values{"email": {email}, "password": {pw}})
	if r.Status != http.StatusSeeOther {
		b.t.Fatalf("log in %s: %d\n%s", email, r.Status, r.Body)
	}
}

// want checks the response's status and that the body has each text.
func want(t *testing.T, r response, status int, texts ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("status %d, want %d; body:\n%s", r.Status, status, r.Body)
		return
	}
	for _, s := range texts {
		if !strings.Contains(r.Body, s) {
			t.Errorf("body lacks %q; body:\n%s", s, r.Body)
		}
	}
}

// wantNot checks that the body has none of the texts.
func wantNot(t *testing.T, r response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(r.Body, s) {
			t.Errorf("body has %q, it should not", s)
		}
	}
}

// fieldError returns the error shown next to a field ("" when none).
func fieldError(body, field string) string {
	m := regexp.MustCompile(`id="f-` + regexp.QuoteMeta(field) + `-error">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// regexpFind returns the first group of pattern's first match in s.
func regexpFind(t *testing.T, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no match for %s", pattern)
	}
	return m[1]
}
