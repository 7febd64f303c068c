package saas_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/delivery/saas/saastest"
	"github.com/cloudmart/cloudmart/money"
)

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

// tlsSeller serves h over TLS on 127.0.0.1 and returns a client that trusts
// it and may reach loopback.
func tlsSeller(t *testing.T, h http.Handler, timeout time.Duration) (*saas.Client, saas.Endpoint) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	c := saas.NewClient(saas.Options{AllowedPrefixes: loopback, RootCAs: roots, Timeout: timeout})
	return c, saas.Endpoint{URL: srv.URL + "/cloudmart?tenant=a", AccessKey: testAccessKey, Key: testKey}
}

func TestRoundTrip(t *testing.T) {
	seller := newFakeSeller()
	c, ep := tlsSeller(t, saas.NewHandler(saas.HandlerConfig{AccessKey: testAccessKey, Key: testKey}, seller), 0)
	ctx := context.Background()

	resp, ex, err := c.Call(ctx, ep, newInstanceRequest("oln_1"))
	if err != nil {
		t.Fatalf("newInstance: %v (%+v)", err, ex)
	}
	id := resp.InstanceID
	if resp.AppInfo == nil || resp.AppInfo.FrontEndURL != "https://app.example.com/"+id {
		t.Errorf("newInstance app info = %+v", resp.AppInfo)
	} else if pw, err := saas.OpenPassword(testKey, resp.AppInfo.Password); err != nil || pw != "pw-"+id {
		t.Errorf("password opens to %q, %v", pw, err)
	}
	if ex.Activity != saas.ActivityNewInstance || ex.URL != ep.URL || ex.HTTPStatus != 200 || ex.ResultCode != saas.CodeSuccess || ex.Error != "" ||
		!strings.Contains(ex.RequestBody, `"orderLineId":"oln_1"`) || !strings.Contains(ex.ResponseBody, id) || ex.Started.IsZero() || ex.Duration <= 0 {
		t.Errorf("exchange = %+v", ex)
	}
	if strings.Contains(ex.URL, "signature") {
		t.Errorf("exchange URL %q holds the signature", ex.URL)
	}

	again, _, err := c.Call(ctx, ep, newInstanceRequest("oln_1"))
	if err != nil || again.InstanceID != id {
		t.Errorf("repeated newInstance = %q, %v; want %q", again.InstanceID, err, id)
	}

	calls := []saas.Request{
		saas.RefreshInstanceRequest{InstanceID: id, OrderID: "ord_2", OrderLineID: "oln_2", Scene: saas.SceneRenewal, PeriodType: saas.PeriodMonth, PeriodNumber: 1,
			ExpireTime: saas.At(epoch.AddDate(0, 2, 0)), Amount: money.New(9900, money.CNY)},
		saas.UpdateInstanceStatusRequest{InstanceID: id, InstanceStatus: saas.StatusFreeze},
		saas.UpdateInstanceStatusRequest{InstanceID: id, InstanceStatus: saas.StatusNormal},
		saas.UpgradeInstanceRequest{InstanceID: id, OrderID: "ord_3", OrderLineID: "oln_3", ProductID: testAccessKey, SKUCode: "pln_2", Amount: money.New(100, money.CNY)},
	}
	for _, r := range calls {
		resp, _, err := c.Call(ctx, ep, r)
		if err != nil || resp.InstanceID != id {
			t.Errorf("%s: %+v, %v", r.Activity(), resp, err)
		}
	}
	q, _, err := c.Call(ctx, ep, saas.QueryInstanceRequest{InstanceIDs: []string{id, "ins_unknown"}})
	if err != nil || len(q.Info) != 1 || q.Info[0].InstanceID != id || q.Info[0].Status != saas.StatusNormal {
		t.Errorf("queryInstance = %+v, %v", q, err)
	}
	if _, _, err := c.Call(ctx, ep, saas.ReleaseInstanceRequest{InstanceID: id, OrderID: "ord_1", OrderLineID: "oln_1", Scene: saas.SceneUnsubscribe}); err != nil {
		t.Errorf("releaseInstance: %v", err)
	}
	_, ex, err = c.Call(ctx, ep, saas.ReleaseInstanceRequest{InstanceID: "ins_none", OrderID: "ord_1", OrderLineID: "oln_1", Scene: saas.SceneUnsubscribe})
	var e *saas.Error
	if !errors.As(err, &e) || e.Code != saas.CodeInstanceNotFound || saas.Retryable(err) || ex.ResultCode != saas.CodeInstanceNotFound || ex.Error == "" {
		t.Errorf("release of an unknown instance: %v, exchange %+v", err, ex)
	}
}

