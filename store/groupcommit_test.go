package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// TestConcurrentWritesKeepTheirOutcome: many writes at once (grouped into
// shared commits on SQLite): every one that returned nil is there, every one
// that failed left nothing, a panic reaches its caller only.
func TestConcurrentWritesKeepTheirOutcome(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		errOdd := errors.New("odd ones fail")
		var wg sync.WaitGroup
		orgIDs := make([]string, 200)
		results := make([]error, 200)
		for i := range orgIDs {
			orgIDs[i] = ids.New("org")
			wg.Go(func() {
				results[i] = st.Write(ctx, func(tx *store.Tx) error {
					if err := tx.CreateOrg(ctx, account.Org{ID: orgIDs[i], Kind: account.KindSeller, Name: fmt.Sprint("Org ", i), CreatedAt: t0}); err != nil {
						return err
					}
					if i%2 == 1 {
						return errOdd // after its insert: the insert must go
					}
					return nil
				})
			})
		}
		panicked := make(chan any, 1)
		wg.Go(func() {
			defer func() { panicked <- recover() }()
			_ = st.Write(ctx, func(tx *store.Tx) error {
				if err := tx.CreateOrg(ctx, account.Org{ID: "org_panic", Kind: account.KindSeller, Name: "Panic", CreatedAt: t0}); err != nil {
					return err
				}
				panic("boom")
			})
		})
		wg.Wait()
		if v := <-panicked; v != "boom" {
			t.Errorf("the panic reached its caller as %v", v)
		}
		for i, id := range orgIDs {
			_, err := st.Org(ctx, id)
			switch {
			case i%2 == 0 && (results[i] != nil || err != nil):
				t.Fatalf("write %d: %v; read: %v", i, results[i], err)
			case i%2 == 1 && (!errors.Is(results[i], errOdd) || err == nil):
				t.Fatalf("failed write %d: %v; its org was kept: %v", i, results[i], err == nil)
			}
		}
		if _, err := st.Org(ctx, "org_panic"); err == nil {
			t.Error("the panicking write was kept")
		}
	})
}
