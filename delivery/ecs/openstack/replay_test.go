package openstack_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// A conversation is a recorded exchange with Keystone and Nova, in the
// order the provider must make its requests. Its responses were written
// from the OpenStack API reference's samples (Keystone v3, Nova v2.1); no
// OpenStack runs here. The replaying server checks each request: method,
// path, query, X-Auth-Token, and the JSON fields named.
type exchange struct {
	Request struct {
		Method string            `json:"method"`
		Path   string            `json:"path"`
		Query  map[string]string `json:"query"`
		// JSON maps dotted paths of the request body ("server.name",
		// "server.networks") to the value they must have.
		JSON map[string]any `json:"json"`
		// Absent lists dotted paths the body must not have.
		Absent []string `json:"absent"`
	} `json:"request"`
	Response struct {
		Status   int               `json:"status"`
		Headers  map[string]string `json:"headers"`
		Body     json.RawMessage   `json:"body"`
		BodyFile string            `json:"body_file"`
	} `json:"response"`
}

// token is the one the recorded Keystone answers with.
const token = "gAAAAABnRZ3cloudmartRecordedToken"

// replay serves the conversation in the file and fails the test on a
// request out of turn, and at the end if one was not made.
func replay(t *testing.T, file string) *httptest.Server {
	t.Helper()
	var conv []exchange
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &conv); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var (
		mu   sync.Mutex
		next int
		srv  *httptest.Server
	)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if next >= len(conv) {
			t.Errorf("%s: request %s %s after the end of the conversation", file, r.Method, r.URL)
			http.Error(w, "unexpected", http.StatusTeapot)
			return
		}
		x := conv[next]
		next++
		if problem := check(x, r); problem != "" {
			t.Errorf("%s, exchange %d: %s", file, next, problem)
			http.Error(w, problem, http.StatusTeapot)
			return
		}
		body := x.Response.Body
		if x.Response.BodyFile != "" {
			if body, err = os.ReadFile(filepath.Join("testdata", x.Response.BodyFile)); err != nil {
				t.Error(err)
			}
		}
		for k, v := range x.Response.Headers {
			w.Header().Set(k, v)
		}
		if len(body) > 0 {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(x.Response.Status)
		_, _ = w.Write([]byte(strings.ReplaceAll(string(body), "{{base}}", srv.URL)))
	}))
	t.Cleanup(func() {
		srv.Close()
		mu.Lock()
		defer mu.Unlock()
		if next < len(conv) {
			t.Errorf("%s: the provider made %d of %d requests; next expected %s %s",
				file, next, len(conv), conv[next].Request.Method, conv[next].Request.Path)
		}
	})
	return srv
}

// check returns what is wrong with the request, or "".
func check(x exchange, r *http.Request) string {
	want := x.Request
	if r.Method != want.Method || r.URL.Path != want.Path {
		return fmt.Sprintf("got %s %s; want %s %s", r.Method, r.URL.Path, want.Method, want.Path)
	}
	q := r.URL.Query()
	if len(q) != len(want.Query) {
		return fmt.Sprintf("query %q; want %v", r.URL.RawQuery, want.Query)
	}
	for k, v := range want.Query {
		if q.Get(k) != v {
			return fmt.Sprintf("query %s=%q; want %q", k, q.Get(k), v)
		}
	}
	isAuth := strings.HasSuffix(r.URL.Path, "/auth/tokens")
	if got := r.Header.Get("X-Auth-Token"); !isAuth && got != token {
		return fmt.Sprintf("X-Auth-Token %q; want the token Keystone gave", got)
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "cloudmart ") {
		return fmt.Sprintf("User-Agent %q", ua)
	}
	if len(want.JSON) == 0 && len(want.Absent) == 0 {
		return ""
	}
	raw, _ := io.ReadAll(r.Body)
	var body any
	if err := json.Unmarshal(raw, &body); err != nil {
		return fmt.Sprintf("body %q is not JSON: %v", raw, err)
	}
	for path, v := range want.JSON {
		got, ok := dig(body, path)
		if !ok || !reflect.DeepEqual(got, v) {
			return fmt.Sprintf("%s = %v (present %v); want %v", path, got, ok, v)
		}
	}
	for _, path := range want.Absent {
		if got, ok := dig(body, path); ok {
			return fmt.Sprintf("%s = %v; want none", path, got)
		}
	}
	return ""
}

// dig follows a dotted path ("server.networks.0.uuid") into decoded JSON.
func dig(v any, path string) (any, bool) {
	for part := range strings.SplitSeq(path, ".") {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[part]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}
