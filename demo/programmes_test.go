package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/programme"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func TestDemoProgrammes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
		w := markettest.Demo(t, st, now)
		actor := func(email string) string {
			for _, m := range w.Actor(t, email, demo.Password).Memberships {
				return m.OrgID
			}
			return ""
		}
		events, err := st.Events(ctx)
		if err != nil || len(events) != 4 {
			t.Fatalf("events: %d %v", len(events), err)
		}
		past, kinds := 0, map[programme.EventKind]bool{}
		for _, e := range events {
			kinds[e.Kind] = true
			if e.End.Before(now) {
				past++
				if e.State != programme.EventClosed || e.Accepted != 1 {
					t.Errorf("the past event: %+v", e)
				}
			} else if e.State != programme.EventPublished {
				t.Errorf("an upcoming event: %+v", e)
			}
		}
		if past != 1 || len(kinds) != 4 {
			t.Fatalf("%d past, kinds %v", past, kinds)
		}
		if apps, _ := st.EventApplications(ctx, store.EventApplicationFilter{SellerOrgID: actor("seller2@demo.test")}); len(apps) != 1 ||
			apps[0].State != programme.Pending {
			t.Fatalf("seller2's applications: %+v", apps)
		}
		if n, _ := st.VerifiedMigrations(ctx, actor("seller2@demo.test")); n != 1 {
			t.Fatalf("seller2's verified migrations: %d", n)
		}
		if ms, _ := st.Migrations(ctx, store.MigrationFilter{SellerOrgID: actor("seller4@demo.test")}); len(ms) != 1 ||
			ms[0].State != programme.MigrationPending {
			t.Fatalf("seller4's: %+v", ms)
		}
		cs, _ := st.Courses(ctx)
		ss, _ := st.Sessions(ctx, "")
		es, _ := st.Enrolments(ctx, store.EnrolmentFilter{})
		if len(cs) != 2 || len(ss) != 3 || len(es) != 4 {
			t.Fatalf("%d courses, %d sessions, %d enrolments", len(cs), len(ss), len(es))
		}
	})
}
