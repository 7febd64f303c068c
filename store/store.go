// Package store holds all of cloudmart's SQL, for both engines: embedded SQLite
// (modernc.org/sqlite, pure Go) and PostgreSQL (pgx through database/sql). Each
// query is written once in the SQL both engines accept ($1 placeholders,
// RETURNING, ON CONFLICT); what truly differs lives in dialect.go.
//
// Reads run on the Store; changes run inside Write, which owns the transaction.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queries carries the query methods; Store and Tx both embed it, so a read
// written once runs inside or outside a transaction.
type queries struct {
	q      querier
	engine Engine
}

// Store is an open database. Its query methods read through a pool of
// readers; changes go through Write on the writer.
type Store struct {
	queries
	db   *sql.DB // the writer (and, for PostgreSQL, the readers too)
	read *sql.DB // SQLite's read-only pool; the same as db for PostgreSQL

	groupOnce   sync.Once     // SQLite's group commit (groupcommit.go)
	group       *committer    //
	checkpoints *checkpointer // SQLite's background checkpoints (checkpoint.go)
	writes      *stmtCache    // SQLite's prepared statements (stmtcache.go), of the writer
	reads       *stmtCache    // and of the readers
}

// Tx is a transaction in progress; its methods change the database.
type Tx struct {
	queries
	tx      *sql.Tx
	grouped bool  // SQLite's group commit: many changes in one transaction
	later   later // writes made later, together (later.go)
}

// SQL returns the transaction itself, for River's InsertTx.
func (tx *Tx) SQL() *sql.Tx { return tx.tx }

//go:embed migrations
var migrations embed.FS

// Open opens the database named by dsn: a postgres:// or postgresql:// URL, or
// else the path of a SQLite file (created if missing, with its folder).
func Open(ctx context.Context, dsn string) (*Store, error) {
	var (
		db     *sql.DB
		engine Engine
		err    error
	)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		engine = Postgres
		db, err = openPostgres(dsn)
		if err == nil {
			db.SetMaxOpenConns(20)
			db.SetMaxIdleConns(10)
			db.SetConnMaxIdleTime(5 * time.Minute)
		}
	} else {
		engine = SQLite
		path := strings.TrimPrefix(dsn, "sqlite://")
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("store: data folder: %w", err)
			}
		}
		db, err = sql.Open("sqlite", "file:"+path+"?"+sqliteOptions()+"&_pragma=wal_autocheckpoint(0)")
		if err == nil {
			// One connection: SQLite has one writer at a time anyway, and a single
			// connection makes every transaction strictly serial, with no
			// SQLITE_BUSY to retry (the job queue shares it; see MACHINE-NOTES).
			db.SetMaxOpenConns(1)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", engine, err)
	}
	read := db
	if engine == SQLite {
		// Readers on their own connections: in WAL mode they never wait for the
		// writer nor it for them, and each sees every committed transaction.
		path := strings.TrimPrefix(dsn, "sqlite://")
		if read, err = sql.Open("sqlite", "file:"+path+"?"+sqliteOptions()+"&_query_only=1"); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: open readers: %w", err)
		}
		read.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
		read.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	}
	st := &Store{queries: queries{q: read, engine: engine}, db: db, read: read}
	if engine == SQLite {
		if st.checkpoints, err = startCheckpointer(strings.TrimPrefix(dsn, "sqlite://")); err != nil {
			read.Close()
			db.Close()
			return nil, fmt.Errorf("store: open the checkpointer: %w", err)
		}
		st.writes, st.reads = newStmtCache(db, true), newStmtCache(read, false)
		st.queries.q = cachedDB{DB: read, cache: st.reads}
	}
	return st, nil
}

// sqliteOptions: write-ahead log, foreign keys, a busy timeout, durable commits
// (synchronous=FULL: a committed transaction survives a crash of the machine,
// not only of the process), times written in one sortable UTC text form, and
// transactions that take the write lock at BEGIN.
func sqliteOptions() string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_foreign_keys", "1")
	v.Set("_busy_timeout", "10000")
	v.Set("_synchronous", "FULL")
	v.Set("_time_format", "sqlite")
	v.Set("_timezone", "UTC")
	v.Set("_txlock", "immediate")
	// Pages through a memory map of the file, not read(2) into each
	// connection's small page cache: on a large catalogue the readers spent
	// half their time in system calls, and four answered no more than one.
	v.Add("_pragma", "mmap_size(2147418112)")
	// Statement journals in memory: every write runs inside a SAVEPOINT of
	// the group commit, and SQLite copies each page it first touches under a
	// savepoint to the statement journal — a temporary file by default, so a
	// pwrite(2) a page, a sixth of checkout's CPU. The journal only undoes a
	// savepoint inside a transaction; durability stays with the WAL.
	v.Add("_pragma", "temp_store(2)")
	return v.Encode()
}

// openPostgres opens a pool through pgx whose times scan in UTC, as SQLite's do.
func openPostgres(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	return stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(func(_ context.Context, c *pgx.Conn) error {
		c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	})), nil
}

