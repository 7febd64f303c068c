package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// Every change of state opens or closes the instance's run, to the second;
// runs are metered once; hours are recorded once; a month's hours are rated
// once and its ratings numbered, so two at once never both charge.
func TestInstanceRunsHoursAndCharges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o, in := imageOrder(t, st, 2)
		in = addInstance(t, st, in)
		second := in
		second.ID, second.UnitNo = ids.New("ins"), 2
		second = addInstance(t, st, second)
		write := func(fn func(tx *store.Tx) error) {
			t.Helper()
			if err := st.Write(ctx, fn); err != nil {
				t.Fatal(err)
			}
		}
		move := func(in *store.Instance, state store.InstanceState, at time.Time) {
			t.Helper()
			was := in.UpdatedAt
			in.State, in.UpdatedAt = state, at
			write(func(tx *store.Tx) error { return tx.SaveInstance(ctx, *in, was) })
		}
		runs := func(id string) []store.InstanceRun {
			t.Helper()
			rs, err := st.InstanceRuns(ctx, id, t0.Add(-time.Hour), t0.Add(48*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			return rs
		}
		sec := t0.Truncate(time.Second) // t0 has a fraction of a second

		move(&in, store.InstanceRunning, t0)
		in.Address = "203.0.113.1"
		move(&in, store.InstanceRunning, t0.Add(time.Minute)) // still running: the same run
		move(&in, store.InstanceStopped, t0.Add(2*time.Hour))
		move(&in, store.InstanceRunning, t0.Add(3*time.Hour))
		want := []store.InstanceRun{{InstanceID: in.ID, Start: sec, Stop: sec.Add(2 * time.Hour)}, {InstanceID: in.ID, Start: sec.Add(3 * time.Hour)}}
		if got := runs(in.ID); !reflect.DeepEqual(got, want) {
			t.Fatalf("runs\n%+v, want\n%+v", got, want)
		}
		// Stopped and started again within the second it started: one run goes on.
		move(&second, store.InstanceRunning, t0)
		move(&second, store.InstanceStopped, t0.Add(100*time.Millisecond))
		move(&second, store.InstanceRunning, t0.Add(200*time.Millisecond))
		if got := runs(second.ID); len(got) != 1 || !got[0].Start.Equal(sec) || !got[0].Stop.IsZero() {
			t.Fatalf("runs within a second %+v", got)
		}
		move(&second, store.InstanceDeleted, t0.Add(30*time.Minute))
		if got := runs(second.ID); len(got) != 1 || !got[0].Stop.Equal(sec.Add(30*time.Minute)) {
			t.Fatalf("a deleted instance's run %+v", got)
		}

		unmetered := func(after string) []string {
			t.Helper()
			got, err := st.UnmeteredInstances(ctx, after, 10)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := unmetered(""); len(got) != 2 {
			t.Fatalf("unmetered %v", got)
		}
		first := min(in.ID, second.ID)
		if got := unmetered(first); len(got) != 1 || got[0] == first {
			t.Fatalf("unmetered after %s: %v", first, got)
		}
		// Metered until t0+2h: the first run is done, the open one is not.
		write(func(tx *store.Tx) error { return tx.MeterRuns(ctx, in.ID, sec.Add(2*time.Hour)) })
		if got, err := st.UnmeteredRuns(ctx, in.ID); err != nil || len(got) != 1 || !got[0].Start.Equal(sec.Add(3*time.Hour)) {
			t.Fatalf("unmetered runs %+v %v", got, err)
		}
		write(func(tx *store.Tx) error { return tx.SkipRuns(ctx, second.ID) })
		if got := unmetered(""); len(got) != 1 || got[0] != in.ID {
			t.Fatalf("unmetered after skipping %v", got)
		}

		// Hours, each once.
		h := t0.Truncate(time.Hour)
		hours := []store.InstanceHour{
			{InstanceID: in.ID, Hour: h, Period: "2026-11", Seconds: 1770},
			{InstanceID: in.ID, Hour: h.Add(time.Hour), Period: "2026-11", Seconds: 3600},
		}
		var added int
		write(func(tx *store.Tx) (err error) { added, err = tx.AddInstanceHours(ctx, hours); return err })
		if added != 2 {
			t.Fatalf("added %d hours", added)
		}
		write(func(tx *store.Tx) (err error) { added, err = tx.AddInstanceHours(ctx, hours); return err })
		if added != 0 {
			t.Fatalf("added %d hours again", added)
		}
		if last, ok, err := st.LastInstanceHour(ctx, in.ID); err != nil || !ok || !last.Equal(h.Add(time.Hour)) {
			t.Fatalf("last hour %s %v %v", last, ok, err)
		}
		if _, ok, err := st.LastInstanceHour(ctx, second.ID); err != nil || ok {
			t.Fatalf("an instance without hours %v %v", ok, err)
		}

		m := store.InstanceMonth{InstanceID: in.ID, Period: "2026-11"}
		if got, err := st.UnratedInstanceMonths(ctx, store.InstanceMonth{}, 10); err != nil || !reflect.DeepEqual(got, []store.InstanceMonth{m}) {
			t.Fatalf("unrated months %+v %v", got, err)
		}
		if got, err := st.UnratedInstanceMonths(ctx, m, 10); err != nil || len(got) != 0 {
			t.Fatalf("unrated months after %+v: %+v %v", m, got, err)
		}
		take := func() (int, int64) {
			t.Helper()
			var n int
			var secs int64
			write(func(tx *store.Tx) (err error) { n, secs, err = tx.TakeUnratedHours(ctx, m); return err })
			return n, secs
		}
		if n, secs := take(); n != 2 || secs != 5370 {
			t.Fatalf("took %d hours, %d s", n, secs)
		}
		if n, secs := take(); n != 0 || secs != 5370 {
			t.Fatalf("took %d hours again, %d s", n, secs)
		}
		if got, err := st.MonthHours(ctx, m); err != nil || len(got) != 2 || !got[1].Rated || got[0].Seconds != 1770 {
			t.Fatalf("month hours %+v %v", got, err)
		}

		c := store.InstanceCharge{ID: ids.New("ich"), InstanceID: in.ID, OrderID: o.ID, LineNo: 1, ProductID: in.ProductID, BuyerOrgID: in.BuyerOrgID,
			SellerOrgID: in.SellerOrgID, Period: "2026-11", Seq: 1, Seconds: 5370, Quantity: 2, Cost: money.New(400, money.CNY),
			Amount: money.New(400, money.CNY), PostingID: "pst_1", RatedAt: t0.Add(3 * time.Hour).Truncate(time.Microsecond)}
		write(func(tx *store.Tx) error { return tx.AddInstanceCharge(ctx, c) })
		again := c
		again.ID = ids.New("ich")
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.AddInstanceCharge(ctx, again) }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("a second rating numbered 1: %v", err)
		}
		if got, ok, err := st.LastInstanceCharge(ctx, m); err != nil || !ok || !reflect.DeepEqual(got, c) {
			t.Fatalf("last charge\n%+v %v %v, want\n%+v", got, ok, err, c)
		}
		if got, err := st.MonthCharges(ctx, m); err != nil || len(got) != 1 || got[0].ID != c.ID {
			t.Fatalf("month charges %+v %v", got, err)
		}
		rec, err := st.SellerInstanceHours(ctx, in.SellerOrgID, "2026-11")
		wantRec := []store.HoursReconciliation{{InstanceID: in.ID, OrderID: o.ID, LineNo: 1, UnitNo: 1, ProductID: in.ProductID, Period: "2026-11",
			Seconds: 5370, Quantity: 2, Charged: money.New(400, money.CNY)}}
		if err != nil || !reflect.DeepEqual(rec, wantRec) {
			t.Fatalf("reconciliation\n%+v %v, want\n%+v", rec, err, wantRec)
		}
		if rec, err := st.SellerInstanceHours(ctx, in.BuyerOrgID, "2026-11"); err != nil || len(rec) != 0 {
			t.Fatalf("another seller's reconciliation %+v %v", rec, err)
		}
	})
}

// An instance running before runs were kept is counted from its adoption.
func TestAdoptRunning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, in := imageOrder(t, st, 1)
		in.State = store.InstanceRunning
		in = addInstance(t, st, in) // as if it ran before migration 00018
		adopt := func(at time.Time) int {
			t.Helper()
			var n int
			if err := st.Write(ctx, func(tx *store.Tx) (err error) { n, err = tx.AdoptRunning(ctx, at); return err }); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := adopt(t0.Add(time.Hour)); n != 1 {
			t.Fatalf("adopted %d", n)
		}
		if n := adopt(t0.Add(2 * time.Hour)); n != 0 {
			t.Fatalf("adopted %d again", n)
		}
		rs, err := st.InstanceRuns(ctx, in.ID, t0, t0.Add(3*time.Hour))
		if err != nil || len(rs) != 1 || !rs[0].Start.Equal(t0.Add(time.Hour).Truncate(time.Second)) || !rs[0].Stop.IsZero() {
			t.Fatalf("runs %+v %v", rs, err)
		}
	})
}
