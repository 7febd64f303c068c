package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// laterOrgs hands the creation of organisations to tx.Later and records
// each flush's names.
type laterOrgs struct {
	flushes [][]string
	fail    string // a name whose flush fails
}

var errFlush = errors.New("the flush fails")

func (l *laterOrgs) add(tx *store.Tx, name string) error {
	return tx.Later(context.Background(), "orgs", name, func(ctx context.Context, tx *store.Tx, items []any) error {
		var names []string
		for _, item := range items {
			names = append(names, item.(string))
		}
		l.flushes = append(l.flushes, names)
		for _, n := range names {
			if n == l.fail {
				return errFlush
			}
			if err := tx.CreateOrg(ctx, account.Org{ID: "org_" + n, Kind: account.KindSeller, Name: n, CreatedAt: t0}); err != nil {
				return err
			}
		}
		return nil
	})
}

func orgsThere(t *testing.T, st *store.Store, names ...string) []string {
	t.Helper()
	var there []string
	for _, n := range names {
		if _, err := st.Org(context.Background(), "org_"+n); err == nil {
			there = append(there, n)
		}
	}
	return there
}

// TestLaterWrites: writes handed to tx.Later are made before the transaction
// commits, and only with it: together in SQLite's group commit, at once on
// PostgreSQL.
func TestLaterWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		l := &laterOrgs{fail: "bad"}
		err := st.Write(ctx, func(tx *store.Tx) error {
			if err := l.add(tx, "a"); err != nil {
				return err
			}
			if err := tx.Flush(ctx, "orgs"); err != nil { // made now: the rest of the change sees it
				return err
			}
			if _, err := tx.Org(ctx, "org_a"); err != nil {
				return err
			}
			return errors.Join(l.add(tx, "b"), l.add(tx, "c"))
		})
		if err != nil || !slices.Equal(orgsThere(t, st, "a", "b", "c"), []string{"a", "b", "c"}) {
			t.Fatalf("write: %v; there: %v", err, orgsThere(t, st, "a", "b", "c"))
		}
		want := "[[a] [b c]]" // together, before the commit
		if st.Engine() == store.Postgres {
			want = "[[a] [b] [c]]" // at once
		}
		if got := fmt.Sprint(l.flushes); got != want {
			t.Fatalf("flushes %s, want %s", got, want)
		}

		errChange := errors.New("the change fails")
		if err := st.Write(ctx, func(tx *store.Tx) error { return errors.Join(l.add(tx, "d"), errChange) }); !errors.Is(err, errChange) {
			t.Fatal(err)
		}
		if err := st.Write(ctx, func(tx *store.Tx) error { return errors.Join(l.add(tx, "e"), l.add(tx, "bad")) }); !errors.Is(err, errFlush) {
			t.Fatalf("a failing flush: %v", err)
		}
		if there := orgsThere(t, st, "d", "e"); len(there) != 0 {
			t.Fatalf("kept from failed writes: %v", there)
		}
	})
}

// TestLaterWritesInAGroup: in SQLite's group commit, a call's later writes
// go with its savepoint; those of the calls before it that it made go back
// to pending when it fails; a flush failing at the end fails the group.
func TestLaterWritesInAGroup(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	l := &laterOrgs{fail: "bad"}
	errCall := errors.New("the call fails")
	sawA := false
	errs := store.Group(st,
		func(tx *store.Tx) error { return l.add(tx, "a") },
		func(tx *store.Tx) error {
			if err := tx.Flush(ctx, "orgs"); err != nil { // makes a's, inside this call
				return err
			}
			_, err := tx.Org(ctx, "org_a")
			sawA = err == nil
			return errors.Join(l.add(tx, "b"), errCall) // rolls back a's too: a is pending again
		},
		func(tx *store.Tx) error { return l.add(tx, "c") },
	)
	if errs[0] != nil || !errors.Is(errs[1], errCall) || errs[2] != nil || !sawA {
		t.Fatalf("answers %v; the second saw a: %v", errs, sawA)
	}
	if there := orgsThere(t, st, "a", "b", "c"); !slices.Equal(there, []string{"a", "c"}) {
		t.Fatalf("there: %v, want a and c", there)
	}
	if len(l.flushes) != 2 || !slices.Equal(l.flushes[1], []string{"a", "c"}) {
		t.Fatalf("flushes %v, want [a] then [a c]", l.flushes)
	}

	d := ids.New("org")
	errs = store.Group(st,
		func(tx *store.Tx) error { return l.add(tx, "bad") },
		func(tx *store.Tx) error {
			return tx.CreateOrg(ctx, account.Org{ID: d, Kind: account.KindSeller, Name: "D", CreatedAt: t0})
		},
	)
	if !errors.Is(errs[0], errFlush) || !errors.Is(errs[1], errFlush) {
		t.Fatalf("a failing flush at the end: %v", errs)
	}
	if _, err := st.Org(ctx, d); err == nil {
		t.Fatal("a group whose flush failed was committed")
	}
}
