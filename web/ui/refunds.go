package ui

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
)

// An order's refunds on its page: what its buyer (or an operator) may get
// back now, line by line, under each product's policy said in plain words,
// the form that asks for it, and the refunds made so far (a seller sees
// those of its lines only).

// refundView is the refunds part of an order's page.
type refundView struct {
	// Form says whether the viewer may refund the order (its buyers,
	// operators) and it was paid; then the lines, the total and the form show.
	Form     bool
	Action   string // where the form posts
	Lines    []refundLine
	Total    money.Amount // what may be refunded now, of all lines
	Checks   []option     // the lines that may give something back
	Seen     string       // the order's refunded amount when shown, in minor units: a refund made meanwhile is not repeated
	Past     []refundRow  // oldest first
	Just     string       // the id of the refund just made
	Currency money.Currency
}

// refundLine is a line of the order with its refund policy and what it may
// give back now.
type refundLine struct {
	lineRow
	Refundable money.Amount
	Policy     string // the product's policy, in plain words
}

// refundRow is a refund made, with its parts named.
type refundRow struct {
	store.Refund
	Parts []string // "Lakeside Log Analytics: ¥100.00"
}

// refundView builds the refunds part of the order's page, v.Rows being its
// lines as the viewer sees them.
func (s *server) refundView(ctx context.Context, p *page, v orderView) (refundView, error) {
	o := v.Order
	rv := refundView{Action: v.Back + "/" + url.PathEscape(o.ID) + "/refund", Seen: strconv.FormatInt(o.Refunded.Minor, 10), Currency: o.Currency}
	past, err := s.svc.Refunds(ctx, p.Actor, o.ID)
	if err != nil {
		return rv, err
	}
	names := map[int]string{}
	for _, row := range v.Rows {
		names[row.No] = row.Name
	}
	for _, r := range past {
		row := refundRow{Refund: r}
		for _, l := range r.Lines {
			row.Parts = append(row.Parts, p.T("refund.part", "Name", names[l.No], "Amount", p.Money(money.New(l.Amount, r.Amount.Currency))))
		}
		rv.Past = append(rv.Past, row)
	}
	if !v.Whole || !mayRefund(p, o.BuyerOrgID) || o.PaidAt.IsZero() || v.Scope == "seller" {
		return rv, nil
	}
	q, err := s.svc.Refundable(ctx, p.Actor, o.ID)
	if err != nil {
		return rv, err
	}
	rv.Form, rv.Total = true, q.Total
	for i, row := range v.Rows {
		l := refundLine{lineRow: row, Refundable: money.New(0, o.Currency), Policy: refundPolicy(p, row.Line, o.PaidAt)}
		if i < len(q.Refundable) {
			l.Refundable = q.Refundable[i]
		}
		if l.Refundable.Minor > 0 {
			rv.Checks = append(rv.Checks, option{Value: strconv.Itoa(row.No), Label: row.Name,
				Hint: p.T("refund.may_now", "Amount", p.Money(l.Refundable))})
		}
		rv.Lines = append(rv.Lines, l)
	}
	if p.Form.ID != "refund" { // every line that may give something back, to start with
		for _, c := range rv.Checks {
			p.Form.Lists["lines"] = append(p.Form.Lists["lines"], c.Value)
		}
	}
	return rv, nil
}

// mayRefund reports whether the visitor may refund the customer's orders:
// its buyers, and those who manage its balance (as market.Refund decides).
func mayRefund(p *page, buyerOrgID string) bool {
	r := account.Resource{OrgID: buyerOrgID}
	return account.Can(p.Actor, account.Buy, r) || account.Can(p.Actor, account.ManageBalances, r)
}

// refundPolicy says a line's refund policy in plain words: a full refund
// within its days of payment (order.Line.RefundDays), then the whole months
// or years not begun; a professional service until the seller accepts it;
// nothing for what was not paid now.
func refundPolicy(p *page, l order.Line, paidAt time.Time) string {
	switch {
	case l.Paid.Minor <= 0:
		return p.T("refund.policy.unpaid")
	case l.Type == catalog.TypeService:
		return p.T("refund.policy.service")
	}
	var parts []string
	if l.RefundDays > 0 {
		parts = append(parts, p.T("refund.policy.window", "Count", l.RefundDays, "Until", paidAt.AddDate(0, 0, l.RefundDays).UTC().Format(timeLayout)))
	}
	after := "none"
	if l.Mode == catalog.Monthly || l.Mode == catalog.Yearly {
		after = string(l.Mode)
	}
	if l.RefundDays > 0 {
		parts = append(parts, p.T("refund.policy.after."+after))
	} else {
		parts = append(parts, p.T("refund.policy.only."+after))
	}
	sep := " "
	if p.Chinese() {
		sep = ""
	}
	return strings.Join(parts, sep)
}

// refundNotice confirms the refund of the id just made on the order: how
// much went back to the balance, and the order's state now.
func refundNotice(p *page, v orderView, id string) string {
	for _, r := range v.Refund.Past {
		if r.ID == id {
			return p.T("refund.notice", "Amount", p.Money(r.Amount), "State", p.T("order_state."+string(v.State)))
		}
	}
	return ""
}
