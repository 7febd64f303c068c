package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/mailer/mailertest"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m, "cmd/cloudmart")) }

// server is a cloudmart started through run, as the binary would be.
type server struct {
	url    string
	stdout *syncBuffer
	stop   func() error // cancels run and returns its error
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs `cloudmart serve` with the args (plus --addr on a free
// port) and waits until /readyz answers 200. It is stopped when the test ends.
func startServer(t *testing.T, args ...string) *server {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	out, logs := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", addr, "--job-poll", "100ms"}, args...), func(string) string { return "" }, out, logs)
	}()
	s := &server{url: "http://" + addr, stdout: out}
	var once sync.Once
	var runErr error
	s.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(60 * time.Second):
				runErr = fmt.Errorf("server did not stop")
			}
		})
		return runErr
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("server stopped with %v; log:\n%s", err, logs.String())
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("server exited: %v\n%s", err, logs.String())
		default:
		}
		if res, err := http.Get(s.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server not ready in time; log:\n%s", logs.String())
	return nil
}

// call sends a JSON request and decodes the answer into out (if not nil).
func call(t *testing.T, method, url, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, url, res.StatusCode, raw)
		}
	}
	return res.StatusCode
}

func login(t *testing.T, base, email, password string) string {
	t.Helper()
	var out struct{ Token string }
	if status := call(t, "POST", base+"/api/v1/sessions", "", map[string]string{"email": email, "password": password}, &out); status != 201 {
		t.Fatalf("login %s at %s: %d", email, base, status)
	}
	return out.Token
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestServeWithDemo(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			s := startServer(t, "--data", t.TempDir(), "--db", dsn, "--demo")
			if !strings.Contains(s.stdout.String(), "listening on http://") {
				t.Errorf("no listening line: %q", s.stdout.String())
			}
			for path, want := range map[string]string{
				"/healthz": `"status":"ok"`, "/readyz": `"database":"ok"`, "/metrics": "go_goroutines",
				"/api/openapi.json": `"openapi":"3`,
			} {
				if status, body := get(t, s.url+path); status != 200 || !strings.Contains(body, want) {
					t.Errorf("%s: %d %.200s", path, status, body)
				}
			}
			tok := login(t, s.url, "ops@demo.test", "cloudmart-demo")
			var me struct{ Roles []string }
			if call(t, "GET", s.url+"/api/v1/me", tok, nil, &me); len(me.Roles) != 1 || me.Roles[0] != "operator" {
				t.Errorf("ops roles %v", me.Roles)
			}
			if _, body := get(t, s.url+"/metrics"); !strings.Contains(body, `cloudmart_http_requests_total{code="201",method="POST",route="POST /api/v1/sessions"}`) {
				t.Errorf("request metrics missing")
			}
			if status, body := get(t, s.url+"/"); status != 200 || !strings.Contains(body, "<html") {
				t.Errorf("home page: %d", status)
			}
			// Restarting with --demo again changes nothing (idempotent).
			if err := s.stop(); err != nil {
				t.Fatal(err)
			}
			s2 := startServer(t, "--data", t.TempDir(), "--db", dsn, "--demo")
			var customers struct{ Customers []struct{ Name string } }
			call(t, "GET", s2.url+"/api/v1/customers", login(t, s2.url, "ops@demo.test", "cloudmart-demo"), nil, &customers)
			if len(customers.Customers) != 4 {
				t.Errorf("after a second demo load: %d customers", len(customers.Customers))
			}
			if !t.Failed() {
				storetest.Ran[e].Add(1)
			}
		})
	}
}

func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	s := startServer(t, "--data", t.TempDir(), "--demo")
	// A sign-in spends tens of milliseconds hashing; stop the server meanwhile.
	type result struct {
		status int
		err    error
	}
	got := make(chan result, 1)
	go func() {
		body := strings.NewReader(`{"email":"ops@demo.test","password":"cloudmart-demo"}`)
		res, err := http.Post(s.url+"/api/v1/sessions", "application/json", body)
		if err != nil {
			got <- result{err: err}
			return
		}
		res.Body.Close()
		got <- result{status: res.StatusCode}
	}()
	time.Sleep(15 * time.Millisecond)
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.err != nil || r.status != 201 {
		t.Fatalf("in-flight request: %d %v", r.status, r.err)
	}
	if _, err := http.Get(s.url + "/healthz"); err == nil {
		t.Fatal("server still answers after stop")
	}
}

