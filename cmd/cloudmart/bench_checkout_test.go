package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/store/storetest"
)

var checkoutSummary = regexp.MustCompile(`^bench checkout: orders/s=[0-9]+\.[0-9] p50_ms=[0-9]+\.[0-9]{2} p95_ms=[0-9]+\.[0-9]{2} p99_ms=[0-9]+\.[0-9]{2} errors=([0-9]+) ledger=(balanced|UNBALANCED)$`)

// benchCheckoutRun runs `cloudmart bench checkout` with small numbers on the
// database and returns its summary line, its other output and its error.
func benchCheckoutRun(t *testing.T, dsn string, extra ...string) (summary, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	args := append([]string{"bench", "checkout", "--db", dsn, "--data", t.TempDir(), "--products", "60", "--buyers", "20", "--clients", "4"}, extra...)
	err = run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 || !checkoutSummary.MatchString(lines[0]) {
		t.Fatalf("stdout is not one summary line (err %v):\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	return lines[0], errOut.String(), err
}

func TestBenchCheckout(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			summary, stderr, err := benchCheckoutRun(t, dsn, "--duration", "1s")
			if err != nil {
				t.Fatalf("bench checkout: %v\n%s", err, stderr)
			}
			if !strings.HasSuffix(summary, " errors=0 ledger=balanced") || strings.HasPrefix(summary, "bench checkout: orders/s=0.0 ") {
				t.Fatalf("%s\n%s", summary, stderr)
			}
			if !strings.Contains(stderr, "generated 60 products") || !strings.Contains(stderr, "buyers: 20 on ") || !strings.Contains(stderr, "(20 created)") {
				t.Errorf("the setup is not reported:\n%s", stderr)
			}

			// A second run reuses the catalogue and the buyers, with new tokens.
			summary, stderr, err = benchCheckoutRun(t, dsn, "--duration", "300ms")
			if err != nil || !strings.HasSuffix(summary, " errors=0 ledger=balanced") {
				t.Fatalf("second run: %v\n%s\n%s", err, summary, stderr)
			}
			if !strings.Contains(stderr, "none to generate") || !strings.Contains(stderr, "(0 created)") {
				t.Errorf("the second run made its world again:\n%s", stderr)
			}
		})
	}
}

// TestBenchCheckoutUnbalanced: a balance that differs from its entries is
// reported as ledger=UNBALANCED, and the command fails.
func TestBenchCheckoutUnbalanced(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "cloudmart.db")
	if _, stderr, err := benchCheckoutRun(t, dsn, "--duration", "200ms"); err != nil {
		t.Fatalf("bench checkout: %v\n%s", err, stderr)
	}
	db, err := sql.Open("sqlite", "file:"+dsn)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`UPDATE balances SET balance_minor = balance_minor + 1 WHERE org_id = 'org_benchbuyer00003'`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	summary, stderr, err := benchCheckoutRun(t, dsn, "--duration", "200ms")
	if err == nil || exitCode(err) != 1 || !strings.HasSuffix(summary, " ledger=UNBALANCED") || !strings.Contains(err.Error(), "org_benchbuyer00003 CNY") {
		t.Fatalf("a corrupt balance: %v\n%s\n%s", err, summary, stderr)
	}
}

func TestBenchCheckoutHelp(t *testing.T) {
	runCmd := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
		return out.String() + errOut.String(), err
	}
	if out, err := runCmd("bench", "--help"); err != nil || !strings.Contains(out, "checkout") {
		t.Errorf("bench --help: %v %q", err, out)
	}
	if out, err := runCmd("bench", "checkout", "--help"); err != nil || !strings.Contains(out, "-buyers") || !strings.Contains(out, "ledger=balanced") {
		t.Errorf("bench checkout --help: %v %q", err, out)
	}
	for _, args := range [][]string{{"--buyers", "0"}, {"--clients", "0"}, {"--duration", "0s"}, {"--url", "127.0.0.1:8080"}, {"extra"}} {
		if _, err := runCmd(append([]string{"bench", "checkout"}, args...)...); exitCode(err) != 2 {
			t.Errorf("bench checkout %v: %v", args, err)
		}
	}
}
