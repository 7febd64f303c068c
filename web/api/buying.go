package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
)

// CartLine is one line of a cart as the buyer asks for it. The limits are
// the cart's rules (docs/buying.md), checked when it is priced: a line that
// breaks one is refused with 400 naming it ("lines[0].periods").
type CartLine struct {
	ProductID string `json:"product_id" maxLength:"64" doc:"A product on sale"`
	Plan      string `json:"plan" maxLength:"64" doc:"The plan's code" example:"monthly"`
	Quantity  int    `json:"quantity,omitempty" doc:"Units (instances, seats): 1–1,000; 1 when left out" example:"2"`
	Periods   int    `json:"periods,omitempty" doc:"Months of a monthly plan (1–36) or years of a yearly one (1–5); none for other plans; 1 when left out" example:"3"`
	Region    string `json:"region,omitempty" maxLength:"64" doc:"Where it is delivered: one of the product's regions; may be left out when it has only one" example:"cn-north-4"`
	Trial     bool   `json:"trial,omitempty" doc:"Start with the plan's free trial: nothing is paid now"`
	AutoRenew bool   `json:"auto_renew,omitempty" doc:"Renew a monthly or yearly plan from the balance before its term ends"`
	Flavor    string `json:"flavor,omitempty" maxLength:"64" doc:"An image product's server flavour, no smaller than the image's minimum (docs/compute.md); the smallest that fits when left out. Other products take none" example:"c7.large.2"`
}

func lineRequests(lines []CartLine) []order.LineRequest {
	out := make([]order.LineRequest, 0, len(lines))
	for _, l := range lines {
		out = append(out, order.LineRequest{ProductID: l.ProductID, Plan: l.Plan, Quantity: l.Quantity, Periods: l.Periods, Region: l.Region, Trial: l.Trial, AutoRenew: l.AutoRenew, Flavor: l.Flavor})
	}
	return out
}

// OrgRef names an organisation by its id.
type OrgRef struct {
	ID string `json:"id" example:"org_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
}

// OrderLine is a priced line of a quote or an order.
type OrderLine struct {
	No          int    `json:"no" doc:"The line's number in the cart, from 1"`
	ProductID   string `json:"product_id"`
	ProductName Texts  `json:"product_name"`
	Type        string `json:"type" enum:"image,saas,license,professional_service"`
	Seller      OrgRef `json:"seller"`
	Plan        string `json:"plan" example:"monthly"`
	Mode        string `json:"mode" enum:"one_time,monthly,yearly,pay_per_use"`
	Quantity    int    `json:"quantity"`
	Periods     int    `json:"periods"`
	Region      string `json:"region"`
	Trial       bool   `json:"trial"`
	TrialDays   int    `json:"trial_days" doc:"Days of free trial when trial; the first period is charged when it ends"`
	UnitPrice   Money  `json:"unit_price" doc:"Per unit and period (per usage unit for pay-per-use)"`
	List        Money  `json:"list" doc:"unit_price × quantity × periods; zero when paid later (a trial, pay-per-use)"`
	Discount    Money  `json:"discount"`
	Paid        Money  `json:"paid" doc:"list − discount: what the line costs now"`
	Refunded    Money  `json:"refunded" doc:"Given back of paid so far; zero in a quote"`
	Flavor      string `json:"flavor,omitempty" doc:"An image line's server flavour" example:"c7.large.2"`
}

func orderLinesOf(lines []order.Line) []OrderLine {
	out := make([]OrderLine, 0, len(lines))
	for _, l := range lines {
		out = append(out, OrderLine{No: l.No, ProductID: l.ProductID, ProductName: Texts{EN: l.ProductName.EN, ZH: l.ProductName.ZH},
			Type: string(l.Type), Seller: OrgRef{ID: l.SellerOrgID}, Plan: l.Plan, Mode: string(l.Mode), Quantity: l.Quantity,
			Periods: l.Periods, Region: l.Region, Trial: l.Trial, TrialDays: l.TrialDays, UnitPrice: moneyOf(l.UnitPrice),
			List: moneyOf(l.List), Discount: moneyOf(l.Discount), Paid: moneyOf(l.Paid), Refunded: moneyOf(refunded(l.Refunded, l.Paid.Currency)),
			Flavor: l.Flavor})
	}
	return out
}

// Quote is a priced cart.
type Quote struct {
	Currency string      `json:"currency" example:"CNY"`
	Lines    []OrderLine `json:"lines"`
	List     Money       `json:"list"`
	Discount Money       `json:"discount"`
	Payable  Money       `json:"payable" doc:"What placing the order would take from the balance now"`
}

// Order is a placed order. A seller sees only the lines of its own products,
// and totals of those.
type Order struct {
	ID         string      `json:"id" example:"ord_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	BuyerOrgID string      `json:"buyer_org_id"`
	Kind       string      `json:"kind" enum:"new,renewal,upgrade"`
	Channel    string      `json:"channel" doc:"direct, campaign:<id> or partner:<id>" example:"direct"`
	State      string      `json:"state" enum:"pending,paid,delivering,delivered,delivery_failed,partially_refunded,refunded"`
	Currency   string      `json:"currency" example:"CNY"`
	Lines      []OrderLine `json:"lines"`
	List       Money       `json:"list"`
	Discount   Money       `json:"discount"`
	Paid       Money       `json:"paid"`
	Refunded   Money       `json:"refunded" doc:"Given back of paid so far"`
	// SubscriptionID names the subscription a renewal or upgrade extends or changes.
	SubscriptionID string     `json:"subscription_id,omitempty" doc:"For kinds renewal and upgrade: the subscription it extends or changes"`
	PlacedAt       time.Time  `json:"placed_at"`
	PaidAt         *time.Time `json:"paid_at" nullable:"true" doc:"Null until paid"`
}

