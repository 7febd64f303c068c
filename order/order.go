// Package order holds the rules of buying: pricing a cart into a quote, the
// states of an order, and the ledger postings that pay for it. Pure: the
// market package loads the products and stores the results.
package order

import (
	"slices"
	"strconv"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
)

// Kind says what an order is for.
type Kind string

const (
	New     Kind = "new"
	Renewal Kind = "renewal"
	Upgrade Kind = "upgrade"
)

// State is where an order is: pending → paid → delivering → delivered |
// delivery_failed → refunded (partly or wholly).
type State string

const (
	Pending           State = "pending"
	Paid              State = "paid"
	Delivering        State = "delivering"
	Delivered         State = "delivered"
	DeliveryFailed    State = "delivery_failed"
	PartiallyRefunded State = "partially_refunded"
	Refunded          State = "refunded"
)

// Limits on a cart.
const (
	MaxLines      = 20
	MaxQuantity   = 1000
	MaxMonths     = 36 // periods of a monthly plan bought at once
	MaxYears      = 5  // periods of a yearly plan bought at once
	CommissionBPS = 1000
)

// LineRequest is one line of a cart as the buyer asks for it.
type LineRequest struct {
	ProductID string `json:"product_id"`
	Plan      string `json:"plan"`                 // the plan's code
	Quantity  int    `json:"quantity"`             // units (instances, seats); 1 when 0
	Periods   int    `json:"periods,omitempty"`    // months or years for subscriptions; 1 when 0
	Region    string `json:"region,omitempty"`     // where it is delivered; the product's only region when ""
	Trial     bool   `json:"trial,omitempty"`      // start with the plan's free trial
	AutoRenew bool   `json:"auto_renew,omitempty"` // renew a monthly or yearly plan from the balance before it ends
	// Flavor is the server size of an image line (package delivery/ecs
	// names them); the market fills in the smallest that fits when "".
	// Other types have none.
	Flavor string `json:"flavor,omitempty"`
}

// Offer is what the market knows of a line's product when pricing it: the
// product on sale (its published revision) and its seller.
type Offer struct {
	Product catalog.Product
	Seller  string // the seller's organisation id
}

// Line is a priced line of a quote or an order.
type Line struct {
	No          int                 `json:"no"`
	ProductID   string              `json:"product_id"`
	ProductName catalog.Text        `json:"product_name"`
	Type        catalog.Type        `json:"type"`
	SellerOrgID string              `json:"seller_org_id"`
	Plan        string              `json:"plan"`
	Mode        catalog.BillingMode `json:"mode"`
	Quantity    int                 `json:"quantity"`
	Periods     int                 `json:"periods"`
	Region      string              `json:"region"`
	Trial       bool                `json:"trial"`
	TrialDays   int                 `json:"trial_days"`
	UnitPrice   money.Amount        `json:"unit_price"` // per unit and period (per usage unit for pay-per-use)
	List        money.Amount        `json:"list"`       // unit price × quantity × periods; zero when paid later (usage, trial)
	Discount    money.Amount        `json:"discount"`
	Paid        money.Amount        `json:"paid"`             // list − discount
	Refunded    money.Amount        `json:"refunded"`         // given back so far
	RefundDays  int                 `json:"refund_days"`      // the product's full-refund window when bought
	Flavor      string              `json:"flavor,omitempty"` // an image line's server size
	// PartnerMargin is a channel partner's share of the line's price when a
	// partner sold it (WithPartnerMargins); zero otherwise, and then not
	// stored.
	PartnerMargin money.Amount `json:"partner_margin,omitzero"`
}

// Quote is a priced cart: its lines and totals in one currency.
type Quote struct {
	Currency money.Currency `json:"currency"`
	Lines    []Line         `json:"lines"`
	List     money.Amount   `json:"list"`
	Discount money.Amount   `json:"discount"`
	Payable  money.Amount   `json:"payable"`
}

// Order is a quote a buyer placed.
type Order struct {
	ID          string
	BuyerOrgID  string
	BuyerUserID string
	Kind        Kind
	Channel     string // direct, campaign:<id>, partner:<id>, test
	State       State
	// SubscriptionID is the subscription a renewal or upgrade order extends
	// or changes.
	SubscriptionID string
	// CouponID is the coupon the order was paid with, "" for none.
	CouponID string
	Quote
	Refunded money.Amount // given back so far, of Payable
	PlacedAt time.Time
	PaidAt   time.Time
}