func TestTwoServersOnePostgres(t *testing.T) {
	dsn := storetest.DSN(t, store.Postgres)
	a := startServer(t, "--data", t.TempDir(), "--db", dsn, "--demo")
	b := startServer(t, "--data", t.TempDir(), "--db", dsn)

	// A user made on one server signs in on the other; its token works on both.
	if status := call(t, "POST", a.url+"/api/v1/users", "", map[string]string{"email": "ann@example.com", "password": "a long good passphrase", "display_name": "Ann"}, nil); status != 201 {
		t.Fatalf("sign up on a: %d", status)
	}
	tok := login(t, b.url, "ann@example.com", "a long good passphrase")
	for _, s := range []*server{a, b} {
		if status := call(t, "GET", s.url+"/api/v1/me", tok, nil, nil); status != 200 {
			t.Fatalf("token refused by %s: %d", s.url, status)
		}
	}
	// Sign-out on one is seen by the other.
	call(t, "DELETE", a.url+"/api/v1/sessions/current", tok, nil, nil)
	if status := call(t, "GET", b.url+"/api/v1/me", tok, nil, nil); status != 401 {
		t.Fatalf("revoked token accepted by b: %d", status)
	}
	// Failed sign-ins on both servers count against one limit.
	wrong := map[string]string{"email": "other@demo.test", "password": "not the password"}
	for i := range 5 {
		call(t, "POST", []*server{a, b}[i%2].url+"/api/v1/sessions", "", wrong, nil)
	}
	if status := call(t, "POST", b.url+"/api/v1/sessions", "", wrong, nil); status != 429 {
		t.Fatalf("6th failure across servers: %d, want 429", status)
	}
	storetest.Ran[store.Postgres].Add(1)
}

func TestCommands(t *testing.T) {
	data := t.TempDir()
	runCmd := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
		return out.String() + errOut.String(), err
	}
	if out, err := runCmd("version"); err != nil || !strings.HasPrefix(out, "cloudmart ") {
		t.Fatalf("version: %q %v", out, err)
	}
	for _, c := range [][]string{{"serve"}, {"migrate"}, {"version"}, {"admin", "create-operator"}} {
		if out, err := runCmd(append(c, "--help")...); err != nil || !strings.Contains(out, "Usage") && !strings.Contains(out, "-") {
			t.Errorf("%v --help: %v %q", c, err, out)
		}
	}
	if _, err := runCmd("frobnicate"); exitCode(err) != 2 {
		t.Errorf("unknown command: %v", err)
	}
	if _, err := runCmd("migrate", "--data", data, "extra"); exitCode(err) != 2 {
		t.Errorf("stray argument: %v", err)
	}
	if out, err := runCmd("migrate", "--data", data); err != nil || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %q %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(data, "cloudmart.db")); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd("admin", "create-operator", "--data", data, "--email", "root@example.com", "--password", "short"); err == nil || !strings.Contains(err.Error(), "--password") {
		t.Fatalf("weak password accepted: %v", err)
	}
	if out, err := runCmd("admin", "create-operator", "--data", data, "--email", "root@example.com", "--password", "a long good passphrase"); err != nil || !strings.Contains(out, "is an operator") {
		t.Fatalf("create-operator: %q %v", out, err)
	}
	s := startServer(t, "--data", data)
	var me struct{ Roles []string }
	call(t, "GET", s.url+"/api/v1/me", login(t, s.url, "root@example.com", "a long good passphrase"), nil, &me)
	if len(me.Roles) != 1 || me.Roles[0] != "operator" {
		t.Fatalf("roles %v", me.Roles)
	}
	// Without --demo nothing else was seeded.
	if status := call(t, "POST", s.url+"/api/v1/sessions", "", map[string]string{"email": "ops@demo.test", "password": "cloudmart-demo"}, nil); status != 401 {
		t.Fatalf("demo user exists without --demo: %d", status)
	}
}

func TestNotificationsAreMailed(t *testing.T) {
	smtp := mailertest.Start(t)
	startServer(t, "--data", t.TempDir(), "--demo", "--smtp", smtp.URL("market@cloudmart.example"), "--base-url", "https://market.example")
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range smtp.Mails() {
			if len(m.To) == 1 && m.To[0] == "seller1@demo.test" && strings.Contains(m.Data, "approved") {
				if !strings.Contains(m.Data, "https://market.example/seller/application") || m.From != "market@cloudmart.example" {
					t.Fatalf("mail %+v", m)
				}
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no approval mail to seller1 among %d mails", len(smtp.Mails()))
}
