package ui

import (
	"cmp"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/subscription"
)

// A buyer's subscriptions (/account/subscriptions): each monthly or yearly
// line it bought, kept running, with its current term in the calendar of its
// region's zone, what its state means, the automatic-renewal switch and the
// way to a dearer plan.

// subscriptionsView is the buyer organisation's subscriptions: those running
// (in a trial, active or frozen), then those ended.
type subscriptionsView struct {
	OrgName string
	Running []subscriptionRow
	Ended   []subscriptionRow
}

// subscriptionRow is a subscription as the page shows it.
type subscriptionRow struct {
	subscription.Subscription
	Name      string        // the product's, in the page's language
	PlanName  string        // the plan's, or its code when the product is gone
	PlanPrice string        // "¥299.00 / month"; "" when the plan is not on sale
	Region    string        // the region's name
	Start     template.HTML // the current term's start and end, in the zone
	End       template.HTML
	Zone      string // "Asia/Shanghai (UTC+08:00)"
	Term      string // "3 months", "14-day free trial"
	Explain   string // what its state means, in plain words
	OrderHref string // the order that started it
	FormID    string // the id of its forms' messages
	Anchor    string // the id of its card on the page
	// Upgrade is the select of the product's dearer plans of the same
	// billing mode and currency; nil when there is none or the subscription
	// is not active.
	Upgrade *choices
}

// subscriptionNotices are the confirmations the page shows after a redirect.
var subscriptionNotices = map[string]string{
	"renew_on":  "subs.notice.renew_on",
	"renew_off": "subs.notice.renew_off",
	"renewed":   "subs.notice.renewed",
}

// subscriptions shows the buyer organisation's subscriptions.
func (s *server) subscriptions(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := subscriptionNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showSubscriptions(w, r, p, http.StatusOK)
}

// showSubscriptions renders the page around p.Form, which may be a failed
// form of one subscription (its id is "sub:<id>").
func (s *server) showSubscriptions(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	org := buyerOrg(p.Actor)
	if org.OrgID == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	subs, err := s.svc.Subscriptions(ctx, p.Actor, org.OrgID)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	n, err := s.namer(ctx, p)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := subscriptionsView{OrgName: org.OrgName}
	for _, sub := range subs {
		row, err := s.subscriptionRow(ctx, p, n, sub)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		if sub.State == subscription.Released {
			v.Ended = append(v.Ended, row)
		} else {
			v.Running = append(v.Running, row)
		}
	}
	p.Title, p.Data = "subs.title", v
	s.render(w, r, p, status, "subscriptions")
}

// subscriptionRow names a subscription's product, plan and region, and says
// what its state means.
func (s *server) subscriptionRow(ctx context.Context, p *page, n *namer, sub subscription.Subscription) (subscriptionRow, error) {
	row := subscriptionRow{Subscription: sub, Name: sub.ProductID, PlanName: sub.Plan, FormID: "sub:" + sub.ID,
		Anchor: subAnchor(sub.ID), OrderHref: "/orders/" + url.PathEscape(sub.OrderID)}
	info, err := n.product(sub.ProductID)
	if err != nil {
		return row, err
	}
	if info.onSale {
		row.Name = p.Choose(info.product.Name.EN, info.product.Name.ZH)
		if i := slices.IndexFunc(info.product.Plans, func(pl catalog.Plan) bool { return pl.Code == sub.Plan }); i >= 0 {
			pl := info.product.Plans[i]
			row.PlanName = p.Choose(pl.Name.EN, pl.Name.ZH)
			row.PlanPrice = p.PlanPrice(pl)
		}
	} else if o, err := s.svc.Order(ctx, p.Actor, sub.OrderID); err == nil {
		// Off sale: the name it was bought under.
		if i := slices.IndexFunc(o.Lines, func(l order.Line) bool { return l.No == sub.LineNo }); i >= 0 {
			row.Name = p.Choose(o.Lines[i].ProductName.EN, o.Lines[i].ProductName.ZH)
		}
	}
	if names := regionNames(p, n.regions, []string{sub.Region}); sub.Region != "" {
		row.Region = names[0]
	}
	loc := sub.Location()
	row.Start, row.End, row.Zone = zoned(sub.PeriodStart, loc), zoned(sub.PeriodEnd, loc), zoneLabel(sub.PeriodEnd, loc)
	row.Term = p.term(sub.Mode, sub.Periods, sub.State == subscription.Trial, int(sub.PeriodEnd.Sub(sub.PeriodStart).Hours()+12)/24)
	row.Explain = explainSubscription(p, sub, loc)
	if info.onSale && sub.State == subscription.Active {
		if plans := dearerPlans(info.product, sub); len(plans) > 0 {
			c := choices{field: field{ID: p.ID("plan-" + sub.ID), Name: "plan", Label: p.T("subs.upgrade_to")}}
			for _, pl := range plans {
				c.Options = append(c.Options, choice{option: option{Value: pl.Code, Label: p.Choose(pl.Name.EN, pl.Name.ZH) + " — " + p.PlanPrice(pl)}})
			}
			if p.Form.ID == row.FormID {
				c.Error = p.Form.Errors["plan"]
				for i := range c.Options {
					c.Options[i].Chosen = c.Options[i].Value == p.Form.Values["plan"]
				}
			}
			row.Upgrade = &c
		}
	}
	return row, nil
}

