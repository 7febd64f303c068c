package market

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
)

// customerOrg returns the organisation when it is a customer.
//
// Errors: NotFound; Invalid on org_id when it is no customer.
func (s *Service) customerOrg(ctx context.Context, orgID string) (account.Org, error) {
	org, err := s.store.Org(ctx, orgID)
	if err != nil {
		return org, err
	}
	if org.Kind != account.KindCustomer {
		return org, fault.Field("org_id", "error.not_customer", "only customer organisations have balances and place orders")
	}
	return org, nil
}

// TopUp records money a customer paid into its balance (operators): a
// posting from funding to the customer's balance. The reference (a bank
// transfer's, say) is recorded once per organisation: the same reference again
// is refused, so a top-up entered twice does not count twice.
//
// Errors: Forbidden; NotFound; Invalid on amount (error.top_up_amount),
// reference (error.top_up_reference), org_id; Conflict (error.top_up_twice).
func (s *Service) TopUp(ctx context.Context, actor account.Actor, orgID string, amount money.Amount, reference, note string) (store.Balance, error) {
	if err := allow(actor, account.ManageBalances, account.Resource{OrgID: orgID}); err != nil {
		return store.Balance{}, err
	}
	reference, note = strings.TrimSpace(reference), strings.TrimSpace(note)
	switch {
	case !amount.Currency.Supported():
		return store.Balance{}, fault.Field("amount", "error.currency_unsupported", "cloudmart does not handle this currency")
	case amount.Minor <= 0:
		return store.Balance{}, fault.Field("amount", "error.top_up_amount", "a top-up is a positive amount")
	case reference == "" || len(reference) > 100:
		return store.Balance{}, fault.Field("reference", "error.top_up_reference", "give the payment's reference (1–100 characters)")
	case len(note) > 500:
		return store.Balance{}, fault.Field("note", "error.note_length", "keep the note under 500 characters")
	}
	org, err := s.customerOrg(ctx, orgID)
	if err != nil {
		return store.Balance{}, err
	}
	now := s.now()
	ref := "top_up:" + orgID + ":" + reference
	var bal store.Balance
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if n, err := tx.PostingsWithRef(ctx, ref); err != nil || n > 0 {
			if err == nil {
				err = &fault.Error{Code: fault.Conflict, Field: "reference", MsgID: "error.top_up_twice", Message: "a top-up with this reference was recorded already"}
			}
			return err
		}
		p := ledger.Posting{ID: ids.New("pst"), Kind: ledger.TopUp, Ref: ref, Memo: note, CreatedAt: now, CreatedBy: actor.UserID,
			Entries: []ledger.Entry{{Account: ledger.Funding, Amount: amount.Neg()}, {Account: ledger.Customer(orgID), Amount: amount}}}
		if err := tx.Post(ctx, p); err != nil {
			return err
		}
		bs, err := tx.Balances(ctx, orgID)
		if err != nil {
			return err
		}
		for _, b := range bs {
			if b.Amount.Currency == amount.Currency {
				bal = b
			}
		}
		buyers, err := tx.OrgMembers(ctx, orgID, account.RoleBuyer)
		if err != nil {
			return err
		}
		if err := s.notify(ctx, tx, buyers, notice.Notification{Kind: "balance.top_up", Link: "/account/balance",
			TitleEN: "Balance topped up: " + amount.String(), TitleZH: "余额已充值：" + amount.String(),
			BodyEN: "Your balance is now " + bal.Amount.String() + ".", BodyZH: "当前余额为 " + bal.Amount.String() + "。"}); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "balance.top_up", objectType: "org", objectID: orgID, orgID: orgID,
			summary: fmt.Sprintf("top-up of %s to %s (reference %s)", amount, org.Name, reference), after: p})
	})
	return bal, err
}

// SetCreditLimit lets a customer's balance in the limit's currency go below
// zero down to minus the limit (operators).
//
// Errors: Forbidden; NotFound; Invalid on credit_limit.
func (s *Service) SetCreditLimit(ctx context.Context, actor account.Actor, orgID string, limit money.Amount) error {
	if err := allow(actor, account.ManageBalances, account.Resource{OrgID: orgID}); err != nil {
		return err
	}
	if !limit.Currency.Supported() || limit.Minor < 0 {
		return fault.Field("credit_limit", "error.credit_limit_amount", "a credit limit is zero or more, in a supported currency")
	}
	org, err := s.customerOrg(ctx, orgID)
	if err != nil {
		return err
	}
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetCreditLimit(ctx, orgID, limit, now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "balance.credit_limit", objectType: "org", objectID: orgID, orgID: orgID,
			summary: fmt.Sprintf("credit limit of %s set to %s", org.Name, limit), after: limit})
	})
}

