package ecs_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m, "delivery/ecs")) }

var t0 = time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC)

// clock is a test clock that moves only when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const boot = 30 * time.Second

func newSim(st *store.Store) (*ecs.Sim, *clock) {
	c := &clock{now: t0}
	return ecs.NewSim(st, ecs.SimOptions{Boot: boot, Now: c.Now}), c
}

func request(token string) ecs.CreateRequest {
	return ecs.CreateRequest{Name: "wordpress-1", ImageRef: "img-0a1b2c3d", Flavor: "c7.large.2", Region: "cn-north-4",
		AdminPass: ecs.NewPassword(), ClientToken: token, Metadata: map[string]string{"order": "ord_1"}}
}

func mustCreate(t *testing.T, p ecs.Provider, req ecs.CreateRequest) ecs.Server {
	t.Helper()
	s, err := p.Create(context.Background(), req)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return s
}

func wantStatus(t *testing.T, p ecs.Provider, id string, status ecs.Status, address string) ecs.Server {
	t.Helper()
	s, err := p.Get(context.Background(), id)
	if err != nil || s.Status != status || s.Address != address {
		t.Fatalf("Get(%s) = %s at %q, %v; want %s at %q", id, s.Status, s.Address, err, status, address)
	}
	return s
}

func TestSimLifeCycleFollowsNova(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sim, clk := newSim(st)
		s := mustCreate(t, sim, request("ord_1-1-1"))
		want := ecs.Server{ID: s.ID, Name: "wordpress-1", Status: ecs.Build, Flavor: "c7.large.2", Region: "cn-north-4", Created: t0}
		if s != want {
			t.Fatalf("Create = %+v; want %+v", s, want)
		}
		wantStatus(t, sim, s.ID, ecs.Build, "")
		if err := sim.Stop(ctx, s.ID); !errors.Is(err, ecs.ErrInvalidState) || ecs.Retryable(err) {
			t.Fatalf("Stop in BUILD: %v; want ErrInvalidState", err)
		}
		clk.Add(boot - time.Microsecond)
		wantStatus(t, sim, s.ID, ecs.Build, "")
		clk.Add(time.Microsecond)
		wantStatus(t, sim, s.ID, ecs.Active, "203.0.113.1")

		steps := []struct {
			name    string
			do      func(context.Context, string) error
			wantErr error
			status  ecs.Status
		}{
			{"start an active server", sim.Start, ecs.ErrInvalidState, ecs.Active},
			{"stop", sim.Stop, nil, ecs.Shutoff},
			{"stop again", sim.Stop, ecs.ErrInvalidState, ecs.Shutoff},
			{"start", sim.Start, nil, ecs.Active},
			{"stop once more", sim.Stop, nil, ecs.Shutoff},
		}
		for _, step := range steps {
			err := step.do(ctx, s.ID)
			if !errors.Is(err, step.wantErr) || (err == nil) != (step.wantErr == nil) {
				t.Fatalf("%s: %v; want %v", step.name, err, step.wantErr)
			}
			wantStatus(t, sim, s.ID, step.status, "203.0.113.1")
		}

		// The same client token returns the same server, as it is now.
		again := mustCreate(t, sim, request("ord_1-1-1"))
		if again.ID != s.ID || again.Status != ecs.Shutoff {
			t.Fatalf("retried Create = %+v; want %s in SHUTOFF", again, s.ID)
		}

		for range 2 { // deleting twice is fine
			if err := sim.Delete(ctx, s.ID); err != nil {
				t.Fatalf("Delete: %v", err)
			}
		}
		if err := sim.Delete(ctx, "srv_never"); err != nil {
			t.Fatalf("Delete of an unknown server: %v", err)
		}
		if _, err := sim.Get(ctx, s.ID); !errors.Is(err, ecs.ErrNotFound) {
			t.Fatalf("Get after Delete: %v; want ErrNotFound", err)
		}
		if err := sim.Start(ctx, s.ID); !errors.Is(err, ecs.ErrNotFound) {
			t.Fatalf("Start after Delete: %v; want ErrNotFound", err)
		}
		// Its address is free again.
		next := mustCreate(t, sim, request("ord_1-1-2"))
		clk.Add(boot)
		wantStatus(t, sim, next.ID, ecs.Active, "203.0.113.1")
	})
}

func TestSimDeletesAServerInBuild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sim, _ := newSim(st)
		s := mustCreate(t, sim, request(""))
		if err := sim.Delete(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := sim.Get(ctx, s.ID); !errors.Is(err, ecs.ErrNotFound) {
			t.Fatalf("Get: %v", err)
		}
	})
}

func TestSimFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sim, clk := newSim(st)

		// Creates that fail N times: retryable, no server made, then one.
		sim.FailCreates(2)
		for range 2 {
			if _, err := sim.Create(ctx, request("tok-a")); !ecs.Retryable(err) {
				t.Fatalf("Create with FailCreates: %v; want retryable", err)
			}
		}
		a := mustCreate(t, sim, request("tok-a"))
		if addrs, _ := st.SimAddresses(ctx); len(addrs) != 1 {
			t.Fatalf("failed creates held addresses: %v", addrs)
		}

		// A server that fails to boot goes to ERROR and can only be deleted.
		sim.FailBoots(1)
		b := mustCreate(t, sim, request("tok-b"))
		c := mustCreate(t, sim, request("tok-c"))
		clk.Add(boot)
		wantStatus(t, sim, a.ID, ecs.Active, "203.0.113.1")
		if got := wantStatus(t, sim, b.ID, ecs.Error, ""); got.Fault != ecs.BootFault {
			t.Fatalf("fault %q; want %q", got.Fault, ecs.BootFault)
		}
		wantStatus(t, sim, c.ID, ecs.Active, "203.0.113.3")
		if err := sim.Start(ctx, b.ID); !errors.Is(err, ecs.ErrInvalidState) {
			t.Fatalf("Start in ERROR: %v", err)
		}

		// Break sends a running server to ERROR.
		if err := sim.Break(ctx, c.ID, "host lost power"); err != nil {
			t.Fatal(err)
		}
		if got := wantStatus(t, sim, c.ID, ecs.Error, ""); got.Fault != "host lost power" {
			t.Fatalf("fault %q", got.Fault)
		}
		if err := sim.Delete(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := sim.Break(ctx, c.ID, ""); !errors.Is(err, ecs.ErrNotFound) {
			t.Fatalf("Break of a deleted server: %v", err)
		}

		// An outage fails every call, retryably, until it ends.
		sim.FailAll(true)
		calls := map[string]func() error{
			"create": func() error { _, err := sim.Create(ctx, request("tok-d")); return err },
			"get":    func() error { _, err := sim.Get(ctx, a.ID); return err },
			"stop":   func() error { return sim.Stop(ctx, a.ID) },
			"start":  func() error { return sim.Start(ctx, a.ID) },
			"delete": func() error { return sim.Delete(ctx, a.ID) },
		}
		for name, call := range calls {
			if err := call(); !ecs.Retryable(err) {
				t.Errorf("%s in an outage: %v; want retryable", name, err)
			}
		}
		sim.FailAll(false)
		wantStatus(t, sim, a.ID, ecs.Active, "203.0.113.1")
	})
}

func TestSimRejectsBadRequestsFinally(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		sim, _ := newSim(st)
		tests := map[string]func(*ecs.CreateRequest){
			"unknown flavour": func(r *ecs.CreateRequest) { r.Flavor = "x9.huge.8" },
			"weak password":   func(r *ecs.CreateRequest) { r.AdminPass = "password" },
			"no name":         func(r *ecs.CreateRequest) { r.Name = "" },
			"no image":        func(r *ecs.CreateRequest) { r.ImageRef = "" },
			"no region":       func(r *ecs.CreateRequest) { r.Region = "" },
		}
		for name, change := range tests {
			req := request("")
			change(&req)
			_, err := sim.Create(context.Background(), req)
			if !errors.Is(err, ecs.ErrRejected) || ecs.Retryable(err) {
				t.Errorf("%s: %v; want final ErrRejected", name, err)
			}
		}
		if addrs, _ := st.SimAddresses(context.Background()); len(addrs) != 0 {
			t.Fatalf("rejected creates held addresses: %v", addrs)
		}
	})
}

func TestSimServerAt(t *testing.T) {
	rec := ecs.SimServer{ID: "srv_1", Name: "a", Flavor: "s6.small.1", Region: "cn-north-4", Address: "203.0.113.7",
		CreatedAt: t0, ReadyAt: t0.Add(boot)}
	tests := []struct {
		name     string
		status   ecs.Status
		failBoot bool
		fault    string
		at       time.Time
		want     ecs.Status
		address  string
		wantErr  string
	}{
		{"booting", ecs.Build, false, "", t0, ecs.Build, "", ""},
		{"booted", ecs.Build, false, "", t0.Add(boot), ecs.Active, "203.0.113.7", ""},
		{"failed to boot", ecs.Build, true, "", t0.Add(boot), ecs.Error, "", ecs.BootFault},
		{"not yet failed", ecs.Build, true, "", t0, ecs.Build, "", ""},
		{"stopped", ecs.Shutoff, false, "", t0.Add(boot), ecs.Shutoff, "203.0.113.7", ""},
		{"stopped before the boot time", ecs.Shutoff, true, "", t0, ecs.Shutoff, "203.0.113.7", ""},
		{"broken", ecs.Error, false, "disk", t0.Add(time.Hour), ecs.Error, "", "disk"},
		{"deleted", ecs.Deleted, false, "", t0.Add(time.Hour), ecs.Deleted, "", ""},
	}
	for _, tt := range tests {
		r := rec
		r.Status, r.FailBoot, r.Fault = tt.status, tt.failBoot, tt.fault
		got := r.Server(tt.at)
		if got.Status != tt.want || got.Address != tt.address || got.Fault != tt.wantErr || got.ID != "srv_1" || !got.Created.Equal(t0) {
			t.Errorf("%s: %+v; want %s at %q, fault %q", tt.name, got, tt.want, tt.address, tt.wantErr)
		}
	}
}

func TestSimAddresses(t *testing.T) {
	for i, want := range map[int]string{0: "203.0.113.1", 253: "203.0.113.254", 254: "198.51.100.1", 507: "198.51.100.254"} {
		if got := ecs.SimAddress(i); got != want {
			t.Errorf("SimAddress(%d) = %s; want %s", i, got, want)
		}
	}
	var all []string
	for i := range ecs.SimAddressCount {
		all = append(all, ecs.SimAddress(i))
	}
	tests := []struct {
		name   string
		used   []string
		spread bool
		want   string
	}{
		{"none used", nil, false, "203.0.113.1"},
		{"a gap", []string{"203.0.113.1", "203.0.113.3"}, false, "203.0.113.2"},
		{"first range full", all[:254], false, "198.51.100.1"},
		{"all used", all, false, ""},
		{"all used, spread", all, true, ""},
		{"one left, spread", all[1:], true, "203.0.113.1"},
	}
	for _, tt := range tests {
		if got := ecs.FreeSimAddress(tt.used, tt.spread); got != tt.want {
			t.Errorf("%s: %q; want %q", tt.name, got, tt.want)
		}
	}
}
