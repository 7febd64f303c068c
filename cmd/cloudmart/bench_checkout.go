package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/catalog/catalogtest"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/jobs"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/web"
)

// checkoutBalance is what each generated buyer's CNY balance is topped up to
// before a run: ¥10,000,000,000.00, which no run spends.
var checkoutBalance = money.New(1_000_000_000_000, money.CNY)

func benchCheckout(ctx context.Context, env *environment, args []string) error {
	fs := flagSet("bench checkout", env.stderr)
	st := addStorage(fs, env)
	target := fs.String("url", "", "the base URL of a running server to buy from (http://127.0.0.1:8080); --db must then name its database; default: a server started in-process")
	clients := fs.Int("clients", 32, "concurrent HTTP clients")
	duration := fs.Duration("duration", 10*time.Second, "how long the clients place orders")
	buyers := fs.Int("buyers", 1000, "customer organisations that buy, each with a buyer, an API token and a CNY balance: generated when missing")
	products := fs.Int("products", 300, "the storefront products to buy from: generated (bypassing review) when the database holds fewer")
	seed := fs.Uint64("seed", 1, "the seed of the generated catalogue and of the carts")
	campaign := fs.Bool("campaign", false, "buy through an active campaign's page with a coupon each: a campaign is made, every buyer claims its pack, and the campaign ledger is checked after the run")
	compare := fs.Bool("compare", false, "with --campaign: alternate plain orders and campaign orders, 2 s each, for --duration on the same server, and end the line with the plain orders/s and the ratio of the two")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run (clients and in-process server alike) to this file, for go tool pprof")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: cloudmart bench checkout [flags]

Fills the database's storefront up to --products generated products (as bench
search does; loaded without review, so never use a database in use), makes
--buyers customer organisations each with a buyer, a fresh personal API token
and a CNY balance topped up through the ledger, starts the server in-process on
127.0.0.1 (or buys from --url), and has --clients clients place and pay orders
for --duration: POST /api/v1/orders with a fresh Idempotency-Key each, one to
three lines of monthly, yearly and one-time CNY plans. A request that meets a
network error is sent again with the same key until it is answered (that is
what the key is for). Then it checks the ledger (every posting balances, every
balance equals its entries) and that the database holds exactly one paid order,
paid once, for each order answered. It ends with one line:

  bench checkout: orders/s=… p50_ms=… p95_ms=… p99_ms=… errors=… ledger=balanced

orders/s counts orders answered as paid (201, or 200 for a replay of one whose
answer was lost); latencies are of those, from the first try to the answer;
errors are other answers and requests never answered. With errors, an
unbalanced ledger (ledger=UNBALANCED) or orders the database disagrees on, the
command fails.

With --campaign, a campaign open to the bench buyers is made active and each
buyer claims its coupon pack first; every order then comes through the
campaign's page with one of the buyer's coupons, and the line ends with
campaigns=equal when the campaign ledger and its cached totals agree after
the run (campaigns=MISMATCH, and the command fails, otherwise).

With --campaign --compare, the clients alternate: 2 s (or a tenth of
--duration, if shorter) of plain orders (no coupon, bought directly), then as
long through the campaign, and so on for --duration, on the same server and
database. A machine whose speed changes
from one minute to the next (a shared one) then weighs on both alike. The
line gives the campaign orders as above, then plain_orders_s= and
campaign_ratio= (campaign orders/s over plain orders/s).

