package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// buckets
	_ "gocloud.dev/blob/s3blob"   // s3:// buckets (S3-compatible object storage)

	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/jobs"
	"github.com/cloudmart/cloudmart/mailer"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/web"
	"github.com/cloudmart/cloudmart/web/reqid"
)

func serve(ctx context.Context, env *environment, args []string) error {
	fs := flagSet("serve", env.stderr)
	st := addStorage(fs, env)
	addr := fs.String("addr", envOr(env, "CLOUDMART_ADDR", ":8080"), "the address to listen on (env CLOUDMART_ADDR)")
	blobURL := fs.String("blob", env.getenv("CLOUDMART_BLOB"), "where uploaded files go: a file:// folder or an s3:// bucket; default <data>/blobs (env CLOUDMART_BLOB)")
	loadDemo := fs.Bool("demo", envBool(env, "CLOUDMART_DEMO"), "load the demo world (idempotent; env CLOUDMART_DEMO)")
	trustProxy := fs.Bool("trust-proxy", envBool(env, "CLOUDMART_TRUST_PROXY"), "take client addresses from X-Forwarded-For (only behind a proxy that sets it; env CLOUDMART_TRUST_PROXY)")
	logFormat := fs.String("log-format", envOr(env, "CLOUDMART_LOG_FORMAT", "text"), "log format: text or json (env CLOUDMART_LOG_FORMAT)")
	smtpURL := fs.String("smtp", env.getenv("CLOUDMART_SMTP"), "send notification emails through this server: smtp://user:pass@host:587?from=addr; without it emails are logged (env CLOUDMART_SMTP)")
	baseURL := fs.String("base-url", env.getenv("CLOUDMART_BASE_URL"), "the marketplace's public address, for links in emails; default http://<addr> (env CLOUDMART_BASE_URL)")
	zoneName := fs.String("zone", envOr(env, "CLOUDMART_ZONE", "Asia/Shanghai"), "the marketplace's time zone (IANA): what \"today\" is for date rules (env CLOUDMART_ZONE)")
	compute := addCompute(fs, env)
	saasAllow := fs.String("saas-allow", env.getenv("CLOUDMART_SAAS_ALLOW"), "private address prefixes SaaS endpoints may reach, CIDR,...; default none (env CLOUDMART_SAAS_ALLOW)")
	saasCA := fs.String("saas-ca", env.getenv("CLOUDMART_SAAS_CA"), "a PEM file of roots trusted for SaaS endpoints besides the system's (env CLOUDMART_SAAS_CA)")
	saasWindow := fs.Duration("saas-window", envDuration(env, "CLOUDMART_SAAS_WINDOW", delivery.OpenWindow), "how long opening a SaaS instance is retried before the line is refunded (env CLOUDMART_SAAS_WINDOW)")
	jobPoll := fs.Duration("job-poll", envDuration(env, "CLOUDMART_JOB_POLL", time.Second), "how often the job queue looks for new jobs (env CLOUDMART_JOB_POLL)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	log, err := newLogger(env, *logFormat)
	if err != nil {
		return err
	}

	// The address is taken first: a bad one fails at once, and no listener
	// opened below (the demo's in-process sellers) can take it meanwhile.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close() // Serve closes it too; this covers the returns before

	db, err := openStore(ctx, st, log)
	if err != nil {
		return err
	}
	defer db.Close() // last: after the HTTP server and the jobs have stopped

	bucketURL := *blobURL
	if bucketURL == "" {
		abs, err := filepath.Abs(filepath.Join(st.data, "blobs"))
		if err != nil {
			return err
		}
		bucketURL = "file://" + abs + "?create_dir=1"
	}
	bucket, err := blob.OpenBucket(ctx, bucketURL)
	if err != nil {
		return fmt.Errorf("blob store %s: %w", redact(bucketURL), err)
	}
	defer bucket.Close()

	mail, err := mailer.New(*smtpURL, log)
	if err != nil {
		return err
	}
	if *baseURL == "" {
		*baseURL = "http://" + strings.Replace(*addr, ":", "localhost:", 1)
		if !strings.HasPrefix(*addr, ":") {
			*baseURL = "http://" + *addr
		}
	}

	zone, err := time.LoadLocation(*zoneName)
	if err != nil {
		return fmt.Errorf("%w: --zone: %v", errUsage, err)
	}
	secrets, err := loadSecrets(env, st.data, log)
	if err != nil {
		return err
	}

	provider, err := compute.provider(ctx, db, log)
	if err != nil {
		return err
	}
	saasOpts, err := saasOptions(*saasAllow, *saasCA)
	if err != nil {
		return err
	}
	var sellers *demoSellers
	if *loadDemo { // the demo's SaaS sellers, served here
		if sellers, saasOpts, err = startDemoSellers(st.data, saasOpts, log); err != nil {
			return err
		}
		defer sellers.Close()
	}
	svc := market.New(db, market.Options{Blobs: bucket, Secrets: secrets, Zone: zone, Compute: provider, ComputeName: compute.name,
		SaaS: saas.NewClient(saasOpts), SaaSOpenWindow: *saasWindow})
	if sellers != nil {
		sellers.svc.Store(svc)
	}
	// The queue's lifetime is not the request context's: it stops below, in order.
	queue, err := jobs.Start(context.WithoutCancel(ctx), db, svc, jobs.Config{
		Logger: log, PollInterval: *jobPoll, Mail: mail, BaseURL: strings.TrimSuffix(*baseURL, "/"), Hold: true})
	if err != nil {
		return err
	}
	svc.SetJobs(queue)
	stopJobs := func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := queue.Stop(stopCtx); err != nil {
			log.Warn("jobs did not stop cleanly", "err", err)
		}
	}

	if *loadDemo {
		start := time.Now()
		if err := demo.Load(ctx, svc); err != nil {
			stopJobs()
			return err
		}
		log.Info("demo loaded", "took_ms", time.Since(start).Milliseconds())
	}
	// Jobs work once the demo's history is in place (a campaign job must
	// not end the demo's 2020 campaign while it is still being written).
	if err := queue.Start(context.WithoutCancel(ctx)); err != nil {
		stopJobs()
		return err
	}

	handler := web.NewServer(svc, web.Config{
		Log: log, Version: buildVersion(), TrustProxy: *trustProxy,
		Ready: map[string]func(context.Context) error{
			"database": db.Ping,
			"blobs": func(ctx context.Context) error {
				ok, err := bucket.IsAccessible(ctx)
				if err == nil && !ok {
					err = errors.New("bucket not accessible")
				}
				return err
			},
		},
	})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(env.stdout, "cloudmart %s listening on http://%s (%s)\n", buildVersion(), displayAddr(ln.Addr()), db.Engine())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err = <-served:
	case <-ctx.Done():
		log.Info("shutting down: finishing requests in flight")
		shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = srv.Shutdown(shutCtx)
		cancel()
	}
	stopJobs()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	log.Info("stopped")
	return err
}

// openStore opens the database and brings its schema up to date.
func openStore(ctx context.Context, st *storage, log *slog.Logger) (*store.Store, error) {
	db, err := store.Open(ctx, st.dsn())
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrated", "engine", db.Engine(), "applied", applied)
	}
	return db, nil
}

func newLogger(env *environment, format string) (*slog.Logger, error) {
	var h slog.Handler
	switch format {
	case "text":
		h = slog.NewTextHandler(env.stderr, nil)
	case "json":
		h = slog.NewJSONHandler(env.stderr, nil)
	default:
		return nil, fmt.Errorf("%w: --log-format must be text or json", errUsage)
	}
	return slog.New(reqid.LogHandler(h)), nil
}

// displayAddr makes ":8080" into "localhost:8080" for the line people click.
func displayAddr(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") || strings.HasPrefix(s, "0.0.0.0:") {
		return "localhost:" + s[strings.LastIndexByte(s, ':')+1:]
	}
	return s
}

// redact hides credentials in a URL before it is printed.
func redact(u string) string {
	if i := strings.Index(u, "@"); i > 0 {
		if j := strings.Index(u, "://"); j > 0 && j < i {
			return u[:j+3] + "…" + u[i:]
		}
	}
	return u
}