// TestChannel is the channel of a test purchase: a seller organisation
// buying its own products with test credit (market.PlaceTestOrder). A test
// order is paid from the seller's test balance back to the marketplace's
// test-credit account (PaymentEntries), so no seller is owed anything for it,
// and it is never a transaction: no sales figure or campaign counts it.
const TestChannel = "test"

// Price prices a cart. offers holds the product on sale of each line, by
// product id (a missing one is not for sale).
//
// Errors: Invalid on lines (error.cart_empty, error.cart_long), lines[i]
// (error.not_on_sale), lines[i].plan (error.plan_unknown), lines[i].quantity
// (error.quantity), lines[i].periods (error.periods), lines[i].region
// (error.region_not_sold), lines[i].trial (error.trial_none),
// lines[i].flavor (error.flavor_not_image: a flavour on a line that is not an
// image; an image line's flavour is checked by the market, which knows the
// compute flavours, before pricing), currency
// (error.currency_mixed: lines in different currencies); Overflow.
func Price(req []LineRequest, offers map[string]Offer) (Quote, error) {
	if len(req) == 0 {
		return Quote{}, fault.Field("lines", "error.cart_empty", "add at least one product to the cart")
	}
	if len(req) > MaxLines {
		return Quote{}, fault.Field("lines", "error.cart_long", "a cart holds at most 20 lines")
	}
	var q Quote
	for i, r := range req {
		l, err := priceLine(i, r, offers)
		if err != nil {
			return Quote{}, err
		}
		if q.Currency == "" {
			q.Currency = l.UnitPrice.Currency
		} else if q.Currency != l.UnitPrice.Currency {
			return Quote{}, fault.Field("currency", "error.currency_mixed", "all lines of an order are paid in one currency: place one order per currency")
		}
		q.Lines = append(q.Lines, l)
	}
	return Totalled(q.Currency, q.Lines)
}

// Totalled is the quote of priced lines in the currency: their sums.
//
// Errors: Invalid (error.amount_overflow).
func Totalled(c money.Currency, lines []Line) (Quote, error) {
	q := Quote{Currency: c, Lines: lines}
	var err error
	q.List, q.Discount, q.Payable = money.New(0, q.Currency), money.New(0, q.Currency), money.New(0, q.Currency)
	for _, l := range q.Lines {
		if q.List, err = q.List.Add(l.List); err != nil {
			return Quote{}, overflow(err)
		}
		if q.Discount, err = q.Discount.Add(l.Discount); err != nil {
			return Quote{}, overflow(err)
		}
		if q.Payable, err = q.Payable.Add(l.Paid); err != nil {
			return Quote{}, overflow(err)
		}
	}
	return q, nil
}

func overflow(err error) error {
	return fault.Field("lines", "error.amount_overflow", "the amounts are too large: buy fewer units or periods")
}

func priceLine(i int, r LineRequest, offers map[string]Offer) (Line, error) {
	field := func(f string) string { return "lines[" + strconv.Itoa(i) + "]" + f }
	off, ok := offers[r.ProductID]
	if !ok {
		return Line{}, fault.Field(field(""), "error.not_on_sale", "this product is not on sale")
	}
	p := off.Product
	idx := slices.IndexFunc(p.Plans, func(pl catalog.Plan) bool { return pl.Code == r.Plan && pl.Active })
	if idx < 0 {
		return Line{}, fault.Field(field(".plan"), "error.plan_unknown", "choose one of the product's plans on sale")
	}
	pl := p.Plans[idx]
	l := Line{No: i + 1, ProductID: p.ID, ProductName: p.Name, Type: p.Type, SellerOrgID: off.Seller, Plan: pl.Code, Mode: pl.Mode,
		Quantity: max(r.Quantity, 1), Periods: max(r.Periods, 1), Region: r.Region, Trial: r.Trial, RefundDays: DefaultRefundDays, Flavor: r.Flavor}
	if r.Flavor != "" && p.Type != catalog.TypeImage {
		return Line{}, fault.Field(field(".flavor"), "error.flavor_not_image", "only an image product is bought with a server flavour")
	}
	if p.RefundDays != nil {
		l.RefundDays = *p.RefundDays
	}
	if r.Quantity < 0 || l.Quantity > MaxQuantity {
		return Line{}, fault.Field(field(".quantity"), "error.quantity", "buy between 1 and 1,000 units")
	}
	switch {
	case r.Periods < 0,
		pl.Mode == catalog.Monthly && l.Periods > MaxMonths,
		pl.Mode == catalog.Yearly && l.Periods > MaxYears,
		(pl.Mode == catalog.OneTime || pl.Mode == catalog.PayPerUse) && l.Periods != 1:
		return Line{}, fault.Field(field(".periods"), "error.periods", "buy 1–36 months of a monthly plan, 1–5 years of a yearly one; other plans have no periods")
	}
	if l.Region == "" && len(p.Regions) == 1 {
		l.Region = p.Regions[0]
	}
	if !slices.Contains(p.Regions, l.Region) {
		return Line{}, fault.Field(field(".region"), "error.region_not_sold", "choose a region where the product is sold")
	}
	price, _ := pl.ListPrice()
	l.UnitPrice = price
	l.List, l.Discount, l.Paid = money.New(0, price.Currency), money.New(0, price.Currency), money.New(0, price.Currency)
	if r.Trial {
		if pl.TrialDays == 0 {
			return Line{}, fault.Field(field(".trial"), "error.trial_none", "this plan has no free trial")
		}
		l.TrialDays, l.Periods = pl.TrialDays, 1
		return l, nil // nothing to pay now: the first period is charged when the trial ends
	}
	if pl.Mode == catalog.PayPerUse {
		return l, nil // paid by reported usage
	}
	list, err := price.Times(int64(l.Quantity))
	if err == nil {
		list, err = list.Times(int64(l.Periods))
	}
	if err != nil {
		return Line{}, overflow(err)
	}
	l.List, l.Paid = list, list
	return l, nil
}