Flags:
`)
		fs.PrintDefaults()
	}
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *compare && !*campaign {
		return fmt.Errorf("%w: --compare compares with --campaign", errUsage)
	}
	if *products < 10 || *buyers < 1 || *clients < 1 || *duration <= 0 {
		return fmt.Errorf("%w: --products must be at least 10, --buyers and --clients at least 1, --duration above 0", errUsage)
	}
	if *target != "" && !strings.HasPrefix(*target, "http://") && !strings.HasPrefix(*target, "https://") {
		return fmt.Errorf("%w: --url must be an http:// or https:// address", errUsage)
	}
	// The server's request log would measure the terminal: warnings only.
	log := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := openStore(ctx, st, log)
	if err != nil {
		return err
	}
	defer db.Close()

	world, err := prepareCheckout(ctx, env, db, *buyers, *products, *seed)
	if err != nil {
		return err
	}
	if *campaign {
		if err := prepareCampaign(ctx, env, db, &world); err != nil {
			return err
		}
	}
	if err := db.Checkpoint(ctx); err != nil { // what was made goes to the database file before the clock starts
		return err
	}

	base := strings.TrimSuffix(*target, "/")
	if base == "" {
		addr, stop, err := startCheckoutServer(ctx, db, log)
		if err != nil {
			return err
		}
		defer stop()
		base = "http://" + addr
	}
	hc := checkoutClient(*clients)
	defer hc.CloseIdleConnections()
	if err := checkFirstOrder(ctx, hc, base, world); err != nil {
		if *target != "" {
			err = fmt.Errorf("%w (does --db name the database of the server at --url?)", err)
		}
		return err
	}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	since := time.Now()
	var r, plain checkoutRun
	if *compare {
		r, plain = compareCheckout(ctx, hc, base, world, *clients, *duration)
	} else {
		r = loadCheckout(ctx, hc, base, world, *clients, *duration, 30*time.Second)
	}
	if ctx.Err() != nil {
		// Interrupted: requests cut short may have placed orders unanswered,
		// so there is nothing to compare.
		return ctx.Err()
	}
	c, err := verifyCheckout(ctx, db, since, r.with(plain))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "%s, %d storefront products, %d buyers, %d clients, %s: %d orders paid (%d after a retry, %d of them replayed), %d errors; %d postings in the ledger\n",
		db.Engine(), *products, len(world.buyers), *clients, r.elapsed.Round(time.Millisecond), len(r.placed), r.retried, r.replayed, r.errors, c.ledger.Postings)
	if *compare {
		fmt.Fprintf(env.stderr, "and in between, plain: %s, %d orders paid (%d after a retry, %d of them replayed), %d errors\n",
			plain.elapsed.Round(time.Millisecond), len(plain.placed), plain.retried, plain.replayed, plain.errors)
	}
	slices.Sort(r.latencies)
	verdict := "balanced"
	if !c.ledger.Balanced() {
		verdict = "UNBALANCED"
	}
	campaigns := ""
	if *compare {
		campaigns = fmt.Sprintf(" plain_orders_s=%.1f campaign_ratio=%.2f", plain.rate(), r.rate()/plain.rate())
	}
	var problems []string
	if *campaign {
		cc, err := db.CheckCampaigns(ctx)
		if err != nil {
			return err
		}
		sound := " campaigns=equal"
		if !cc.Sound() {
			sound = " campaigns=MISMATCH"
			problems = append(problems, fmt.Sprintf("the campaign ledger and its cached totals disagree: %v", firstFew(cc.Mismatched)))
		}
		campaigns = sound + campaigns
	}
	fmt.Fprintf(env.stdout, "bench checkout: orders/s=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f errors=%d ledger=%s%s\n",
		r.rate(),
		ms(percentile(r.latencies, 0.50)), ms(percentile(r.latencies, 0.95)), ms(percentile(r.latencies, 0.99)), r.errors, verdict, campaigns)
	if !c.ledger.Balanced() {
		problems = append(problems, fmt.Sprintf("the ledger does not balance: postings %v, balances %v", firstFew(c.ledger.Unbalanced), firstFew(c.ledger.Mismatched)))
	}
	problems = append(problems, c.problems...)
	if all := r.with(plain); all.errors > 0 {
		problems = append(problems, fmt.Sprintf("%d orders failed, the first: %v", all.errors, all.firstErr))
	}
	if len(problems) > 0 {
		return errors.New("bench checkout: " + strings.Join(problems, "; "))
	}
	return nil
}

// checkoutWorld is what the clients buy with: buyers with their tokens, and
// carts of products on the storefront, each cart's lines as JSON.
type checkoutWorld struct {
	buyers   []checkoutBuyer
	carts    [][]byte       // `[{"product_id":…},…]`
	campaign *benchCampaign // --campaign: the coupon and channel of each order; nil without
}

type checkoutBuyer struct {
	orgID, token string
}

// body is the request placing cart c for buyer b.
func (w checkoutWorld) body(b, c int) []byte {
	out := make([]byte, 0, 32+len(w.buyers[b].orgID)+len(w.carts[c]))
	out = append(out, `{"org_id":"`...)
	out = append(out, w.buyers[b].orgID...)
	out = append(out, `","lines":`...)
	out = append(out, w.carts[c]...)
	if w.campaign != nil {
		out = append(out, w.campaign.fields(b)...)
	}
	return append(out, '}')
}