func TestProcessing(t *testing.T) {
	seller := newFakeSeller()
	seller.processing = true
	c, ep := tlsSeller(t, saas.NewHandler(saas.HandlerConfig{AccessKey: testAccessKey, Key: testKey}, seller), 0)
	resp, ex, err := c.Call(context.Background(), ep, newInstanceRequest("oln_1"))
	if !saas.Processing(err) || saas.Retryable(err) || resp.InstanceID == "" || ex.ResultCode != saas.CodeProcessing {
		t.Fatalf("processing newInstance: %+v, %v", resp, err)
	}
	q, _, err := c.Call(context.Background(), ep, saas.QueryInstanceRequest{InstanceIDs: []string{resp.InstanceID}})
	if err != nil || len(q.Info) != 1 || q.Info[0].Status != saas.StatusProcessing {
		t.Errorf("query = %+v, %v", q, err)
	}
}

// answering returns a seller endpoint that answers body with the header.
func answering(status int, body string, header string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if header != "" {
			w.Header().Set(saas.BodySignHeader, header)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
}

func TestClientRefusesBadAnswers(t *testing.T) {
	ok := `{"resultCode":"000000","resultMsg":"success","instanceId":"ins_1","appInfo":{"frontEndUrl":"https://app.example.com/"}}`
	noApp := `{"resultCode":"000000","instanceId":"ins_1"}`
	huge := `{"resultCode":"000000","instanceId":"ins_1","appInfo":{"frontEndUrl":"https://app.example.com/"},"resultMsg":"` + strings.Repeat("x", saas.MaxAnswerBytes) + `"}`
	tests := []struct {
		name      string
		h         http.Handler
		want      error
		code      saas.Code
		retryable bool
	}{
		{"unsigned", answering(200, ok, ""), saas.ErrUnsigned, "", true},
		{"signed with another key", answering(200, ok, saas.BodySign("another key", []byte(ok))), saas.ErrBadSign, "", true},
		{"signature of another body", answering(200, ok, saas.BodySign(testKey, []byte(ok+" "))), saas.ErrBadSign, "", true},
		{"larger than 1 MB", answering(200, huge, saas.BodySign(testKey, []byte(huge))), saas.ErrAnswerTooLarge, "", true},
		{"HTTP 502", answering(502, ok, saas.BodySign(testKey, []byte(ok))), saas.ErrHTTPStatus, "", true},
		{"redirect", http.RedirectHandler("https://example.com/", http.StatusFound), saas.ErrHTTPStatus, "", true},
		{"not protocol JSON", answering(200, `<html>`, saas.BodySign(testKey, []byte(`<html>`))), saas.ErrBadAnswer, "", true},
		{"processing without instance", answering(200, `{"resultCode":"000004"}`, saas.BodySign(testKey, []byte(`{"resultCode":"000004"}`))), saas.ErrBadAnswer, saas.CodeProcessing, true},
		{"success without frontEndUrl", answering(200, noApp, saas.BodySign(testKey, []byte(noApp))), saas.ErrBadAnswer, saas.CodeSuccess, true},
		{"success without instance", answering(200, `{"resultCode":"000000"}`, saas.BodySign(testKey, []byte(`{"resultCode":"000000"}`))), saas.ErrBadAnswer, saas.CodeSuccess, true},
		{"internal error", signedAnswer(saas.CodeInternal), nil, saas.CodeInternal, true},
		{"auth failed", signedAnswer(saas.CodeAuthFailed), nil, saas.CodeAuthFailed, true},
		{"invalid parameter", signedAnswer(saas.CodeInvalidParam), nil, saas.CodeInvalidParam, false},
		{"no resource", signedAnswer(saas.CodeNoResource), nil, saas.CodeNoResource, false},
		{"sold out", signedAnswer(saas.CodeSoldOut), nil, saas.CodeSoldOut, false},
		{"unknown business code", signedAnswer("000199"), nil, "000199", false},
		{"unknown code", signedAnswer("999999"), nil, "999999", true},
	}
	for _, tt := range tests {
		c, ep := tlsSeller(t, tt.h, 0)
		_, ex, err := c.Call(context.Background(), ep, newInstanceRequest("oln_1"))
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
		var e *saas.Error
		if tt.want == nil && (!errors.As(err, &e) || e.Code != tt.code) {
			t.Errorf("%s: %v, want result %s", tt.name, err, tt.code)
		}
		if saas.Retryable(err) != tt.retryable {
			t.Errorf("%s: Retryable = %v", tt.name, !tt.retryable)
		}
		if ex.ResultCode != tt.code || ex.Error != err.Error() {
			t.Errorf("%s: exchange code %q error %q", tt.name, ex.ResultCode, ex.Error)
		}
		if len(ex.ResponseBody) > saas.ExchangeBodyLimit || (tt.want == saas.ErrAnswerTooLarge) != ex.ResponseTruncated {
			t.Errorf("%s: exchange keeps %d bytes, truncated %v", tt.name, len(ex.ResponseBody), ex.ResponseTruncated)
		}
	}
}

func signedAnswer(code saas.Code) http.Handler {
	body := `{"resultCode":"` + string(code) + `","resultMsg":"because"}`
	return answering(200, body, saas.BodySign(testKey, []byte(body)))
}

func TestClientTimeout(t *testing.T) {
	release := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c, ep := tlsSeller(t, slow, 200*time.Millisecond)
	defer close(release)
	_, ex, err := c.Call(context.Background(), ep, newInstanceRequest("oln_1"))
	if err == nil || !saas.Retryable(err) || ex.HTTPStatus != 0 || ex.Error == "" {
		t.Errorf("slow seller: %v, exchange %+v", err, ex)
	}
	var timeout interface{ Timeout() bool }
	if !errors.As(err, &timeout) || !timeout.Timeout() {
		t.Errorf("slow seller: %v is not a timeout", err)
	}
}

func TestClientRefusesPlainHTTP(t *testing.T) {
	c := saas.NewClient(saas.Options{AllowedPrefixes: loopback})
	_, ex, err := c.Call(context.Background(), saas.Endpoint{URL: "http://127.0.0.1:1/", AccessKey: testAccessKey, Key: testKey}, newInstanceRequest("oln_1"))
	if !errors.Is(err, saas.ErrNotHTTPS) || ex.Error == "" {
		t.Errorf("http:// endpoint: %v", err)
	}
}

// localhostSeller serves a handler over TLS as https://localhost:port.
func localhostSeller(t *testing.T) (string, *x509.CertPool) {
	t.Helper()
	cert, pemBytes, err := saastest.Certificate("localhost")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(saas.NewHandler(saas.HandlerConfig{AccessKey: testAccessKey, Key: testKey}, newFakeSeller()))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pemBytes)
	return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1), roots
}

