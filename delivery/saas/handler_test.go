package saas_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/money"
)

const (
	testKey       = "CzBVep_E6Q4zWH2ix-wRNluApcrvFDleg6jN8hc8YYY"
	testAccessKey = "prd_01HZX4Q9T0V8K2M6N3P5R7S9W1"
)

var epoch = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// fakeSeller keeps instances in memory, one per order line.
type fakeSeller struct {
	mu         sync.Mutex
	byLine     map[string]string // orderId/orderLineId → instance id
	status     map[string]saas.InstanceStatus
	processing bool
	noAppInfo  bool  // answer newInstance without AppInfo, as a buggy seller would
	fail       error // returned by every call when set
	calls      []saas.Activity
}

func newFakeSeller() *fakeSeller {
	return &fakeSeller{byLine: map[string]string{}, status: map[string]saas.InstanceStatus{}}
}

func (s *fakeSeller) record(a saas.Activity) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, a)
	return s.fail
}

func (s *fakeSeller) NewInstance(_ context.Context, r saas.NewInstanceRequest) (saas.NewInstanceResult, error) {
	if err := s.record(r.Activity()); err != nil {
		return saas.NewInstanceResult{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	line := r.OrderID + "/" + r.OrderLineID
	id, ok := s.byLine[line]
	if !ok {
		id = fmt.Sprintf("ins_%d", len(s.byLine)+1)
		s.byLine[line] = id
		s.status[id] = saas.StatusNormal
	}
	if s.processing {
		s.status[id] = saas.StatusProcessing
		return saas.NewInstanceResult{InstanceID: id, Processing: true}, nil
	}
	if s.noAppInfo {
		return saas.NewInstanceResult{InstanceID: id}, nil
	}
	pw, err := saas.SealPassword(testKey, "pw-"+id)
	return saas.NewInstanceResult{InstanceID: id, AppInfo: &saas.AppInfo{FrontEndURL: "https://app.example.com/" + id, UserName: r.Email, Password: pw}}, err
}

func (s *fakeSeller) setStatus(a saas.Activity, id string, st saas.InstanceStatus) error {
	if err := s.record(a); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.status[id]; !ok {
		return &saas.Error{Code: saas.CodeInstanceNotFound, Msg: "no instance " + id}
	}
	if st != "" {
		s.status[id] = st
	}
	return nil
}

func (s *fakeSeller) RefreshInstance(_ context.Context, r saas.RefreshInstanceRequest) error {
	return s.setStatus(r.Activity(), r.InstanceID, "")
}
func (s *fakeSeller) UpdateInstanceStatus(_ context.Context, r saas.UpdateInstanceStatusRequest) error {
	return s.setStatus(r.Activity(), r.InstanceID, r.InstanceStatus)
}
func (s *fakeSeller) UpgradeInstance(_ context.Context, r saas.UpgradeInstanceRequest) error {
	return s.setStatus(r.Activity(), r.InstanceID, "")
}
func (s *fakeSeller) ReleaseInstance(_ context.Context, r saas.ReleaseInstanceRequest) error {
	return s.setStatus(r.Activity(), r.InstanceID, saas.StatusReleased)
}
func (s *fakeSeller) QueryInstance(_ context.Context, r saas.QueryInstanceRequest) ([]saas.InstanceInfo, error) {
	if err := s.record(r.Activity()); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []saas.InstanceInfo
	for _, id := range r.InstanceIDs {
		if st, ok := s.status[id]; ok {
			out = append(out, saas.InstanceInfo{InstanceID: id, Status: st})
		}
	}
	return out, nil
}

func newInstanceRequest(line string) saas.NewInstanceRequest {
	return saas.NewInstanceRequest{
		OrderID: "ord_1", OrderLineID: line, BusinessID: "dlv_" + line, CustomerID: "org_1", CustomerName: "Buyer Ltd",
		Email: "buyer@example.com", ProductID: testAccessKey, SKUCode: "pln_1", ChargingMode: saas.ChargingPeriod,
		PeriodType: saas.PeriodMonth, PeriodNumber: 1, ProvisionType: saas.ProvisionFormal,
		ExpireTime: saas.At(epoch.AddDate(0, 1, 0)), Amount: money.New(9900, money.CNY), TestFlag: true,
	}
}

// signedPost is a request to the handler as cloudmart would send it.
func signedPost(t *testing.T, body, nonce string, ts time.Time, key string) *http.Request {
	t.Helper()
	sig := saas.Signature(key, testAccessKey, nonce, ts.UnixMilli(), []byte(body))
	q := url.Values{"signature": {sig}, "timestamp": {strconv.FormatInt(ts.UnixMilli(), 10)}, "nonce": {nonce}}
	return httptest.NewRequest(http.MethodPost, "/saas?"+q.Encode(), strings.NewReader(body))
}

// serve answers req and checks that the answer is signed.
func serve(t *testing.T, h http.Handler, req *http.Request) (int, saas.Response) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if err := saas.VerifyBodySign(testKey, rec.Body.Bytes(), rec.Header().Get(saas.BodySignHeader)); err != nil {
		t.Errorf("answer %s: %v", rec.Body, err)
	}
	var resp saas.Response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("answer %q: %v", rec.Body, err)
	}
	return rec.Code, resp
}

