package market_test

import (
	"context"
	"testing"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/demo"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market/markettest"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/store/storetest"
)

// backupService is a SaaS product that passes review.
func backupService() catalog.Product {
	return catalog.Product{
		Type:        catalog.TypeSaaS,
		Name:        catalog.Text{EN: "Quartz Snapshot Keeper", ZH: "石英快照管家"},
		Summary:     catalog.Text{EN: "Snapshots of your volumes", ZH: "为您的云硬盘自动快照"},
		Description: catalog.Text{EN: "Scheduled snapshots with retention rules.", ZH: "按计划创建快照并按规则保留。"},
		Category:    "storage",
		Regions:     []string{"cn-north-4", "cn-east-3"},
		Support:     catalog.Support{Email: "support@lakeside.example"},
		SaaS:        &catalog.SaaSSpec{Endpoint: "https://backup.lakeside.example/cloudmart", DeployRegion: "cn-north-4"},
		Plans: []catalog.Plan{{Code: "monthly", Name: catalog.Text{EN: "Monthly", ZH: "包月"}, Mode: catalog.Monthly,
			Price: money.New(19900, money.CNY), Active: true}},
	}
}

func found(t *testing.T, w *markettest.World, text string) []string {
	t.Helper()
	page, err := w.Svc.Search(context.Background(), store.Query{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range page.Hits {
		ids = append(ids, h.ProductID)
	}
	return ids
}

func TestProductLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.New(t, st, t0)
		if err := demo.Load(ctx, w.Svc); err != nil {
			t.Fatal(err)
		}
		svc := w.Svc
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		seller2 := w.Actor(t, "seller2@demo.test", demo.Password)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		buyer := w.Actor(t, "telesales@demo.test", demo.Password)

		v, key, err := svc.CreateProduct(ctx, seller1, backupService())
		if err != nil || key == "" || v.Pending == nil || v.Pending.State != catalog.Draft || v.Pending.Content.Plans[0].ID == "" {
			t.Fatalf("create: %+v %q %v", v.Entry, key, err)
		}
		id := v.ID
		// Lakeside Data declared licences and SaaS, not images.
		image := backupService()
		image.Type, image.SaaS = catalog.TypeImage, nil
		if _, _, err := svc.CreateProduct(ctx, seller1, image); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("image without the offering: %v", err)
		}
		// Other companies and buyers cannot see or change it.
		for _, a := range []struct {
			name string
			err  error
		}{
			{"another seller reads", func() error { _, err := svc.SellerProduct(ctx, seller2, id); return err }()},
			{"another seller edits", func() error { _, err := svc.SaveProduct(ctx, seller2, id, backupService(), 0); return err }()},
			{"a buyer submits", func() error { _, err := svc.SubmitProduct(ctx, buyer, id); return err }()},
		} {
			if !fault.Is(a.err, fault.NotFound) {
				t.Errorf("%s: %v", a.name, a.err)
			}
		}
		if _, err := svc.ReviewProduct(ctx, seller1, id, catalog.Approve, ""); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a seller approved: %v", err)
		}
		if _, err := svc.SubmitProduct(ctx, seller1, id); err != nil {
			t.Fatal(err)
		}
		if ids := found(t, w, "快照"); len(ids) != 0 {
			t.Fatalf("found while in review: %v", ids)
		}
		if v, err = svc.ReviewProduct(ctx, ops, id, catalog.Approve, ""); err != nil || v.Live == nil || v.Live.State != catalog.Published {
			t.Fatalf("approve: %v", err)
		}
		if ids := found(t, w, "快照"); len(ids) != 1 || ids[0] != id {
			t.Fatalf("search after approval: %v", ids)
		}
		if p, name, err := svc.PublicProduct(ctx, id); err != nil || p.Name.ZH != "石英快照管家" || name == "" {
			t.Fatalf("public product: %v", err)
		}
		// An edit makes revision 2 while revision 1 stays on sale.
		edited := backupService()
		edited.Plans[0].Price = money.New(24900, money.CNY)
		edited.Name.EN = "Quartz Snapshot Keeper Pro"
		if v, err = svc.SaveProduct(ctx, seller1, id, edited, 0); err != nil || v.Pending.Number != 2 || v.Live.Number != 1 || len(v.Changes) == 0 {
			t.Fatalf("edit published: %+v %v", v.Changes, err)
		}
		if v.Pending.Content.Plans[0].ID != v.Live.Content.Plans[0].ID {
			t.Fatal("the plan lost its id across revisions")
		}
		if _, err := svc.SubmitProduct(ctx, seller1, id); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveProduct(ctx, seller1, id, edited, 0); !fault.Is(err, fault.InvalidState) {
			t.Fatalf("edited while in review: %v", err)
		}
		if _, err := svc.ReviewProduct(ctx, ops, id, catalog.Reject, ""); !fault.Is(err, fault.Invalid) {
			t.Fatalf("rejected without a reason: %v", err)
		}
		if _, err := svc.ReviewProduct(ctx, ops, id, catalog.Reject, "the price must include VAT"); err != nil {
			t.Fatal(err)
		}
		if p, _, _ := svc.PublicProduct(ctx, id); p.Name.EN != "Quartz Snapshot Keeper" {
			t.Fatalf("the rejected revision replaced the published one: %q", p.Name.EN)
		}
		if _, err := svc.SaveProduct(ctx, seller1, id, edited, 0); err != nil {
			t.Fatal(err)
		}
		_, _ = svc.SubmitProduct(ctx, seller1, id)
		if v, err = svc.ReviewProduct(ctx, ops, id, catalog.Approve, ""); err != nil || v.Live.Number != 2 {
			t.Fatalf("approve revision 2: %v", err)
		}
		if p, _, _ := svc.PublicProduct(ctx, id); p.Name.EN != "Quartz Snapshot Keeper Pro" {
			t.Fatalf("on sale: %q", p.Name.EN)
		}
		// Delisting hides it; an operator needs a reason; relisting goes through review.
		if _, err := svc.DelistProduct(ctx, ops, id, ""); !fault.Is(err, fault.Invalid) {
			t.Fatalf("operator delisted without a reason: %v", err)
		}
		if _, err := svc.DelistProduct(ctx, seller1, id, ""); err != nil {
			t.Fatal(err)
		}
		if ids := found(t, w, "快照"); len(ids) != 0 {
			t.Fatalf("found after delisting: %v", ids)
		}
		if _, err := svc.SubmitProduct(ctx, seller1, id); err != nil {
			t.Fatalf("relist: %v", err)
		}
		if _, err := svc.ReviewProduct(ctx, ops, id, catalog.Approve, ""); err != nil {
			t.Fatal(err)
		}
		if ids := found(t, w, "snapshot"); len(ids) != 1 {
			t.Fatalf("after relisting: %v", ids)
		}
		// A suspended seller's products disappear from the storefront.
		app, _ := svc.MyApplication(ctx, seller1)
		if _, err := svc.Review(ctx, ops, app.ID, seller.Suspend, "audit"); err != nil {
			t.Fatal(err)
		}
		if ids := found(t, w, "snapshot"); len(ids) != 0 {
			t.Fatalf("a suspended seller's product found: %v", ids)
		}
		if _, _, err := svc.PublicProduct(ctx, id); !fault.Is(err, fault.NotFound) {
			t.Fatalf("a suspended seller's product page: %v", err)
		}
		if _, _, err := svc.CreateProduct(ctx, seller1, backupService()); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a suspended seller created a product: %v", err)
		}
		// The key rotates, for SaaS only.
		if k, err := svc.RotateSigningKey(ctx, seller1, id); err != nil || k == key {
			t.Fatalf("rotate: %v", err)
		}
	})
}

func TestSubmitNeedsTheAgreementInForce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := markettest.New(t, st, t0)
		if err := demo.Load(ctx, w.Svc); err != nil {
			t.Fatal(err)
		}
		seller1 := w.Actor(t, "seller1@demo.test", demo.Password)
		ops := w.Actor(t, "ops@demo.test", demo.Password)
		v, _, err := w.Svc.CreateProduct(ctx, seller1, backupService())
		if err != nil {
			t.Fatal(err)
		}
		w.Clock.Advance(1e9)
		if _, err := w.Svc.PublishAgreement(ctx, ops, seller.Agreement{Version: "2027-01", Title: "New terms"}, "text"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Svc.SubmitProduct(ctx, seller1, v.ID); !fault.Is(err, fault.RequirementsNotMet) {
			t.Fatalf("submitted without signing the new agreement: %v", err)
		}
		bad := backupService()
		bad.SaaS.Endpoint = "http://10.0.0.1/hook"
		if _, err := w.Svc.SaveProduct(ctx, seller1, v.ID, bad, 0); !fault.Is(err, fault.Invalid) {
			t.Fatalf("an IP endpoint saved: %v", err)
		}
	})
}
