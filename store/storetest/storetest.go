// Package storetest gives tests a fresh, migrated database on each engine.
//
// PostgreSQL tests need CLOUDMART_TEST_POSTGRES, a URL of a server where the
// user may create databases (the test command starts a throwaway one). Without
// it they are skipped with a loud message on a laptop, and fail under CI=true.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/cloudmart/cloudmart/store"
)

// Engines are the engines every store test runs on.
var Engines = []store.Engine{store.SQLite, store.Postgres}

// PostgresEnv names the variable with the PostgreSQL admin URL.
const PostgresEnv = "CLOUDMART_TEST_POSTGRES"

// Ran counts the store tests that passed on each engine, for the summary line.
var Ran = map[store.Engine]*atomic.Int64{store.SQLite: {}, store.Postgres: {}}

// Each runs fn as a subtest on each engine with a fresh, migrated store, and
// counts the subtests that pass.
func Each(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			st := Open(t, e)
			fn(t, st)
			if !t.Failed() && !t.Skipped() {
				Ran[e].Add(1)
			}
		})
	}
}

// SummaryEnv names a folder where each test binary that used Each writes a line
// saying how many store tests passed on each engine; the test command prints them.
const SummaryEnv = "CLOUDMART_TEST_SUMMARY"

// Main runs the package's tests (call it from TestMain) and writes the summary.
func Main(m *testing.M, pkg string) int {
	code := m.Run()
	line := fmt.Sprintf("%s: %d store tests passed on sqlite, %d on postgres\n", pkg, Ran[store.SQLite].Load(), Ran[store.Postgres].Load())
	if dir := os.Getenv(SummaryEnv); dir != "" {
		if f, err := os.OpenFile(filepath.Join(dir, "engines.txt"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			_, _ = f.WriteString(line)
			f.Close()
		}
	}
	return code
}

// Open returns a fresh, migrated store on the engine, closed (and dropped) when
// the test ends.
func Open(tb testing.TB, e store.Engine) *store.Store {
	tb.Helper()
	dsn := DSN(tb, e)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", e, err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		tb.Fatalf("migrate %s: %v", e, err)
	}
	return st
}

// DSN returns the address of a fresh, empty database on the engine: a SQLite
// file in the test's temporary folder, or a new PostgreSQL database dropped
// when the test ends.
func DSN(tb testing.TB, e store.Engine) string {
	tb.Helper()
	if e == store.SQLite {
		return filepath.Join(tb.TempDir(), "cloudmart.db")
	}
	admin := PostgresURL(tb)
	name := "t_" + strings.ToLower(ulid.Make().String())
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE DATABASE ` + name); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _ = db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// PostgresURL returns the admin URL of the test PostgreSQL server, or skips
// (fails under CI=true) when there is none.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(PostgresEnv)
	if u == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not set: under CI=true the PostgreSQL tests must run (use scripts/test)", PostgresEnv)
		}
		tb.Skipf("SKIPPING POSTGRESQL: %s is not set; run scripts/test to start a throwaway server", PostgresEnv)
	}
	return u
}
