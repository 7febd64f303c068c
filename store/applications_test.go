package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

var beijing = seller.Region{Code: "cn-north-4", NameEN: "Beijing", NameZH: "北京", Zone: "Asia/Shanghai"}

// mustApplication makes a seller organisation with a draft application.
func mustApplication(tb testing.TB, st *store.Store, email string) (account.User, seller.Record) {
	tb.Helper()
	ctx := context.Background()
	u, _ := mustUser(tb, st, email)
	org := account.Org{ID: ids.New("org"), Kind: account.KindSeller, Name: "Seller of " + email, CreatedAt: t0}
	rec := seller.Record{
		ID: ids.New("app"), OrgID: org.ID, ApplicantID: u.ID, State: seller.Draft, LegalName: org.Name,
		RegistrationNumber: "91110000710921234X", Country: "CN", Established: seller.Date{Year: 2015, Month: 6, Day: 1},
		RegionCodes: []string{beijing.Code}, Offerings: []seller.Offering{seller.OfferingSaaS},
		PreSales:  []seller.Contact{{Name: "Pre", Email: "pre@example.com"}},
		PostSales: []seller.Contact{{Name: "Post", Email: "post@example.com", Phone: "+86 10 1234 5678"}},
		Support:   seller.Schedule{Zone: "Asia/Shanghai", Days: [7][]seller.Interval{1: {{Start: 540, End: 1080}}}},
		CreatedAt: t0,
	}
	err := st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SaveRegion(ctx, beijing, t0); err != nil {
			return err
		}
		if err := tx.CreateOrg(ctx, org); err != nil {
			return err
		}
		return tx.CreateApplication(ctx, rec)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return u, rec
}

func TestApplicationRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, rec := mustApplication(t, st, "app@example.com")
		got, err := st.ApplicationOfOrg(ctx, rec.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != rec.ID || got.State != seller.Draft || got.Established != rec.Established || len(got.RegionCodes) != 1 ||
			got.PostSales[0] != rec.PostSales[0] || len(got.Support.Days[1]) != 1 || got.Support.Days[1][0] != rec.Support.Days[1][0] ||
			got.Revision != 1 || got.TaxBank != nil || !got.CreatedAt.Equal(t0) {
			t.Fatalf("read back %+v", got)
		}
		// An edit at the revision read succeeds; a stale one is a Conflict.
		got.LegalName, got.RegionCodes = "Renamed Ltd", nil
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.UpdateApplication(ctx, got, t0.Add(time.Hour)) }); err != nil {
			t.Fatal(err)
		}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.UpdateApplication(ctx, got, t0.Add(time.Hour)) }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale edit: %v", err)
		}
		again, _ := st.Application(ctx, rec.ID)
		if again.LegalName != "Renamed Ltd" || len(again.RegionCodes) != 0 || again.Revision != 2 {
			t.Fatalf("after edit %+v", again)
		}
		// A second application for the same organisation is refused.
		dup := rec
		dup.ID = ids.New("app")
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.CreateApplication(ctx, dup) }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("second application: %v", err)
		}
	})
}

func TestApplicationStepsAndQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, a := mustApplication(t, st, "a@example.com")
		_, b := mustApplication(t, st, "b@example.com")
		move := func(id string, from, to seller.State, at time.Time) error {
			return st.Write(ctx, func(tx *store.Tx) error { return tx.MoveApplication(ctx, id, from, to, u.ID, "why "+string(to), at) })
		}
		if err := move(b.ID, seller.Draft, seller.Submitted, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := move(a.ID, seller.Draft, seller.Submitted, t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		// The state is checked by the database: a move from a stale state fails.
		if err := move(a.ID, seller.Draft, seller.Submitted, t0); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale move: %v", err)
		}
		if err := move(a.ID, seller.Submitted, seller.Approved, t0.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, _ := st.Application(ctx, a.ID)
		if got.State != seller.Approved || !got.SubmittedAt.Equal(t0.Add(2*time.Hour)) || !got.DecidedAt.Equal(t0.Add(3*time.Hour)) || got.DecidedBy != u.ID || got.Reason != "why approved" {
			t.Fatalf("after approve %+v", got)
		}
		if s, _ := st.SellerState(ctx, a.OrgID); s != seller.Approved {
			t.Fatalf("SellerState = %q", s)
		}
		evs, _ := st.ApplicationEvents(ctx, a.ID)
		if len(evs) != 2 || evs[0].To != seller.Submitted || evs[1].From != seller.Submitted || evs[1].To != seller.Approved {
			t.Fatalf("events %+v", evs)
		}
		names := func(f store.ApplicationFilter) []string {
			list, err := st.Applications(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range list {
				out = append(out, r.ID)
			}
			return out
		}
		if got := names(store.ApplicationFilter{}); len(got) != 2 || got[0] != b.ID {
			t.Errorf("queue order %v, want b first (submitted first)", got)
		}
		if got := names(store.ApplicationFilter{State: seller.Submitted}); len(got) != 1 || got[0] != b.ID {
			t.Errorf("submitted %v", got)
		}
		if got := names(store.ApplicationFilter{Region: "cn-north-4", SubmittedBefore: t0.Add(90 * time.Minute)}); len(got) != 1 || got[0] != b.ID {
			t.Errorf("by region and age %v", got)
		}
		if got := names(store.ApplicationFilter{Region: "eu-west-101"}); len(got) != 0 {
			t.Errorf("other region %v", got)
		}
	})
}

func TestTaxBankCertification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, a := mustApplication(t, st, "tb@example.com")
		masked := seller.TaxBank{TaxID: "••••234X", BankName: "ICBC", AccountHolder: "A Ltd", AccountNumber: "••••5678"}
		write := func(fn func(tx *store.Tx) error) error { return st.Write(ctx, fn) }
		if err := write(func(tx *store.Tx) error { return tx.CertifyTaxBank(ctx, a.ID, t0, u.ID, t0) }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("certified nothing: %v", err)
		}
		if err := write(func(tx *store.Tx) error { return tx.SetTaxBank(ctx, a.ID, "sealed-1", masked, t0) }); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.CertifyTaxBank(ctx, a.ID, t0, u.ID, t0.Add(time.Minute)) }); err != nil {
			t.Fatal(err)
		}
		got, _ := st.Application(ctx, a.ID)
		if got.TaxBank == nil || *got.TaxBank != masked || got.TaxBankCertifiedBy != u.ID || !got.TaxBankCertifiedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("certified %+v", got)
		}
		if s, _ := st.SealedTaxBank(ctx, a.ID); s != "sealed-1" {
			t.Fatalf("sealed %q", s)
		}
		// New details withdraw the certification; certifying the old ones fails.
		if err := write(func(tx *store.Tx) error { return tx.SetTaxBank(ctx, a.ID, "sealed-2", masked, t0.Add(time.Hour)) }); err != nil {
			t.Fatal(err)
		}
		if err := write(func(tx *store.Tx) error { return tx.CertifyTaxBank(ctx, a.ID, t0, u.ID, t0.Add(2*time.Hour)) }); !fault.Is(err, fault.Conflict) {
			t.Fatalf("certified stale details: %v", err)
		}
		if got, _ := st.Application(ctx, a.ID); !got.TaxBankCertifiedAt.IsZero() || got.TaxBankCertifiedBy != "" {
			t.Fatalf("certification survived a change: %+v", got)
		}
	})
}

