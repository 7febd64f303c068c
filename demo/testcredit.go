package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
)

// DeveloperPlan is the USD plan of Lakeside MQ that the demo adds (a
// revision approved) so that Lakeside Data has a product to buy with its
// test credit, which is in USD.
const DeveloperPlan = "developer-usd"

// loadTestCredit gives the demo sellers test credit (docs/benefits.md):
// Lakeside Data asked for USD 500.00, an operator approved USD 400.00, and
// it spent USD 120.00 of it on a test purchase of its own Lakeside MQ;
// Bluepeak Security's request of USD 300.00 waits for a decision. Skipped
// when Lakeside Data has requests already.
func loadTestCredit(ctx context.Context, svc *market.Service) error {
	seller1, err := svc.ActorByEmail(ctx, "seller1@demo.test")
	if err != nil {
		return err
	}
	if have, err := svc.TestCredit(ctx, seller1); err != nil || len(have.Requests) > 0 {
		return err
	}
	seller2, err := svc.ActorByEmail(ctx, "seller2@demo.test")
	if err != nil {
		return err
	}
	ops, err := svc.ActorByEmail(ctx, "ops@demo.test")
	if err != nil {
		return err
	}
	mq, err := developerPlan(ctx, svc, seller1, ops)
	if err != nil {
		return err
	}
	now := svc.Now()
	r, _, err := svc.At(now.Add(-3*time.Hour)).RequestTestCredit(ctx, seller1, money.New(500_00, money.USD),
		"Buy the developer edition of Lakeside MQ and check that the licence key arrives and activates.", "")
	if err == nil {
		_, err = svc.At(now.Add(-2*time.Hour)).ApproveTestCredit(ctx, ops, r.ID, money.New(400_00, money.USD), now.AddDate(0, 0, 90))
	}
	if err == nil {
		_, _, err = svc.At(now.Add(-time.Hour)).PlaceTestOrder(ctx, seller1,
			[]order.LineRequest{{ProductID: mq, Plan: DeveloperPlan, Region: "cn-north-4"}}, "demo-test-order")
	}
	if err == nil {
		_, _, err = svc.At(now.Add(-30*time.Minute)).RequestTestCredit(ctx, seller2, money.New(300_00, money.USD),
			"Subscribe to our vulnerability scanner for a year and check the SaaS sign-up flow.", "")
	}
	if err != nil {
		return fmt.Errorf("demo: test credit: %w", err)
	}
	return nil
}

// developerPlan adds a one-time USD plan to Lakeside MQ (a revision the
// operator approves) and returns the product's id.
func developerPlan(ctx context.Context, svc *market.Service, seller, ops account.Actor) (string, error) {
	products, err := svc.SellerProducts(ctx, seller)
	if err != nil {
		return "", err
	}
	for _, v := range products {
		c := v.Content()
		if c.Name.EN != "Lakeside MQ" {
			continue
		}
		for _, pl := range c.Plans {
			if pl.Code == DeveloperPlan {
				return v.ID, nil
			}
		}
		c.Plans = append(c.Plans, fixed(DeveloperPlan, "Developer, 5 seats (USD)", "开发版 5 用户（美元）", catalog.OneTime, usd(120)))
		if _, err := svc.SaveProduct(ctx, seller, v.ID, c, 0); err != nil {
			return "", err
		}
		if _, err := svc.SubmitProduct(ctx, seller, v.ID); err != nil {
			return "", err
		}
		if _, err := svc.ReviewProduct(ctx, ops, v.ID, catalog.Approve, ""); err != nil {
			return "", err
		}
		return v.ID, nil
	}
	return "", fmt.Errorf("demo: no Lakeside MQ")
}
