package saas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Seller is what a seller's service does for cloudmart. Every method must be
// idempotent: cloudmart may send any call again, and the same orderId and
// orderLineId must always give the same instance. Return a *Error to answer
// with its code (CodeInstanceNotFound, CodeNoResource …); any other error is
// answered 000005 without its text.
type Seller interface {
	NewInstance(ctx context.Context, r NewInstanceRequest) (NewInstanceResult, error)
	RefreshInstance(ctx context.Context, r RefreshInstanceRequest) error
	UpdateInstanceStatus(ctx context.Context, r UpdateInstanceStatusRequest) error
	UpgradeInstance(ctx context.Context, r UpgradeInstanceRequest) error
	ReleaseInstance(ctx context.Context, r ReleaseInstanceRequest) error
	// QueryInstance returns the instances found; leave out unknown ids.
	QueryInstance(ctx context.Context, r QueryInstanceRequest) ([]InstanceInfo, error)
}

// NewInstanceResult is a seller's answer to newInstance.
type NewInstanceResult struct {
	InstanceID string // required, also when Processing
	AppInfo    *AppInfo
	// Processing answers 000004: the instance is being opened and
	// queryInstance will show it NORMAL (with its AppInfo) or FAILED.
	Processing bool
}

// DefaultWindow is how far a request's timestamp may be from the seller's
// clock, and how long a nonce is remembered.
const DefaultWindow = 60 * time.Second

// HandlerConfig configures NewHandler.
type HandlerConfig struct {
	AccessKey string // the product id
	Key       string // the product's signing key
	// Now is the clock timestamps are checked against; nil is time.Now.
	Now func() time.Time
	// Window is the accepted clock skew; 0 is DefaultWindow.
	Window time.Duration
	// Log receives seller errors answered 000005; nil discards them.
	Log *slog.Logger
}

