package store

import (
	"context"
	"slices"
)

// Writes made together, later in the transaction. Some writes cost far less
// made as one statement for many rows than one by one: the campaign ledger
// entries of the orders a group commit places, say (each would be two
// statements and a read of its own). A change hands such a write to
// tx.Later, with the function that makes every pending write of its kind at
// once; they are made in the same transaction, after the change and before
// COMMIT, so they commit with it or not at all. A change that is about to
// read what a kind writes asks for it first (tx.Flush), so that it sees the
// changes before it as if each had been committed alone.
//
// Only SQLite's group commit (groupcommit.go) runs many changes in one
// transaction; there the pending writes of a call that fails are dropped with
// its savepoint, and those of the calls before it that it flushed are pending
// again (its rollback undid them). A transaction of one change (PostgreSQL's)
// has nothing to gather: Later makes the write at once, where the change
// asks for it, so that it holds no row longer than before.

// LaterFunc makes the pending writes of one kind, in the order they were
// handed over, in tx.
type LaterFunc func(ctx context.Context, tx *Tx, items []any) error

type laterKind struct {
	name  string
	items []any
	flush LaterFunc
}

// later is a transaction's pending writes, by kind in the order first asked.
type later []laterKind

// Later hands a write to be made later in the transaction, with the others
// of its kind, by flush (at once outside a group commit: flush's error).
func (tx *Tx) Later(ctx context.Context, kind string, item any, flush LaterFunc) error {
	if !tx.grouped {
		return flush(ctx, tx, []any{item})
	}
	for i := range tx.later {
		if tx.later[i].name == kind {
			tx.later[i].items = append(tx.later[i].items, item)
			return nil
		}
	}
	tx.later = append(tx.later, laterKind{name: kind, items: []any{item}, flush: flush})
	return nil
}

// Flush makes the pending writes of a kind now.
func (tx *Tx) Flush(ctx context.Context, kind string) error {
	for i := range tx.later {
		if k := tx.later[i]; k.name == kind && len(k.items) > 0 {
			if err := k.flush(ctx, tx, k.items); err != nil {
				return err
			}
			tx.later[i].items = nil
		}
	}
	return nil
}

// flushAll makes every pending write, kind by kind, before COMMIT, until
// none is left (a flush may hand over writes of its own).
func (tx *Tx) flushAll(ctx context.Context) error {
	for {
		i := slices.IndexFunc(tx.later, func(k laterKind) bool { return len(k.items) > 0 })
		if i < 0 {
			return nil
		}
		if err := tx.Flush(ctx, tx.later[i].name); err != nil {
			return err
		}
	}
}

// mark is a snapshot of the pending writes, for back: a copy of the kinds
// (appends to a kind's items never write where a copy reads).
func (tx *Tx) mark() later { return slices.Clone(tx.later) }

// back returns to the pending writes of a mark, when what came after it was
// rolled back.
func (tx *Tx) back(m later) { tx.later = m }