// PaymentEntries are the ledger entries that pay an order from the buyer's
// balance: the buyer's balance goes down by what it pays; each seller's
// payable goes up by its lines' prices before their discounts (paid +
// discount) less the commission (CommissionBPS basis points of that price,
// rounded half away from zero), which goes to the marketplace; the
// marketplace's discounts account pays the discounts (a campaign coupon's,
// which the marketplace funds), so a coupon never lowers a seller's share.
//
// A line a channel partner sold (Line.PartnerMargin, docs/benefits.md) pays
// the margin to the partner's payable out of the seller's share: the
// commission is taken on the price less the margin, and the seller gets the
// rest, so customer −P, partner +M, marketplace +C and seller +(P−M−C) sum to
// zero exactly.
//
// A test order (TestChannel) is paid from the buyer's test balance into the
// marketplace's test-credit account, and that is all: no payable, no
// commission, since credit the marketplace granted must not turn into money
// owed to the seller.
func (o Order) PaymentEntries() ([]ledger.Entry, error) {
	if o.Channel == TestChannel {
		return testEntries(o.BuyerOrgID, o.Payable.Neg()), nil
	}
	var entries []ledger.Entry
	if !o.Payable.IsZero() {
		entries = append(entries, ledger.Entry{Account: ledger.Customer(o.BuyerOrgID), Amount: o.Payable.Neg()})
	}
	for _, l := range o.Lines {
		price, err := l.PriceBeforeDiscount()
		if err != nil {
			return nil, err
		}
		if price.IsZero() {
			continue
		}
		base, err := l.commissionBase(price)
		if err != nil {
			return nil, err
		}
		fee, err := base.Ratio(CommissionBPS, 10_000)
		if err != nil {
			return nil, err
		}
		net, err := base.Sub(fee)
		if err != nil {
			return nil, err
		}
		entries = append(entries,
			ledger.Entry{Account: ledger.SellerPayable(l.SellerOrgID), Amount: net},
			ledger.Entry{Account: ledger.Commission, Amount: fee})
		if !l.PartnerMargin.IsZero() {
			entries = append(entries, ledger.Entry{Account: ledger.PartnerPayable(o.PartnerOrgID()), Amount: l.PartnerMargin})
		}
		if !l.Discount.IsZero() {
			entries = append(entries, ledger.Entry{Account: ledger.Discounts, Amount: l.Discount.Neg()})
		}
	}
	return ledger.Net(entries), nil // drops the entries that come to zero
}

// testEntries move amount onto a seller's test balance (negative: off it)
// from the marketplace's test-credit account; none for zero.
func testEntries(orgID string, amount money.Amount) []ledger.Entry {
	if amount.IsZero() {
		return nil
	}
	return []ledger.Entry{{Account: ledger.TestCredit(orgID), Amount: amount}, {Account: ledger.TestCreditFunds, Amount: amount.Neg()}}
}

// PriceBeforeDiscount is what the line costs before its discount: its paid
// amount plus its discount. The seller's share and the commission are
// computed on it.
//
// Errors: money.ErrMismatch, money.ErrOverflow.
func (l Line) PriceBeforeDiscount() (money.Amount, error) {
	if l.Discount.IsZero() {
		return l.Paid, nil
	}
	return l.Paid.Add(l.Discount)
}
