package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func simServer(id, token, address string) ecs.SimServer {
	return ecs.SimServer{
		ID: id, ClientToken: token, Name: "web-" + id, ImageRef: "img-0a1b2c3d", Flavor: "c7.large.2", Region: "cn-north-4",
		Network: "sim-net", KeyName: "ann", Metadata: map[string]string{"order": "ord_1"}, Status: ecs.Build,
		Address: address, CreatedAt: t0, ReadyAt: t0.Add(20 * time.Second), UpdatedAt: t0,
	}
}

func TestSimServersRoundTripAndUniqueKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		want := simServer("srv_1", "tok-1", "203.0.113.1")
		if added, err := st.AddSimServer(ctx, want); err != nil || !added {
			t.Fatalf("AddSimServer = %v, %v", added, err)
		}
		got, err := st.SimServer(ctx, "srv_1")
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("SimServer =\n%+v, %v; want\n%+v", got, err, want)
		}
		if got, err := st.SimServerByToken(ctx, "tok-1"); err != nil || got.ID != "srv_1" {
			t.Fatalf("SimServerByToken = %+v, %v", got, err)
		}
		for _, dup := range []ecs.SimServer{simServer("srv_2", "tok-1", "203.0.113.2"), simServer("srv_3", "tok-3", "203.0.113.1")} {
			if added, err := st.AddSimServer(ctx, dup); err != nil || added {
				t.Fatalf("AddSimServer(%s, token %s, address %s) = %v, %v; want not added", dup.ID, dup.ClientToken, dup.Address, added, err)
			}
		}
		// Servers without a token do not collide on it.
		for i, addr := range []string{"203.0.113.3", "203.0.113.4"} {
			s := simServer(fmt.Sprintf("srv_n%d", i), "", addr)
			s.Metadata = nil
			if added, err := st.AddSimServer(ctx, s); err != nil || !added {
				t.Fatalf("AddSimServer without token = %v, %v", added, err)
			}
		}
		if got, err := st.SimServer(ctx, "srv_n0"); err != nil || got.Metadata == nil || len(got.Metadata) != 0 {
			t.Fatalf("no metadata reads back as %#v, %v", got.Metadata, err)
		}
		for _, get := range []func() error{
			func() error { _, err := st.SimServer(ctx, "srv_nope"); return err },
			func() error { _, err := st.SimServerByToken(ctx, "tok-nope"); return err },
		} {
			if err := get(); !errors.Is(err, ecs.ErrNotFound) {
				t.Fatalf("unknown server: %v; want ErrNotFound", err)
			}
		}
	})
}

func TestSetSimStatusIsConditionalAndDeletionFreesTheAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := st.AddSimServer(ctx, simServer("srv_1", "", "203.0.113.9")); err != nil {
			t.Fatal(err)
		}
		at := t0.Add(time.Minute)
		steps := []struct {
			from, to ecs.Status
			fault    string
			moved    bool
		}{
			{ecs.Active, ecs.Shutoff, "", false}, // not ACTIVE as stored: changes nothing
			{ecs.Build, ecs.Error, "disk on fire", true},
			{ecs.Error, ecs.Deleted, "", true},
			{ecs.Error, ecs.Deleted, "", false},
		}
		for _, s := range steps {
			moved, err := st.SetSimStatus(ctx, "srv_1", s.from, s.to, s.fault, at)
			if err != nil || moved != s.moved {
				t.Fatalf("SetSimStatus(%s → %s) = %v, %v; want %v", s.from, s.to, moved, err, s.moved)
			}
		}
		if moved, err := st.SetSimStatus(ctx, "srv_nope", ecs.Build, ecs.Active, "", at); err != nil || moved {
			t.Fatalf("SetSimStatus of an unknown server = %v, %v", moved, err)
		}
		got, err := st.SimServer(ctx, "srv_1")
		if err != nil || got.Status != ecs.Deleted || got.Address != "" || !got.UpdatedAt.Equal(at) {
			t.Fatalf("after delete: %+v, %v", got, err)
		}
		addrs, err := st.SimAddresses(ctx)
		if err != nil || len(addrs) != 0 {
			t.Fatalf("SimAddresses = %v, %v; want none", addrs, err)
		}
		if added, err := st.AddSimServer(ctx, simServer("srv_2", "", "203.0.113.9")); err != nil || !added {
			t.Fatalf("reusing a freed address = %v, %v", added, err)
		}
	})
}

// Many creates at once, on both engines, through the simulated compute
// service: every server gets its own address, and the creates that share a
// client token all get the one server.
func TestSimConcurrentCreatesGetDistinctAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		sim := ecs.NewSim(st, ecs.SimOptions{Now: func() time.Time { return t0 }})
		const n, sameToken = 40, 8
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			servers []ecs.Server
			shared  = map[string]bool{}
		)
		for i := range n + sameToken {
			wg.Go(func() {
				token := fmt.Sprintf("tok-%d", i)
				if i >= n {
					token = "tok-shared"
				}
				s, err := sim.Create(ctx, ecs.CreateRequest{Name: token, ImageRef: "img-0a1b2c3d", Flavor: "s6.small.1", Region: "cn-north-4", ClientToken: token})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("create %s: %v", token, err)
					return
				}
				if i >= n {
					shared[s.ID] = true
					return
				}
				servers = append(servers, s)
			})
		}
		wg.Wait()
		if len(shared) != 1 {
			t.Fatalf("%d creates with one token made %d servers", sameToken, len(shared))
		}
		addrs, err := st.SimAddresses(ctx)
		if err != nil || len(addrs) != n+1 {
			t.Fatalf("SimAddresses = %d, %v; want %d", len(addrs), err, n+1)
		}
		seen := map[string]bool{}
		for _, a := range addrs {
			if seen[a] {
				t.Fatalf("address %s given twice", a)
			}
			seen[a] = true
		}
		if len(servers) != n {
			t.Fatalf("%d of %d creates succeeded", len(servers), n)
		}
	})
}