func mustBody(t *testing.T, r saas.Request) string {
	t.Helper()
	b, err := saas.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHandlerRejects(t *testing.T) {
	valid := mustBody(t, newInstanceRequest("oln_1"))
	invalid := newInstanceRequest("oln_1")
	invalid.Amount.Currency = "XXX"
	tests := []struct {
		name   string
		req    func(t *testing.T) *http.Request
		status int
		code   saas.Code
	}{
		{"valid", func(t *testing.T) *http.Request { return signedPost(t, valid, "n-valid", epoch, testKey) }, 200, saas.CodeSuccess},
		{"bad signature", func(t *testing.T) *http.Request { return signedPost(t, valid, "n-badsig", epoch, "another key") }, 200, saas.CodeAuthFailed},
		{"no signature", func(t *testing.T) *http.Request {
			return httptest.NewRequest(http.MethodPost, "/saas", strings.NewReader(valid))
		}, 200, saas.CodeAuthFailed},
		{"stale: 61 s old", func(t *testing.T) *http.Request {
			return signedPost(t, valid, "n-old", epoch.Add(-61*time.Second), testKey)
		}, 200, saas.CodeAuthFailed},
		{"stale: 61 s ahead", func(t *testing.T) *http.Request {
			return signedPost(t, valid, "n-ahead", epoch.Add(61*time.Second), testKey)
		}, 200, saas.CodeAuthFailed},
		{"59 s old is fine", func(t *testing.T) *http.Request {
			return signedPost(t, valid, "n-59", epoch.Add(-59*time.Second), testKey)
		}, 200, saas.CodeSuccess},
		{"replayed nonce", func(t *testing.T) *http.Request { return signedPost(t, valid, "n-valid", epoch, testKey) }, 200, saas.CodeAuthFailed},
		{"unknown activity", func(t *testing.T) *http.Request {
			return signedPost(t, `{"activity":"deleteEverything"}`, "n-unknown", epoch, testKey)
		}, 200, saas.CodeInvalidParam},
		{"not JSON", func(t *testing.T) *http.Request {
			return signedPost(t, `activity=newInstance`, "n-notjson", epoch, testKey)
		}, 200, saas.CodeInvalidParam},
		{"invalid field", func(t *testing.T) *http.Request {
			return signedPost(t, mustBody(t, invalid), "n-invalid", epoch, testKey)
		}, 200, saas.CodeInvalidParam},
		{"too many ids", func(t *testing.T) *http.Request {
			return signedPost(t, mustBody(t, saas.QueryInstanceRequest{InstanceIDs: make([]string, 101)}), "n-101", epoch, testKey)
		}, 200, saas.CodeInvalidParam},
		{"unknown instance", func(t *testing.T) *http.Request {
			return signedPost(t, mustBody(t, saas.ReleaseInstanceRequest{InstanceID: "ins_x", OrderID: "o", OrderLineID: "l", Scene: saas.SceneExpired}), "n-unknown-instance", epoch, testKey)
		}, 200, saas.CodeInstanceNotFound},
		{"GET", func(t *testing.T) *http.Request { return httptest.NewRequest(http.MethodGet, "/saas", nil) }, 405, saas.CodeInvalidParam},
	}
	h := saas.NewHandler(saas.HandlerConfig{AccessKey: testAccessKey, Key: testKey, Now: func() time.Time { return epoch }}, newFakeSeller())
	for _, tt := range tests { // in order: "replayed nonce" reuses "valid"'s nonce
		status, resp := serve(t, h, tt.req(t))
		if status != tt.status || resp.ResultCode != tt.code {
			t.Errorf("%s: HTTP %d %s (%s), want HTTP %d %s", tt.name, status, resp.ResultCode, resp.ResultMsg, tt.status, tt.code)
		}
	}
}

func TestHandlerSellerErrors(t *testing.T) {
	tests := []struct {
		name      string
		fail      error
		noAppInfo bool
		code      saas.Code
		message   string
	}{
		{"business refusal", &saas.Error{Code: saas.CodeDuplicateEmail, Msg: "email taken"}, false, saas.CodeDuplicateEmail, "email taken"},
		{"wrapped refusal", fmt.Errorf("opening: %w", &saas.Error{Code: saas.CodeSoldOut}), false, saas.CodeSoldOut, ""},
		{"plain error hides its text", errors.New("database password wrong"), false, saas.CodeInternal, "internal error"},
		{"a new instance without app info", nil, true, saas.CodeInternal, "internal error"},
	}
	for i, tt := range tests {
		s := newFakeSeller()
		s.fail, s.noAppInfo = tt.fail, tt.noAppInfo
		h := saas.NewHandler(saas.HandlerConfig{AccessKey: testAccessKey, Key: testKey, Now: func() time.Time { return epoch }}, s)
		_, resp := serve(t, h, signedPost(t, mustBody(t, newInstanceRequest("oln_1")), fmt.Sprint("n", i), epoch, testKey))
		if resp.ResultCode != tt.code || resp.ResultMsg != tt.message {
			t.Errorf("%s: %s %q, want %s %q", tt.name, resp.ResultCode, resp.ResultMsg, tt.code, tt.message)
		}
	}
}

// Nonces are forgotten once their timestamp is stale, so memory stays bounded.
func TestHandlerForgetsOldNonces(t *testing.T) {
	now := epoch
	h := saas.NewHandler(saas.HandlerConfig{AccessKey: testAccessKey, Key: testKey, Now: func() time.Time { return now }}, newFakeSeller())
	body := mustBody(t, saas.QueryInstanceRequest{InstanceIDs: []string{"ins_1"}})
	for i := range 50 {
		serve(t, h, signedPost(t, body, fmt.Sprint("a", i), now, testKey))
	}
	if n := saas.Nonces(h); n != 50 {
		t.Fatalf("remembers %d nonces, want 50", n)
	}
	now = now.Add(2 * saas.DefaultWindow)
	serve(t, h, signedPost(t, body, "b", now, testKey))
	if n := saas.Nonces(h); n != 1 {
		t.Errorf("after the window, remembers %d nonces, want 1", n)
	}
}