// The guard runs at connect time, on the resolved address: a name that
// resolves to loopback is refused unless loopback is allowed.
func TestClientRefusesPrivateAddresses(t *testing.T) {
	url, roots := localhostSeller(t)
	tests := []struct {
		name    string
		url     string
		allowed []netip.Prefix
		want    error
	}{
		{"localhost, not allowed", url, nil, saas.ErrForbiddenAddress},
		{"localhost, 10/8 allowed", url, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, saas.ErrForbiddenAddress},
		{"localhost, loopback allowed", url, loopback, nil},
		{"localhost, 127.0.0.1/32 allowed", url, []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, nil},
		// Addresses beyond loopback are tested on the guard alone (TestCheckAddress):
		// a test must never risk a packet to them should the guard break.
		{"IPv6 loopback", "https://[::1]:1/", nil, saas.ErrForbiddenAddress},
		{"IPv4-mapped private", "https://[::ffff:192.168.1.1]/", nil, saas.ErrForbiddenAddress},
	}
	for _, tt := range tests {
		c := saas.NewClient(saas.Options{AllowedPrefixes: tt.allowed, RootCAs: roots})
		_, ex, err := c.Call(context.Background(), saas.Endpoint{URL: tt.url, AccessKey: testAccessKey, Key: testKey}, newInstanceRequest("oln_1"))
		if !errors.Is(err, tt.want) || (tt.want != nil && !saas.Retryable(err)) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
		if tt.want != nil && (ex.HTTPStatus != 0 || !strings.Contains(ex.Error, "not public")) {
			t.Errorf("%s: exchange %+v", tt.name, ex)
		}
	}
}

func TestCheckAddress(t *testing.T) {
	tests := []struct {
		addr    string
		allowed []netip.Prefix
		ok      bool
	}{
		{"8.8.8.8", nil, true},
		{"2001:4860:4860::8888", nil, true},
		{"127.0.0.1", nil, false},
		{"127.0.0.1", loopback, true},
		{"10.0.0.1", nil, false},
		{"172.16.5.4", nil, false},
		{"172.32.0.1", nil, true},
		{"192.168.0.1", nil, false},
		{"100.64.0.1", nil, false},
		{"169.254.169.254", nil, false},
		{"0.0.0.0", nil, false},
		{"224.0.0.1", nil, false},
		{"255.255.255.255", nil, false},
		{"::1", nil, false},
		{"::", nil, false},
		{"fe80::1", nil, false},
		{"fd00:ec2::254", nil, false},
		{"::ffff:10.0.0.1", nil, false},
		{"::ffff:10.0.0.1", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, true},
		{"64:ff9b::a9fe:a9fe", nil, false}, // NAT64 of 169.254.169.254
		{"64:ff9b::808:808", nil, true},    // NAT64 of 8.8.8.8
	}
	for _, tt := range tests {
		err := saas.CheckAddress(netip.MustParseAddr(tt.addr), tt.allowed)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, saas.ErrForbiddenAddress)) {
			t.Errorf("%s (allowed %v): %v, want ok=%v", tt.addr, tt.allowed, err, tt.ok)
		}
	}
}