// refunded is an amount refunded, zero in the currency when none is recorded
// (a quote, an order read before refunds).
func refunded(a money.Amount, c money.Currency) money.Amount {
	if a.Currency == "" {
		return money.New(0, c)
	}
	return a
}

func orderOf(o order.Order) Order {
	out := Order{ID: o.ID, BuyerOrgID: o.BuyerOrgID, Kind: string(o.Kind), Channel: o.Channel, State: string(o.State),
		Currency: string(o.Currency), Lines: orderLinesOf(o.Lines), List: moneyOf(o.List), Discount: moneyOf(o.Discount),
		Paid: moneyOf(o.Payable), Refunded: moneyOf(refunded(o.Refunded, o.Currency)), SubscriptionID: o.SubscriptionID, PlacedAt: o.PlacedAt}
	if !o.PaidAt.IsZero() {
		t := o.PaidAt
		out.PaidAt = &t
	}
	return out
}

// Receipt is what a buyer keeps of a paid order.
type Receipt struct {
	Marketplace   string      `json:"marketplace" example:"cloudmart"`
	OrderID       string      `json:"order_id"`
	BuyerOrgID    string      `json:"buyer_org_id"`
	BuyerOrgName  string      `json:"buyer_org_name" example:"Tianhe Retail 天河零售"`
	State         string      `json:"state" enum:"pending,paid,delivering,delivered,delivery_failed,partially_refunded,refunded"`
	PlacedAt      time.Time   `json:"placed_at"`
	PaidAt        time.Time   `json:"paid_at"`
	Currency      string      `json:"currency" example:"CNY"`
	Lines         []OrderLine `json:"lines"`
	List          Money       `json:"list"`
	Discount      Money       `json:"discount"`
	Paid          Money       `json:"paid"`
	PaymentMethod string      `json:"payment_method" example:"prepaid balance"`
	PostingID     string      `json:"posting_id" doc:"The ledger posting that paid the order; empty when nothing was paid (a free trial, pay-per-use)" example:"pst_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
}

// Balance is a customer's prepaid balance in one currency.
type Balance struct {
	Currency    string    `json:"currency" example:"CNY"`
	Balance     Money     `json:"balance" doc:"Negative while the credit limit is used"`
	CreditLimit Money     `json:"credit_limit" doc:"How far below zero the balance may go"`
	Available   Money     `json:"available" doc:"balance + credit_limit: the most an order may cost now"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func balanceOf(b store.Balance) (Balance, error) {
	avail, err := b.Amount.Add(b.CreditLimit)
	if err != nil {
		return Balance{}, err
	}
	return Balance{Currency: string(b.Amount.Currency), Balance: moneyOf(b.Amount), CreditLimit: moneyOf(b.CreditLimit),
		Available: moneyOf(avail), UpdatedAt: b.UpdatedAt}, nil
}

// StatementEntry is one movement of a balance.
type StatementEntry struct {
	PostingID string    `json:"posting_id"`
	Kind      string    `json:"kind" enum:"top_up,payment,refund,reversal"`
	Ref       string    `json:"ref" doc:"What it is for: the order id of a payment; top_up:<org>:<reference> of a top-up; the reversed posting of a reversal"`
	Memo      string    `json:"memo" doc:"The operator's note of a top-up"`
	Amount    Money     `json:"amount" doc:"Positive into the balance, negative out of it"`
	At        time.Time `json:"at"`
}

type quoteInput struct {
	Body struct {
		Lines []CartLine `json:"lines" doc:"1–20 lines, all priced in one currency"`
	}
}

type quoteOutput struct{ Body Quote }

type placeOrderInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"Send one (a UUID, say) with every new order and the same one when retrying it: the order is placed once"`
	Body           struct {
		OrgID string     `json:"org_id,omitempty" maxLength:"64" doc:"The customer organisation that buys; may be left out when the caller is a buyer in only one"`
		Lines []CartLine `json:"lines" doc:"1–20 lines, all priced in one currency"`
		// A coupon and a campaign's page (docs/campaigns.md).
		CouponID string `json:"coupon_id,omitempty" maxLength:"64" doc:"One of the organisation's coupons to pay with: its discount is taken off the lines it applies to"`
		Channel  string `json:"channel,omitempty" maxLength:"80" doc:"direct (the default), or campaign:<id> when bought through an active campaign's page"`
	}
}

type placedOrderOutput struct {
	Status   int
	Location string `header:"Location" doc:"The order's address"`
	Replayed string `header:"Idempotent-Replayed" doc:"true when the order was placed before with this Idempotency-Key and this answer repeats it"`
	Body     Order
}

type orderOutput struct{ Body Order }

type orderIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type receiptOutput struct{ Body Receipt }

type ordersOutput struct {
	Body struct {
		Orders     []Order `json:"orders"`
		NextBefore string  `json:"next_before,omitempty" doc:"Pass as before for the next, older page; absent on the last"`
	}
}

type purchasesInput struct {
	OrgID  string `query:"org_id" maxLength:"64" doc:"The customer organisation; may be left out when the caller is a buyer in only one. Operators give any"`
	State  string `query:"state" enum:"pending,paid,delivering,delivered,delivery_failed,partially_refunded,refunded"`
	Before string `query:"before" maxLength:"64" doc:"Page back from this order id (next_before of the previous page)"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type salesInput struct {
	State  string `query:"state" enum:"pending,paid,delivering,delivered,delivery_failed,partially_refunded,refunded"`
	Before string `query:"before" maxLength:"64" doc:"Page back from this order id (next_before of the previous page)"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type allOrdersInput struct {
	OrgID       string    `query:"org_id" maxLength:"64" doc:"The buying organisation"`
	SellerOrgID string    `query:"seller_org_id" maxLength:"64" doc:"Orders with a line of this seller's products"`
	State       string    `query:"state" enum:"pending,paid,delivering,delivered,delivery_failed,partially_refunded,refunded"`
	Since       time.Time `query:"since" doc:"Placed at or after this time, RFC 3339"`
	Until       time.Time `query:"until" doc:"Placed before this time, RFC 3339"`
	Before      string    `query:"before" maxLength:"64" doc:"Page back from this order id (next_before of the previous page)"`
	Limit       int       `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

// MaxExport is the most orders one CSV export holds.
const MaxExport = 10_000

type purchasesExportInput struct {
	OrgID  string `query:"org_id" maxLength:"64" doc:"The customer organisation; may be left out when the caller is a buyer in only one. Operators give any"`
	State  string `query:"state" enum:"pending,paid,delivering,delivered,delivery_failed,partially_refunded,refunded"`
	Before string `query:"before" maxLength:"64" doc:"Only orders older than this order id"`
	Limit  int    `query:"limit" minimum:"1" maximum:"10000" default:"10000" doc:"The most orders, newest first"`
}

type salesExportInput struct {
	State  string `query:"state" enum:"pending,paid,delivering,delivered,delivery_failed,partially_refunded,refunded"`
	Before string `query:"before" maxLength:"64" doc:"Only orders older than this order id"`
	Limit  int    `query:"limit" minimum:"1" maximum:"10000" default:"10000" doc:"The most orders, newest first"`
}

// csvOutput is an export, for download.
type csvOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	NextBefore         string `header:"Next-Before" doc:"Present when more orders match than the export holds: pass as before for the rest"`
	Body               []byte
}

type balancesInput struct {
	OrgID string `query:"org_id" maxLength:"64" doc:"The customer organisation; may be left out when the caller is a buyer in only one. Operators give any"`
}

type balancesOutput struct {
	Body struct {
		Balances []Balance `json:"balances" doc:"One per currency the organisation has used, by currency"`
	}
}

type statementInput struct {
	Currency string `path:"currency" maxLength:"3" example:"CNY"`
	OrgID    string `query:"org_id" maxLength:"64" doc:"The customer organisation; may be left out when the caller is a buyer in only one. Operators give any"`
}

type statementOutput struct {
	Body struct {
		Currency string           `json:"currency" example:"CNY"`
		Entries  []StatementEntry `json:"entries" doc:"The newest 200, newest first"`
	}
}

type topUpInput struct {
	ID   string `path:"id" maxLength:"64" doc:"The customer organisation"`
	Body struct {
		Amount    Money  `json:"amount" doc:"What the customer paid in: a positive amount"`
		Reference string `json:"reference" maxLength:"100" doc:"The payment's reference (a bank transfer's): recorded once per customer, so a top-up entered twice is refused (409)" example:"BANK-2026-0042"`
		Note      string `json:"note,omitempty" maxLength:"500"`
	}
}

type balanceOutput struct{ Body Balance }

type creditLimitInput struct {
	ID       string `path:"id" maxLength:"64" doc:"The customer organisation"`
	Currency string `path:"currency" maxLength:"3" example:"CNY"`
	Body     struct {
		Amount string `json:"amount" maxLength:"32" doc:"How far below zero the balance may go, in the path's currency: zero or more" example:"5000.00"`
	}
}

func (h handlers) buying(a huma.API) {
	tags := []string{"Buying"}
	huma.Register(a, huma.Operation{
		OperationID: "quote", Method: http.MethodPost, Path: "/api/v1/quotes",
		Summary: "Price a cart", Tags: tags, MaxBodyBytes: MaxBody, Errors: []int{400},
		Description: "Prices the lines as placing them would, without changing anything; anyone may ask. " +
			"A line that breaks a rule is refused with 400 naming it (lines[0].plan, lines[1].region …).",
	}, func(ctx context.Context, in *quoteInput) (*quoteOutput, error) {
		q, err := h.svc.Quote(ctx, lineRequests(in.Body.Lines))
		if err != nil {
			return nil, err
		}
		return &quoteOutput{Body: Quote{Currency: string(q.Currency), Lines: orderLinesOf(q.Lines), List: moneyOf(q.List),
			Discount: moneyOf(q.Discount), Payable: moneyOf(q.Payable)}}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "place-order", Method: http.MethodPost, Path: "/api/v1/orders", DefaultStatus: http.StatusCreated,
		Summary: "Place an order and pay it from the balance", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 402, 403, 404, 409, 422},
		Description: "Prices the cart and, in one transaction, records the order and pays it from the organisation's prepaid " +
			"balance: 201 with the order and its Location. Send an Idempotency-Key with every new order and the same key when " +
			"retrying after a timeout or a lost answer: the same key with the same body answers 200 with the order placed the " +
			"first time and the header Idempotent-Replayed: true; the same key with another body is refused with 422 " +
			"idempotency_conflict. A balance (with its credit limit) that does not cover the order is refused with 402 " +
			"insufficient_funds and nothing changes, so the same key may be sent again after a top-up. With coupon_id: a coupon that " +
			"is not the organisation's is 404 (error.coupon_unknown); a used one, or a campaign whose budget is spent, 409 conflict " +
			"(error.coupon_used, error.budget_spent).",
		Responses: map[string]*huma.Response{
			"200": {Description: "The order placed before with this Idempotency-Key and this body (Idempotent-Replayed: true)"},
		},
	}, func(ctx context.Context, in *placeOrderInput) (*placedOrderOutput, error) {
		actor := actorOf(ctx)
		org, err := market.BuyingOrg(actor, in.Body.OrgID)
		if err != nil {
			return nil, err
		}
		o, replayed, err := h.svc.PlaceOrder(ctx, actor, market.OrderRequest{OrgID: org, Lines: lineRequests(in.Body.Lines), IdempotencyKey: in.IdempotencyKey,
			CouponID: in.Body.CouponID, Channel: in.Body.Channel})
		if err != nil {
			return nil, err
		}
		out := &placedOrderOutput{Status: http.StatusCreated, Location: orderURL(o.ID), Body: orderOf(o)}
		if replayed {
			out.Status, out.Replayed = http.StatusOK, "true"
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-orders", Method: http.MethodGet, Path: "/api/v1/orders",
		Summary: "A customer organisation's orders, newest first", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "The buyer organisation's orders (its buyers); operators give any org_id.",
	}, func(ctx context.Context, in *purchasesInput) (*ordersOutput, error) {
		list, err := h.purchases(ctx, in.OrgID, store.OrderFilter{State: order.State(in.State), Before: in.Before, Limit: in.Limit})
		if err != nil {
			return nil, err
		}
		return ordersOf(list, in.Limit), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-order", Method: http.MethodGet, Path: "/api/v1/orders/{id}",
		Summary: "One order", Tags: tags, Security: bearer, Errors: []int{401, 404},
		Description: "Whole to its buyer organisation and to operators; to the seller of one of its lines with only the seller's " +
			"lines and their totals. Anyone else gets 404, as for an order that does not exist.",
	}, func(ctx context.Context, in *orderIDInput) (*orderOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		o, err := h.svc.Order(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &orderOutput{Body: orderOf(o)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-order-receipt", Method: http.MethodGet, Path: "/api/v1/orders/{id}/receipt",
		Summary: "A paid order's receipt", Tags: tags, Security: bearer, Errors: []int{401, 404, 409},
		Description: "For the buyer organisation and operators (sellers read the order itself): the marketplace, the buyer, " +
			"the dates, the lines and totals, the payment method and the ledger posting that paid it. 409 invalid_state while " +
			"the order is not paid.",
	}, func(ctx context.Context, in *orderIDInput) (*receiptOutput, error) {
		if err := signedIn(ctx); err != nil {
			return nil, err
		}
		r, err := h.svc.Receipt(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		o := r.Order
		return &receiptOutput{Body: Receipt{Marketplace: r.Marketplace, OrderID: o.ID, BuyerOrgID: o.BuyerOrgID, BuyerOrgName: r.BuyerOrgName,
			State: string(o.State), PlacedAt: o.PlacedAt, PaidAt: o.PaidAt, Currency: string(o.Currency), Lines: orderLinesOf(o.Lines),
			List: moneyOf(o.List), Discount: moneyOf(o.Discount), Paid: moneyOf(o.Payable), PaymentMethod: r.PaymentMethod, PostingID: r.PostingID}}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "export-orders", Method: http.MethodGet, Path: "/api/v1/orders.csv",
		Summary: "Export a customer organisation's orders as CSV", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "The orders GET /api/v1/orders lists, one row per order line (columns in docs/api.md), newest first, " +
			"at most limit orders; when more match, the header Next-Before says where to continue.",
		Responses: csvResponses(),
	}, func(ctx context.Context, in *purchasesExportInput) (*csvOutput, error) {
		f := store.OrderFilter{State: order.State(in.State), Before: in.Before}
		return export("orders.csv", in.Limit, f, func(f store.OrderFilter) ([]order.Order, error) { return h.purchases(ctx, in.OrgID, f) })
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-seller-orders", Method: http.MethodGet, Path: "/api/v1/seller/orders",
		Summary: "Orders for the caller's company's products, newest first", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "Each order with only the lines of the company's products, and their totals.",
	}, func(ctx context.Context, in *salesInput) (*ordersOutput, error) {
		list, err := h.svc.SellerOrders(ctx, actorOf(ctx), store.OrderFilter{State: order.State(in.State), Before: in.Before, Limit: in.Limit})
		if err != nil {
			return nil, err
		}
		return ordersOf(list, in.Limit), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "export-seller-orders", Method: http.MethodGet, Path: "/api/v1/seller/orders.csv",
		Summary: "Export the orders for the caller's company's products as CSV", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "The orders GET /api/v1/seller/orders lists, one row per line of the company's products (columns in " +
			"docs/api.md), newest first, at most limit orders; when more match, the header Next-Before says where to continue.",
		Responses: csvResponses(),
	}, func(ctx context.Context, in *salesExportInput) (*csvOutput, error) {
		f := store.OrderFilter{State: order.State(in.State), Before: in.Before}
		return export("sales.csv", in.Limit, f, func(f store.OrderFilter) ([]order.Order, error) { return h.svc.SellerOrders(ctx, actorOf(ctx), f) })
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-all-orders", Method: http.MethodGet, Path: "/api/v1/ops/orders",
		Summary: "Search every order, newest first (operators)", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
	}, func(ctx context.Context, in *allOrdersInput) (*ordersOutput, error) {
		list, err := h.svc.AllOrders(ctx, actorOf(ctx), store.OrderFilter{BuyerOrgID: in.OrgID, SellerOrgID: in.SellerOrgID,
			State: order.State(in.State), Since: in.Since, Until: in.Until, Before: in.Before, Limit: in.Limit})
		if err != nil {
			return nil, err
		}
		return ordersOf(list, in.Limit), nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-balances", Method: http.MethodGet, Path: "/api/v1/balances",
		Summary: "A customer organisation's prepaid balances", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "One per currency it has used (its buyers; operators give any org_id).",
	}, func(ctx context.Context, in *balancesInput) (*balancesOutput, error) {
		org, err := market.BuyingOrg(actorOf(ctx), in.OrgID)
		if err != nil {
			return nil, err
		}
		list, err := h.svc.Balances(ctx, actorOf(ctx), org)
		if err != nil {
			return nil, err
		}
		out := &balancesOutput{}
		out.Body.Balances = make([]Balance, 0, len(list))
		for _, b := range list {
			v, err := balanceOf(b)
			if err != nil {
				return nil, err
			}
			out.Body.Balances = append(out.Body.Balances, v)
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-balance-statement", Method: http.MethodGet, Path: "/api/v1/balances/{currency}/statement",
		Summary: "The movements of a customer organisation's balance in a currency, newest first", Tags: tags, Security: bearer,
		Errors: []int{400, 401, 403},
	}, func(ctx context.Context, in *statementInput) (*statementOutput, error) {
		org, err := market.BuyingOrg(actorOf(ctx), in.OrgID)
		if err != nil {
			return nil, err
		}
		c := money.Currency(strings.ToUpper(in.Currency))
		lines, err := h.svc.Statement(ctx, actorOf(ctx), org, c)
		if err != nil {
			return nil, err
		}
		out := &statementOutput{}
		out.Body.Currency, out.Body.Entries = string(c), make([]StatementEntry, 0, len(lines))
		for _, l := range lines {
			out.Body.Entries = append(out.Body.Entries, StatementEntry{PostingID: l.PostingID, Kind: l.Kind, Ref: l.Ref, Memo: l.Memo,
				Amount: moneyOf(l.Amount), At: l.At})
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "top-up", Method: http.MethodPost, Path: "/api/v1/customers/{id}/top-ups", DefaultStatus: http.StatusCreated,
		Summary: "Record money a customer paid into its balance (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors: []int{400, 401, 403, 404, 409},
		Description: "Answers the balance in the amount's currency. Each reference is recorded once per customer: the same " +
			"reference again is 409 conflict, so a top-up entered twice does not count twice.",
	}, func(ctx context.Context, in *topUpInput) (*balanceOutput, error) {
		amount, err := in.Body.Amount.amount("amount")
		if err != nil {
			return nil, err
		}
		b, err := h.svc.TopUp(ctx, actorOf(ctx), in.ID, amount, in.Body.Reference, in.Body.Note)
		if err != nil {
			return nil, renameField(err, "org_id", "id")
		}
		v, err := balanceOf(b)
		if err != nil {
			return nil, err
		}
		return &balanceOutput{Body: v}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "set-credit-limit", Method: http.MethodPut, Path: "/api/v1/customers/{id}/credit-limits/{currency}",
		Summary: "Let a customer's balance go below zero, down to minus the limit (operators)", Tags: tags, Security: bearer,
		MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404},
		Description: "Answers the balance in the currency. A limit the balance is below minus of already is refused (400 on amount).",
	}, func(ctx context.Context, in *creditLimitInput) (*balanceOutput, error) {
		c := money.Currency(strings.ToUpper(in.Currency))
		limit, err := parseAmount("amount", "currency", in.Body.Amount, c)
		if err != nil {
			return nil, err
		}
		actor := actorOf(ctx)
		if err := h.svc.SetCreditLimit(ctx, actor, in.ID, limit); err != nil {
			return nil, renameField(renameField(err, "credit_limit", "amount"), "org_id", "id")
		}
		list, err := h.svc.Balances(ctx, actor, in.ID)
		if err != nil {
			return nil, err
		}
		for _, b := range list {
			if b.Amount.Currency == c {
				v, err := balanceOf(b)
				if err != nil {
					return nil, err
				}
				return &balanceOutput{Body: v}, nil
			}
		}
		return nil, fmt.Errorf("the balance in %s is missing after setting its limit", c)
	})
}

// purchases lists the orders of the organisation given, or of the caller's
// only customer organisation.
func (h handlers) purchases(ctx context.Context, orgID string, f store.OrderFilter) ([]order.Order, error) {
	org, err := market.BuyingOrg(actorOf(ctx), orgID)
	if err != nil {
		return nil, err
	}
	f.BuyerOrgID = org
	return h.svc.Purchases(ctx, actorOf(ctx), f)
}

func orderURL(id string) string { return "/api/v1/orders/" + id }

// signedIn refuses the anonymous with 401 where the use case would answer
// 404 (it hides whether an order exists from those who may not see it).
func signedIn(ctx context.Context) error {
	if !actorOf(ctx).Signed() {
		return &fault.Error{Code: fault.Unauthorized, MsgID: "error.sign_in", Message: "sign in first"}
	}
	return nil
}

// renameField names the request's field where a use case names its own.
func renameField(err error, from, to string) error {
	if fe := fault.As(err); fe != nil && fe.Field == from {
		c := *fe
		c.Field = to
		return &c
	}
	return err
}

func ordersOf(list []order.Order, limit int) *ordersOutput {
	out := &ordersOutput{}
	out.Body.Orders = make([]Order, 0, len(list))
	for _, o := range list {
		out.Body.Orders = append(out.Body.Orders, orderOf(o))
	}
	if limit > 0 && len(list) == limit {
		out.Body.NextBefore = list[len(list)-1].ID
	}
	return out
}

// exportPage is how many orders an export reads at a time.
const exportPage = 500

// export writes up to limit orders, read a page at a time, as CSV.
func export(filename string, limit int, f store.OrderFilter, page func(store.OrderFilter) ([]order.Order, error)) (*csvOutput, error) {
	if limit <= 0 || limit > MaxExport {
		limit = MaxExport
	}
	var orders []order.Order
	for len(orders) < limit {
		f.Limit = min(exportPage, limit-len(orders))
		list, err := page(f)
		if err != nil {
			return nil, err
		}
		orders = append(orders, list...)
		if len(list) < f.Limit {
			break
		}
		f.Before = list[len(list)-1].ID
	}
	out := &csvOutput{ContentType: "text/csv; charset=utf-8", ContentDisposition: attachment(filename)}
	if len(orders) == limit {
		// There may be more: one more read says.
		f.Limit = 1
		if more, err := page(f); err != nil {
			return nil, err
		} else if len(more) > 0 {
			out.NextBefore = orders[len(orders)-1].ID
		}
	}
	body, err := ordersCSV(orders)
	if err != nil {
		return nil, err
	}
	out.Body = body
	return out, nil
}

// CSVColumns are the columns of an order export, one row per order line.
var CSVColumns = []string{"order_id", "placed_at", "paid_at", "state", "kind", "channel", "buyer_org_id",
	"line_no", "product_id", "product_name_en", "product_name_zh", "seller_org_id", "plan", "mode", "quantity", "periods",
	"region", "trial", "currency", "unit_price", "list", "discount", "paid", "refunded"}

// ordersCSV writes orders one row per line. Amounts are decimals in the
// row's currency; times RFC 3339 in UTC.
func ordersCSV(orders []order.Order) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(CSVColumns); err != nil {
		return nil, err
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	for _, o := range orders {
		for _, l := range o.Lines {
			if err := w.Write([]string{o.ID, stamp(o.PlacedAt), stamp(o.PaidAt), string(o.State), string(o.Kind), cell(o.Channel), o.BuyerOrgID,
				strconv.Itoa(l.No), l.ProductID, cell(l.ProductName.EN), cell(l.ProductName.ZH), l.SellerOrgID, cell(l.Plan), string(l.Mode),
				strconv.Itoa(l.Quantity), strconv.Itoa(l.Periods), cell(l.Region), strconv.FormatBool(l.Trial), string(o.Currency),
				l.UnitPrice.Decimal(), l.List.Decimal(), l.Discount.Decimal(), l.Paid.Decimal(), refunded(l.Refunded, o.Currency).Decimal()}); err != nil {
				return nil, err
			}
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// cell keeps a text a spreadsheet would take for a formula (=, +, -, @, a tab
// or a carriage return first) as text, with a leading apostrophe.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvResponses() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {
		Description: "The orders as CSV (RFC 4180), one row per order line, as an attachment",
		Content:     map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: "string"}}},
	}}
}
