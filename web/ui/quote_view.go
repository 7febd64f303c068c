package ui

import (
	"context"
	"slices"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/seller"
)

// How the cart, the checkout, orders and receipts show priced lines: names in
// the page's language, what was bought for how long, and the amounts.

// lineRow is a priced line as a page shows it.
type lineRow struct {
	order.Line
	Name     string // the product's, in the page's language
	PlanName string // the plan's name, or its code when the product is gone
	Seller   string // the seller's name; "" when unknown
	Region   string // the region's name
	Term     string // "3 months", "One-time", "14-day free trial" …
	OnSale   bool   // the product's page can be opened
	Renews   bool   // asked to renew automatically (a cart's line)
}

// productInfo is what the storefront shows of a product, for naming lines.
type productInfo struct {
	product catalog.Product
	seller  string
	onSale  bool
}

// namer names the products, plans, sellers and regions of lines, looking each
// product up once per page.
type namer struct {
	s       *server
	p       *page
	ctx     context.Context
	seen    map[string]productInfo
	regions map[string]seller.Region
}

func (s *server) namer(ctx context.Context, p *page) (*namer, error) {
	_, regions, err := s.regionIndex(ctx)
	if err != nil {
		return nil, err
	}
	return &namer{s: s, p: p, ctx: ctx, seen: map[string]productInfo{}, regions: regions}, nil
}

// product returns the product on sale with the id; onSale false when it is
// not on sale (any more). Only a failure to look it up is an error.
func (n *namer) product(id string) (productInfo, error) {
	if info, ok := n.seen[id]; ok {
		return info, nil
	}
	prod, sellerName, err := n.s.svc.PublicProduct(n.ctx, id)
	info := productInfo{product: prod, seller: sellerName, onSale: err == nil}
	if err != nil && !fault.Is(err, fault.NotFound) {
		return info, err
	}
	n.seen[id] = info
	return info, nil
}

// row names a priced line.
func (n *namer) row(l order.Line) (lineRow, error) {
	p := n.p
	info, err := n.product(l.ProductID)
	if err != nil {
		return lineRow{}, err
	}
	r := lineRow{Line: l, Name: p.Choose(l.ProductName.EN, l.ProductName.ZH), PlanName: l.Plan, Seller: info.seller, OnSale: info.onSale}
	if r.Name == "" {
		r.Name = l.ProductID
	}
	if i := slices.IndexFunc(info.product.Plans, func(pl catalog.Plan) bool { return pl.Code == l.Plan }); i >= 0 {
		r.PlanName = p.Choose(info.product.Plans[i].Name.EN, info.product.Plans[i].Name.ZH)
	}
	if names := regionNames(p, n.regions, []string{l.Region}); l.Region != "" {
		r.Region = names[0]
	}
	r.Term = p.term(l.Mode, l.Periods, l.Trial, l.TrialDays)
	return r, nil
}

// rows names the lines of an order or a quote.
func (n *namer) rows(lines []order.Line) ([]lineRow, error) {
	out := make([]lineRow, 0, len(lines))
	for _, l := range lines {
		r, err := n.row(l)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// term says for how long a line is bought: "3 months", "1 year", "One-time",
// "Paid by usage", "14-day free trial".
func (p *page) term(mode catalog.BillingMode, periods int, trial bool, trialDays int) string {
	switch {
	case trial:
		return p.T("line.trial", "Count", trialDays)
	case mode == catalog.Monthly:
		return p.T("line.months", "Count", max(periods, 1))
	case mode == catalog.Yearly:
		return p.T("line.years", "Count", max(periods, 1))
	case mode == catalog.PayPerUse:
		return p.T("line.usage")
	}
	return p.T("mode." + string(mode))
}

// maxPeriods is how many periods of a plan may be bought at once; 0 for plans
// that have none.
func maxPeriods(m catalog.BillingMode) int {
	switch m {
	case catalog.Monthly:
		return order.MaxMonths
	case catalog.Yearly:
		return order.MaxYears
	}
	return 0
}

// cartRow is a line of a cart: what the buyer asked for, priced when it can
// be, else with the reason it cannot.
type cartRow struct {
	lineRow
	Index      int // its place in the cart, from 0
	Req        order.LineRequest
	MaxPeriods int    // of its plan; 0 when it has no periods
	Yearly     bool   // its periods are years, not months
	Error      string // translated, when the line cannot be bought
}

// quotedCart is a cart priced for the cart and checkout pages.
type quotedCart struct {
	Rows   []cartRow
	Quote  order.Quote
	Priced bool   // every line priced, and the cart as a whole
	Alert  string // translated, when the cart as a whole cannot be bought
}

// quoteCart prices a cart line by line, so that every line that cannot be
// bought says why, then as a whole. Only failures to price (not a product
// that left the storefront) are errors.
func (s *server) quoteCart(ctx context.Context, p *page, lines []order.LineRequest) (quotedCart, error) {
	var qc quotedCart
	n, err := s.namer(ctx, p)
	if err != nil {
		return qc, err
	}
	ok := len(lines) > 0
	for i, req := range lines {
		row := cartRow{Index: i, Req: req}
		info, err := n.product(req.ProductID)
		if err != nil {
			return qc, err
		}
		row.Name, row.PlanName, row.Quantity = req.ProductID, req.Plan, max(req.Quantity, 1)
		if info.onSale {
			row.Name = p.Choose(info.product.Name.EN, info.product.Name.ZH)
			if j := slices.IndexFunc(info.product.Plans, func(pl catalog.Plan) bool { return pl.Code == req.Plan }); j >= 0 {
				row.MaxPeriods = maxPeriods(info.product.Plans[j].Mode)
				row.Yearly = info.product.Plans[j].Mode == catalog.Yearly
			}
		}
		q, err := s.svc.Quote(ctx, []order.LineRequest{req})
		if e := fault.As(err); e != nil && e.Code != fault.Internal {
			row.Error, ok = p.faultText(e), false
		} else if err != nil {
			return qc, err
		} else if row.lineRow, err = n.row(q.Lines[0]); err != nil {
			return qc, err
		}
		if req.Trial {
			row.MaxPeriods = 0
		}
		row.Renews = req.AutoRenew && row.MaxPeriods > 0
		qc.Rows = append(qc.Rows, row)
	}
	if !ok {
		return qc, nil
	}
	q, err := s.svc.Quote(ctx, lines)
	if e := fault.As(err); e != nil && e.Code != fault.Internal {
		qc.Alert = p.faultText(e)
		return qc, nil
	}
	if err != nil {
		return qc, err
	}
	for i := range qc.Rows {
		qc.Rows[i].Line = q.Lines[i]
	}
	qc.Quote, qc.Priced = q, true
	return qc, nil
}

// Signed writes an amount that may be below zero (a balance using its
// credit) with the minus sign before the currency: "−¥100.00".
func (p *page) Signed(a money.Amount) string {
	if a.IsNegative() {
		return "−" + p.Money(a.Neg())
	}
	return p.Money(a)
}

// Delta writes a movement of money with its sign: "+¥5,000.00", "−¥897.00".
func (p *page) Delta(a money.Amount) string {
	if a.IsNegative() {
		return p.Signed(a)
	}
	return "+" + p.Money(a)
}

// totalsView is a quote's totals with what its last line says: what is to
// pay (a cart, a checkout) or what was paid (an order).
type totalsView struct {
	order.Quote
	Paid bool
}

// Totals readies a quote's totals for the "totals" template.
func (p *page) Totals(q order.Quote, paid bool) totalsView { return totalsView{Quote: q, Paid: paid} }
