package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/audit"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m, "store")) }

var t0 = time.Date(2026, 11, 25, 8, 30, 0, 123456000, time.UTC)

// mustUser creates a user and a customer organisation where it is a buyer.
func mustUser(tb testing.TB, st *store.Store, email string) (account.User, account.Org) {
	tb.Helper()
	ctx := context.Background()
	u := account.User{ID: ids.New("usr"), Email: email, DisplayName: "Test " + email, CreatedAt: t0}
	o := account.Org{ID: ids.New("org"), Kind: account.KindCustomer, Name: "Org of " + email, Segment: account.SegmentDirect, CreatedAt: t0}
	err := st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, u, "hash-"+email); err != nil {
			return err
		}
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		return tx.AddMembership(ctx, o.ID, u.ID, account.RoleBuyer, t0)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return u, o
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		applied, err := st.Migrate(context.Background())
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %v, %v", applied, err)
		}
	})
}

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, o := mustUser(t, st, "ann@example.com")
		got, err := st.User(ctx, u.ID)
		if err != nil || got != u {
			t.Fatalf("User = %+v, %v; want %+v", got, err, u)
		}
		got, hash, err := st.UserByEmail(ctx, "ANN@example.com")
		if err != nil || got.ID != u.ID || hash != "hash-ann@example.com" {
			t.Fatalf("UserByEmail = %+v %q %v", got, hash, err)
		}
		if _, _, err := st.UserByEmail(ctx, "nobody@example.com"); !fault.Is(err, fault.NotFound) {
			t.Fatalf("unknown email: %v", err)
		}
		ms, err := st.Memberships(ctx, u.ID)
		if err != nil || len(ms) != 1 || ms[0] != (account.Membership{OrgID: o.ID, OrgName: o.Name, OrgKind: account.KindCustomer, Role: account.RoleBuyer}) {
			t.Fatalf("Memberships = %+v, %v", ms, err)
		}
	})
}

func TestDuplicateEmailIsAConflictAndChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		mustUser(t, st, "dup@example.com")
		orgID := ids.New("org")
		err := st.Write(ctx, func(tx *store.Tx) error {
			if err := tx.CreateOrg(ctx, account.Org{ID: orgID, Kind: account.KindSeller, Name: "X", CreatedAt: t0}); err != nil {
				return err
			}
			return tx.CreateUser(ctx, account.User{ID: ids.New("usr"), Email: "dup@example.com", DisplayName: "D", CreatedAt: t0}, "h")
		})
		e := fault.As(err)
		if e == nil || e.Code != fault.Conflict || e.Field != "email" {
			t.Fatalf("duplicate email: %v", err)
		}
		if _, err := st.Org(ctx, orgID); !fault.Is(err, fault.NotFound) {
			t.Fatalf("the org of the failed transaction was kept: %v", err)
		}
	})
}

func TestDuplicateMembershipIsAConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, o := mustUser(t, st, "m@example.com")
		err := st.Write(ctx, func(tx *store.Tx) error { return tx.AddMembership(ctx, o.ID, u.ID, account.RoleBuyer, t0) })
		if !fault.Is(err, fault.Conflict) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestOrgChecksAreEnforcedByTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for _, o := range []account.Org{
			{ID: ids.New("org"), Kind: account.KindCustomer, Name: "no segment", CreatedAt: t0},
			{ID: ids.New("org"), Kind: account.KindSeller, Name: "seller with segment", Segment: account.SegmentOther, CreatedAt: t0},
			{ID: ids.New("org"), Kind: "pirate", Name: "bad kind", CreatedAt: t0},
			{ID: ids.New("org"), Kind: account.KindCustomer, Name: "bad partner", Segment: account.SegmentOther, PartnerOrgID: "org_missing", CreatedAt: t0},
		} {
			if err := st.Write(ctx, func(tx *store.Tx) error { return tx.CreateOrg(ctx, o) }); err == nil {
				t.Errorf("%s: accepted", o.Name)
			}
		}
	})
}

func TestCustomersFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		am, _ := mustUser(t, st, "am@example.com")
		partner := account.Org{ID: ids.New("org"), Kind: account.KindPartner, Name: "Partner", CreatedAt: t0}
		a := account.Org{ID: ids.New("org"), Kind: account.KindCustomer, Name: "A managed", Segment: account.SegmentTelesales, AccountManagerID: am.ID, CreatedAt: t0}
		b := account.Org{ID: ids.New("org"), Kind: account.KindCustomer, Name: "B partnered", Segment: account.SegmentChannelPartner, PartnerOrgID: partner.ID, CreatedAt: t0}
		err := st.Write(ctx, func(tx *store.Tx) error {
			for _, o := range []account.Org{partner, a, b} {
				if err := tx.CreateOrg(ctx, o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		names := func(f store.CustomerFilter) []string {
			os, err := st.Customers(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var n []string
			for _, o := range os {
				n = append(n, o.Name)
			}
			return n
		}
		if got := names(store.CustomerFilter{AccountManagerID: am.ID}); len(got) != 1 || got[0] != "A managed" {
			t.Errorf("by account manager: %v", got)
		}
		if got := names(store.CustomerFilter{PartnerOrgIDs: []string{partner.ID}}); len(got) != 1 || got[0] != "B partnered" {
			t.Errorf("by partner: %v", got)
		}
		if got := names(store.CustomerFilter{All: true}); len(got) != 3 {
			t.Errorf("all: %v", got)
		}
		if got := names(store.CustomerFilter{}); len(got) != 0 {
			t.Errorf("none: %v", got)
		}
		b.Segment, b.PartnerOrgID, b.AccountManagerID = account.SegmentOther, "", am.ID
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.UpdateCustomer(ctx, b, t0) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Org(ctx, b.ID); got != b {
			t.Errorf("after update: %+v, want %+v", got, b)
		}
	})
}

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, _ := mustUser(t, st, "tok@example.com")
		other, _ := mustUser(t, st, "other@example.com")
		tok := account.Token{ID: ids.New("tok"), UserID: u.ID, Kind: account.TokenAPI, Name: "cli", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.CreateToken(ctx, tok, "h1") }); err != nil {
			t.Fatal(err)
		}
		got, err := st.TokenByHash(ctx, "h1", t0.Add(time.Minute))
		if err != nil || got != tok {
			t.Fatalf("TokenByHash = %+v, %v; want %+v", got, err, tok)
		}
		if _, err := st.TokenByHash(ctx, "h1", t0.Add(2*time.Hour)); !fault.Is(err, fault.Unauthorized) {
			t.Fatalf("expired token accepted: %v", err)
		}
		if err := st.TouchToken(ctx, tok.ID, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Token(ctx, u.ID, tok.ID); !got.LastUsedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("last used = %v", got.LastUsedAt)
		}
		if _, err := st.Token(ctx, other.ID, tok.ID); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another user's token visible: %v", err)
		}
		// Another user cannot revoke it.
		_ = st.Write(ctx, func(tx *store.Tx) error { return tx.RevokeToken(ctx, other.ID, tok.ID, t0) })
		if _, err := st.TokenByHash(ctx, "h1", t0.Add(time.Minute)); err != nil {
			t.Fatalf("revoked by another user: %v", err)
		}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.RevokeToken(ctx, u.ID, tok.ID, t0.Add(time.Minute)) }); err != nil {
			t.Fatal(err)
		}
		if _, err := st.TokenByHash(ctx, "h1", t0.Add(2*time.Minute)); !fault.Is(err, fault.Unauthorized) {
			t.Fatalf("revoked token accepted: %v", err)
		}
		if list, err := st.Tokens(ctx, u.ID, t0.Add(2*time.Minute)); err != nil || len(list) != 0 {
			t.Fatalf("Tokens after revoke = %v, %v", list, err)
		}
		var purged int64
		_ = st.Write(ctx, func(tx *store.Tx) (err error) { purged, err = tx.PurgeTokens(ctx, t0.Add(time.Hour)); return })
		if purged != 1 {
			t.Fatalf("purged %d", purged)
		}
	})
}

func TestRevokeTokensExcept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, _ := mustUser(t, st, "rev@example.com")
		var toks []account.Token
		_ = st.Write(ctx, func(tx *store.Tx) error {
			for i, h := range []string{"a", "b", "c"} {
				tok := account.Token{ID: ids.New("tok"), UserID: u.ID, Kind: account.TokenSession, Name: h, CreatedAt: t0.Add(time.Duration(i) * time.Second), ExpiresAt: t0.Add(time.Hour)}
				toks = append(toks, tok)
				if err := tx.CreateToken(ctx, tok, h); err != nil {
					return err
				}
			}
			return nil
		})
		var n int64
		_ = st.Write(ctx, func(tx *store.Tx) (err error) { n, err = tx.RevokeTokensExcept(ctx, u.ID, toks[1].ID, t0); return })
		list, _ := st.Tokens(ctx, u.ID, t0)
		if n != 2 || len(list) != 1 || list[0].ID != toks[1].ID {
			t.Fatalf("revoked %d, left %+v", n, list)
		}
	})
}