// Balances lists a customer's balances (its buyers and operators).
//
// Errors: Forbidden.
func (s *Service) Balances(ctx context.Context, actor account.Actor, orgID string) ([]store.Balance, error) {
	if err := allow(actor, account.ReadPurchases, account.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	return s.store.Balances(ctx, orgID)
}

// Statement lists the movements of a customer's balance in a currency,
// newest first (its buyers and operators).
//
// Errors: Forbidden; Invalid on currency.
func (s *Service) Statement(ctx context.Context, actor account.Actor, orgID string, c money.Currency) ([]store.StatementLine, error) {
	if err := allow(actor, account.ReadPurchases, account.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	if !c.Supported() {
		return nil, fault.Field("currency", "error.currency_unsupported", "cloudmart does not handle this currency")
	}
	return s.store.Statement(ctx, orgID, c, 0)
}

// offers loads the products on sale the lines name; products not on sale are
// left out (and Price says so).
func (s *Service) offers(ctx context.Context, lines []order.LineRequest) (map[string]order.Offer, error) {
	out := map[string]order.Offer{}
	for _, l := range lines {
		if _, ok := out[l.ProductID]; ok || l.ProductID == "" {
			continue
		}
		p, _, err := s.PublicProduct(ctx, l.ProductID)
		var fe *fault.Error
		if errors.As(err, &fe) && fe.Code == fault.NotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[l.ProductID] = order.Offer{Product: p, Seller: p.SellerOrgID}
	}
	return out, nil
}

// Quote prices a cart without changing anything; anyone may ask. An image
// line without a flavour gets the smallest that fits.
//
// Errors: those of chooseFlavors and order.Price.
func (s *Service) Quote(ctx context.Context, lines []order.LineRequest) (order.Quote, error) {
	q, _, err := s.price(ctx, lines)
	return q, err
}

// price prices a cart, and returns the offers it was priced from.
func (s *Service) price(ctx context.Context, lines []order.LineRequest) (order.Quote, map[string]order.Offer, error) {
	offers, err := s.offers(ctx, lines)
	if err != nil {
		return order.Quote{}, nil, err
	}
	if lines, err = chooseFlavors(lines, offers); err != nil {
		return order.Quote{}, nil, err
	}
	q, err := order.Price(lines, offers)
	return q, offers, err
}

// OrderRequest is what a buyer places.
type OrderRequest struct {
	OrgID          string              // the buying organisation
	Lines          []order.LineRequest //
	IdempotencyKey string              // the client's key for retries; "" for none
	// CouponID is a coupon of the organisation's to pay with, "" for none
	// (one per order): its discount is taken off the lines it applies to.
	CouponID string
	// Channel is where the order is placed: "" or "direct", or
	// "campaign:<id>" through the page of an active campaign.
	Channel string
}

// hash is the request's fingerprint for idempotency: the same key with another
// request is refused. A request without a coupon, placed directly, has the
// fingerprint it had before coupons existed.
func (r OrderRequest) hash() string {
	channel := r.Channel
	if channel == "direct" {
		channel = ""
	}
	return fingerprint(struct {
		Org     string              `json:"org"`
		Lines   []order.LineRequest `json:"lines"`
		Coupon  string              `json:"coupon,omitempty"`
		Channel string              `json:"channel,omitempty"`
	}{r.OrgID, r.Lines, r.CouponID, channel})
}

// fingerprint is the hex SHA-256 of v's JSON: what an Idempotency-Key's
// request is compared by.
func fingerprint(v any) string {
	raw, _ := json.Marshal(v)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// MaxIdempotencyKey is the longest Idempotency-Key accepted.
const MaxIdempotencyKey = 200

// PlaceOrder prices the cart and, in one transaction, records the order and
// pays it from the organisation's balance. With an Idempotency-Key, the same
// key and request return the order placed the first time (replayed true), and
// the same key with another request is refused. A refused payment changes
// nothing, so the same key may be sent again after a top-up.
//
// With a coupon, its discount is taken off the lines (the marketplace pays
// it) and, in the same transaction, the coupon is used once and the discount
// charged to its campaign's budget; an order that counts toward a campaign
// (its coupon's, or that of the page it came through) adds its entry to the
// campaign ledger (docs/campaigns.md).
//
// Errors: Forbidden; the errors of order.Price; Invalid on channel
// (error.channel); the coupon's: NotFound (error.coupon_unknown), the errors
// of promo.Apply, Conflict (error.coupon_used, error.budget_spent);
// InsufficientFunds; IdempotencyConflict; Invalid on idempotency_key.
func (s *Service) PlaceOrder(ctx context.Context, actor account.Actor, req OrderRequest) (o order.Order, replayed bool, err error) {
	if err := allow(actor, account.Buy, account.Resource{OrgID: req.OrgID}); err != nil {
		return o, false, err
	}
	return s.place(ctx, actor, req, placing{role: account.RoleBuyer, price: s.checkout})
}

// pricer prices an order request at a time as it is placed: the quote, the
// channel, and the campaign it takes part in.
type pricer func(ctx context.Context, req OrderRequest, at time.Time) (order.Quote, string, orderCampaign, error)

// placing says how an order is placed: PlaceOrder's checkout, a seller's
// test purchase (PlaceTestOrder, its own pricer) or a channel partner's sale
// (PlacePartnerOrder). Only a partner's sale does more than the plain
// checkout, which reads and writes nothing else (it is a measured hot path).
type placing struct {
	role  account.Role // the role the audit log records
	price pricer
	sale  *partnerSale // a partner's sale: its margins, channel and record; nil for none
}

// place places an order the actor may place: the key replayed, the request
// priced, and the order recorded and paid in one transaction.
func (s *Service) place(ctx context.Context, actor account.Actor, req OrderRequest, how placing) (o order.Order, replayed bool, err error) {
	sale := how.sale
	if err := checkKey(req.IdempotencyKey); err != nil {
		return o, false, err
	}
	hash := req.hash()
	if sale != nil { // the customer's own key is not the partner's
		hash = fingerprint([]string{hash, sale.partnerOrgID})
	}
	if req.IdempotencyKey != "" {
		if o, ok, err := s.replay(ctx, req.OrgID, req.IdempotencyKey, hash); ok || err != nil {
			return o, ok, err
		}
	}
	now := s.now()
	q, channel, oc, err := how.price(ctx, req, now)
	if err == nil && sale != nil {
		q, err = order.WithPartnerMargins(q, sale.discountBPS)
		channel = order.PartnerChannel(sale.partnerOrgID)
	}
	if err != nil {
		return o, false, err
	}
	o = order.Order{ID: ids.New("ord"), BuyerOrgID: req.OrgID, BuyerUserID: actor.UserID, Kind: order.New, Channel: channel,
		State: order.Paid, Quote: q, PlacedAt: now, PaidAt: now}
	if oc.coupon != nil {
		o.CouponID = oc.coupon.ID
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrder(ctx, o, req.IdempotencyKey, hash); err != nil {
			return err
		}
		if sale != nil {
			if err := tx.AddPartnerSale(ctx, o); err != nil {
				return err
			}
		}
		if err := s.countOrder(ctx, tx, o, oc); err != nil {
			return err
		}
		if err := s.pay(ctx, tx, o, actor.UserID); err != nil {
			return err
		}
		autoRenew := map[int]bool{}
		for i, l := range req.Lines {
			autoRenew[i+1] = l.AutoRenew
		}
		if err := s.startSubscriptions(ctx, tx, o, autoRenew); err != nil {
			return err
		}
		if err := s.askLines(ctx, tx, o, delivery.Open, o.ID, now); err != nil {
			return err
		}
		if err := tx.AddOrderNotice(ctx, o.ID, now); err != nil { // the sellers hear of it from TellSellers
			return err
		}
		if err := record(ctx, tx, actor, now, change{role: string(how.role), action: "order.place", objectType: "order", objectID: o.ID, orgID: o.BuyerOrgID,
			summary: fmt.Sprintf("order %s placed and paid: %s", o.ID, o.Payable), after: auditOrder(o)}); err != nil {
			return err
		}
		return s.chargeBudget(ctx, tx, o, oc)
	})
	if store.IsIdempotencyTaken(err) { // a concurrent request with the key won
		o, ok, rerr := s.replay(ctx, req.OrgID, req.IdempotencyKey, hash)
		if rerr == nil && !ok {
			rerr = err
		}
		return o, ok, rerr
	}
	return o, false, err
}

// checkKey checks a client's Idempotency-Key ("" for none).
//
// Errors: Invalid on idempotency_key.
func checkKey(key string) error {
	if len(key) > MaxIdempotencyKey {
		return fault.Field("idempotency_key", "error.idempotency_key", "an Idempotency-Key is at most 200 characters")
	}
	return nil
}

// errKeyReused refuses an Idempotency-Key used before for another request.
var errKeyReused = &fault.Error{Code: fault.IdempotencyConflict, Field: "idempotency_key", MsgID: "error.idempotency_conflict",
	Message: "this Idempotency-Key was used for a different request: use a new key for a new one"}

// replay returns the order the organisation placed before with the key (ok
// true) when it was for the same request (hash); the key used for another
// request is refused with IdempotencyConflict. Orders, upgrades and renewals
// share it.
func (s *Service) replay(ctx context.Context, orgID, key, hash string) (order.Order, bool, error) {
	o, was, err := s.store.OrderByKey(ctx, orgID, key)
	switch {
	case fault.Is(err, fault.NotFound):
		return order.Order{}, false, nil
	case err != nil:
		return order.Order{}, false, err
	case was != hash:
		return order.Order{}, false, errKeyReused
	}
	return o, true, nil
}

// sellersOf lists the sellers of an order's lines, once each, in line order.
func sellersOf(o order.Order) []string {
	var out []string
	for _, l := range o.Lines {
		if !slices.Contains(out, l.SellerOrgID) {
			out = append(out, l.SellerOrgID)
		}
	}
	return out
}

// lineNames names the seller's products in the order, in one language.
func lineNames(o order.Order, seller string, zh bool) string {
	var names []string
	for _, l := range o.Lines {
		if l.SellerOrgID == seller {
			name := l.ProductName.EN
			if zh {
				name = l.ProductName.ZH
			}
			names = append(names, fmt.Sprintf("%s × %d", name, l.Quantity))
		}
	}
	return strings.Join(names, ", ")
}

// Order returns an order to its buyer organisation and to operators whole;
// to a seller of one of its lines with only that seller's lines (and the
// totals of those), as delivery needs.
//
// Errors: NotFound (also for orders the actor may not see).
func (s *Service) Order(ctx context.Context, actor account.Actor, id string) (order.Order, error) {
	o, err := s.store.Order(ctx, id)
	if err != nil {
		return o, err
	}
	if account.Can(actor, account.ReadPurchases, account.Resource{OrgID: o.BuyerOrgID}) {
		return o, nil
	}
	for _, seller := range sellersOf(o) {
		if account.Can(actor, account.ReadSales, account.Resource{OrgID: seller}) {
			return sellerView(o, seller)
		}
	}
	return order.Order{}, fault.New(fault.NotFound, "no such order")
}

// sellerView keeps the seller's lines of an order, with their totals.
func sellerView(o order.Order, seller string) (order.Order, error) {
	lines := o.Lines
	o.Lines = nil
	for _, l := range lines {
		if l.SellerOrgID == seller {
			o.Lines = append(o.Lines, l)
		}
	}
	o.BuyerUserID = ""
	var err error
	o.Quote, err = order.Totalled(o.Currency, o.Lines)
	return o, err
}

// Purchases lists a customer organisation's orders (its buyers, operators).
//
// Errors: Forbidden.
func (s *Service) Purchases(ctx context.Context, actor account.Actor, f store.OrderFilter) ([]order.Order, error) {
	if err := allow(actor, account.ReadPurchases, account.Resource{OrgID: f.BuyerOrgID}); err != nil {
		return nil, err
	}
	f.SellerOrgID = ""
	return s.store.Orders(ctx, f)
}

// Sales lists the orders for a seller's products, each with only the seller's
// lines (its members, operators).
//
// Errors: Forbidden.
func (s *Service) Sales(ctx context.Context, actor account.Actor, f store.OrderFilter) ([]order.Order, error) {
	if err := allow(actor, account.ReadSales, account.Resource{OrgID: f.SellerOrgID}); err != nil {
		return nil, err
	}
	f.BuyerOrgID = ""
	orders, err := s.store.Orders(ctx, f)
	if err != nil {
		return nil, err
	}
	for i := range orders {
		if orders[i], err = sellerView(orders[i], f.SellerOrgID); err != nil {
			return nil, err
		}
	}
	return orders, nil
}

// AllOrders lists every order matching the filter (operators).
//
// Errors: Forbidden.
func (s *Service) AllOrders(ctx context.Context, actor account.Actor, f store.OrderFilter) ([]order.Order, error) {
	if err := allow(actor, account.ReadAllOrders, account.Resource{}); err != nil {
		return nil, err
	}
	return s.store.Orders(ctx, f)
}

// orderAudit is what the audit log keeps of an order: who, what, how much.
// The order itself (names, unit prices …) is in the orders tables; a whole
// copy per order was a third of what each order wrote.
type orderAudit struct {
	ID      string           `json:"id"`
	Kind    order.Kind       `json:"kind"`
	Buyer   string           `json:"buyer_org_id"`
	Paid    money.Amount     `json:"paid"`
	Lines   []orderAuditLine `json:"lines"`
	Channel string           `json:"channel"`
}

type orderAuditLine struct {
	Product  string       `json:"product_id"`
	Plan     string       `json:"plan"`
	Quantity int          `json:"quantity"`
	Periods  int          `json:"periods"`
	Paid     money.Amount `json:"paid"`
}

func auditOrder(o order.Order) orderAudit {
	a := orderAudit{ID: o.ID, Kind: o.Kind, Buyer: o.BuyerOrgID, Paid: o.Payable, Channel: o.Channel}
	for _, l := range o.Lines {
		a.Lines = append(a.Lines, orderAuditLine{Product: l.ProductID, Plan: l.Plan, Quantity: l.Quantity, Periods: l.Periods, Paid: l.Paid})
	}
	return a
}
