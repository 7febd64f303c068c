package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/catalog/catalogtest"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// The search benchmarks run typical two-filter searches (catalogtest.Searches)
// in-process on a generated catalogue of benchProducts() products:
//
//	go test ./store -run '^$' -bench Search -benchtime 5s
//
// CLOUDMART_BENCH_PRODUCTS changes the size (20,000 by default). The SQLite
// catalogue is generated once and kept in the temporary folder under a name
// that changes with the schema, the store's code and the generator; the
// PostgreSQL one is generated in a fresh database for each run (and dropped).
// CLOUDMART_BENCH_DB names a database to use instead for its engine (a SQLite
// file or a postgres:// URL): it is migrated and topped up to the size with
// generated products, so never name a database in use.

const benchSeed = 1

func benchProducts(tb testing.TB) int {
	if v := os.Getenv("CLOUDMART_BENCH_PRODUCTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			tb.Fatalf("CLOUDMART_BENCH_PRODUCTS=%q: want a positive number", v)
		}
		return n
	}
	return 20_000
}

func regionCodes() []string {
	var codes []string
	for _, r := range demo.Regions {
		codes = append(codes, r.Code)
	}
	return codes
}

// bulkLoad puts products [from, to) of the seed's catalogue on the storefront.
func bulkLoad(tb testing.TB, st *store.Store, seed uint64, from, to int) {
	tb.Helper()
	g := catalogtest.New(catalogtest.Config{Seed: seed, Regions: regionCodes()})
	b := store.Bulk{Regions: demo.Regions}
	for _, s := range g.Sellers() {
		var offerings []seller.Offering
		for _, t := range s.Offerings {
			offerings = append(offerings, t.Offering())
		}
		b.Sellers = append(b.Sellers, store.BulkSeller{OrgID: s.OrgID, Name: s.Name, Offerings: offerings, Regions: s.Regions})
	}
	b.Products = func(yield func(store.BulkProduct) bool) {
		for i := from; i < to; i++ {
			p, at := g.Product(i)
			if !yield(store.BulkProduct{Product: p, PublishedAt: at}) {
				return
			}
		}
	}
	if err := st.BulkLoad(context.Background(), b); err != nil {
		tb.Fatal(err)
	}
}

// queryOf is a search in the store's terms, as the public API makes it.
func queryOf(s catalogtest.Search) store.Query {
	return store.Query{Text: s.Text, Type: s.Type, Category: s.Category, Region: s.Region, Mode: s.Billing,
		Currency: s.Currency, MinPrice: s.MinPrice, MaxPrice: s.MaxPrice, Sort: store.Sort(s.Sort)}
}

func TestBulkLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		bulkLoad(t, st, 3, 0, 40)
		bulkLoad(t, st, 3, 40, 60) // grown where it stopped: the sellers exist already
		if n, err := st.StorefrontSize(ctx); err != nil || n != 60 {
			t.Fatalf("storefront holds %d, %v; want 60", n, err)
		}
		g := catalogtest.New(catalogtest.Config{Seed: 3, Regions: regionCodes()})
		p, at := g.Product(41)
		e, err := st.Product(ctx, p.ID)
		if err != nil || e.Listing.Live == nil || e.Listing.Live.State != catalog.Published || !e.CreatedAt.Equal(at) {
			t.Fatalf("entry %+v, %v", e, err)
		}
		rev, err := st.Revision(ctx, p.ID, 1)
		if err != nil || rev.Content.Name != p.Name || len(rev.Content.Plans) != len(p.Plans) {
			t.Fatalf("revision %+v, %v", rev, err)
		}
		if on, err := st.OnStorefront(ctx, p.ID); err != nil || !on {
			t.Fatalf("not on the storefront: %v", err)
		}
		// Found by a Chinese word of its name, with its type and seller.
		page, err := st.Search(ctx, store.Query{Text: p.Name.ZH, Type: p.Type, SellerOrgID: p.SellerOrgID, Limit: 100})
		if err != nil || !slices.ContainsFunc(page.Hits, func(h store.Hit) bool { return h.ProductID == p.ID }) {
			t.Fatalf("%s not found by %q: %+v, %v", p.ID, p.Name.ZH, page.Hits, err)
		}
		// Every search of the mix answers.
		for _, s := range catalogtest.Searches(3, 40, regionCodes()) {
			if _, err := st.Search(ctx, queryOf(s)); err != nil {
				t.Fatalf("%+v: %v", s, err)
			}
		}
	})
}

