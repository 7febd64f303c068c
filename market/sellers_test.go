package market_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m, "market")) }

// t0 is a Wednesday morning in Beijing.
var t0 = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

const password = "a long good passphrase"

// newApplicant loads the demo and signs up a user who will apply.
func newApplicant(t *testing.T, st *store.Store) (*markettest.World, account.Actor, account.Actor) {
	t.Helper()
	w := markettest.New(t, st, t0)
	ctx := context.Background()
	if err := demo.Load(ctx, w.Svc); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Svc.SignUp(ctx, market.SignUp{Email: "founder@newco.example", Password: password, DisplayName: "Founder"}); err != nil {
		t.Fatal(err)
	}
	return w, w.Actor(t, "founder@newco.example", password), w.Actor(t, "ops@demo.test", demo.Password)
}

func goodInput() market.ApplicationInput {
	s := seller.Schedule{Zone: "Asia/Shanghai"}
	for d := time.Monday; d <= time.Friday; d++ {
		s.Days[d] = []seller.Interval{{Start: 9 * 60, End: 17 * 60}}
	}
	return market.ApplicationInput{LegalName: "NewCo Software", RegistrationNumber: "91110000NEWCO0001", Country: "cn",
		Established: "2025-11-25", Regions: []string{"cn-north-4", "cn-east-3"}, Offerings: []string{"saas", "saas", "api"},
		PreSales:  []seller.Contact{{Name: " Pre ", Email: "PRE@newco.example"}},
		PostSales: []seller.Contact{{Name: "Post", Email: "post@newco.example", Phone: "+86 10 5555 0000"}},
		Support:   s}
}

func failedIDs(results []seller.Result) string {
	var ids []string
	for _, r := range seller.Failed(results) {
		ids = append(ids, r.ID)
	}
	return strings.Join(ids, ",")
}

func TestApplicationLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w, founder, ops := newApplicant(t, st)
		svc := w.Svc
		v, err := svc.SaveApplication(ctx, founder, goodInput())
		if err != nil {
			t.Fatal(err)
		}
		if v.State != seller.Draft || v.OrgName != "NewCo Software" || v.Country != "CN" || len(v.Offerings) != 2 || v.PreSales[0].Email != "pre@newco.example" {
			t.Fatalf("saved %+v", v.Record)
		}
		// Established exactly one year before today (2026-11-25 in Beijing): passes.
		if got := failedIDs(v.Checks); got != "agreement,tax_bank_certified" {
			t.Fatalf("failed checks %q", got)
		}
		founder = w.Actor(t, "founder@newco.example", password) // now a seller admin
		_, err = svc.Submit(ctx, founder)
		if e := fault.As(err); e == nil || e.Code != fault.RequirementsNotMet || len(e.Details) != 2 || e.Details[0].ID != seller.ReqAgreement {
			t.Fatalf("submit with failures: %v", err)
		}
		if _, err := svc.SignAgreement(ctx, founder, "1999"); !fault.Is(err, fault.Invalid) {
			t.Fatalf("signed a version not in force: %v", err)
		}
		if sig, err := svc.SignAgreement(ctx, founder, demo.AgreementVersion); err != nil || sig.Version != demo.AgreementVersion || sig.SignedBy != founder.UserID {
			t.Fatalf("sign: %+v %v", sig, err)
		}
		masked, err := svc.SetTaxBank(ctx, founder, seller.TaxBank{TaxID: "91110000NEWCO0001", BankName: "ICBC", AccountHolder: "NewCo", AccountNumber: "6222 0000 1111 2222"})
		if err != nil || masked.AccountNumber != "••••••••••••2222" {
			t.Fatalf("tax bank: %+v %v", masked, err)
		}
		if sealed, _ := st.SealedTaxBank(ctx, v.ID); sealed == "" || strings.Contains(sealed, "2222") {
			t.Fatalf("stored in the clear: %q", sealed)
		}
		// The applicant cannot certify itself; an operator can.
		if _, err := svc.CertifyTaxBank(ctx, founder, v.ID, time.Time{}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("self-certification: %v", err)
		}
		if _, err := svc.CertifyTaxBank(ctx, ops, v.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if v, err = svc.Submit(ctx, founder); err != nil || v.State != seller.Submitted {
			t.Fatalf("submit: %v %v", v.State, err)
		}
		// Submitted: locked for the applicant; not approvable by the applicant.
		if _, err := svc.SaveApplication(ctx, founder, goodInput()); !fault.Is(err, fault.InvalidState) {
			t.Fatalf("edit while submitted: %v", err)
		}
		if _, err := svc.Review(ctx, founder, v.ID, seller.Approve, ""); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("self-approval: %v", err)
		}
		if _, err := svc.Review(ctx, ops, v.ID, seller.Reject, ""); !fault.Is(err, fault.Invalid) {
			t.Fatalf("reject without reason: %v", err)
		}
		if v, err = svc.Review(ctx, ops, v.ID, seller.RequestChanges, "add your business licence"); err != nil || v.State != seller.ChangesRequested || v.Reason != "add your business licence" {
			t.Fatalf("request changes: %v %v", v.State, err)
		}
		in := goodInput()
		in.LegalName = "NewCo Software Ltd"
		if v, err = svc.SaveApplication(ctx, founder, in); err != nil || v.OrgName != "NewCo Software Ltd" {
			t.Fatalf("edit after changes requested: %v", err)
		}
		// A new bank account withdraws the certification, so submission fails again;
		// an operator who looked at the old details certifies nothing.
		seen := v.TaxBankUpdatedAt
		w.Clock.Advance(time.Minute)
		if _, err := svc.SetTaxBank(ctx, founder, seller.TaxBank{TaxID: "91110000NEWCO0001", BankName: "ICBC", AccountHolder: "NewCo", AccountNumber: "6222 0000 1111 3333"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Submit(ctx, founder); !fault.Is(err, fault.RequirementsNotMet) {
			t.Fatalf("submitted with uncertified new details: %v", err)
		}
		if _, err := svc.CertifyTaxBank(ctx, ops, v.ID, seen); !fault.Is(err, fault.Conflict) {
			t.Fatalf("certified details the operator did not see: %v", err)
		}
		if v, err = svc.MyApplication(ctx, founder); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CertifyTaxBank(ctx, ops, v.ID, v.TaxBankUpdatedAt); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Submit(ctx, founder); err != nil {
			t.Fatal(err)
		}
		if v, err = svc.Review(ctx, ops, v.ID, seller.Approve, ""); err != nil || v.State != seller.Approved {
			t.Fatalf("approve: %v %v", v.State, err)
		}
		if v, err = svc.Review(ctx, ops, v.ID, seller.Suspend, "unpaid refunds"); err != nil || v.State != seller.Suspended {
			t.Fatalf("suspend: %v %v", v.State, err)
		}
		if s, _ := st.SellerState(ctx, v.OrgID); s.Selling() {
			t.Fatal("a suspended seller may sell")
		}
		if v, err = svc.Review(ctx, ops, v.ID, seller.Reinstate, "paid"); err != nil || v.State != seller.Approved {
			t.Fatalf("reinstate: %v %v", v.State, err)
		}
		var steps []string
		for _, e := range v.Events {
			steps = append(steps, string(e.To))
		}
		if got := strings.Join(steps, ","); got != "submitted,changes_requested,submitted,approved,suspended,approved" {
			t.Fatalf("history %s", got)
		}
		// The applicant was told of each step.
		list, unread, err := svc.Notifications(ctx, founder)
		if err != nil || unread < 5 || len(list) != unread {
			t.Fatalf("notifications %d unread of %d, %v", unread, len(list), err)
		}
	})
}

func TestApplicationBadInputChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w, founder, _ := newApplicant(t, st)
		if _, err := w.Svc.SaveApplication(ctx, founder, goodInput()); err != nil {
			t.Fatal(err)
		}
		founder = w.Actor(t, "founder@newco.example", password)
		before, _ := w.Svc.MyApplication(ctx, founder)
		overlap := goodInput()
		overlap.Support.Days[time.Monday] = []seller.Interval{{Start: 540, End: 720}, {Start: 700, End: 800}}
		tests := []struct {
			name  string
			edit  func(*market.ApplicationInput)
			field string
		}{
			{"future establishment", func(in *market.ApplicationInput) { in.Established = "2027-01-01" }, "established"},
			{"bad date", func(in *market.ApplicationInput) { in.Established = "2025-02-29" }, "established"},
			{"unknown region", func(in *market.ApplicationInput) { in.Regions = []string{"cn-north-4", "mars-1"} }, "regions[1]"},
			{"unknown zone", func(in *market.ApplicationInput) { in.Support.Zone = "Mars/Olympus" }, "support.zone"},
			{"overlapping intervals", func(in *market.ApplicationInput) { in.Support = overlap.Support }, "support.days.monday[1]"},
			{"empty contact", func(in *market.ApplicationInput) { in.PostSales = []seller.Contact{{Name: " ", Email: "a@b.example"}} }, "postsales[0].name"},
			{"bad contact email", func(in *market.ApplicationInput) { in.PreSales = []seller.Contact{{Name: "A", Email: "nope"}} }, "presales[0].email"},
			{"unknown offering", func(in *market.ApplicationInput) { in.Offerings = []string{"hardware"} }, "offerings[0]"},
			{"bad country", func(in *market.ApplicationInput) { in.Country = "China" }, "country"},
			{"no legal name", func(in *market.ApplicationInput) { in.LegalName = "" }, "legal_name"},
		}
		for _, tc := range tests {
			in := goodInput()
			tc.edit(&in)
			_, err := w.Svc.SaveApplication(ctx, founder, in)
			if e := fault.As(err); e == nil || e.Code != fault.Invalid || e.Field != tc.field {
				t.Errorf("%s: %v, want invalid %s", tc.name, err, tc.field)
			}
		}
		after, _ := w.Svc.MyApplication(ctx, founder)
		if after.Revision != before.Revision {
			t.Fatalf("refused edits changed the application: revision %d → %d", before.Revision, after.Revision)
		}
		// A stale revision is refused.
		in := goodInput()
		in.Revision = before.Revision + 1
		if _, err := w.Svc.SaveApplication(ctx, founder, in); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale revision: %v", err)
		}
	})
}

func TestDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w, founder, ops := newApplicant(t, st)
		v, _ := w.Svc.SaveApplication(ctx, founder, goodInput())
		founder = w.Actor(t, "founder@newco.example", password)
		pdf := "%PDF-1.4\n% a business licence\n"
		d, err := w.Svc.UploadDocument(ctx, founder, seller.BusinessLicense, "licence.pdf", strings.NewReader(pdf))
		if err != nil || d.ContentType != "application/pdf" || d.Size != int64(len(pdf)) {
			t.Fatalf("upload %+v %v", d, err)
		}
		for name, body := range map[string]string{"fake.pdf": "just text", "big.pdf": "%PDF-1.4\n" + strings.Repeat("x", seller.MaxDocumentSize)} {
			if _, err := w.Svc.UploadDocument(ctx, founder, seller.BusinessLicense, name, strings.NewReader(body)); !fault.Is(err, fault.Invalid) {
				t.Errorf("%s accepted: %v", name, err)
			}
		}
		// The operator and the company read it; another seller does not.
		if got, data, err := w.Svc.OpenDocument(ctx, ops, v.ID, d.ID); err != nil || string(data) != pdf || got.Filename != "licence.pdf" {
			t.Fatalf("operator open: %v", err)
		}
		if _, data, err := w.Svc.OpenDocument(ctx, founder, "", d.ID); err != nil || string(data) != pdf {
			t.Fatalf("own open: %v", err)
		}
		other := w.Actor(t, "seller1@demo.test", demo.Password)
		if _, _, err := w.Svc.OpenDocument(ctx, other, v.ID, d.ID); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another seller opened it: %v", err)
		}
		if _, _, err := w.Svc.OpenDocument(ctx, other, "", d.ID); !fault.Is(err, fault.NotFound) {
			t.Fatalf("another seller opened it through its own application: %v", err)
		}
		if err := w.Svc.DeleteDocument(ctx, founder, d.ID); err != nil {
			t.Fatal(err)
		}
		if ok, _ := w.Blobs.Exists(ctx, d.BlobKey); ok {
			t.Fatal("the blob of a removed document is still there")
		}
		if docs, _ := w.Svc.MyApplication(ctx, founder); len(docs.Documents) != 0 {
			t.Fatalf("documents after delete: %v", docs.Documents)
		}
	})
}

func TestConcurrentReviewsDecideOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.New(t, st, t0)
		if err := demo.Load(ctx, w.Svc); err != nil {
			t.Fatal(err)
		}
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		queue, err := w.Svc.Applications(ctx, ops, market.ApplicationFilter{State: seller.Submitted})
		if err != nil || len(queue) != 1 {
			t.Fatalf("queue %v %v", queue, err)
		}
		id := queue[0].ID
		steps := []seller.Step{seller.Approve, seller.Reject, seller.RequestChanges, seller.Approve, seller.Reject, seller.RequestChanges, seller.Approve, seller.Reject}
		var wg sync.WaitGroup
		errs := make([]error, len(steps))
		for i, step := range steps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = w.Svc.Review(ctx, ops, id, step, "decided in a race")
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case fault.Is(err, fault.Conflict), fault.Is(err, fault.InvalidState):
			default:
				t.Errorf("unexpected error %v", err)
			}
		}
		v, _ := w.Svc.Application(ctx, ops, id)
		if ok != 1 || len(v.Events) != 2 {
			t.Fatalf("%d reviews succeeded, %d events; want exactly one decision", ok, len(v.Events))
		}
	})
}

func TestAgreementRequiresResigning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.New(t, st, t0)
		if err := demo.Load(ctx, w.Svc); err != nil {
			t.Fatal(err)
		}
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		if _, err := w.Svc.PublishAgreement(ctx, seller1, seller.Agreement{Version: "2027-01", Title: "x"}, "text"); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller published: %v", err)
		}
		w.Clock.Advance(time.Hour)
		if _, err := w.Svc.PublishAgreement(ctx, ops, seller.Agreement{Version: "2027-01", Title: "Seller Agreement 2027"}, "new text"); err != nil {
			t.Fatal(err)
		}
		v, _ := w.Svc.MyApplication(ctx, seller1)
		if got := failedIDs(v.Checks); got != seller.ReqAgreement {
			t.Fatalf("after a new version: failed %q", got)
		}
		if _, err := w.Svc.SignAgreement(ctx, seller1, "2027-01"); err != nil {
			t.Fatal(err)
		}
		if v, _ = w.Svc.MyApplication(ctx, seller1); failedIDs(v.Checks) != "" {
			t.Fatalf("after re-signing: failed %q", failedIDs(v.Checks))
		}
		if _, unread, _ := w.Svc.Notifications(ctx, seller1); unread == 0 {
			t.Fatal("the seller was not told of the new version")
		}
	})
}