// dearerPlans are the plans of the product on sale that a subscription may
// upgrade to: of its billing mode and currency, dearer than its own plan,
// cheapest first.
func dearerPlans(prod catalog.Product, sub subscription.Subscription) []catalog.Plan {
	i := slices.IndexFunc(prod.Plans, func(pl catalog.Plan) bool { return pl.Code == sub.Plan })
	if i < 0 {
		return nil
	}
	from := prod.Plans[i].Price
	var out []catalog.Plan
	for _, pl := range prod.Plans {
		if pl.Active && pl.Mode == sub.Mode && pl.Price.Currency == from.Currency && pl.Price.Minor > from.Minor {
			out = append(out, pl)
		}
	}
	slices.SortStableFunc(out, func(a, b catalog.Plan) int { return cmp.Compare(a.Price.Minor, b.Price.Minor) })
	return out
}

// explainSubscription says in plain words what a subscription's state means
// and what comes next.
func explainSubscription(p *page, sub subscription.Subscription, loc *time.Location) string {
	end := zonedText(sub.PeriodEnd, loc)
	renewDays, graceDays := int(subscription.RenewBefore.Hours()/24), int(subscription.Grace.Hours()/24)
	switch sub.State {
	case subscription.Trial:
		if sub.AutoRenew {
			return p.T("subs.explain.trial_renew", "End", end)
		}
		return p.T("subs.explain.trial_end", "End", end)
	case subscription.Active:
		if sub.AutoRenew {
			return p.T("subs.explain.active_renew", "End", end, "Days", renewDays)
		}
		return p.T("subs.explain.active_end", "End", end, "Grace", graceDays)
	case subscription.Frozen:
		grace := zonedText(sub.PeriodEnd.Add(subscription.Grace), loc)
		if sub.AutoRenew {
			return p.T("subs.explain.frozen_renew", "End", end, "Until", grace, "Grace", graceDays, "Hours", int(subscription.RetryEvery.Hours()))
		}
		return p.T("subs.explain.frozen", "End", end, "Until", grace, "Grace", graceDays)
	}
	return p.T("subs.explain.released")
}

// zoneLayout is how a time in a subscription's zone is shown; the zone is
// named once beside it (zoneLabel).
const zoneLayout = "2006-01-02 15:04"

// zoned shows a time in the zone in a <time> element.
func zoned(t time.Time, loc *time.Location) template.HTML {
	if t.IsZero() {
		return "—"
	}
	t = t.In(loc)
	// Only digits and fixed letters come out of Format, so this is safe HTML.
	return template.HTML(`<time datetime="` + t.Format(time.RFC3339) + `">` + t.Format(zoneLayout) + `</time>`)
}

// zonedText writes a time in the zone with the zone's name, for a sentence:
// "2026-12-25 10:00 Asia/Shanghai".
func zonedText(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(zoneLayout) + " " + loc.String()
}

// zoneLabel names a zone with its offset at t: "Asia/Shanghai (UTC+08:00)".
func zoneLabel(t time.Time, loc *time.Location) string {
	return loc.String() + " (UTC" + t.In(loc).Format("-07:00") + ")"
}

// share writes num/den as a percentage with one decimal, by integer
// arithmetic: "45.1%".
func share(num, den int64) string {
	if den <= 0 {
		return "0%"
	}
	tenths := (num*1000 + den/2) / den
	return strconv.FormatInt(tenths/10, 10) + "." + strconv.FormatInt(tenths%10, 10) + "%"
}

// available is what the organisation's balance in the currency may spend:
// the balance and its credit limit.
func (s *server) available(ctx context.Context, p *page, orgID string, c money.Currency) (money.Amount, error) {
	list, err := s.svc.Balances(ctx, p.Actor, orgID)
	if err != nil {
		return money.Amount{}, err
	}
	for _, b := range list {
		if b.Amount.Currency == c {
			return b.Amount.Add(b.CreditLimit)
		}
	}
	return money.New(0, c), nil
}

// EndRFC3339 is the end of the term the page shows, for "Renew now" to say
// which term it renews.
func (r subscriptionRow) EndRFC3339() string { return r.PeriodEnd.UTC().Format(time.RFC3339Nano) }
