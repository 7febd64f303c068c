package saas

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a call.
const (
	DefaultTimeout    = 5 * time.Second
	MaxAnswerBytes    = 1 << 20  // a longer answer is cut off and the call fails
	ExchangeBodyLimit = 64 << 10 // bodies kept in an Exchange are cut to this
)

// Endpoint is a product's production endpoint and its credentials.
type Endpoint struct {
	URL       string // https://…; its own query parameters are kept
	AccessKey string // the product id, public
	Key       string // the product's signing key, as shown to the seller
}

// Options configure a Client.
type Options struct {
	// AllowedPrefixes are the otherwise forbidden addresses the operator
	// lets endpoints reach (a test seller on 127.0.0.0/8, a partner on a
	// private network). Empty: only public addresses.
	AllowedPrefixes []netip.Prefix
	// RootCAs verify endpoints' certificates; nil is the system's roots.
	RootCAs *x509.CertPool
	// Timeout bounds each call, from connecting to the last byte of the
	// answer; 0 is DefaultTimeout.
	Timeout time.Duration
	// Now is the clock that stamps requests and exchanges; nil is time.Now.
	Now func() time.Time
	// Hosts sends endpoints on the named hosts to a fixed loopback address
	// ("backup.lakeside.example" → "127.0.0.1:8443") instead of resolving
	// them: a demo's or a test's sellers, whose names do not resolve, served
	// on this machine. The certificate is still checked for the name, and
	// the address guard still applies (allow 127.0.0.0/8). NewClient panics
	// on an address that is not a loopback ip:port.
	Hosts map[string]string
}

// Client makes cloudmart's calls to production endpoints. It is safe for
// concurrent use.
type Client struct {
	hc  *http.Client
	now func() time.Time
}

