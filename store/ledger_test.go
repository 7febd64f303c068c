package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// TestConcurrentPaymentsNeverOverdraw races 200 payments against a balance
// that covers exactly 120: 120 are posted, 80 refused, the balance ends at
// zero and the ledger balances.
func TestConcurrentPaymentsNeverOverdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		org := account.Org{ID: ids.New("org"), Kind: account.KindCustomer, Segment: account.SegmentDirect, Name: "Buyer", CreatedAt: t0}
		price := money.New(9900, money.CNY)
		top, _ := price.Times(120)
		err := st.Write(ctx, func(tx *store.Tx) error {
			if err := tx.CreateOrg(ctx, org); err != nil {
				return err
			}
			return tx.Post(ctx, ledger.Posting{ID: ids.New("pst"), Kind: ledger.TopUp, Ref: "bank-1", CreatedAt: t0,
				Entries: []ledger.Entry{{Account: ledger.Funding, Amount: top.Neg()}, {Account: ledger.Customer(org.ID), Amount: top}}})
		})
		if err != nil {
			t.Fatal(err)
		}
		var paid, refused atomic.Int64
		var wg sync.WaitGroup
		for i := range 200 {
			wg.Go(func() {
				err := st.Write(ctx, func(tx *store.Tx) error {
					return tx.Post(ctx, ledger.Posting{ID: ids.New("pst"), Kind: ledger.Payment, Ref: fmt.Sprint("order-", i), CreatedAt: t0,
						Entries: []ledger.Entry{{Account: ledger.Customer(org.ID), Amount: price.Neg()}, {Account: ledger.SellerPayable("s"), Amount: price}}})
				})
				var fe *fault.Error
				switch {
				case err == nil:
					paid.Add(1)
				case errors.As(err, &fe) && fe.Code == fault.InsufficientFunds:
					refused.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if paid.Load() != 120 || refused.Load() != 80 {
			t.Errorf("paid %d, refused %d; want 120 and 80", paid.Load(), refused.Load())
		}
		bs, err := st.Balances(ctx, org.ID)
		if err != nil || len(bs) != 1 || bs[0].Amount != money.New(0, money.CNY) {
			t.Errorf("balances %+v, %v; want CNY 0", bs, err)
		}
		check, err := st.CheckLedger(ctx)
		if err != nil || !check.Balanced() || check.Postings != 121 {
			t.Errorf("ledger %+v, %v", check, err)
		}
	})
}

func TestUnbalancedPostingChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		err := st.Write(ctx, func(tx *store.Tx) error {
			return tx.Post(ctx, ledger.Posting{ID: ids.New("pst"), Kind: ledger.TopUp, CreatedAt: t0,
				Entries: []ledger.Entry{{Account: ledger.Funding, Amount: money.New(-5, money.CNY)}, {Account: ledger.Customer("nobody"), Amount: money.New(4, money.CNY)}}})
		})
		if err == nil {
			t.Fatal("an unbalanced posting was recorded")
		}
		if check, err := st.CheckLedger(ctx); err != nil || check.Postings != 0 {
			t.Errorf("%+v %v", check, err)
		}
	})
}