// NewHandler returns the production endpoint of a seller: it answers POSTs
// (on any path) whose signature is valid, whose timestamp is within the window
// and whose nonce it has not seen, calls s, and signs every answer with
// Body-Sign. Every answer that carries a resultCode has HTTP status 200.
// It panics without an access key and a key: an endpoint signed with an
// empty key would accept anyone.
func NewHandler(cfg HandlerConfig, s Seller) http.Handler {
	if cfg.AccessKey == "" || cfg.Key == "" {
		panic("saas: NewHandler needs HandlerConfig.AccessKey and Key")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &handler{cfg: cfg, seller: s, nonces: map[string]time.Time{}}
}

type handler struct {
	cfg    HandlerConfig
	seller Seller

	mu        sync.Mutex
	nonces    map[string]time.Time // nonce → when it may be forgotten
	lastSweep time.Time
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.answer(w, http.StatusMethodNotAllowed, Response{ResultCode: CodeInvalidParam, ResultMsg: "POST only"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxAnswerBytes))
	if err != nil {
		h.answer(w, http.StatusOK, Response{ResultCode: CodeInvalidParam, ResultMsg: "body unreadable or larger than 1 MB"})
		return
	}
	if err := h.authenticate(r, body); err != nil {
		h.answer(w, http.StatusOK, Response{ResultCode: CodeAuthFailed, ResultMsg: err.Error()})
		return
	}
	h.answer(w, http.StatusOK, h.dispatch(r.Context(), body))
}

// authenticate checks the signature, then the timestamp, then remembers the
// nonce; only signed requests reach the nonce memory, so nobody without the
// key can fill it.
func (h *handler) authenticate(r *http.Request, body []byte) error {
	q := r.URL.Query()
	sig, nonce := q.Get("signature"), q.Get("nonce")
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	if sig == "" || nonce == "" || err != nil {
		return errors.New("signature, timestamp and nonce are required")
	}
	if len(nonce) > 128 {
		return errors.New("nonce too long")
	}
	if !ValidSignature(h.cfg.Key, h.cfg.AccessKey, nonce, ts, body, sig) {
		return errors.New("bad signature")
	}
	now := h.cfg.Now()
	sent := time.UnixMilli(ts)
	if d := now.Sub(sent); d > h.cfg.Window || d < -h.cfg.Window {
		return errors.New("stale timestamp")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if now.Sub(h.lastSweep) > h.cfg.Window/4 {
		for n, forget := range h.nonces {
			if now.After(forget) {
				delete(h.nonces, n)
			}
		}
		h.lastSweep = now
	}
	if forget, seen := h.nonces[nonce]; seen && !now.After(forget) {
		return errors.New("replayed nonce")
	}
	// Once sent+window has passed the timestamp is stale, so the nonce can go.
	h.nonces[nonce] = sent.Add(h.cfg.Window)
	return nil
}

// decode reads body into a request of type R and validates it.
func decode[R Request](body []byte) (R, error) {
	var r R
	if err := json.Unmarshal(body, &r); err != nil {
		return r, &Error{Code: CodeInvalidParam, Msg: "body: " + err.Error()}
	}
	return r, r.Validate()
}

func (h *handler) dispatch(ctx context.Context, body []byte) Response {
	var head struct {
		Activity Activity `json:"activity"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return Response{ResultCode: CodeInvalidParam, ResultMsg: "body is not a JSON object"}
	}
	var (
		resp Response
		err  error
	)
	switch head.Activity {
	case ActivityNewInstance:
		var r NewInstanceRequest
		if r, err = decode[NewInstanceRequest](body); err == nil {
			var res NewInstanceResult
			if res, err = h.seller.NewInstance(ctx, r); err == nil {
				resp = Response{ResultCode: CodeSuccess, InstanceID: res.InstanceID, AppInfo: res.AppInfo}
				switch {
				case res.InstanceID == "" || len(res.InstanceID) > MaxInstanceIDLength:
					err = fmt.Errorf("saas: seller's instance id %q is not 1 to %d characters", res.InstanceID, MaxInstanceIDLength)
				case res.Processing:
					resp = Response{ResultCode: CodeProcessing, ResultMsg: "processing", InstanceID: res.InstanceID}
				case res.AppInfo == nil || res.AppInfo.FrontEndURL == "":
					err = errors.New("saas: seller's new instance has no AppInfo.FrontEndURL")
				}
			}
		}
	case ActivityRefreshInstance:
		err = call(ctx, body, &resp, h.seller.RefreshInstance, func(r RefreshInstanceRequest) string { return r.InstanceID })
	case ActivityUpdateInstanceStatus:
		err = call(ctx, body, &resp, h.seller.UpdateInstanceStatus, func(r UpdateInstanceStatusRequest) string { return r.InstanceID })
	case ActivityUpgradeInstance:
		err = call(ctx, body, &resp, h.seller.UpgradeInstance, func(r UpgradeInstanceRequest) string { return r.InstanceID })
	case ActivityReleaseInstance:
		err = call(ctx, body, &resp, h.seller.ReleaseInstance, func(r ReleaseInstanceRequest) string { return r.InstanceID })
	case ActivityQueryInstance:
		var r QueryInstanceRequest
		if r, err = decode[QueryInstanceRequest](body); err == nil {
			var info []InstanceInfo
			if info, err = h.seller.QueryInstance(ctx, r); err == nil {
				resp = Response{ResultCode: CodeSuccess, Info: info}
			}
		}
	default:
		return Response{ResultCode: CodeInvalidParam, ResultMsg: "unknown activity " + strconv.Quote(string(head.Activity))}
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return Response{ResultCode: e.Code, ResultMsg: e.Msg}
		}
		h.cfg.Log.ErrorContext(ctx, "saas seller failed", "activity", head.Activity, "err", err)
		return Response{ResultCode: CodeInternal, ResultMsg: "internal error"}
	}
	if resp.ResultMsg == "" {
		resp.ResultMsg = "success"
	}
	return resp
}

// call decodes an activity that answers only with a code and the instance id.
func call[R Request](ctx context.Context, body []byte, resp *Response, do func(context.Context, R) error, instance func(R) string) error {
	r, err := decode[R](body)
	if err != nil {
		return err
	}
	if err := do(ctx, r); err != nil {
		return err
	}
	*resp = Response{ResultCode: CodeSuccess, InstanceID: instance(r)}
	return nil
}

func (h *handler) answer(w http.ResponseWriter, status int, resp Response) {
	body, err := json.Marshal(resp)
	if err != nil { // plain strings and numbers only: cannot fail
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set(BodySignHeader, BodySign(h.cfg.Key, body))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