// prepareCheckout fills the storefront up to the products, makes the buyers
// that are missing, gives every buyer a fresh token and tops up its balance,
// and makes carts of the storefront's products.
func prepareCheckout(ctx context.Context, env *environment, db *store.Store, buyers, products int, seed uint64) (checkoutWorld, error) {
	var regions []string
	for _, r := range demo.Regions {
		regions = append(regions, r.Code)
	}
	if err := fillStorefront(ctx, env, db, products, seed, regions); err != nil {
		return checkoutWorld{}, err
	}
	carts, err := checkoutCarts(catalogtest.New(catalogtest.Config{Seed: seed, Regions: regions}), products, seed)
	if err != nil {
		return checkoutWorld{}, err
	}

	start := time.Now()
	now := start.UTC().Truncate(time.Microsecond)
	w := checkoutWorld{carts: carts}
	bulk := make([]store.BulkBuyer, buyers)
	for i := range bulk {
		secret := account.NewTokenSecret()
		b := store.BulkBuyer{
			OrgID: fmt.Sprintf("org_benchbuyer%05d", i), Name: fmt.Sprintf("Bench Buyer %d 压测买家 %d", i, i),
			UserID: fmt.Sprintf("usr_benchbuyer%05d", i), Email: fmt.Sprintf("buyer%05d@bench.invalid", i),
			Token:     account.Token{ID: ids.New("tok"), Kind: account.TokenPersonal, Name: "bench checkout", CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)},
			TokenHash: account.HashToken(secret),
			Balance:   checkoutBalance,
		}
		b.Token.UserID = b.UserID
		bulk[i] = b
		w.buyers = append(w.buyers, checkoutBuyer{orgID: b.OrgID, token: secret})
	}
	rep, err := db.BulkBuyers(ctx, bulk)
	if err != nil {
		return checkoutWorld{}, err
	}
	fmt.Fprintf(env.stderr, "buyers: %d on %s (%d created), %d balances topped up to %s, in %s\n",
		buyers, db.Engine(), rep.Created, rep.ToppedUp, checkoutBalance, time.Since(start).Round(time.Millisecond))
	return w, nil
}

// checkoutCarts makes carts of the catalogue's first products: one line in
// most, two or three in some, of CNY monthly (1–3 months), yearly (1 year) and
// one-time plans, 1–3 units, in one of the product's regions.
func checkoutCarts(g *catalogtest.Generator, products int, seed uint64) ([][]byte, error) {
	type offer struct {
		product catalog.Product
		plan    catalog.Plan
	}
	var offers []offer
	for i := range products {
		p, _ := g.Product(i)
		for _, pl := range p.Plans {
			if pl.Active && pl.Price.Currency == money.CNY && pl.Price.Minor > 0 &&
				(pl.Mode == catalog.Monthly || pl.Mode == catalog.Yearly || pl.Mode == catalog.OneTime) {
				offers = append(offers, offer{p, pl})
			}
		}
	}
	if len(offers) < 10 {
		return nil, fmt.Errorf("bench checkout: the first %d products have only %d CNY plans to buy: generate more", products, len(offers))
	}
	rng := mrand.New(mrand.NewPCG(seed, 0xc4ec0))
	carts := make([][]byte, 1000)
	for i := range carts {
		n := []int{1, 1, 1, 1, 1, 1, 1, 2, 2, 3}[rng.IntN(10)]
		var lines []checkoutLine
		for range n {
			o := offers[rng.IntN(len(offers))]
			l := checkoutLine{ProductID: o.product.ID, Plan: o.plan.Code, Quantity: 1 + rng.IntN(3),
				Region: o.product.Regions[rng.IntN(len(o.product.Regions))]}
			if o.plan.Mode == catalog.Monthly {
				l.Periods = 1 + rng.IntN(3)
			}
			lines = append(lines, l)
		}
		raw, err := json.Marshal(lines)
		if err != nil {
			return nil, err
		}
		carts[i] = raw
	}
	return carts, nil
}

// checkoutLine is a line of a cart in the API's terms.
type checkoutLine struct {
	ProductID string `json:"product_id"`
	Plan      string `json:"plan"`
	Quantity  int    `json:"quantity"`
	Periods   int    `json:"periods,omitempty"`
	Region    string `json:"region"`
}

// startCheckoutServer serves the marketplace on 127.0.0.1 as `cloudmart
// serve` does, with its job queue (placing an order enqueues the sellers'
// emails, which the queue works meanwhile, as it would in production).
func startCheckoutServer(ctx context.Context, db *store.Store, log *slog.Logger) (addr string, stop func(), err error) {
	svc := market.New(db, market.Options{})
	queue, err := jobs.Start(context.WithoutCancel(ctx), db, svc, jobs.Config{Logger: log})
	if err != nil {
		return "", nil, err
	}
	svc.SetJobs(queue)
	stopJobs := func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = queue.Stop(stopCtx)
	}
	srv := &http.Server{
		Handler:           web.NewServer(svc, web.Config{Log: log, Version: buildVersion(), Ready: map[string]func(context.Context) error{"database": db.Ping}}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		stopJobs()
		return "", nil, err
	}
	go func() { _ = srv.Serve(ln) }()
	return ln.Addr().String(), func() {
		shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutCtx)
		stopJobs()
	}, nil
}

