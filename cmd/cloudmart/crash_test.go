package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/store/storetest"
)

// TestCheckoutSurvivesKill kills the server (SIGKILL) in the middle of a
// checkout load and starts it again on the same data. The clients meet
// network errors and send those requests again with the same Idempotency-Key
// until the server answers. Then every order answered as paid exists, is the
// buyer's and is paid by exactly one payment posting; the database holds no
// other order placed meanwhile; sending any of them again gives the same
// order (a replay); and the ledger balances.
func TestCheckoutSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it")
	}
	bin := buildBinary(t)
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			data := t.TempDir()
			dsn := storetest.DSN(t, e)
			env := &environment{getenv: func(string) string { return "" }, stdout: io.Discard, stderr: io.Discard}
			db, err := openStore(ctx, &storage{data: data, db: dsn}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			world, err := prepareCheckout(ctx, env, db, 40, 60, 1)
			if err != nil {
				t.Fatal(err)
			}

			addr := freeAddr(t)
			base := "http://" + addr
			serve := func() *proc {
				return startBinary(t, bin, base, "serve", "--data", data, "--db", dsn, "--addr", addr, "--job-poll", "200ms", "--log-format", "json")
			}
			first := serve()
			hc := checkoutClient(8)
			defer hc.CloseIdleConnections()

			since := time.Now()
			done := make(chan checkoutRun, 1)
			go func() { done <- loadCheckout(ctx, hc, base, world, 8, 3*time.Second, 20*time.Second) }()
			time.Sleep(1200 * time.Millisecond)
			_ = first.stop(syscall.SIGKILL) // "signal: killed"
			killedAt := time.Now()
			time.Sleep(300 * time.Millisecond) // the clients meet refused connections meanwhile
			second := serve()
			t.Logf("%s: killed, up again after %s", e, time.Since(killedAt).Round(time.Millisecond))
			r := <-done

			if r.errors > 0 {
				t.Fatalf("%d orders failed, the first: %v", r.errors, r.firstErr)
			}
			var before, after int
			for _, p := range r.placed {
				if p.firstTriedAt.Before(killedAt) {
					before++
				} else {
					after++
				}
			}
			t.Logf("%s: %d orders paid (%d begun before the kill, %d after); %d took more than one try, %d answered as replays",
				e, len(r.placed), before, after, r.retried, r.replayed)
			if before == 0 || after == 0 || r.retried == 0 {
				t.Fatalf("the kill did not fall in the middle of the load: %d orders before it, %d after, %d retried", before, after, r.retried)
			}

			c, err := verifyCheckout(ctx, db, since, r)
			if err != nil {
				t.Fatal(err)
			}
			if !c.ledger.Balanced() || len(c.problems) > 0 {
				t.Fatalf("after the crash: ledger %+v; %v", c.ledger, c.problems)
			}
			for _, p := range r.placed {
				o, err := db.Order(ctx, p.id)
				// Paid; delivery may have moved its state on since.
				if err != nil || o.PaidAt.IsZero() || o.BuyerOrgID != world.buyers[p.buyer].orgID {
					t.Fatalf("order %s (key %s): %+v %v", p.id, p.key, o, err)
				}
				if n, err := db.PostingsWithRef(ctx, p.id); err != nil || n != 1 {
					t.Fatalf("order %s (key %s) has %d postings: %v", p.id, p.key, n, err)
				}
			}

			// Every order sent again with its key, after the restart, is the same
			// order, answered as a replay: first those that met the kill.
			again := 0
			for _, p := range r.placed {
				if p.tries == 1 && again >= 50 {
					continue
				}
				q := placedOrder{key: p.key, buyer: p.buyer, cart: p.cart, firstTriedAt: time.Now()}
				if err := placeWithRetries(ctx, hc, base, world, &q, time.Now().Add(5*time.Second)); err != nil {
					t.Fatalf("order %s sent again: %v", p.id, err)
				}
				if q.id != p.id || q.status != http.StatusOK {
					t.Fatalf("order %s (key %s, %d tries) sent again: %d %s", p.id, p.key, p.tries, q.status, q.id)
				}
				again++
			}
			tally, err := db.TallyOrders(ctx, since)
			if err != nil || tally.Orders != len(r.placed) {
				t.Fatalf("after sending %d orders again: %+v %v", again, tally, err)
			}

			// The restarted server stops cleanly.
			if err := second.stop(syscall.SIGTERM); err != nil {
				t.Errorf("the restarted server stopped with %v", err)
			}
		})
	}
}

// buildBinary builds cloudmart (without cgo, as it ships) into a temporary
// folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cloudmart")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// proc is a running binary.
type proc struct {
	cmd  *exec.Cmd
	done chan error // its exit
}

// stop sends the signal and waits for the exit.
func (p *proc) stop(sig os.Signal) error {
	if err := p.cmd.Process.Signal(sig); err != nil {
		return err
	}
	return <-p.done
}

// startBinary starts the binary with the args and waits until base/readyz
// answers 200. It is killed when the test ends, unless it has exited.
func startBinary(t *testing.T, bin, base string, args ...string) *proc {
	t.Helper()
	logs := &syncBuffer{}
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan error, 1)}
	exited := make(chan struct{})
	go func() {
		err := cmd.Wait()
		close(exited)
		p.done <- err
	}()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("%v:\n%s", args, logs.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("%v: exited:\n%s", args, logs.String())
		default:
		}
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%v: not ready in time:\n%s", args, logs.String())
	return nil
}