func TestThrottles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		got, err := st.Throttle(ctx, "email:x")
		if err != nil || got != (account.Throttle{Key: "email:x"}) {
			t.Fatalf("unknown key: %+v %v", got, err)
		}
		th := account.Throttle{Key: "email:x", Failures: 6, FirstFailure: t0, BlockedUntil: t0.Add(time.Second)}
		for range 2 { // the second save updates
			if err := st.Write(ctx, func(tx *store.Tx) error { return tx.SaveThrottle(ctx, th) }); err != nil {
				t.Fatal(err)
			}
			th.Failures++
		}
		th.Failures--
		if got, _ := st.Throttle(ctx, "email:x"); got != th {
			t.Fatalf("got %+v want %+v", got, th)
		}
		_ = st.Write(ctx, func(tx *store.Tx) error { return tx.ClearThrottle(ctx, "email:x") })
		if got, _ := st.Throttle(ctx, "email:x"); got.Failures != 0 {
			t.Fatalf("not cleared: %+v", got)
		}
		old := account.Throttle{Key: "ip:1", Failures: 1, FirstFailure: t0}
		_ = st.Write(ctx, func(tx *store.Tx) error { return tx.SaveThrottle(ctx, old) })
		var n int64
		_ = st.Write(ctx, func(tx *store.Tx) (err error) { n, err = tx.PurgeThrottles(ctx, t0.Add(time.Hour)); return })
		if n != 1 {
			t.Fatalf("purged %d", n)
		}
	})
}

func TestAuditFilterAndOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, o := mustUser(t, st, "aud@example.com")
		entries := []audit.Entry{
			{ID: ids.New("aud"), At: t0, ActorUserID: u.ID, ActorEmail: u.Email, ActorRole: "self", Action: "user.signup", ObjectType: "user", ObjectID: u.ID, OrgID: o.ID, Summary: "s1", After: []byte(`{"a":1}`)},
			{ID: ids.New("aud"), At: t0.Add(time.Minute), ActorEmail: "", ActorRole: "system", Action: "org.create", ObjectType: "org", ObjectID: o.ID, Summary: "s2"},
			{ID: ids.New("aud"), At: t0.Add(2 * time.Minute), ActorUserID: u.ID, ActorEmail: u.Email, ActorRole: "self", Action: "user.update", ObjectType: "user", ObjectID: u.ID, Summary: "s3", Before: []byte(`{"n":"a"}`), After: []byte(`{"n":"b"}`)},
		}
		err := st.Write(ctx, func(tx *store.Tx) error {
			for _, e := range entries {
				if err := tx.AddAudit(ctx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			f    audit.Filter
			want []string
		}{
			{"all, newest first", audit.Filter{}, []string{"s3", "s2", "s1"}},
			{"by actor", audit.Filter{ActorUserID: u.ID}, []string{"s3", "s1"}},
			{"by action", audit.Filter{Action: "org.create"}, []string{"s2"}},
			{"by object", audit.Filter{ObjectType: "user", ObjectID: u.ID}, []string{"s3", "s1"}},
			{"by org", audit.Filter{OrgID: o.ID}, []string{"s1"}},
			{"since", audit.Filter{Since: t0.Add(time.Minute)}, []string{"s3", "s2"}},
			{"until", audit.Filter{Until: t0.Add(time.Minute)}, []string{"s1"}},
			{"page", audit.Filter{Limit: 1, Before: entries[2].ID}, []string{"s2"}},
		}
		for _, tc := range tests {
			got, err := st.Audit(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, e := range got {
				s = append(s, e.Summary)
			}
			if len(s) != len(tc.want) || (len(s) > 0 && s[0] != tc.want[0]) || (len(s) > 1 && s[1] != tc.want[1]) {
				t.Errorf("%s: got %v want %v", tc.name, s, tc.want)
			}
		}
		got, _ := st.Audit(ctx, audit.Filter{Action: "user.update"})
		if len(got) != 1 || string(got[0].Before) != `{"n":"a"}` || string(got[0].After) != `{"n":"b"}` || !got[0].At.Equal(t0.Add(2*time.Minute)) {
			t.Errorf("entry = %+v", got)
		}
	})
}

func TestWriteRollsBackOnError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		id := ids.New("usr")
		boom := fault.New(fault.Invalid, "boom")
		err := st.Write(ctx, func(tx *store.Tx) error {
			if err := tx.CreateUser(ctx, account.User{ID: id, Email: "rb@example.com", DisplayName: "R", CreatedAt: t0}, "h"); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatalf("got %v", err)
		}
		if _, err := st.User(ctx, id); !fault.Is(err, fault.NotFound) {
			t.Fatalf("rolled-back user exists: %v", err)
		}
	})
}

func noticeFor(userID, id string, at time.Time) notice.Notification {
	return notice.Notification{ID: id, UserID: userID, Kind: "test", TitleEN: "Hello", TitleZH: "你好", BodyEN: "b", BodyZH: "b", Link: "/x", CreatedAt: at}
}