// Engine says which engine the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// DB returns the connection pool (for the job queue).
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error {
	s.stopCommitter()
	if s.checkpoints != nil {
		s.checkpoints.close()
	}
	if s.writes != nil {
		s.writes.close()
		s.reads.close()
	}
	if s.read != s.db {
		s.read.Close()
	}
	return s.db.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// Write runs fn in a transaction: committed if fn returns nil, rolled back
// otherwise (and on panic).
//
// On SQLite, concurrent calls are committed together (see groupcommit.go).
func (s *Store) Write(ctx context.Context, fn func(tx *Tx) error) (err error) {
	if s.engine == SQLite {
		return s.writeGrouped(ctx, fn)
	}
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if v := recover(); v != nil {
			_ = sqlTx.Rollback()
			panic(v)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	tx := &Tx{queries: queries{q: sqlTx, engine: s.engine}, tx: sqlTx}
	if err = fn(tx); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// RiverDriver returns the job queue's driver for this engine. Both work on the
// same *sql.DB, so a job is inserted in the transaction of the change that
// caused it.
func (s *Store) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if s.engine == Postgres {
		return riverdatabasesql.New(s.db)
	}
	return riversqlite.New(s.db)
}

// Migrate brings the schema up to date: cloudmart's own migrations (numbered,
// embedded, one transaction each), then the job queue's. It returns the
// versions it applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	if s.engine == Postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, err
	}
	// Out of order: a migration numbered below one already applied (two
	// branches of work landing in the other order) is applied late rather
	// than refused. Migrations are independent of each other's order beyond
	// what their numbers say they build on.
	opts := []goose.ProviderOption{goose.WithAllowOutofOrder(true)}
	if s.engine == SQLite {
		opts = append(opts, goose.WithGoMigrations(sqliteGoMigrations...))
	}
	p, err := goose.NewProvider(dialect, s.db, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	var applied []string
	for _, r := range results {
		applied = append(applied, r.Source.Path)
	}
	m, err := rivermigrate.New(s.RiverDriver(), nil)
	if err != nil {
		return nil, fmt.Errorf("store: job queue migrations: %w", err)
	}
	rr, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return nil, fmt.Errorf("store: migrate job queue: %w", err)
	}
	for _, v := range rr.Versions {
		applied = append(applied, fmt.Sprintf("river/%03d", v.Version))
	}
	return applied, nil
}

// errNoRows reports whether err is sql.ErrNoRows.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// placeholder returns the n-th positional placeholder ($n in both engines), for
// queries built with a variable number of arguments.
func placeholder(n int) string { return "$" + strconv.Itoa(n) }

// inList is the placeholders of an IN list of ids ("$1, $2, $3") and its
// arguments.
func inList(ids []string) (string, []any) {
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = placeholder(i+1), id
	}
	return strings.Join(marks, ", "), args
}

// prefixed is a list of columns ("id, state") each named with a table's
// alias ("k.id, k.state"), for a join.
func prefixed(alias, columns string) string {
	names := strings.Split(columns, ",")
	for i, n := range names {
		names[i] = alias + "." + strings.TrimSpace(n)
	}
	return strings.Join(names, ", ")
}

// insertRows inserts rows into table with one statement, INSERT INTO table
// (columns) VALUES (…), (…) suffix: cheaper than a statement a row in the
// busiest transactions (an order's lines, a posting's entries). Each row has
// one value per column; suffix may hold an ON CONFLICT clause.
func insertRows(ctx context.Context, q querier, table, columns string, rows [][]any, suffix string) (sql.Result, error) {
	return q.ExecContext(ctx, insertText(table, columns, len(rows[0]), len(rows), suffix), flat(rows)...)
}

// insertText is the statement of insertRows for n rows of width values.
func insertText(table, columns string, width, n int, suffix string) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + columns + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range width {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(placeholder(i*width + j + 1))
		}
		b.WriteByte(')')
	}
	b.WriteString(suffix)
	return b.String()
}

// flat is the values of rows, row after row.
func flat(rows [][]any) []any {
	var out []any
	for _, row := range rows {
		out = append(out, row...)
	}
	return out
}

// maxRun is the most rows runs puts in one statement.
const maxRun = 64

// runs splits rows into runs for multi-row statements: as many of maxRun
// as fit, then the rest by the binary digits of its length, largest first
// (37 rows: 32, 4, 1). A statement's text depends on its number of rows, and
// so there are few texts to prepare (stmtcache.go).
func runs[T any](rows []T) iter.Seq[[]T] {
	return func(yield func([]T) bool) {
		for len(rows) > 0 {
			n := maxRun
			for n > len(rows) {
				n /= 2
			}
			if !yield(rows[:n]) {
				return
			}
			rows = rows[n:]
		}
	}
}

// scanner is a row being read: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// list runs a query and scans every row with scan.
func list[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
