package store_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// TestLogStartsOverUnderLoad: with readers always at work, SQLite's log
// would grow for as long as writes go on; the checkpointer starts it over
// once it passes its size.
func TestLogStartsOverUnderLoad(t *testing.T) {
	defer store.SetCheckpoints(50*time.Millisecond, 64)()
	dsn := storetest.DSN(t, store.SQLite)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 4 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					_, _ = st.Org(ctx, "org_none")
				}
			}
		})
	}
	name := strings.Repeat("名", 1000) // about a page of log a write
	largest, writes := int64(0), int64(0)
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); {
		err := st.Write(ctx, func(tx *store.Tx) error {
			return tx.CreateOrg(ctx, account.Org{ID: ids.New("org"), Kind: account.KindSeller, Name: name, CreatedAt: t0})
		})
		if err != nil {
			t.Fatal(err)
		}
		writes++
		if fi, err := os.Stat(dsn + "-wal"); err == nil {
			largest = max(largest, fi.Size())
		}
	}
	close(stop)
	readers.Wait()
	// Left to grow, the log holds every page each write changed (about six
	// here: 26 KB a write); started over past 64 pages, it holds what came
	// between two ticks of the checkpointer, or a few when a start over had
	// to wait (about 4 KB a write here).
	if largest > writes*12<<10 {
		t.Fatalf("the log grew to %d bytes in %d writes", largest, writes)
	}
}
