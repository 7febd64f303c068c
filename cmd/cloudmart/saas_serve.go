package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/delivery/saas/saastest"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
)

// saasOptions are the SaaS client's options from --saas-allow (prefixes of
// otherwise forbidden addresses the operator lets endpoints reach) and
// --saas-ca (a PEM file of roots trusted besides the system's).
func saasOptions(allow, caFile string) (saas.Options, error) {
	var o saas.Options
	for p := range strings.SplitSeq(allow, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			return o, fmt.Errorf("%w: --saas-allow: %q is not a CIDR prefix such as 10.1.0.0/16", errUsage, p)
		}
		o.AllowedPrefixes = append(o.AllowedPrefixes, prefix.Masked())
	}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return o, fmt.Errorf("--saas-ca: %w", err)
		}
		if o.RootCAs, err = x509.SystemCertPool(); err != nil {
			o.RootCAs = x509.NewCertPool()
		}
		if !o.RootCAs.AppendCertsFromPEM(pem) {
			return o, fmt.Errorf("%w: --saas-ca %s holds no PEM certificate", errUsage, caFile)
		}
	}
	return o, nil
}

// demoSellers serve the demo's SaaS products in this process: one
// seller-sim per product on a loopback TLS listener, with a certificate for
// the demo's endpoint host names, which the SaaS client is told to send
// there (saas.Options.Hosts). Each sim learns its product's id and key on
// the first call for its host, so calls made while the demo still loads are
// answered as well; its instances are kept in <data>/demo-sellers/.
type demoSellers struct {
	ln    net.Listener
	srv   *http.Server
	state string
	log   *slog.Logger
	svc   atomic.Pointer[market.Service] // set once the service exists, before any delivery runs

	mu       sync.Mutex
	handlers map[string]demoHandler // by host
}

type demoHandler struct {
	key string
	h   http.Handler
}

// startDemoSellers listens on 127.0.0.1 and returns the sellers; with them,
// the client options that reach them.
func startDemoSellers(data string, o saas.Options, log *slog.Logger) (*demoSellers, saas.Options, error) {
	var hosts []string
	for _, s := range demo.SaaSSellers() {
		hosts = append(hosts, s.Host)
	}
	cert, pem, err := saastest.Certificate(hosts...)
	if err != nil {
		return nil, o, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, o, err
	}
	d := &demoSellers{ln: ln, state: filepath.Join(data, "demo-sellers"), log: log, handlers: map[string]demoHandler{}}
	d.srv = &http.Server{Handler: d, TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() { _ = d.srv.ServeTLS(ln, "", "") }()

	if o.RootCAs == nil {
		if o.RootCAs, err = x509.SystemCertPool(); err != nil {
			o.RootCAs = x509.NewCertPool()
		}
	}
	o.RootCAs.AppendCertsFromPEM(pem)
	addr := netip.MustParseAddrPort(ln.Addr().String())
	// Explicitly allowed: the one loopback address the demo's sellers listen on.
	o.AllowedPrefixes = append(o.AllowedPrefixes, netip.PrefixFrom(addr.Addr(), addr.Addr().BitLen()))
	o.Hosts = map[string]string{}
	for _, h := range hosts {
		o.Hosts[h] = addr.String()
	}
	return d, o, nil
}

// Close stops the sellers.
func (d *demoSellers) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = d.srv.Shutdown(ctx)
}

func (d *demoSellers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	h, err := d.handler(r.Context(), host)
	if err != nil {
		d.log.Warn("demo seller", "host", host, "err", err)
		http.Error(w, "this demo seller is not ready", http.StatusServiceUnavailable)
		return
	}
	h.ServeHTTP(w, r)
}

// handler is the seller-sim of the demo product served at host, made anew
// when the product's key changed (the seller rotated it).
func (d *demoSellers) handler(ctx context.Context, host string) (http.Handler, error) {
	svc := d.svc.Load()
	if svc == nil {
		return nil, fmt.Errorf("the marketplace is not running yet")
	}
	var who demo.SaaSSeller
	for _, s := range demo.SaaSSellers() {
		if s.Host == host {
			who = s
		}
	}
	if who.Host == "" {
		return nil, fmt.Errorf("no demo product at %s", host)
	}
	actor, err := svc.ActorByEmail(ctx, who.Seller)
	if err != nil {
		return nil, err
	}
	products, err := svc.SellerProducts(ctx, actor)
	if err != nil {
		return nil, err
	}
	id := ""
	for _, p := range products {
		if c := p.Content(); c.Name.EN == who.Name && c.SaaS != nil {
			id = p.ID
		}
	}
	if id == "" {
		return nil, fmt.Errorf("the demo product %q is not loaded yet", who.Name)
	}
	key, err := svc.SellerKey(ctx, id)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if h, ok := d.handlers[host]; ok && h.key == key {
		return h.h, nil
	}
	if err := os.MkdirAll(d.state, 0o750); err != nil {
		return nil, err
	}
	s := &sim{key: key, statePath: filepath.Join(d.state, id+".json"), base: "https://" + host}
	if err := s.load(); err != nil {
		return nil, err
	}
	h := saas.NewHandler(saas.HandlerConfig{AccessKey: id, Key: key, Log: d.log}, s)
	d.handlers[host] = demoHandler{key: key, h: h}
	return h, nil
}
