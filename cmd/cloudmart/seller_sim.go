package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/delivery/saas/saastest"
	"github.com/cloudmart/cloudmart/ids"
)

// sellerSim runs a reference seller: the SaaS protocol served by the SDK in
// delivery/saas over instances kept in memory or a JSON file, with switches
// to be slow, failing or asynchronous, for demos and tests.
func sellerSim(ctx context.Context, env *environment, args []string) error {
	fs := flagSet("seller-sim", env.stderr)
	listen := fs.String("listen", "127.0.0.1:8443", "the address to serve HTTPS on")
	accessKey := fs.String("access-key", "", "the product id cloudmart calls for (required)")
	key := fs.String("key", env.getenv("CLOUDMART_SAAS_KEY"), "the product's signing key as cloudmart showed it (required; env CLOUDMART_SAAS_KEY)")
	statePath := fs.String("state", "", "keep the instances in this JSON file; in memory when empty")
	tlsCert := fs.String("tls-cert", "", "the certificate PEM file to serve; without it a self-signed one is made for the listen host")
	tlsKey := fs.String("tls-key", "", "the private key PEM file of --tls-cert")
	certOut := fs.String("cert-out", "", "write the served certificate's PEM here, for cloudmart saas-check --ca or cloudmart's trusted roots")
	delay := fs.Duration("delay", 0, "wait this long before answering each call")
	fail := fs.Bool("fail", false, "answer every call 000005 (internal error)")
	processing := fs.Bool("processing", false, "answer a new newInstance 000004; the instance turns NORMAL when queryInstance first asks for it")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: cloudmart seller-sim --access-key ID --key KEY [flags]

Runs a reference seller service: the SaaS production-endpoint protocol
(docs/saas-protocol.md) on https://<listen>/, built on the Go seller SDK
(delivery/saas). It checks every call's signature, timestamp and nonce, keeps
one instance per order line (a repeated newInstance gets the same instance),
seals each instance's initial password for cloudmart, and signs its answers.

A control endpoint on the same address changes its behaviour while it runs
(it has no authentication: keep --listen on loopback):

  POST /_sim/mode       {"delay":"2s","fail":false,"processing":true}
  GET  /_sim/mode       the current mode
  GET  /_sim/instances  the instances, as JSON

Flags:
`)
		fs.PrintDefaults()
	}
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *accessKey == "" || *key == "" {
		return fmt.Errorf("%w: --access-key and --key are required", errUsage)
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return fmt.Errorf("%w: give both --tls-cert and --tls-key, or neither", errUsage)
	}
	if *delay < 0 {
		return fmt.Errorf("%w: --delay must not be negative", errUsage)
	}
	cert, err := simCertificate(*listen, *tlsCert, *tlsKey)
	if err != nil {
		return err
	}
	if *certOut != "" {
		if err := os.WriteFile(*certOut, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o644); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	s := &sim{key: *key, statePath: *statePath, base: "https://" + ln.Addr().String(),
		mode: simMode{Delay: *delay, Fail: *fail, Processing: *processing}}
	if err := s.load(); err != nil {
		ln.Close()
		return err
	}
	log := slog.New(slog.NewTextHandler(env.stderr, nil))
	srv := &http.Server{
		Handler:           s.routes(saas.NewHandler(saas.HandlerConfig{AccessKey: *accessKey, Key: *key, Log: log}, s)),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.ServeTLS(ln, "", "") }()
	fmt.Fprintf(env.stdout, "seller-sim: serving product %s at %s/ (control: %s/_sim/mode)\n", *accessKey, s.base, s.base)
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutCtx)
}

// simCertificate loads the given pair, or makes a self-signed certificate
// for the listen host (for localhost and both loopback addresses when it
// listens on all addresses).
func simCertificate(listen, certFile, keyFile string) (tls.Certificate, error) {
	if certFile != "" {
		return tls.LoadX509KeyPair(certFile, keyFile)
	}
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%w: --listen: %v", errUsage, err)
	}
	hosts := []string{host}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		hosts = []string{"localhost", "127.0.0.1", "::1"}
	}
	cert, _, err := saastest.Certificate(hosts...)
	return cert, err
}

// simMode is how the simulator behaves; the control endpoint changes it.
type simMode struct {
	Delay      time.Duration
	Fail       bool
	Processing bool
}

// simModeJSON is simMode on the control endpoint: the delay as "2s".
type simModeJSON struct {
	Delay      string `json:"delay"`
	Fail       bool   `json:"fail"`
	Processing bool   `json:"processing"`
}

// simInstance is an instance the simulator opened.
type simInstance struct {
	ID          string              `json:"instanceId"`
	OrderID     string              `json:"orderId"`
	OrderLineID string              `json:"orderLineId"`
	ProductID   string              `json:"productId"`
	SKUCode     string              `json:"skuCode"`
	Status      saas.InstanceStatus `json:"status"`
	ExpireTime  saas.Time           `json:"expireTime,omitzero"`
	TestFlag    bool                `json:"testFlag"`
	UserName    string              `json:"userName"`
	Password    string              `json:"password"` // kept in clear: a simulator, not a real seller
}

// sim is the simulated seller: a saas.Seller.
type sim struct {
	key, statePath, base string

	mu        sync.Mutex
	mode      simMode
	instances map[string]*simInstance // by id
}

func (s *sim) routes(protocol http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_sim/mode", s.getMode)
	mux.HandleFunc("POST /_sim/mode", s.setMode)
	mux.HandleFunc("GET /_sim/instances", s.listInstances)
	mux.Handle("/", s.delayed(protocol))
	return mux
}

// delayed waits for the mode's delay before each protocol call.
func (s *sim) delayed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := s.currentMode().Delay; d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-r.Context().Done():
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (s *sim) currentMode() simMode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mode
}

func (s *sim) getMode(w http.ResponseWriter, _ *http.Request) {
	m := s.currentMode()
	writeSimJSON(w, http.StatusOK, simModeJSON{Delay: m.Delay.String(), Fail: m.Fail, Processing: m.Processing})
}

func (s *sim) setMode(w http.ResponseWriter, r *http.Request) {
	var in simModeJSON
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil {
		writeSimJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	m := simMode{Fail: in.Fail, Processing: in.Processing}
	if in.Delay != "" {
		d, err := time.ParseDuration(in.Delay)
		if err != nil || d < 0 {
			writeSimJSON(w, http.StatusBadRequest, map[string]string{"error": "delay: not a duration such as 2s"})
			return
		}
		m.Delay = d
	}
	s.mu.Lock()
	s.mode = m
	s.mu.Unlock()
	s.getMode(w, r)
}

func (s *sim) listInstances(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	list := make([]simInstance, 0, len(s.instances))
	for _, id := range slices.Sorted(maps.Keys(s.instances)) {
		list = append(list, *s.instances[id])
	}
	s.mu.Unlock()
	writeSimJSON(w, http.StatusOK, list)
}

func writeSimJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// load reads the state file, if there is one.
func (s *sim) load() error {
	s.instances = map[string]*simInstance{}
	if s.statePath == "" {
		return nil
	}
	b, err := os.ReadFile(s.statePath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var list []*simInstance
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("--state %s: %w", s.statePath, err)
	}
	for _, in := range list {
		s.instances[in.ID] = in
	}
	return nil
}

// save writes the state file whole (through a rename, so a crash never
// leaves half a file); s.mu is held.
func (s *sim) save() error {
	if s.statePath == "" {
		return nil
	}
	list := make([]*simInstance, 0, len(s.instances))
	for _, id := range slices.Sorted(maps.Keys(s.instances)) {
		list = append(list, s.instances[id])
	}
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.statePath), ".seller-sim-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.statePath)
}

var errSimFailing = &saas.Error{Code: saas.CodeInternal, Msg: "simulated failure (--fail)"}

func (s *sim) appInfo(in *simInstance) (*saas.AppInfo, error) {
	pw, err := saas.SealPassword(s.key, in.Password)
	if err != nil {
		return nil, err
	}
	return &saas.AppInfo{FrontEndURL: s.base + "/app/" + in.ID, AdminURL: s.base + "/admin/" + in.ID, UserName: in.UserName, Password: pw}, nil
}

func (s *sim) NewInstance(_ context.Context, r saas.NewInstanceRequest) (saas.NewInstanceResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mode.Fail {
		return saas.NewInstanceResult{}, errSimFailing
	}
	for _, in := range s.instances {
		if in.OrderID == r.OrderID && in.OrderLineID == r.OrderLineID {
			if in.Status == saas.StatusProcessing {
				return saas.NewInstanceResult{InstanceID: in.ID, Processing: true}, nil
			}
			info, err := s.appInfo(in)
			return saas.NewInstanceResult{InstanceID: in.ID, AppInfo: info}, err
		}
	}
	pw := make([]byte, 12)
	if _, err := rand.Read(pw); err != nil {
		return saas.NewInstanceResult{}, err
	}
	in := &simInstance{ID: ids.New("ins"), OrderID: r.OrderID, OrderLineID: r.OrderLineID, ProductID: r.ProductID, SKUCode: r.SKUCode,
		Status: saas.StatusNormal, ExpireTime: r.ExpireTime, TestFlag: r.TestFlag, UserName: r.Email, Password: base64.RawURLEncoding.EncodeToString(pw)}
	if in.UserName == "" {
		in.UserName = "admin"
	}
	if s.mode.Processing {
		in.Status = saas.StatusProcessing
	}
	s.instances[in.ID] = in
	if err := s.save(); err != nil {
		delete(s.instances, in.ID)
		return saas.NewInstanceResult{}, err
	}
	if in.Status == saas.StatusProcessing {
		return saas.NewInstanceResult{InstanceID: in.ID, Processing: true}, nil
	}
	info, err := s.appInfo(in)
	return saas.NewInstanceResult{InstanceID: in.ID, AppInfo: info}, err
}

// change applies f to an instance and saves; a released instance is not
// found unless released is true.
func (s *sim) change(id string, released bool, f func(in *simInstance)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mode.Fail {
		return errSimFailing
	}
	in, ok := s.instances[id]
	if !ok || (in.Status == saas.StatusReleased && !released) {
		return &saas.Error{Code: saas.CodeInstanceNotFound, Msg: "no live instance " + id}
	}
	f(in)
	return s.save()
}

func (s *sim) RefreshInstance(_ context.Context, r saas.RefreshInstanceRequest) error {
	return s.change(r.InstanceID, false, func(in *simInstance) { in.ExpireTime = r.ExpireTime })
}

func (s *sim) UpdateInstanceStatus(_ context.Context, r saas.UpdateInstanceStatusRequest) error {
	return s.change(r.InstanceID, false, func(in *simInstance) { in.Status = r.InstanceStatus })
}

func (s *sim) UpgradeInstance(_ context.Context, r saas.UpgradeInstanceRequest) error {
	return s.change(r.InstanceID, false, func(in *simInstance) { in.SKUCode = r.SKUCode })
}

// ReleaseInstance of a released instance succeeds again: cloudmart may resend it.
func (s *sim) ReleaseInstance(_ context.Context, r saas.ReleaseInstanceRequest) error {
	return s.change(r.InstanceID, true, func(in *simInstance) { in.Status = saas.StatusReleased })
}

// QueryInstance finishes instances still processing: they appear NORMAL,
// with their app information, the first time cloudmart asks.
func (s *sim) QueryInstance(_ context.Context, r saas.QueryInstanceRequest) ([]saas.InstanceInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mode.Fail {
		return nil, errSimFailing
	}
	var out []saas.InstanceInfo
	changed := false
	for _, id := range r.InstanceIDs {
		in, ok := s.instances[id]
		if !ok {
			continue
		}
		info := saas.InstanceInfo{InstanceID: in.ID, Status: in.Status, ExpireTime: in.ExpireTime}
		if in.Status == saas.StatusProcessing {
			in.Status, info.Status, changed = saas.StatusNormal, saas.StatusNormal, true
			app, err := s.appInfo(in)
			if err != nil {
				return nil, err
			}
			info.AppInfo = app
		}
		out = append(out, info)
	}
	if changed {
		return out, s.save()
	}
	return out, nil
}