func TestAgreementsAndSignatures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, a := mustApplication(t, st, "sig@example.com")
		if _, _, err := st.AgreementInForce(ctx); !fault.Is(err, fault.NotFound) {
			t.Fatalf("none published: %v", err)
		}
		publish := func(v string, at time.Time) error {
			return st.Write(ctx, func(tx *store.Tx) error {
				return tx.PublishAgreement(ctx, seller.Agreement{Version: v, Title: "Seller Agreement " + v, PublishedAt: at}, "text "+v, u.ID)
			})
		}
		if err := publish("2026-01", t0); err != nil {
			t.Fatal(err)
		}
		if err := publish("2026-01", t0.Add(time.Hour)); !fault.Is(err, fault.Conflict) {
			t.Fatalf("duplicate version: %v", err)
		}
		sign := func(v string, at time.Time) error {
			return st.Write(ctx, func(tx *store.Tx) error {
				return tx.AddSignature(ctx, a.OrgID, seller.Signature{Version: v, SignedBy: u.ID, SignedAt: at})
			})
		}
		if err := sign("2026-01", t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := sign("2026-01", t0.Add(time.Hour)); err != nil { // again: keeps the first
			t.Fatal(err)
		}
		if err := publish("2026-07", t0.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		in, body, err := st.AgreementInForce(ctx)
		if err != nil || in.Version != "2026-07" || body != "text 2026-07" {
			t.Fatalf("in force %+v %q %v", in, body, err)
		}
		sig, _ := st.LatestSignature(ctx, a.OrgID)
		if sig == nil || sig.Version != "2026-01" || !sig.SignedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("signature %+v", sig)
		}
		if err := sign("1999-01", t0); err == nil {
			t.Fatal("signed a version that does not exist")
		}
	})
}

func TestDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, a := mustApplication(t, st, "doc@example.com")
		_, other := mustApplication(t, st, "doc2@example.com")
		d := seller.Document{ID: ids.New("doc"), ApplicationID: a.ID, Kind: seller.BusinessLicense, Filename: "licence.pdf",
			ContentType: "application/pdf", Size: 1234, SHA256: "abc", BlobKey: "applications/x/y", UploadedBy: u.ID, UploadedAt: t0}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.AddDocument(ctx, d) }); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Document(ctx, a.ID, d.ID); err != nil || got != d {
			t.Fatalf("Document = %+v %v", got, err)
		}
		if _, err := st.Document(ctx, other.ID, d.ID); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another application's document: %v", err)
		}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.DeleteDocument(ctx, other.ID, d.ID, t0) }); !fault.Is(err, fault.NotFound) {
			t.Fatalf("deleted through another application: %v", err)
		}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.DeleteDocument(ctx, a.ID, d.ID, t0) }); err != nil {
			t.Fatal(err)
		}
		if docs, _ := st.Documents(ctx, a.ID); len(docs) != 0 {
			t.Fatalf("deleted document listed: %v", docs)
		}
	})
}

func TestNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u, _ := mustUser(t, st, "n@example.com")
		other, _ := mustUser(t, st, "n2@example.com")
		for i, id := range []string{ids.New("ntf"), ids.New("ntf")} {
			n := noticeFor(u.ID, id, t0.Add(time.Duration(i)*time.Minute))
			if err := st.Write(ctx, func(tx *store.Tx) error { return tx.AddNotification(ctx, n) }); err != nil {
				t.Fatal(err)
			}
		}
		list, _ := st.Notifications(ctx, u.ID, 10)
		if n, _ := st.UnreadNotifications(ctx, u.ID); len(list) != 2 || n != 2 || list[0].CreatedAt.Before(list[1].CreatedAt) {
			t.Fatalf("list %+v unread %d", list, n)
		}
		_ = st.Write(ctx, func(tx *store.Tx) error { return tx.MarkNotificationRead(ctx, other.ID, list[0].ID, t0) })
		if n, _ := st.UnreadNotifications(ctx, u.ID); n != 2 {
			t.Fatal("another user marked it read")
		}
		_ = st.Write(ctx, func(tx *store.Tx) error { return tx.MarkNotificationRead(ctx, u.ID, list[0].ID, t0) })
		if n, _ := st.UnreadNotifications(ctx, u.ID); n != 1 {
			t.Fatalf("unread %d", n)
		}
		_ = st.Write(ctx, func(tx *store.Tx) error { return tx.MarkNotificationRead(ctx, u.ID, "", t0) })
		if n, _ := st.UnreadNotifications(ctx, u.ID); n != 0 {
			t.Fatalf("unread after all %d", n)
		}
	})
}
