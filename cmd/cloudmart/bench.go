package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/cloudmart/cloudmart/catalog/catalogtest"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/web"
)

// benchmarks are the load tests `cloudmart bench <what>` runs; add one here.
var benchmarks = []command{
	{"search", "search the storefront over HTTP with typical two-filter queries", benchSearch},
	{"checkout", "place and pay orders over HTTP with idempotency keys, then check the ledger", benchCheckout},
}

// bench runs one of the benchmarks. They load the database they are given
// with generated data (bypassing review): never point one at a marketplace in
// use.
func bench(ctx context.Context, env *environment, args []string) error {
	if len(args) > 0 {
		for _, b := range benchmarks {
			if b.name == args[0] {
				return b.run(ctx, env, args[1:])
			}
		}
	}
	help := len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help")
	w := env.stderr
	if help {
		w = env.stdout
	}
	fmt.Fprintln(w, "Usage: cloudmart bench <what> [flags]\n\nMeasures the marketplace under load on a database of generated data\n(never one in use). Benchmarks:")
	for _, b := range benchmarks {
		fmt.Fprintf(w, "  %-10s %s\n", b.name, b.summary)
	}
	fmt.Fprintln(w, "\nRun `cloudmart bench <what> --help` for its flags.")
	switch {
	case help:
		return nil
	case len(args) == 0:
		return fmt.Errorf("%w: say which benchmark to run", errUsage)
	}
	return fmt.Errorf("%w: unknown benchmark %q", errUsage, args[0])
}

func benchSearch(ctx context.Context, env *environment, args []string) error {
	fs := flagSet("bench search", env.stderr)
	st := addStorage(fs, env)
	products := fs.Int("products", 100_000, "the storefront products to search: generated (bypassing review) when the database holds fewer")
	clients := fs.Int("clients", 32, "concurrent HTTP clients")
	duration := fs.Duration("duration", 10*time.Second, "how long the clients search")
	seed := fs.Uint64("seed", 1, "the seed of the generated catalogue and of the queries")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: cloudmart bench search [flags]

Fills the database's storefront up to --products generated products (realistic
names and descriptions in English and Chinese, all four types; loaded without
review, so never use a database in use), starts the server in-process on
127.0.0.1, and has --clients clients search it for --duration with typical
two-filter queries (a Chinese word and a type, an English word and a region, a
category and a billing mode, a word and a price range; sorted by relevance,
newest or price). It ends with one line:

  bench search: requests/s=… p50_ms=… p95_ms=… p99_ms=… errors=…

requests/s counts 200 answers; latencies are of those, per request; errors are
other answers and transport errors (the command then fails).