// benchStore returns a store holding the generated catalogue on the engine,
// or skips when the engine is not available. It is closed (and a PostgreSQL
// database dropped) when b ends.
func benchStore(b *testing.B, e store.Engine) *store.Store {
	b.Helper()
	n := benchProducts(b)
	if dsn := os.Getenv("CLOUDMART_BENCH_DB"); dsn != "" && engineOf(dsn) == e {
		return existing(b, dsn, n)
	}
	switch {
	case e == store.Postgres:
		if os.Getenv(storetest.PostgresEnv) == "" {
			// Benchmarks are opt-in, so a missing server is no failure, even under
			// CI; said on stderr too, as go test shows skips only with -v.
			msg := fmt.Sprintf("SKIPPING POSTGRESQL BENCHMARK: %s is not set; run scripts/test or point it at a server", storetest.PostgresEnv)
			fmt.Fprintln(os.Stderr, msg)
			b.Skip(msg)
		}
		st := storetest.Open(b, e)
		start := time.Now()
		bulkLoad(b, st, benchSeed, 0, n)
		b.Logf("generated %d products on %s in %s", n, e, time.Since(start).Round(time.Millisecond))
		return st
	}
	return cachedSQLite(b, n)
}

// cachedSQLite returns the SQLite catalogue of n products, generating it into
// the temporary folder unless an up-to-date one is there.
func cachedSQLite(b *testing.B, n int) *store.Store {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("cloudmart-bench-search-%d-%s.db", n, benchFingerprint(b)))
	ctx := context.Background()
	if _, err := os.Stat(path); err != nil {
		start := time.Now()
		tmp := fmt.Sprintf("%s.tmp-%d", path, os.Getpid())
		st, err := store.Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		bulkLoad(b, st, benchSeed, 0, n)
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		if _, err := os.Stat(tmp + "-wal"); err == nil {
			b.Fatalf("%s-wal is left after closing: not caching it", tmp)
		}
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d products on sqlite in %s, kept in %s", n, time.Since(start).Round(time.Millisecond), path)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if applied, err := st.Migrate(ctx); err != nil || len(applied) > 0 {
		b.Fatalf("the cached catalogue %s needed migrations %v (%v): remove it", path, applied, err)
	}
	return st
}

func engineOf(dsn string) store.Engine {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return store.Postgres
	}
	return store.SQLite
}

// existing opens the database at dsn and tops its storefront up to n products.
func existing(b *testing.B, dsn string, n int) *store.Store {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	have, err := st.StorefrontSize(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if have < n {
		bulkLoad(b, st, benchSeed, have, n)
	}
	return st
}

// benchFingerprint changes whenever a cached catalogue could differ: the
// schema, the store's code, the search tokens, or the generator's output.
func benchFingerprint(b *testing.B) string {
	h := sha256.New()
	var files []string
	for _, pattern := range []string{"*.go", "migrations/sqlite/*.sql", "../search/*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d\n", f, len(data))
		h.Write(data)
	}
	g := catalogtest.New(catalogtest.Config{Seed: benchSeed, Regions: regionCodes()})
	sample, _ := json.Marshal([]any{g.Sellers(), g.Products(0, 50)})
	h.Write(sample)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// BenchmarkSearch runs typical searches on each engine's catalogue, generated
// once per engine. The sub-benchmarks "mix" (the shapes in turn) and one per
// shape run the searches one after the other: ns/op is the mean latency, and
// p50-ms and p99-ms are of single searches. "parallel" runs the mix from 32
// goroutines at once, as the HTTP benchmark's clients do: ns/op is then the
// inverse of the throughput, and the percentiles include waiting for a
// connection.
func BenchmarkSearch(b *testing.B) {
	searches := catalogtest.Searches(benchSeed, 1000, regionCodes())
	for _, e := range storetest.Engines {
		b.Run(string(e), func(b *testing.B) {
			st := benchStore(b, e) // a benchmark that runs others runs once: the store lives through them
			for _, kind := range append([]string{"mix"}, catalogtest.SearchKinds...) {
				var mix []store.Query
				for _, s := range searches {
					if kind == "mix" || s.Kind == kind {
						mix = append(mix, queryOf(s))
					}
				}
				b.Run(kind, func(b *testing.B) {
					ctx := context.Background()
					lat := make([]time.Duration, 0, 1024)
					i := 0
					for b.Loop() {
						t0 := time.Now()
						if _, err := st.Search(ctx, mix[i%len(mix)]); err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t0))
						i++
					}
					reportLatencies(b, lat)
				})
			}
			b.Run("parallel", func(b *testing.B) {
				var mu sync.Mutex
				var all []time.Duration
				var next int
				b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
				b.RunParallel(func(pb *testing.PB) {
					ctx := context.Background()
					var lat []time.Duration
					mu.Lock()
					i := next
					next += 97
					mu.Unlock()
					for pb.Next() {
						t0 := time.Now()
						if _, err := st.Search(ctx, queryOf(searches[i%len(searches)])); err != nil {
							b.Error(err)
							return
						}
						lat = append(lat, time.Since(t0))
						i++
					}
					mu.Lock()
					all = append(all, lat...)
					mu.Unlock()
				})
				reportLatencies(b, all)
			})
		})
	}
}

func reportLatencies(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		k := min(len(lat)-1, max(0, int(q*float64(len(lat))+0.999999)-1))
		return float64(lat[k]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
