package market

import (
	"context"
	"slices"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
)

// Views of buying for the API and the UI: whose orders a caller means, its
// seller company's sales, and receipts.

// MarketplaceName names the marketplace on receipts.
const MarketplaceName = "cloudmart"

// PrepaidBalance is the payment method of an order paid from the buyer's
// balance (the only one so far).
const PrepaidBalance = "prepaid balance"

// BuyingOrg is the customer organisation a caller buys for or reads the
// orders and balances of: the one given, or else the only customer
// organisation in which the caller is a buyer. Whether the caller may act for
// the organisation is for the use case to decide.
//
// Errors: Unauthorized; Invalid on org_id (error.org_required) when none is
// given and the caller is a buyer in several customer organisations, or is an
// operator; Forbidden when none is given and the caller buys for none.
func BuyingOrg(actor account.Actor, given string) (string, error) {
	if given != "" {
		return given, nil
	}
	if !actor.Signed() {
		return "", &fault.Error{Code: fault.Unauthorized, MsgID: "error.sign_in", Message: "sign in first"}
	}
	var orgs []string
	for _, m := range actor.Memberships {
		if m.Role == account.RoleBuyer && m.OrgKind == account.KindCustomer && !slices.Contains(orgs, m.OrgID) {
			orgs = append(orgs, m.OrgID)
		}
	}
	switch {
	case len(orgs) == 1:
		return orgs[0], nil
	case len(orgs) > 1 || actor.Has(account.RoleOperator):
		return "", fault.Field("org_id", "error.org_required", "say which customer organisation: give org_id")
	}
	return "", &fault.Error{Code: fault.Forbidden, MsgID: "error.forbidden", Message: "only a customer organisation's buyers have orders and balances"}
}

// SellerOrders lists the orders for the products of the caller's seller
// company, each with only the company's lines.
//
// Errors: Unauthorized; Forbidden when the caller works for no seller.
func (s *Service) SellerOrders(ctx context.Context, actor account.Actor, f store.OrderFilter) ([]order.Order, error) {
	var err error
	if f.SellerOrgID, err = ownSellerOrg(actor); err != nil {
		return nil, err
	}
	return s.Sales(ctx, actor, f)
}

// SellerLicenses lists the licences issued for the products of the caller's
// seller company, newest first.
//
// Errors: Unauthorized; Forbidden when the caller works for no seller.
func (s *Service) SellerLicenses(ctx context.Context, actor account.Actor) ([]LicenseView, error) {
	org, err := ownSellerOrg(actor)
	if err != nil {
		return nil, err
	}
	return s.Licenses(ctx, actor, store.LicenseFilter{SellerOrgID: org})
}

// ownSellerOrg is the seller company the caller works for.
//
// Errors: Unauthorized; Forbidden when the caller works for no seller.
func ownSellerOrg(actor account.Actor) (string, error) {
	org := sellerOrg(actor)
	switch {
	case !actor.Signed():
		return "", &fault.Error{Code: fault.Unauthorized, MsgID: "error.sign_in", Message: "sign in first"}
	case org == "":
		return "", &fault.Error{Code: fault.Forbidden, MsgID: "error.forbidden", Message: "only a seller company's people have sales"}
	}
	return org, nil
}

// Receipt is what a buyer keeps of a paid order.
type Receipt struct {
	Marketplace   string
	Order         order.Order
	BuyerOrgName  string
	PaymentMethod string
	PostingID     string // the ledger posting that paid it; "" when nothing was paid
}

// Receipt returns a paid order's receipt to its buyer organisation and to
// operators (a seller reads the order, with its lines).
//
// Errors: NotFound (also for orders the actor may not see); InvalidState when
// the order is not paid.
func (s *Service) Receipt(ctx context.Context, actor account.Actor, id string) (Receipt, error) {
	o, err := s.store.Order(ctx, id)
	if err != nil {
		return Receipt{}, err
	}
	if !account.Can(actor, account.ReadPurchases, account.Resource{OrgID: o.BuyerOrgID}) {
		return Receipt{}, fault.New(fault.NotFound, "no such order")
	}
	if o.PaidAt.IsZero() {
		return Receipt{}, &fault.Error{Code: fault.InvalidState, MsgID: "error.order_unpaid", Message: "the order is not paid: it has no receipt yet"}
	}
	org, err := s.store.Org(ctx, o.BuyerOrgID)
	if err != nil {
		return Receipt{}, err
	}
	posting, err := s.store.PaymentPostingID(ctx, o.ID)
	if err != nil {
		return Receipt{}, err
	}
	return Receipt{Marketplace: MarketplaceName, Order: o, BuyerOrgName: org.Name, PaymentMethod: PrepaidBalance, PostingID: posting}, nil
}
