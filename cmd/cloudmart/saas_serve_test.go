package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// With --demo the demo's SaaS orders are really delivered: by the
// in-process sellers, over TLS on loopback, through the job queue.
func TestServeDeliversTheDemosSaaS(t *testing.T) {
	s := startServer(t, "--data", t.TempDir(), "--demo")
	tok := login(t, s.url, "telesales@demo.test", "cloudmart-demo")
	type line struct {
		ProductName struct{ EN string } `json:"product_name"`
	}
	var scanner string
	deadline := time.Now().Add(45 * time.Second)
	for scanner == "" && time.Now().Before(deadline) {
		var list struct {
			Orders []struct {
				ID, State string
				Lines     []line
			}
		}
		call(t, "GET", s.url+"/api/v1/orders", tok, nil, &list)
		for _, o := range list.Orders {
			if len(o.Lines) == 1 && o.Lines[0].ProductName.EN == "Bluepeak Vulnerability Scanner" && o.State == "delivered" {
				scanner = o.ID
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	if scanner == "" {
		t.Fatal("the demo's SaaS order was not delivered")
	}
	var in struct {
		InstanceID  string `json:"instance_id"`
		State       string
		FrontEndURL string `json:"front_end_url"`
		HasPassword bool   `json:"has_password"`
	}
	base := s.url + "/api/v1/orders/" + scanner + "/lines/1/instance"
	if status := call(t, "GET", base, tok, nil, &in); status != 200 || in.State != "normal" ||
		!strings.HasPrefix(in.FrontEndURL, "https://scan.bluepeak.example/app/") || !in.HasPassword {
		t.Fatalf("instance %d %+v", status, in)
	}
	var pw struct{ Password string }
	if status := call(t, "POST", base+"/password", tok, nil, &pw); status != 200 || len(pw.Password) < 12 {
		t.Fatalf("password %d %q", status, pw.Password)
	}
}

func TestServeRefusesABadSaaSAllowance(t *testing.T) {
	var out, logs bytes.Buffer
	err := run(context.Background(), []string{"serve", "--data", t.TempDir(), "--saas-allow", "10.0.0.0/8,not-a-prefix"}, func(string) string { return "" }, &out, &logs)
	if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "not-a-prefix") {
		t.Fatalf("bad --saas-allow: %v", err)
	}
}
