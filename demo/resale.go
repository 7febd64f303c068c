package demo

import (
	"context"
	"fmt"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/resale"
)

// ResaleRequirements are the demo's resale requirements. The demo's sellers
// were approved the day the demo was loaded, so it asks for no days
// approved (a real marketplace would ask for 30 or more).
var ResaleRequirements = resale.Requirements{MinApprovedDays: 0, RefundPolicy: true, MaxFailedDeliveries: 3, StandardDiscountBPS: 1500}

// resaleRefundDays is the refund policy the resold products set.
const resaleRefundDays = 7

// PartnerSales are Northwind's past sales to Lakeview Clinics: days ago.
var PartnerSales = []int{25, 9}

// loadResale sets the resale requirements; Lakeside DB Enterprise is
// authorised to Northwind at the standard discount and sold twice to
// Lakeview Clinics; Harbor DevTools applies for resale of Harbor CI above
// the standard discount (pending an operator). Skipped when the
// requirements were set already.
func loadResale(ctx context.Context, svc *market.Service) error {
	ops, err := svc.ActorByEmail(ctx, "ops@demo.test")
	if err != nil {
		return err
	}
	if r, err := svc.ResaleRequirements(ctx, ops); err != nil || !r.UpdatedAt.IsZero() {
		return err
	}
	if _, err := svc.SetResaleRequirements(ctx, ops, ResaleRequirements); err != nil {
		return fmt.Errorf("demo: resale requirements: %w", err)
	}
	partner, err := svc.ActorByEmail(ctx, "partner@demo.test")
	if err != nil {
		return err
	}
	northwind, err := market.PartnerOrgOf(partner)
	if err != nil {
		return err
	}
	placed, err := placedProducts(ctx, svc)
	if err != nil {
		return err
	}
	authorise := func(email, product string, bps int, note string) error {
		seller, err := svc.ActorByEmail(ctx, email)
		if err != nil {
			return err
		}
		if err := setRefundPolicy(ctx, svc, seller, ops, placed[product]); err != nil {
			return fmt.Errorf("demo: refund policy of %s: %w", product, err)
		}
		if _, err := svc.AuthoriseResale(ctx, seller, market.AuthoriseResale{ProductID: placed[product], PartnerOrgID: northwind, DiscountBPS: bps, Note: note}); err != nil {
			return fmt.Errorf("demo: resale of %s: %w", product, err)
		}
		return nil
	}
	if err := authorise("seller1@demo.test", "Lakeside DB Enterprise", ResaleRequirements.StandardDiscountBPS, ""); err != nil {
		return err
	}
	if err := authorise("seller4@demo.test", "Harbor CI", 2500, "Applying for resale: Northwind's clinics run our CI; 25% covers their onboarding work."); err != nil {
		return err
	}
	clinic, err := customerOrg(ctx, svc, ops, "Lakeview Clinics 湖景诊所")
	if err != nil {
		return err
	}
	now := svc.Now()
	if _, err := svc.At(now.AddDate(0, 0, -30)).TopUp(ctx, ops, clinic, cny(80_000), "DEMO-WIRE-RESALE-"+clinic, "for licences bought through Northwind"); err != nil {
		return fmt.Errorf("demo: top-up for resale: %w", err)
	}
	for i, daysAgo := range PartnerSales {
		at := now.AddDate(0, 0, -daysAgo)
		o, _, err := svc.At(at).PlacePartnerOrder(ctx, partner, market.PartnerOrderRequest{PartnerOrgID: northwind, CustomerOrgID: clinic,
			IdempotencyKey: fmt.Sprint("demo-resale-", i),
			Lines:          []order.LineRequest{{ProductID: placed["Lakeside DB Enterprise"], Plan: "year-8-cores", Region: north}}})
		if err != nil {
			return fmt.Errorf("demo: partner order: %w", err)
		}
		if err := deliverAt(ctx, svc, ops, at, o.ID); err != nil {
			return err
		}
	}
	return nil
}

// setRefundPolicy gives a product a refund policy as its seller would: a
// new revision, submitted and approved.
func setRefundPolicy(ctx context.Context, svc *market.Service, seller, ops account.Actor, id string) error {
	v, err := svc.SellerProduct(ctx, seller, id)
	if err != nil {
		return err
	}
	p := v.Content()
	if p.RefundDays != nil {
		return nil
	}
	days := resaleRefundDays
	p.RefundDays = &days
	if _, err := svc.SaveProduct(ctx, seller, id, p, 0); err != nil {
		return err
	}
	if _, err := svc.SubmitProduct(ctx, seller, id); err != nil {
		return err
	}
	_, err = svc.ReviewProduct(ctx, ops, id, catalog.Approve, "")
	return err
}
