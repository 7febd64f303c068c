// Package markettest builds a complete market.Service on a fresh database for
// tests: an in-memory blob store, a fresh secret key, a job queue that records
// jobs without working them, and a clock the test sets.
package markettest

import (
	"context"
	"sync"
	"testing"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/jobs"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/secret"
	"github.com/cloudmart/cloudmart/store"
)

// Clock is a settable clock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// Set sets the clock.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// World is a Service with its parts.
type World struct {
	Svc   *market.Service
	Store *store.Store
	Blobs *blob.Bucket
	Clock *Clock
	Sim   *ecs.Sim // the compute provider: servers boot in ecs.DefaultSimBoot by Clock
	// Secrets is the Service's secret key, for a second Service on the same
	// store (one that calls SaaS sellers).
	Secrets *secret.Box
}

// New builds a World on st with the clock at start, in the Asia/Shanghai zone.
func New(tb testing.TB, st *store.Store, start time.Time) *World {
	tb.Helper()
	q, err := jobs.NewInserter(st)
	if err != nil {
		tb.Fatal(err)
	}
	box, err := secret.NewBox(secret.NewKey())
	if err != nil {
		tb.Fatal(err)
	}
	bucket := memblob.OpenBucket(nil)
	tb.Cleanup(func() { bucket.Close() })
	zone, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		tb.Fatal(err)
	}
	clock := &Clock{now: start}
	sim := ecs.NewSim(st, ecs.SimOptions{Boot: ecs.DefaultSimBoot, Now: clock.Now})
	svc := market.New(st, market.Options{Jobs: q, Clock: clock.Now, Blobs: bucket, Secrets: box, Zone: zone, Compute: sim, ComputeName: "sim"})
	return &World{Svc: svc, Store: st, Blobs: bucket, Clock: clock, Sim: sim, Secrets: box}
}

// Actor signs in as the user with the email (through the use cases) and
// returns who it is.
func (w *World) Actor(tb testing.TB, email, password string) account.Actor {
	tb.Helper()
	secret, _, err := w.Svc.LogIn(context.Background(), market.LogIn{Email: email, Password: password, Addr: "test", Kind: account.TokenAPI})
	if err != nil {
		tb.Fatalf("log in %s: %v", email, err)
	}
	a, _, err := w.Svc.Authenticate(context.Background(), secret)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// Demo builds a World on st with the demo world of ../shared/DEMO.md loaded.
func Demo(tb testing.TB, st *store.Store, start time.Time) *World {
	tb.Helper()
	w := New(tb, st, start)
	if err := demo.Load(context.Background(), w.Svc); err != nil {
		tb.Fatal(err)
	}
	return w
}

// Publish puts a product on sale for the demo seller with the email: created,
// submitted, approved by ops@demo.test. It returns the product's id.
func (w *World) Publish(tb testing.TB, sellerEmail string, p catalog.Product) string {
	tb.Helper()
	ctx := context.Background()
	seller := w.Actor(tb, sellerEmail, demo.Password)
	v, _, err := w.Svc.CreateProduct(ctx, seller, p)
	if err == nil {
		_, err = w.Svc.SubmitProduct(ctx, seller, v.ID)
	}
	if err == nil {
		_, err = w.Svc.ReviewProduct(ctx, w.Actor(tb, "ops@demo.test", demo.Password), v.ID, catalog.Approve, "")
	}
	if err != nil {
		tb.Fatalf("publish %s: %v", p.Name.EN, err)
	}
	return v.ID
}