func checkoutClient(clients int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil, // loopback only, whatever the environment says
			MaxIdleConns:        2 * clients,
			MaxIdleConnsPerHost: 2 * clients,
			DisableCompression:  true,
		},
		Timeout: 10 * time.Second,
	}
}

// placedOrder is an order answered as paid.
type placedOrder struct {
	key          string // its Idempotency-Key
	buyer, cart  int
	id           string
	status       int           // 201, or 200 for a replay
	tries        int           // 1 unless the first met a network error
	firstTriedAt time.Time     //
	took         time.Duration // from the first try to the answer
}

// checkoutRun is what the clients measured.
type checkoutRun struct {
	placed    []placedOrder
	latencies []time.Duration // of placed, in the same order
	retried   int             // placed orders that took more than one try
	replayed  int             // placed orders answered as replays
	errors    int
	firstErr  error
	elapsed   time.Duration // until the last client stopped
}

// loadCheckout has the clients place orders until the duration is over.
// Client c buys for buyers c, c+clients, c+2×clients … in turn, so no two
// clients pay from one balance at once unless there are fewer buyers than
// clients. A request that meets a network error (or a 502, 503 or 504) is sent
// again with its key after a short pause, until it is answered or retryFor
// has passed since the duration ended.
func loadCheckout(ctx context.Context, hc *http.Client, base string, w checkoutWorld, clients int, d, retryFor time.Duration) checkoutRun {
	type result struct {
		placed   []placedOrder
		errors   int
		firstErr error
	}
	results := make([]result, clients)
	run := make([]byte, 6)
	_, _ = rand.Read(run)
	runID := hex.EncodeToString(run)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	giveUp := deadline.Add(retryFor)
	for c := range clients {
		wg.Go(func() {
			r := &results[c]
			buyer, cart := c%len(w.buyers), (c*len(w.carts)/clients)%len(w.carts)
			for n := 0; ctx.Err() == nil && time.Now().Before(deadline); n++ {
				p := placedOrder{key: fmt.Sprintf("bench-%s-%d-%d", runID, c, n), buyer: buyer, cart: cart, firstTriedAt: time.Now()}
				err := placeWithRetries(ctx, hc, base, w, &p, giveUp)
				switch {
				case err == nil:
					r.placed = append(r.placed, p)
				case ctx.Err() != nil:
					// interrupted: not the server's fault
				default:
					r.errors++
					if r.firstErr == nil {
						r.firstErr = err
					}
				}
				buyer = (buyer + clients) % len(w.buyers)
				cart = (cart + 1) % len(w.carts)
			}
		})
	}
	wg.Wait()
	out := checkoutRun{elapsed: time.Since(start)}
	for _, r := range results {
		for _, p := range r.placed {
			out.placed = append(out.placed, p)
			out.latencies = append(out.latencies, p.took)
			if p.tries > 1 {
				out.retried++
			}
			if p.status == http.StatusOK {
				out.replayed++
			}
		}
		out.errors += r.errors
		if out.firstErr == nil {
			out.firstErr = r.firstErr
		}
	}
	return out
}

// rate is the orders paid per second.
func (r checkoutRun) rate() float64 { return float64(len(r.placed)) / r.elapsed.Seconds() }

// with is the two runs as one.
func (r checkoutRun) with(o checkoutRun) checkoutRun {
	r.placed = append(slices.Clip(r.placed), o.placed...)
	r.latencies = append(slices.Clip(r.latencies), o.latencies...)
	r.retried += o.retried
	r.replayed += o.replayed
	r.errors += o.errors
	if r.firstErr == nil {
		r.firstErr = o.firstErr
	}
	r.elapsed += o.elapsed
	return r
}

// compareSlice is how long --compare runs one kind of order before the
// other, at most: a tenth of the duration when that is shorter.
const compareSlice = 2 * time.Second

// compareCheckout has the clients alternate plain orders (w without its
// campaign) and campaign orders, a slice each, plain first, until the
// duration is over, and returns the campaign orders and the plain ones.
func compareCheckout(ctx context.Context, hc *http.Client, base string, w checkoutWorld, clients int, d time.Duration) (campaign, plain checkoutRun) {
	direct := w
	direct.campaign = nil
	each := min(compareSlice, d/10)
	deadline := time.Now().Add(d)
	for i := 0; ctx.Err() == nil && time.Now().Before(deadline); i++ {
		slice := min(each, time.Until(deadline))
		if i%2 == 0 {
			plain = plain.with(loadCheckout(ctx, hc, base, direct, clients, slice, 30*time.Second))
		} else {
			campaign = campaign.with(loadCheckout(ctx, hc, base, w, clients, slice, 30*time.Second))
		}
	}
	return campaign, plain
}

