package ui

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/subscription"
	"github.com/cloudmart/cloudmart/web/status"
)

// upgradeView is the price of moving a subscription to a dearer plan for the
// rest of its term, shown before the buyer confirms it.
type upgradeView struct {
	Row       subscriptionRow
	Plan      string // the code of the plan to move to
	ToName    string
	FromPrice string // the plans' prices: "¥299.00 / month"
	ToPrice   string
	Diff      money.Amount // per unit and period
	Yearly    bool         // the periods are years
	Left      string       // the share of the term left: "45.1%"
	Price     money.Amount // to pay now
	Available money.Amount // what the balance may spend, in the price's currency
	Missing   money.Amount // what it lacks; zero when it covers the price
	Covers    bool
}

// subscriptionUpgrade shows what moving to the chosen plan costs now, with
// the form that confirms it; a plan that is no upgrade comes back by the
// subscription's select on the list.
func (s *server) subscriptionUpgrade(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("sub:"+id, r, "plan")
	v, err := s.upgradeView(r.Context(), p, id, p.Form.Values["plan"])
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showSubscriptions(w, r, p, status) })
		return
	}
	p.Form = emptyForm("upgrade")
	s.showUpgrade(w, r, p, http.StatusOK, v)
}

func (s *server) showUpgrade(w http.ResponseWriter, r *http.Request, p *page, status int, v upgradeView) {
	p.Title, p.Data = "subs.upgrade.title", v
	s.render(w, r, p, status, "subscription_upgrade")
}

// subscriptionUpgradeConfirm moves the subscription to the plan and pays
// the difference from the balance (an upgrade order), then shows that order.
// A price higher than the one shown, or a balance that does not cover it,
// comes back on the price's page, and nothing is charged.
func (s *server) subscriptionUpgradeConfirm(w http.ResponseWriter, r *http.Request, p *page) {
	ctx := r.Context()
	id := r.PathValue("id")
	p.Form = newForm("sub:"+id, r, "plan", "price")
	plan := p.Form.Values["plan"]
	shown, ok := parseAmount(p.Form.Values["price"])
	// Keyed by the page's form (the plan and the price it showed): sent twice,
	// it upgrades once and shows the same order.
	key := "form:" + plan + ":" + shown.String()
	v, err := s.upgradeView(ctx, p, id, plan)
	if fault.Is(err, fault.Invalid) && ok {
		// No upgrade any more: the same form made it already?
		if o, rerr := s.svc.Upgrade(ctx, p.Actor, id, plan, key); rerr == nil {
			redirect(w, r, "/orders/"+url.PathEscape(o.ID)+"?done=upgraded")
			return
		}
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showSubscriptions(w, r, p, status) })
		return
	}
	p.Form = emptyForm("upgrade")
	again := func(code, alert string) {
		p.Form.Alert = alert
		s.showUpgrade(w, r, p, status.Of(code), v)
	}
	if !ok || shown.Currency != v.Price.Currency || v.Price.Minor > shown.Minor {
		again(fault.Conflict, p.T("subs.upgrade.price_changed", "Price", p.Money(v.Price)))
		return
	}
	o, err := s.svc.Upgrade(ctx, p.Actor, id, plan, key)
	switch e := fault.As(err); {
	case err == nil:
	case e == nil || e.Code == fault.Internal || e.Code == fault.NotFound || e.Code == fault.Forbidden:
		s.fail(w, r, p, err)
		return
	case e.Code == fault.InsufficientFunds:
		again(e.Code, p.T("subs.upgrade.insufficient"))
		return
	default:
		again(e.Code, p.faultText(e))
		return
	}
	redirect(w, r, "/orders/"+url.PathEscape(o.ID)+"?done=upgraded")
}

// parseAmount reads an amount written by money.Amount.String: "CNY 405.49".
func parseAmount(s string) (money.Amount, bool) {
	c, dec, ok := strings.Cut(s, " ")
	if !ok {
		return money.Amount{}, false
	}
	a, err := money.Parse(dec, money.Currency(c))
	return a, err == nil
}

// upgradeView prices moving the buyer organisation's subscription to the
// plan now, as market.Upgrade will (subscription.UpgradePrice).
//
// Errors: NotFound; Invalid on plan (error.upgrade_lower); InvalidState
// (error.upgrade_state).
func (s *server) upgradeView(ctx context.Context, p *page, id, plan string) (upgradeView, error) {
	var v upgradeView
	org := buyerOrg(p.Actor)
	if org.OrgID == "" {
		return v, forbidden
	}
	subs, err := s.svc.Subscriptions(ctx, p.Actor, org.OrgID)
	if err != nil {
		return v, err
	}
	i := slices.IndexFunc(subs, func(sub subscription.Subscription) bool { return sub.ID == id })
	if i < 0 {
		return v, fault.New(fault.NotFound, "no such subscription")
	}
	sub := subs[i]
	n, err := s.namer(ctx, p)
	if err != nil {
		return v, err
	}
	if v.Row, err = s.subscriptionRow(ctx, p, n, sub); err != nil {
		return v, err
	}
	if sub.State != subscription.Active {
		return v, &fault.Error{Code: fault.InvalidState, MsgID: "error.upgrade_state", Message: "only an active subscription can be upgraded"}
	}
	info, err := n.product(sub.ProductID)
	if err != nil {
		return v, err
	}
	notDearer := fault.Field("plan", "error.upgrade_lower", "choose a dearer plan of the same billing mode and currency")
	if !info.onSale {
		return v, notDearer
	}
	dearer := dearerPlans(info.product, sub)
	j := slices.IndexFunc(info.product.Plans, func(pl catalog.Plan) bool { return pl.Code == sub.Plan })
	k := slices.IndexFunc(dearer, func(pl catalog.Plan) bool { return pl.Code == plan })
	if j < 0 || k < 0 {
		return v, notDearer
	}
	from, to := info.product.Plans[j], dearer[k]
	now := s.svc.Now()
	if v.Price, err = subscription.UpgradePrice(sub, from.Price, to.Price, now); err != nil {
		return v, err
	}
	v.Plan, v.ToName, v.FromPrice, v.ToPrice = to.Code, p.Choose(to.Name.EN, to.Name.ZH), p.PlanPrice(from), p.PlanPrice(to)
	v.Diff, _ = to.Price.Sub(from.Price) // one currency: dearerPlans
	v.Yearly = sub.Mode == catalog.Yearly
	v.Left = share(int64(sub.PeriodEnd.Sub(now)/time.Second), int64(sub.PeriodEnd.Sub(sub.PeriodStart)/time.Second))
	if v.Available, err = s.available(ctx, p, org.OrgID, v.Price.Currency); err != nil {
		return v, err
	}
	v.Missing = money.New(0, v.Price.Currency)
	if missing, err := v.Price.Sub(v.Available); err == nil && missing.Minor > 0 {
		v.Missing = missing
	}
	v.Covers = v.Missing.IsZero()
	return v, nil
}