// NewClient returns a client whose connections only reach public addresses
// and o.AllowedPrefixes (checked on the resolved address at connect time),
// never through a proxy, never following redirects.
func NewClient(o Options) *Client {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	dialer := &net.Dialer{Timeout: o.Timeout, Control: dialControl(o.AllowedPrefixes)}
	transport := &http.Transport{
		Proxy:                 nil, // through a proxy the guard would check the proxy, not the endpoint
		DialContext:           hostsDialer(dialer, o.Hosts),
		TLSClientConfig:       &tls.Config{RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   o.Timeout,
		ResponseHeaderTimeout: o.Timeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	return &Client{
		hc: &http.Client{
			Transport:     transport,
			Timeout:       o.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		now: o.Now,
	}
}

// hostsDialer dials through d, sending the hosts named to their fixed
// loopback addresses.
func hostsDialer(d *net.Dialer, hosts map[string]string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	fixed := map[string]string{}
	for h, a := range hosts {
		ap, err := netip.ParseAddrPort(a)
		if err != nil || !ap.Addr().IsLoopback() {
			panic("saas: Options.Hosts maps " + h + " to " + a + ", not a loopback ip:port")
		}
		fixed[strings.ToLower(h)] = a
	}
	if len(fixed) == 0 {
		return d.DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, _, err := net.SplitHostPort(addr); err == nil {
			if a, ok := fixed[strings.ToLower(host)]; ok {
				addr = a
			}
		}
		return d.DialContext(ctx, network, addr)
	}
}

// Exchange is cloudmart's record of one call, for the seller's page of
// production-interface messages. It holds no signature and no key.
type Exchange struct {
	Activity          Activity
	URL               string // the endpoint URL, without the signing parameters (and any password in it masked)
	RequestBody       string // cut to ExchangeBodyLimit
	HTTPStatus        int    // 0 when no answer came
	ResponseBody      string // cut to ExchangeBodyLimit
	ResponseTruncated bool   // the answer was longer than what ResponseBody holds
	ResultCode        Code   // "" when no readable, signed answer came
	Error             string // "" on 000000
	Started           time.Time
	Duration          time.Duration
}

// SignedRequest is a request body with its signing parameters, as sent.
type SignedRequest struct {
	Activity        Activity
	Body            []byte
	Nonce           string
	TimestampMillis int64
	Signature       string
}

// Marshal is a request's body: its JSON with "activity" first.
func Marshal(r Request) ([]byte, error) {
	fields, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	if len(fields) < 2 || fields[0] != '{' {
		return nil, fmt.Errorf("saas: %T does not encode as an object", r)
	}
	body := []byte(`{"activity":` + strconv.Quote(string(r.Activity())))
	if string(fields) != "{}" {
		body = append(body, ',')
	}
	return append(body, fields[1:]...), nil
}

// Sign returns r's body signed for ep with a fresh nonce and the client's
// clock.
func (c *Client) Sign(ep Endpoint, r Request) (SignedRequest, error) {
	body, err := Marshal(r)
	if err != nil {
		return SignedRequest{}, err
	}
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return SignedRequest{}, err
	}
	sr := SignedRequest{Activity: r.Activity(), Body: body, Nonce: hex.EncodeToString(nonce), TimestampMillis: c.now().UnixMilli()}
	sr.Signature = Signature(ep.Key, ep.AccessKey, sr.Nonce, sr.TimestampMillis, body)
	return sr, nil
}

// Call signs r and sends it to ep; see Send.
func (c *Client) Call(ctx context.Context, ep Endpoint, r Request) (Response, Exchange, error) {
	sr, err := c.Sign(ep, r)
	if err != nil {
		ex := Exchange{Activity: r.Activity(), URL: cleanURL(ep.URL), Started: c.now(), Error: err.Error()}
		return Response{}, ex, err
	}
	return c.Send(ctx, ep, sr)
}

// Errors of Send besides *Error, ErrForbiddenAddress, ErrUnsigned and
// ErrBadSign. All are worth a retry.
var (
	ErrNotHTTPS       = errors.New("saas: the endpoint is not an https:// URL")
	ErrAnswerTooLarge = fmt.Errorf("saas: answer larger than %d bytes", MaxAnswerBytes)
	ErrHTTPStatus     = errors.New("saas: answer's HTTP status is not 200")
	ErrBadAnswer      = errors.New("saas: answer is not a protocol answer")
)

// Send posts sr to ep and reads the signed answer. The Exchange is filled in
// whatever happens. The Response is filled in whenever the answer was signed
// and readable, also when its code is a refusal.
//
// Errors: *Error for an answer whose resultCode is not 000000 (check
// Processing(err) for 000004); ErrNotHTTPS; ErrForbiddenAddress (wrapped
// in the dial error); network and timeout errors; ErrAnswerTooLarge;
// ErrHTTPStatus; ErrUnsigned or ErrBadSign for an answer without a valid
// Body-Sign; ErrBadAnswer for an answer that is not protocol JSON (or a
// newInstance answer without a usable instanceId or frontEndUrl). Use Retryable to tell which
// are worth a retry.
func (c *Client) Send(ctx context.Context, ep Endpoint, sr SignedRequest) (resp Response, ex Exchange, err error) {
	start := time.Now()
	ex = Exchange{Activity: sr.Activity, URL: cleanURL(ep.URL), Started: c.now()}
	ex.RequestBody, _ = cut(sr.Body)
	defer func() {
		ex.Duration = time.Since(start)
		if err != nil {
			ex.Error = err.Error()
		}
	}()

	u, err := url.Parse(ep.URL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return Response{}, ex, ErrNotHTTPS
	}
	q := u.Query()
	q.Set("signature", sr.Signature)
	q.Set("timestamp", strconv.FormatInt(sr.TimestampMillis, 10))
	q.Set("nonce", sr.Nonce)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(sr.Body))
	if err != nil {
		return Response{}, ex, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Accept", "application/json")

	hr, err := c.hc.Do(req)
	if err != nil {
		// url.Error repeats the signed URL: keep only its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = fmt.Errorf("saas: %s: %w", sr.Activity, ue.Err)
		}
		return Response{}, ex, err
	}
	defer hr.Body.Close()
	ex.HTTPStatus = hr.StatusCode
	body, err := io.ReadAll(io.LimitReader(hr.Body, MaxAnswerBytes+1))
	ex.ResponseBody, ex.ResponseTruncated = cut(body)
	if err != nil {
		return Response{}, ex, fmt.Errorf("saas: reading the answer: %w", err)
	}
	if len(body) > MaxAnswerBytes {
		ex.ResponseTruncated = true
		return Response{}, ex, ErrAnswerTooLarge
	}
	if hr.StatusCode != http.StatusOK {
		return Response{}, ex, fmt.Errorf("%w: %d", ErrHTTPStatus, hr.StatusCode)
	}
	if err := VerifyBodySign(ep.Key, body, hr.Header.Get(BodySignHeader)); err != nil {
		return Response{}, ex, err
	}
	if err := json.Unmarshal(body, &resp); err != nil || resp.ResultCode == "" {
		return Response{}, ex, ErrBadAnswer
	}
	ex.ResultCode = resp.ResultCode
	if err := checkAnswer(sr.Activity, resp); err != nil {
		return resp, ex, err
	}
	if resp.ResultCode != CodeSuccess {
		return resp, ex, &Error{Code: resp.ResultCode, Msg: resp.ResultMsg}
	}
	return resp, ex, nil
}

// checkAnswer refuses a newInstance answer cloudmart could not act on: a
// success or 000004 without a usable instanceId, a success without a
// frontEndUrl.
func checkAnswer(a Activity, resp Response) error {
	if a != ActivityNewInstance || (resp.ResultCode != CodeSuccess && resp.ResultCode != CodeProcessing) {
		return nil
	}
	if resp.InstanceID == "" || len(resp.InstanceID) > MaxInstanceIDLength {
		return fmt.Errorf("%w: newInstance %s needs an instanceId of 1 to %d characters", ErrBadAnswer, resp.ResultCode, MaxInstanceIDLength)
	}
	if resp.ResultCode == CodeSuccess && (resp.AppInfo == nil || resp.AppInfo.FrontEndURL == "") {
		return fmt.Errorf("%w: newInstance succeeded without appInfo.frontEndUrl", ErrBadAnswer)
	}
	return nil
}

// Retryable reports whether a call that failed with err is worth sending
// again (with backoff, within the activity's retry window): everything but a
// seller's deliberate refusal (000002, 000003, 0001xx) and 000004, which is
// not a failure (poll queryInstance instead).
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code != CodeProcessing && !e.Code.Final()
	}
	return true
}

// Processing reports whether err is a 000004 answer: the seller is opening
// the instance (Response.InstanceID names it) and cloudmart polls
// queryInstance.
func Processing(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeProcessing
}

// cleanURL is raw without userinfo password, for records.
func cleanURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Redacted()
}

// lastStart is the index where b's last UTF-8 character starts.
func lastStart(b []byte) int {
	i := len(b) - 1
	for i > 0 && !utf8.RuneStart(b[i]) {
		i--
	}
	return max(i, 0)
}

// cut returns b as text of at most ExchangeBodyLimit bytes (whole UTF-8
// characters) and whether it was cut.
func cut(b []byte) (string, bool) {
	if len(b) <= ExchangeBodyLimit {
		return strings.ToValidUTF8(string(b), "\uFFFD"), false
	}
	b = b[:ExchangeBodyLimit]
	// Drop a character cut in two rather than show a replacement for it.
	if len(b) > 0 && !utf8.FullRune(b[lastStart(b):]) {
		b = b[:lastStart(b)]
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), true
}
