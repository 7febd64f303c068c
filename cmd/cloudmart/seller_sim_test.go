package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/money"
)

const (
	simKey       = "CzBVep_E6Q4zWH2ix-wRNluApcrvFDleg6jN8hc8YYY"
	simAccessKey = "prd_01HZX4Q9T0V8K2M6N3P5R7S9W1"
)

// runArgs runs the command line in-process and returns its output.
func runCommand(ctx context.Context, args ...string) (string, error) {
	var out bytes.Buffer
	err := run(ctx, args, func(string) string { return "" }, &out, &out)
	return out.String(), err
}

// simProcess is a `cloudmart seller-sim` started through run.
type simProcess struct {
	endpoint string // https://127.0.0.1:port/
	certFile string
	roots    *x509.CertPool
	http     *http.Client // trusts the sim, for the control endpoint
	stop     func()
}

// startSim runs seller-sim with args on a free loopback port and waits until
// it answers. It is stopped when the test ends.
func startSim(t *testing.T, args ...string) *simProcess {
	t.Helper()
	addr := freeAddr(t)
	certFile := filepath.Join(t.TempDir(), "sim.pem")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	out := &syncBuffer{}
	go func() {
		args := append([]string{"seller-sim", "--listen", addr, "--access-key", simAccessKey, "--key", simKey, "--cert-out", certFile}, args...)
		done <- run(ctx, args, func(string) string { return "" }, out, out)
	}()
	p := &simProcess{endpoint: "https://" + addr + "/", certFile: certFile}
	stopped := false
	p.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("seller-sim: %v\n%s", err, out)
		}
	}
	t.Cleanup(p.stop)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if pemBytes, err := os.ReadFile(certFile); err == nil && len(pemBytes) > 0 && p.roots == nil {
			p.roots = x509.NewCertPool()
			p.roots.AppendCertsFromPEM(pemBytes)
			p.http = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: p.roots}}, Timeout: 5 * time.Second}
		}
		if p.http != nil {
			if resp, err := p.http.Get(p.endpoint + "_sim/mode"); err == nil {
				resp.Body.Close()
				return p
			}
		}
		select {
		case err := <-done:
			t.Fatalf("seller-sim ended: %v\n%s", err, out)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("seller-sim did not start\n%s", out)
		}
	}
}

// setMode posts the mode to the control endpoint.
func (p *simProcess) setMode(t *testing.T, mode string) {
	t.Helper()
	resp, err := p.http.Post(p.endpoint+"_sim/mode", "application/json", strings.NewReader(mode))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST /_sim/mode %s: %s", mode, resp.Status)
	}
}

func (p *simProcess) client(timeout time.Duration) (*saas.Client, saas.Endpoint) {
	c := saas.NewClient(saas.Options{AllowedPrefixes: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, RootCAs: p.roots, Timeout: timeout})
	return c, saas.Endpoint{URL: p.endpoint, AccessKey: simAccessKey, Key: simKey}
}

func simOrder(line string) saas.NewInstanceRequest {
	return saas.NewInstanceRequest{
		OrderID: "ord_1", OrderLineID: line, BusinessID: "dlv_1", CustomerID: "org_1", CustomerName: "Buyer", Email: "buyer@example.com",
		ProductID: simAccessKey, SKUCode: "pln_1", ChargingMode: saas.ChargingOneTime, ProvisionType: saas.ProvisionFormal,
		Amount: money.New(100, money.CNY), TestFlag: true,
	}
}

func TestSellerSimCommandLine(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"seller-sim", "saas-check"} {
		if out, err := runCommand(ctx, name, "--help"); err != nil || !strings.Contains(out, "Usage: cloudmart "+name) {
			t.Errorf("%s --help: %v %q", name, err, out)
		}
		if _, err := runCommand(ctx, name); exitCode(err) != 2 {
			t.Errorf("%s without flags: %v, want a usage error", name, err)
		}
	}
	if out, _ := runCommand(ctx, "help"); !strings.Contains(out, "bench") || strings.Index(out, "seller-sim") < strings.Index(out, "bench") || !strings.Contains(out, "saas-check") {
		t.Errorf("help does not list seller-sim and saas-check after bench: %q", out)
	}
}

