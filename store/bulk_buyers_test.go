package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// bulkBuyers are n buyers with fresh tokens and balances of level, and their
// tokens' secrets.
func bulkBuyers(n int, level money.Amount) ([]store.BulkBuyer, []string) {
	var out []store.BulkBuyer
	var secrets []string
	for i := range n {
		secret := account.NewTokenSecret()
		b := store.BulkBuyer{OrgID: fmt.Sprintf("org_bulk%03d", i), Name: fmt.Sprintf("Buyer %d", i),
			UserID: fmt.Sprintf("usr_bulk%03d", i), Email: fmt.Sprintf("buyer%03d@bulk.invalid", i),
			Token:     account.Token{ID: ids.New("tok"), Kind: account.TokenPersonal, Name: "bench", CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)},
			TokenHash: account.HashToken(secret), Balance: level}
		b.Token.UserID = b.UserID
		out, secrets = append(out, b), append(secrets, secret)
	}
	return out, secrets
}

func TestBulkBuyers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		level := money.New(1_000_000_00, money.CNY)
		// More than a batch, so two transactions.
		buyers, secrets := bulkBuyers(store.DefaultBulkBatch+3, level)
		rep, err := st.BulkBuyers(ctx, buyers)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != len(buyers) || rep.ToppedUp != len(buyers) || rep.Posted.Minor != int64(len(buyers))*level.Minor {
			t.Fatalf("report %+v", rep)
		}
		last := buyers[len(buyers)-1]
		tok, err := st.TokenByHash(ctx, account.HashToken(secrets[len(secrets)-1]), t0)
		if err != nil || tok.UserID != last.UserID || tok.Kind != account.TokenPersonal {
			t.Fatalf("token: %+v %v", tok, err)
		}
		ms, err := st.Memberships(ctx, last.UserID)
		if err != nil || len(ms) != 1 || ms[0].OrgID != last.OrgID || ms[0].Role != account.RoleBuyer {
			t.Fatalf("memberships: %+v %v", ms, err)
		}
		org, err := st.Org(ctx, last.OrgID)
		if err != nil || org.Kind != account.KindCustomer {
			t.Fatalf("org: %+v %v", org, err)
		}

		// The first buyer spends; a second run only issues tokens and tops that
		// one balance up again, by what it spent.
		spent := money.New(12_345, money.CNY)
		err = st.Write(ctx, func(tx *store.Tx) error {
			return tx.Post(ctx, ledger.Posting{ID: ids.New("pst"), Kind: ledger.Payment, Ref: "ord_x", CreatedAt: t0,
				Entries: []ledger.Entry{{Account: ledger.Customer(buyers[0].OrgID), Amount: spent.Neg()}, {Account: ledger.Commission, Amount: spent}}})
		})
		if err != nil {
			t.Fatal(err)
		}
		again, secrets2 := bulkBuyers(len(buyers), level)
		if rep, err = st.BulkBuyers(ctx, again); err != nil {
			t.Fatal(err)
		}
		if rep.Created != 0 || rep.ToppedUp != 1 || rep.Posted != spent {
			t.Fatalf("second report %+v", rep)
		}
		if _, err := st.TokenByHash(ctx, account.HashToken(secrets2[0]), t0); err != nil {
			t.Fatalf("second token: %v", err)
		}
		bs, err := st.Balances(ctx, buyers[0].OrgID)
		if err != nil || len(bs) != 1 || bs[0].Amount != level {
			t.Fatalf("balances %+v %v", bs, err)
		}
		c, err := st.CheckLedger(ctx)
		if err != nil || !c.Balanced() || c.Postings != len(buyers)+2 {
			t.Fatalf("ledger %+v %v", c, err)
		}
	})
}

func TestTallyOrders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		buyers, _ := bulkBuyers(1, money.New(100_00, money.CNY))
		if _, err := st.BulkBuyers(ctx, buyers); err != nil {
			t.Fatal(err)
		}
		b := buyers[0]
		paid := money.New(10_00, money.CNY)
		place := func(at time.Time, payments int) string {
			o := order.Order{ID: ids.New("ord"), BuyerOrgID: b.OrgID, BuyerUserID: b.UserID, Kind: order.New, Channel: "direct", State: order.Paid,
				Quote: order.Quote{Currency: money.CNY, List: paid, Discount: money.New(0, money.CNY), Payable: paid}, PlacedAt: at, PaidAt: at}
			err := st.Write(ctx, func(tx *store.Tx) error {
				if err := tx.CreateOrder(ctx, o, "", ""); err != nil {
					return err
				}
				for range payments {
					if err := tx.Post(ctx, ledger.Posting{ID: ids.New("pst"), Kind: ledger.Payment, Ref: o.ID, CreatedAt: at,
						Entries: []ledger.Entry{{Account: ledger.Customer(b.OrgID), Amount: paid.Neg()}, {Account: ledger.Commission, Amount: paid}}}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		place(t0.Add(-time.Second), 1) // before: not counted
		place(t0, 1)
		place(t0.Add(time.Millisecond), 1)
		tally, err := st.TallyOrders(ctx, t0)
		if err != nil || tally != (store.OrderTally{Orders: 2, Paid: 2}) {
			t.Fatalf("tally %+v %v", tally, err)
		}
		place(t0.Add(2*time.Millisecond), 2)
		place(t0.Add(3*time.Millisecond), 0)
		tally, err = st.TallyOrders(ctx, t0)
		if err != nil || tally != (store.OrderTally{Orders: 4, Paid: 4, NotPaidOnce: 2}) {
			t.Fatalf("tally %+v %v", tally, err)
		}
	})
}
