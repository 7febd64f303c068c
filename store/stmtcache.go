package store

import (
	"context"
	"database/sql"
	"sync"
)

// Prepared statements (SQLite). database/sql has the modernc driver parse and
// plan every statement each time it runs; on a busy marketplace a third of
// the writer's time went to parsing the same few dozen statements. So the
// store keeps statements prepared, by their text: a *sql.Stmt prepares itself
// once on each connection it runs on, and a transaction reuses the one of its
// connection. (pgx keeps its own statement cache for PostgreSQL.)

// maxCached bounds the statements kept: the store's fixed texts are far fewer;
// texts built per query (a search's filters, an IN list of a page) beyond the
// bound just run unprepared.
const maxCached = 512

type stmtCache struct {
	db *sql.DB
	// later: prepare misses later (prepareWanted), not at once. The writer has
	// one connection, held by the transaction that misses: preparing on the
	// pool then would wait for it forever.
	later  bool
	mu     sync.RWMutex
	m      map[string]*sql.Stmt
	wanted map[string]bool
}

func newStmtCache(db *sql.DB, later bool) *stmtCache {
	return &stmtCache{db: db, later: later, m: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// get returns the statement prepared for the text, nil when the cache is full
// or it is not prepared (yet).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.RLock()
	st, ok := c.m[query]
	full := len(c.m) >= maxCached
	c.mu.RUnlock()
	if ok || full {
		return st
	}
	if c.later {
		c.mu.Lock()
		c.wanted[query] = true
		c.mu.Unlock()
		return nil
	}
	return c.prepare(ctx, query)
}

// prepareWanted prepares the statements that missed, while the writer's
// connection is free.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.Lock()
	wanted := c.wanted
	c.wanted = map[string]bool{}
	c.mu.Unlock()
	for q := range wanted {
		c.prepare(ctx, q)
	}
}

func (c *stmtCache) prepare(ctx context.Context, query string) *sql.Stmt {
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil // let it run unprepared, and fail there with its own error
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if have, ok := c.m[query]; ok {
		st.Close()
		return have
	}
	if len(c.m) >= maxCached {
		st.Close()
		return nil
	}
	c.m[query] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}

// cachedDB reads through a pool with the cache.
type cachedDB struct {
	*sql.DB
	cache *stmtCache
}

func (d cachedDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := d.cache.get(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return d.DB.ExecContext(ctx, query, args...)
}

func (d cachedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := d.cache.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return d.DB.QueryContext(ctx, query, args...)
}

func (d cachedDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := d.cache.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return d.DB.QueryRowContext(ctx, query, args...)
}

// cachedTx runs a transaction's statements with the writer's cache.
type cachedTx struct {
	*sql.Tx
	cache *stmtCache
}

func (t cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.cache.get(ctx, query); st != nil {
		return t.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.cache.get(ctx, query); st != nil {
		return t.Tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.cache.get(ctx, query); st != nil {
		return t.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}