Flags:
`)
		fs.PrintDefaults()
	}
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *products < 1 || *clients < 1 || *duration <= 0 {
		return fmt.Errorf("%w: --products and --clients must be at least 1, --duration above 0", errUsage)
	}
	// The server's request log would measure the terminal: warnings only.
	log := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := openStore(ctx, st, log)
	if err != nil {
		return err
	}
	defer db.Close()

	var codes []string
	for _, r := range demo.Regions {
		codes = append(codes, r.Code)
	}
	if err := fillStorefront(ctx, env, db, *products, *seed, codes); err != nil {
		return err
	}

	svc := market.New(db, market.Options{})
	srv := &http.Server{
		Handler:           web.NewServer(svc, web.Config{Log: log, Version: buildVersion(), Ready: map[string]func(context.Context) error{"database": db.Ping}}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutCtx)
	}()

	base := "http://" + ln.Addr().String() + "/api/v1/products?"
	searches := catalogtest.Searches(*seed, 1000, codes)
	urls := make([]string, len(searches))
	for i, s := range searches {
		urls[i] = base + searchValues(s).Encode()
	}
	hc := &http.Client{
		Transport: &http.Transport{
			Proxy:               nil, // loopback only, whatever the environment says
			MaxIdleConns:        2 * *clients,
			MaxIdleConnsPerHost: 2 * *clients,
			DisableCompression:  true,
		},
		Timeout: 10 * time.Second,
	}
	defer hc.CloseIdleConnections()
	if err := checkSearches(ctx, hc, urls[:2*len(catalogtest.SearchKinds)]); err != nil {
		return err
	}

	r := loadSearch(ctx, hc, urls, searches, *clients, *duration)
	for _, kind := range catalogtest.SearchKinds {
		lat := r.byKind[kind]
		slices.Sort(lat)
		fmt.Fprintf(env.stderr, "  %-17s requests=%d p50_ms=%.2f p99_ms=%.2f\n", kind, len(lat), ms(percentile(lat, 0.50)), ms(percentile(lat, 0.99)))
	}
	fmt.Fprintf(env.stderr, "%s, %d storefront products, %d clients, %s: %d requests\n",
		db.Engine(), *products, *clients, r.elapsed.Round(time.Millisecond), len(r.latencies)+r.errors)
	slices.Sort(r.latencies)
	fmt.Fprintf(env.stdout, "bench search: requests/s=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f errors=%d\n",
		float64(len(r.latencies))/r.elapsed.Seconds(),
		ms(percentile(r.latencies, 0.50)), ms(percentile(r.latencies, 0.95)), ms(percentile(r.latencies, 0.99)), r.errors)
	if r.errors > 0 {
		return fmt.Errorf("bench search: %d requests failed, the first: %v", r.errors, r.firstErr)
	}
	return ctx.Err()
}

// fillStorefront generates products until the storefront holds n, and says
// how long it took. Product i of the catalogue is the same for a seed, so a
// storefront is grown where it stopped.
func fillStorefront(ctx context.Context, env *environment, db *store.Store, n int, seed uint64, regions []string) error {
	have, err := db.StorefrontSize(ctx)
	if err != nil {
		return err
	}
	if have >= n {
		fmt.Fprintf(env.stderr, "catalogue: %d storefront products on %s, none to generate\n", have, db.Engine())
		return nil
	}
	fmt.Fprintf(env.stderr, "catalogue: %d storefront products on %s; generating %d (seed %d)…\n", have, db.Engine(), n-have, seed)
	g := catalogtest.New(catalogtest.Config{Seed: seed, Regions: regions})
	var sellers []store.BulkSeller
	for _, s := range g.Sellers() {
		var offerings []seller.Offering
		for _, t := range s.Offerings {
			offerings = append(offerings, t.Offering())
		}
		sellers = append(sellers, store.BulkSeller{OrgID: s.OrgID, Name: s.Name, Offerings: offerings, Regions: s.Regions})
	}
	start, reported := time.Now(), time.Now()
	err = db.BulkLoad(ctx, store.Bulk{
		Regions: demo.Regions,
		Sellers: sellers,
		Products: func(yield func(store.BulkProduct) bool) {
			for i := have; i < n; i++ {
				p, at := g.Product(i)
				if !yield(store.BulkProduct{Product: p, PublishedAt: at}) {
					return
				}
			}
		},
		Progress: func(loaded int) {
			if time.Since(reported) > 10*time.Second {
				reported = time.Now()
				fmt.Fprintf(env.stderr, "catalogue: %d/%d generated (%s)\n", loaded, n-have, time.Since(start).Round(time.Second))
			}
		},
	})
	if err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(env.stderr, "catalogue: generated %d products in %s (%.0f/s)\n", n-have, took.Round(time.Millisecond), float64(n-have)/took.Seconds())
	return nil
}

// searchValues is the query string of a search in the public API's terms.
func searchValues(s catalogtest.Search) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", s.Text)
	set("type", string(s.Type))
	set("category", s.Category)
	set("region", s.Region)
	set("billing", string(s.Billing))
	set("currency", string(s.Currency))
	if s.MinPrice > 0 {
		v.Set("min_price", money.New(s.MinPrice, s.Currency).Decimal())
	}
	if s.MaxPrice > 0 {
		v.Set("max_price", money.New(s.MaxPrice, s.Currency).Decimal())
	}
	set("sort", s.Sort)
	return v
}

// checkSearches asks each URL once and fails unless it answers a page of
// products, so a benchmark never measures errors fast.
func checkSearches(ctx context.Context, hc *http.Client, urls []string) error {
	for _, u := range urls {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return fmt.Errorf("bench search: %w", err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("bench search: %w", err)
		}
		var page struct {
			Products *[]json.RawMessage `json:"products"`
		}
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &page) != nil || page.Products == nil {
			return fmt.Errorf("bench search: GET %s answered %d, not a page of products: %.300s", u, resp.StatusCode, body)
		}
	}
	return nil
}

// searchRun is what the clients measured.
type searchRun struct {
	latencies []time.Duration            // of 200 answers
	byKind    map[string][]time.Duration // the same, by shape of search
	errors    int
	firstErr  error
	elapsed   time.Duration
}

// loadSearch has the clients search until the duration is over, each taking
// the searches in turn from its own place in the list.
func loadSearch(ctx context.Context, hc *http.Client, urls []string, searches []catalogtest.Search, clients int, d time.Duration) searchRun {
	type result struct {
		lat      []time.Duration
		kinds    []string
		errors   int
		firstErr error
	}
	results := make([]result, clients)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for c := range clients {
		wg.Go(func() {
			r := &results[c]
			for i := c * len(urls) / clients; ctx.Err() == nil && time.Now().Before(deadline); i = (i + 1) % len(urls) {
				t0 := time.Now()
				err := getOK(ctx, hc, urls[i])
				took := time.Since(t0)
				if err != nil {
					if ctx.Err() != nil {
						break // interrupted: not the server's fault
					}
					r.errors++
					if r.firstErr == nil {
						r.firstErr = err
					}
					continue
				}
				r.lat = append(r.lat, took)
				r.kinds = append(r.kinds, searches[i].Kind)
			}
		})
	}
	wg.Wait()
	out := searchRun{elapsed: time.Since(start), byKind: map[string][]time.Duration{}}
	for _, r := range results {
		out.latencies = append(out.latencies, r.lat...)
		for j, k := range r.kinds {
			out.byKind[k] = append(out.byKind[k], r.lat[j])
		}
		out.errors += r.errors
		if out.firstErr == nil {
			out.firstErr = r.firstErr
		}
	}
	return out
}

// getOK asks for the URL and reads the whole answer, which must be a 200.
func getOK(ctx context.Context, hc *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return errors.New("GET " + u + ": " + strconv.Itoa(resp.StatusCode))
	}
	return nil
}

// percentile returns the nearest-rank q-th percentile of sorted samples (0
// when there are none).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