// errRetry marks an attempt worth repeating with the same key.
var errRetry = errors.New("retry")

// placeWithRetries places p's order, trying again with the same key after a
// network error until giveUp.
func placeWithRetries(ctx context.Context, hc *http.Client, base string, w checkoutWorld, p *placedOrder, giveUp time.Time) error {
	body := w.body(p.buyer, p.cart)
	pause := 10 * time.Millisecond
	for {
		p.tries++
		err := placeOrder(ctx, hc, base, w.buyers[p.buyer].token, p.key, body, p)
		if err == nil {
			p.took = time.Since(p.firstTriedAt)
			return nil
		}
		if !errors.Is(err, errRetry) || ctx.Err() != nil {
			return err
		}
		if time.Now().Add(pause).After(giveUp) {
			return fmt.Errorf("no answer after %d tries: %w", p.tries, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, 250*time.Millisecond)
	}
}

// placeOrder sends one order request and, when it is answered as paid, sets
// p's id and status. Errors wrapping errRetry are worth another try.
func placeOrder(ctx context.Context, hc *http.Client, base, token, key string, body []byte, p *placedOrder) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/orders", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", errRetry, err)
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("%w: %w", errRetry, err)
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return fmt.Errorf("%w: POST /api/v1/orders: %d", errRetry, resp.StatusCode)
	case http.StatusCreated, http.StatusOK:
	default:
		return fmt.Errorf("POST /api/v1/orders: %d %.300s", resp.StatusCode, raw)
	}
	var o struct {
		ID     string     `json:"id"`
		PaidAt *time.Time `json:"paid_at"` // a replay may find it delivered already
	}
	if err := json.Unmarshal(raw, &o); err != nil || o.ID == "" || o.PaidAt == nil {
		return fmt.Errorf("POST /api/v1/orders: %d, not a paid order: %.300s", resp.StatusCode, raw)
	}
	if resp.StatusCode == http.StatusOK && resp.Header.Get("Idempotent-Replayed") != "true" {
		return fmt.Errorf("POST /api/v1/orders: 200 without Idempotent-Replayed: true: %.300s", raw)
	}
	p.id, p.status = o.ID, resp.StatusCode
	return nil
}

// checkFirstOrder places one order before the clients start and fails unless
// it is paid, so a benchmark never measures errors fast.
func checkFirstOrder(ctx context.Context, hc *http.Client, base string, w checkoutWorld) error {
	p := placedOrder{key: ids.New("bench"), firstTriedAt: time.Now()}
	if err := placeWithRetries(ctx, hc, base, w, &p, time.Now().Add(10*time.Second)); err != nil {
		return fmt.Errorf("bench checkout: the first order: %w", err)
	}
	return nil
}

// checkoutCheck is what the database says after a run.
type checkoutCheck struct {
	ledger   store.LedgerCheck
	tally    store.OrderTally
	problems []string // disagreements between the answers and the database
}

// verifyCheckout checks the ledger, and that the orders placed since the run
// began are the orders answered as paid: as many, each paid once.
func verifyCheckout(ctx context.Context, db *store.Store, since time.Time, r checkoutRun) (checkoutCheck, error) {
	var c checkoutCheck
	var err error
	if c.ledger, err = db.CheckLedger(ctx); err != nil {
		return c, err
	}
	if c.tally, err = db.TallyOrders(ctx, since); err != nil {
		return c, err
	}
	distinct := map[string]bool{}
	for _, p := range r.placed {
		distinct[p.id] = true
	}
	if len(distinct) != len(r.placed) {
		c.problems = append(c.problems, fmt.Sprintf("%d orders answered, but only %d distinct order ids", len(r.placed), len(distinct)))
	}
	if c.tally.Orders != len(distinct) || c.tally.Paid != len(distinct) {
		c.problems = append(c.problems, fmt.Sprintf("%d orders answered as paid, but the database has %d orders placed since the run began (%d paid)",
			len(distinct), c.tally.Orders, c.tally.Paid))
	}
	if c.tally.NotPaidOnce > 0 {
		c.problems = append(c.problems, fmt.Sprintf("%d orders have no payment posting or more than one", c.tally.NotPaidOnce))
	}
	return c, nil
}

func firstFew(s []string) []string { return s[:min(len(s), 5)] }