func TestSellerSim(t *testing.T) {
	ctx := context.Background()
	state := filepath.Join(t.TempDir(), "instances.json")
	sim := startSim(t, "--state", state, "--processing")
	c, ep := sim.client(0)

	resp, _, err := c.Call(ctx, ep, simOrder("oln_1"))
	if !saas.Processing(err) || resp.InstanceID == "" {
		t.Fatalf("newInstance in processing mode: %+v, %v", resp, err)
	}
	id := resp.InstanceID
	q, _, err := c.Call(ctx, ep, saas.QueryInstanceRequest{InstanceIDs: []string{id}})
	if err != nil || len(q.Info) != 1 || q.Info[0].Status != saas.StatusNormal || q.Info[0].AppInfo == nil {
		t.Fatalf("queryInstance after 000004: %+v, %v", q, err)
	}
	if pw, err := saas.OpenPassword(simKey, q.Info[0].AppInfo.Password); err != nil || pw == "" {
		t.Errorf("password: %q, %v", pw, err)
	}
	if again, _, err := c.Call(ctx, ep, simOrder("oln_1")); err != nil || again.InstanceID != id {
		t.Errorf("repeated newInstance: %+v, %v; want %s", again, err, id)
	}

	// Failing for a while, then back.
	sim.setMode(t, `{"fail":true}`)
	refresh := saas.UpdateInstanceStatusRequest{InstanceID: id, InstanceStatus: saas.StatusFreeze}
	_, ex, err := c.Call(ctx, ep, refresh)
	var e *saas.Error
	if !errors.As(err, &e) || e.Code != saas.CodeInternal || !saas.Retryable(err) || ex.ResultCode != saas.CodeInternal {
		t.Errorf("in fail mode: %v", err)
	}
	sim.setMode(t, `{"fail":false}`)
	if _, _, err := c.Call(ctx, ep, refresh); err != nil {
		t.Errorf("after fail mode: %v", err)
	}

	// Slow.
	sim.setMode(t, `{"delay":"1m"}`)
	slow, slowEp := sim.client(300 * time.Millisecond)
	if _, _, err := slow.Call(ctx, slowEp, saas.QueryInstanceRequest{InstanceIDs: []string{id}}); err == nil || !saas.Retryable(err) {
		t.Errorf("with a delay: %v, want a retryable timeout", err)
	}
	sim.setMode(t, `{}`)

	resp2, err := sim.http.Get(sim.endpoint + "_sim/instances")
	if err != nil {
		t.Fatal(err)
	}
	var list []simInstance
	err = json.NewDecoder(resp2.Body).Decode(&list)
	resp2.Body.Close()
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].Status != saas.StatusFreeze {
		t.Errorf("GET /_sim/instances: %+v, %v", list, err)
	}

	// The state file keeps the instance across a restart.
	sim.stop()
	sim = startSim(t, "--state", state)
	c, ep = sim.client(0)
	if again, _, err := c.Call(ctx, ep, simOrder("oln_1")); err != nil || again.InstanceID != id {
		t.Errorf("newInstance after a restart: %+v, %v; want %s", again, err, id)
	}
	if _, _, err := c.Call(ctx, ep, saas.ReleaseInstanceRequest{InstanceID: id, OrderID: "ord_1", OrderLineID: "oln_1", Scene: saas.SceneExpired}); err != nil {
		t.Errorf("release: %v", err)
	}
	_, _, err = c.Call(ctx, ep, saas.UpdateInstanceStatusRequest{InstanceID: id, InstanceStatus: saas.StatusNormal})
	if !errors.As(err, &e) || e.Code != saas.CodeInstanceNotFound {
		t.Errorf("updating a released instance: %v, want 000003", err)
	}
}
