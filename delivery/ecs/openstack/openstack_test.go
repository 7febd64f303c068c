package openstack_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/delivery/ecs/openstack"
)

const (
	novaID  = "9168b536-cd40-4630-b43f-b259807c6e87"
	novaID2 = "c2a7f5e1-5d0b-4c3b-9a57-2f0f3d6e4b11"
)

// connect makes a provider from an openrc-like environment pointing at the
// replaying server, as cloudmart serve would.
func connect(t *testing.T, base string) *openstack.Provider {
	t.Helper()
	env := map[string]string{
		"OS_AUTH_URL":            base + "/identity/v3",
		"OS_USERNAME":            "cloudmart",
		"OS_PASSWORD":            "s3cret-from-openrc",
		"OS_PROJECT_NAME":        "marketplace",
		"OS_USER_DOMAIN_NAME":    "Default",
		"OS_PROJECT_DOMAIN_NAME": "Default",
		"OS_REGION_NAME":         "RegionOne",
		"CLOUDMART_OS_REGIONS":   "cn-north-4=RegionOne, cn-east-3=RegionTwo",
		"CLOUDMART_OS_NETWORK":   "cn-north-4=3cb9bc59-5699-4588-a4b1-b87f96708bc6,cn-east-3=east-net-6c1f",
		"CLOUDMART_OS_IMAGES":    "img-0a1b2c3d=70a599e0-31e7-49b7-b260-868f441e862b,cn-east-3/img-0a1b2c3d=d1c5b2a0-8e3f-4f6a-9b7c-0e1d2c3b4a59",
		"CLOUDMART_OS_FLAVORS":   "c7.large.2=1002",
	}
	cfg, err := openstack.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	p, err := openstack.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

var wordpress = ecs.CreateRequest{
	Name: "wordpress-1", ImageRef: "img-0a1b2c3d", Flavor: "c7.large.2", Region: "cn-north-4",
	AdminPass: "Xq7!mP2-vR9_kL4=tW8s", ClientToken: "ord_01JD7-1-1", Metadata: map[string]string{"order": "ord_01JD7"},
}

func TestLifeCycleAgainstRecordedNova(t *testing.T) {
	srv := replay(t, "lifecycle.json")
	ctx := context.Background()
	p := connect(t, srv.URL)

	s, err := p.Create(ctx, wordpress)
	want := ecs.Server{ID: novaID, Name: "wordpress-1", Status: ecs.Build, Flavor: "c7.large.2", Region: "cn-north-4"}
	if err != nil || s != want {
		t.Fatalf("Create = %+v, %v; want %+v", s, err, want)
	}
	created := time.Date(2026, 11, 25, 8, 30, 2, 0, time.UTC)
	for _, want := range []ecs.Server{
		{ID: novaID, Name: "wordpress-1", Status: ecs.Build, Flavor: "c7.large.2", Region: "cn-north-4", Created: created},
		{ID: novaID, Name: "wordpress-1", Status: ecs.Active, Address: "203.0.113.57", Flavor: "c7.large.2", Region: "cn-north-4", Created: created},
	} {
		if got, err := p.Get(ctx, novaID); err != nil || got != want {
			t.Fatalf("Get = %+v, %v; want %+v", got, err, want)
		}
	}
	if err := p.Stop(ctx, novaID); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := p.Stop(ctx, novaID); !errors.Is(err, ecs.ErrInvalidState) || ecs.Retryable(err) {
		t.Fatalf("Stop of a stopped server: %v; want ErrInvalidState", err)
	}
	if got, err := p.Get(ctx, novaID); err != nil || got.Status != ecs.Shutoff {
		t.Fatalf("Get after Stop = %+v, %v", got, err)
	}
	if err := p.Start(ctx, novaID); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := p.Delete(ctx, novaID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := p.Get(ctx, novaID); !errors.Is(err, ecs.ErrNotFound) {
		t.Fatalf("Get after Delete: %v; want ErrNotFound", err)
	}
	if err := p.Delete(ctx, novaID); err != nil {
		t.Fatalf("second Delete: %v; want nil", err)
	}
}

func TestRetriedCreateAndOtherRegionsAgainstRecordedNova(t *testing.T) {
	srv := replay(t, "retried_create.json")
	ctx := context.Background()
	p := connect(t, srv.URL)

	// The server made before with the token, not its namesake.
	s, err := p.Create(ctx, wordpress)
	if err != nil || s.ID != novaID || s.Status != ecs.Build {
		t.Fatalf("retried Create = %+v, %v; want %s in BUILD", s, err, novaID)
	}

	east := ecs.CreateRequest{Name: "db.east (1)", ImageRef: "img-0a1b2c3d", Flavor: "s6.small.1", Region: "cn-east-3",
		KeyName: "ann-laptop", ClientToken: "ord_01JD8-1-1"}
	s, err = p.Create(ctx, east)
	if err != nil || s.ID != "RegionTwo/"+novaID2 || s.Region != "cn-east-3" {
		t.Fatalf("Create in cn-east-3 = %+v, %v", s, err)
	}
	got, err := p.Get(ctx, s.ID)
	if err != nil || got.Status != ecs.Error || got.Fault != "No valid host was found. There are not enough hosts available." ||
		got.Flavor != "s6.small.1" || got.Region != "cn-east-3" || got.Address != "" {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if err := p.Delete(ctx, s.ID); err != nil {
		t.Fatal(err)
	}

	// A server without cloudmart's metadata: Nova's flavour and region.
	got, err = p.Get(ctx, novaID2)
	want := ecs.Server{ID: novaID2, Name: "wordpress-1", Status: ecs.Active, Address: "2001:db8::7", Flavor: "m1.small", Region: "RegionOne",
		Created: time.Date(2026, 11, 25, 8, 30, 2, 0, time.UTC)}
	if err != nil || got != want {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, want)
	}
}

func TestNovaFailuresAreRetryableOrFinal(t *testing.T) {
	srv := replay(t, "failures.json")
	ctx := context.Background()
	p := connect(t, srv.URL)
	req := ecs.CreateRequest{Name: "wordpress-2", ImageRef: "img-0a1b2c3d", Flavor: "c7.large.2", Region: "cn-north-4"}

	_, err := p.Create(ctx, req)
	if !errors.Is(err, ecs.ErrRejected) || ecs.Retryable(err) {
		t.Fatalf("over quota: %v; want final ErrRejected", err)
	}
	req.Flavor = "x9.huge.8"
	if _, err := p.Create(ctx, req); !errors.Is(err, ecs.ErrRejected) || !contains(err, "Flavor x9.huge.8 could not be found.") {
		t.Fatalf("unknown flavour: %v; want ErrRejected with Nova's message", err)
	}
	if _, err := p.Get(ctx, novaID); !ecs.Retryable(err) {
		t.Fatalf("503: %v; want retryable", err)
	}
	if err := p.Start(ctx, novaID); !ecs.Retryable(err) {
		t.Fatalf("500: %v; want retryable", err)
	}
	if _, err := p.Create(ctx, req); !ecs.Retryable(err) {
		t.Fatalf("429: %v; want retryable", err)
	}
	// A region with no OpenStack region is refused before any request.
	req.Region = "eu-west-101"
	if _, err := p.Create(ctx, req); !errors.Is(err, ecs.ErrRejected) {
		t.Fatalf("unmapped region: %v; want ErrRejected", err)
	}
}

func contains(err error, s string) bool { return err != nil && strings.Contains(err.Error(), s) }

func TestNoAnswerIsRetryable(t *testing.T) {
	srv := replay(t, "log_in.json")
	p := connect(t, srv.URL)
	srv.Listener.Close() // nothing answers any more
	srv.CloseClientConnections()
	if _, err := p.Get(context.Background(), novaID); !ecs.Retryable(err) {
		t.Fatalf("no answer: %v; want retryable", err)
	}
}
