package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/support"
)

// demoTicket is a support ticket of the demo and what happened to it, each
// step some hours after the ticket was opened.
type demoTicket struct {
	seller, product string // the product by its English name, "" for none
	kind            support.Kind
	subject, body   string
	daysAgo         int
	steps           []ticketStep
}

type ticketStep struct {
	hours    int
	who      string // an email
	body     string // a message, when set
	internal bool
	assign   string        // an email: assigns the ticket
	move     support.State // moves it, when set
}

var demoTickets = []demoTicket{
	{seller: "seller2@demo.test", product: "Bluepeak Vulnerability Scanner", kind: support.Enablement,
		subject: "Connecting the vulnerability scanner to the SaaS production interface",
		body:    "We are wiring our scanner to the marketplace's production interface. Which endpoint answers the instance-opening call, and how should we sign it?",
		daysAgo: 3, steps: []ticketStep{
			{hours: 1, who: "ops@demo.test", assign: "ops@demo.test"},
			{hours: 2, who: "ops@demo.test", internal: true, body: "Their test order failed on the signature: the timestamp header is missing."},
			{hours: 3, who: "ops@demo.test", body: "The marketplace calls your production endpoint with a signed POST; the seller SDK signs and checks it for you. Send the timestamp header with every answer, then place a test order from the product's page."},
			{hours: 5, who: "ops@demo.test", move: support.WaitingOnSeller},
			{hours: 20, who: "seller2@demo.test", body: "Thanks — with the header our test order opens. We will try the renewal next."},
		}},
	{seller: "seller1@demo.test", kind: support.Consulting,
		subject: "Pricing per core or per instance for Lakeside DB?",
		body:    "Buyers ask whether they can license Lakeside DB per instance. What do other database sellers on the marketplace do?",
		daysAgo: 12, steps: []ticketStep{
			{hours: 2, who: "ops@demo.test", assign: "ops@demo.test"},
			{hours: 4, who: "ops@demo.test", body: "Most database licences here are sold per core with a yearly term; offer an 8-core plan and a 32-core plan rather than a per-instance one, so quotes stay comparable."},
			{hours: 30, who: "seller1@demo.test", body: "Clear, thank you. We will keep per-core plans."},
			{hours: 31, who: "ops@demo.test", move: support.Resolved},
		}},
	{seller: "seller4@demo.test", product: "Harbor CI", kind: support.Enablement,
		subject: "Help with monthly and yearly plans for Harbor CI",
		body:    "We want a monthly and a yearly plan of Harbor CI with a discount on the yearly one. How do we set up the upgrade from monthly to yearly?",
		daysAgo: 1},
}

// loadSupport opens the demo's support tickets: Bluepeak's enablement
// ticket in progress with ops@demo.test, Lakeside's consulting ticket
// resolved and Harbor's waiting in the queue. Skipped when there are tickets
// already.
func loadSupport(ctx context.Context, svc *market.Service) error {
	ops, err := svc.ActorByEmail(ctx, "ops@demo.test")
	if err != nil {
		return err
	}
	if ts, err := svc.Tickets(ctx, ops, store.TicketFilter{Limit: 1}); err != nil || len(ts) > 0 {
		return err
	}
	now := svc.Now()
	for _, d := range demoTickets {
		if err := openDemoTicket(ctx, svc, d, now.AddDate(0, 0, -d.daysAgo)); err != nil {
			return fmt.Errorf("demo: support ticket %q: %w", d.subject, err)
		}
	}
	return nil
}

func openDemoTicket(ctx context.Context, svc *market.Service, d demoTicket, at time.Time) error {
	seller, err := svc.ActorByEmail(ctx, d.seller)
	if err != nil {
		return err
	}
	in := market.OpenTicketInput{Kind: d.kind, Subject: d.subject, Body: d.body}
	if d.product != "" {
		products, err := svc.SellerProducts(ctx, seller)
		if err != nil {
			return err
		}
		for _, p := range products {
			if p.Content().Name.EN == d.product {
				in.ProductID = p.ID
			}
		}
	}
	v, err := svc.At(at).OpenTicket(ctx, seller, in)
	if err != nil {
		return err
	}
	for _, st := range d.steps {
		who, err := svc.ActorByEmail(ctx, st.who)
		if err != nil {
			return err
		}
		step := svc.At(at.Add(time.Duration(st.hours) * time.Hour))
		switch {
		case st.assign != "":
			var to account.Actor
			if to, err = svc.ActorByEmail(ctx, st.assign); err == nil {
				_, err = step.AssignTicket(ctx, who, v.ID, to.UserID)
			}
		case st.move != "":
			_, err = step.MoveTicket(ctx, who, v.ID, st.move)
		default:
			_, err = step.ReplyTicket(ctx, who, v.ID, st.body, st.internal, nil)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
