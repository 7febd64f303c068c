package market

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/resale"
	"github.com/cloudmart/cloudmart/store"
)

// Resale through channel partners (docs/benefits.md): operators set the
// requirements; a seller authorises a product that meets them for a partner
// with a partner discount (above the standard one, an operator approves);
// the partner sells it to its own customers, who pay the list price, and
// earns the discount as its margin, out of the seller's share.

// ResaleRequirements returns the resale requirements in force (resale.Defaults
// until an operator sets them); anyone signed in may read them.
//
// Errors: Unauthorized.
func (s *Service) ResaleRequirements(ctx context.Context, actor account.Actor) (resale.Requirements, error) {
	if err := allow(actor, account.ReadSelf, account.Resource{}); err != nil {
		return resale.Requirements{}, err
	}
	r, _, err := s.store.ResaleRequirements(ctx)
	return r, err
}

// SetResaleRequirements sets the resale requirements (operators). They apply
// to authorisations made or approved from now; those active stay.
//
// Errors: Forbidden; those of resale.Requirements.Validate.
func (s *Service) SetResaleRequirements(ctx context.Context, actor account.Actor, r resale.Requirements) (resale.Requirements, error) {
	if err := allow(actor, account.ManageResale, account.Resource{}); err != nil {
		return resale.Requirements{}, err
	}
	if err := r.Validate(); err != nil {
		return resale.Requirements{}, err
	}
	now := s.now()
	r.UpdatedAt, r.UpdatedBy = now, actor.UserID
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		before, _, err := tx.ResaleRequirements(ctx)
		if err != nil {
			return err
		}
		if err := tx.SetResaleRequirements(ctx, r); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "resale.requirements", objectType: "resale_requirements", objectID: "1",
			summary: fmt.Sprintf("resale requirements: approved %d days, refund policy %t, fewer than %d failed deliveries, standard discount %d bps",
				r.MinApprovedDays, r.RefundPolicy, r.MaxFailedDeliveries, r.StandardDiscountBPS), before: before, after: r})
	})
	return r, err
}

// sellerFacts are what the requirements judge of a seller, the same for each
// of its products.
type sellerFacts struct {
	approvedAt time.Time
	failed     int
}

func (s *Service) sellerFacts(ctx context.Context, sellerOrgID string, now time.Time) (sellerFacts, error) {
	approved, err := s.store.SellerApprovedSince(ctx, sellerOrgID)
	if err != nil {
		return sellerFacts{}, err
	}
	failed, err := s.store.FailedDeliveries(ctx, sellerOrgID, now.Add(-resale.FailedWindow))
	return sellerFacts{approvedAt: approved, failed: failed}, err
}

// productFacts are the facts the requirements judge of one of the seller's
// products.
func (s *Service) productFacts(ctx context.Context, e catalog.Entry, sf sellerFacts) (resale.ProductFacts, error) {
	f := resale.ProductFacts{SellerApprovedAt: sf.approvedAt, FailedDeliveries: sf.failed}
	if e.Listing.Live == nil || e.Listing.Live.State != catalog.Published {
		return f, nil
	}
	on, err := s.store.OnStorefront(ctx, e.ID)
	if err != nil {
		return f, err
	}
	p, err := s.liveContent(ctx, e.ID, e.Listing.Live.Number)
	if err != nil {
		return f, err
	}
	f.Published, f.RefundPolicy = on, p.RefundDays != nil
	return f, nil
}

// resaleCounts counts the seller's products that meet the resale
// requirements at now (eligible) and those with an active authorisation for
// some partner (authorised): the benefits page's facts.
func (s *Service) resaleCounts(ctx context.Context, sellerOrgID string, now time.Time) (eligible, authorised int, err error) {
	req, _, err := s.store.ResaleRequirements(ctx)
	if err != nil {
		return 0, 0, err
	}
	sf, err := s.sellerFacts(ctx, sellerOrgID, now)
	if err != nil {
		return 0, 0, err
	}
	entries, err := s.store.SellerProducts(ctx, sellerOrgID)
	if err != nil {
		return 0, 0, err
	}
	for _, e := range entries {
		f, err := s.productFacts(ctx, e, sf)
		if err != nil {
			return 0, 0, err
		}
		if len(resale.Check(req, f, now)) == 0 {
			eligible++
		}
	}
	active, err := s.store.ResaleAuthorisations(ctx, store.ResaleFilter{SellerOrgID: sellerOrgID, States: []resale.State{resale.Active}})
	if err != nil {
		return 0, 0, err
	}
	products := map[string]bool{}
	for _, a := range active {
		products[a.ProductID] = true
	}
	return eligible, len(products), nil
}

// ResaleStanding is one of a seller's products as resale sees it: what it
// lacks of the requirements (nothing: it may be authorised) and its
// authorisations, newest first.
type ResaleStanding struct {
	ProductID      string
	Name           catalog.Text
	Missing        []resale.Missing
	Authorisations []ResaleView
}

// Eligible reports whether the product may be authorised for resale.
func (r ResaleStanding) Eligible() bool { return len(r.Missing) == 0 }

// ResaleView is an authorisation with the names a person reads.
type ResaleView struct {
	resale.Authorisation
	ProductName catalog.Text
	SellerName  string
	PartnerName string
}

// SellerResale lists the seller's products with their resale standing, and
// the requirements they were judged by (the seller's members, operators).
//
// Errors: Forbidden.
func (s *Service) SellerResale(ctx context.Context, actor account.Actor, sellerOrgID string) ([]ResaleStanding, resale.Requirements, error) {
	if err := allow(actor, account.ReadSales, account.Resource{OrgID: sellerOrgID}); err != nil {
		return nil, resale.Requirements{}, err
	}
	now := s.now()
	req, _, err := s.store.ResaleRequirements(ctx)
	if err != nil {
		return nil, req, err
	}
	sf, err := s.sellerFacts(ctx, sellerOrgID, now)
	if err != nil {
		return nil, req, err
	}
	entries, err := s.store.SellerProducts(ctx, sellerOrgID)
	if err != nil {
		return nil, req, err
	}
	auths, err := s.store.ResaleAuthorisations(ctx, store.ResaleFilter{SellerOrgID: sellerOrgID})
	if err != nil {
		return nil, req, err
	}
	views, err := s.resaleViews(ctx, auths)
	if err != nil {
		return nil, req, err
	}
	out := make([]ResaleStanding, 0, len(entries))
	for _, e := range entries {
		f, err := s.productFacts(ctx, e, sf)
		if err != nil {
			return nil, req, err
		}
		st := ResaleStanding{ProductID: e.ID, Missing: resale.Check(req, f, now)}
		if st.Name, err = s.productName(ctx, e); err != nil {
			return nil, req, err
		}
		for _, v := range views {
			if v.ProductID == e.ID {
				st.Authorisations = append(st.Authorisations, v)
			}
		}
		out = append(out, st)
	}
	return out, req, nil
}

// productName is the name of a product's live revision, else of its
// newest one.
func (s *Service) productName(ctx context.Context, e catalog.Entry) (catalog.Text, error) {
	if e.Listing.Live != nil {
		p, err := s.liveContent(ctx, e.ID, e.Listing.Live.Number)
		return p.Name, err
	}
	revs, err := s.store.Revisions(ctx, e.ID)
	if err != nil || len(revs) == 0 {
		return catalog.Text{EN: e.ID, ZH: e.ID}, err
	}
	return revs[0].Content.Name, nil
}

// resaleViews names the authorisations' products and organisations.
func (s *Service) resaleViews(ctx context.Context, auths []resale.Authorisation) ([]ResaleView, error) {
	orgs := s.orgNames()
	names := map[string]catalog.Text{}
	out := make([]ResaleView, 0, len(auths))
	for _, a := range auths {
		v := ResaleView{Authorisation: a}
		var err error
		if v.SellerName, err = orgs.of(ctx, a.SellerOrgID); err != nil {
			return nil, err
		}
		if v.PartnerName, err = orgs.of(ctx, a.PartnerOrgID); err != nil {
			return nil, err
		}
		name, ok := names[a.ProductID]
		if !ok {
			e, err := s.store.Product(ctx, a.ProductID)
			if err != nil {
				return nil, err
			}
			if name, err = s.productName(ctx, e); err != nil {
				return nil, err
			}
			names[a.ProductID] = name
		}
		v.ProductName = name
		out = append(out, v)
	}
	return out, nil
}

// ResalePartners lists the channel partners a seller may authorise (anyone
// signed in).
//
// Errors: Unauthorized.
func (s *Service) ResalePartners(ctx context.Context, actor account.Actor) ([]account.Org, error) {
	if err := allow(actor, account.ReadSelf, account.Resource{}); err != nil {
		return nil, err
	}
	return s.store.PartnerOrgs(ctx)
}

// AuthoriseResale is a seller's authorisation of one of its products for a
// partner.
type AuthoriseResale struct {
	ProductID    string
	PartnerOrgID string
	DiscountBPS  int    // the partner's margin, in basis points of the list price
	Note         string // to the operator who approves it, if one must
}

// errNoProduct is the answer about a product the actor may not authorise.
var errNoProduct = &fault.Error{Code: fault.NotFound, Field: "product_id", MsgID: "error.no_product", Message: "no such product"}

// AuthoriseResale authorises one of the seller's products for resale by a
// partner (the seller's members): at or below the standard discount it is
// active at once, above it waits for an operator (resale.Decide). The
// product must meet the requirements now.
//
// Errors: Forbidden; NotFound on product_id; Invalid on partner_org_id
// (error.resale_partner), discount_bps, note (error.note_length);
// RequirementsNotMet (error.resale_requirements, each missing requirement a
// Detail); Conflict (error.resale_exists).
func (s *Service) AuthoriseResale(ctx context.Context, actor account.Actor, in AuthoriseResale) (resale.Authorisation, error) {
	e, err := s.store.Product(ctx, in.ProductID)
	if fault.Is(err, fault.NotFound) || err == nil && !account.Can(actor, account.ManageProducts, account.Resource{OrgID: e.SellerOrgID}) {
		if err := allow(actor, account.ManageProducts, account.Resource{OrgID: sellerOrg(actor)}); err != nil {
			return resale.Authorisation{}, err
		}
		return resale.Authorisation{}, errNoProduct
	}
	if err != nil {
		return resale.Authorisation{}, err
	}
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > 500 {
		return resale.Authorisation{}, fault.Field("note", "error.note_length", "keep the note under 500 characters")
	}
	partner, err := s.store.Org(ctx, in.PartnerOrgID)
	if fault.Is(err, fault.NotFound) || err == nil && partner.Kind != account.KindPartner {
		return resale.Authorisation{}, fault.Field("partner_org_id", "error.resale_partner", "choose a channel partner")
	}
	if err != nil {
		return resale.Authorisation{}, err
	}
	now := s.now()
	req, _, err := s.store.ResaleRequirements(ctx)
	if err != nil {
		return resale.Authorisation{}, err
	}
	state, err := resale.Decide(req, in.DiscountBPS)
	if err != nil {
		return resale.Authorisation{}, err
	}
	if err := s.meetsRequirements(ctx, req, e, now); err != nil {
		return resale.Authorisation{}, err
	}
	a := resale.Authorisation{ID: ids.New("rsa"), ProductID: e.ID, SellerOrgID: e.SellerOrgID, PartnerOrgID: partner.ID, DiscountBPS: in.DiscountBPS,
		State: state, Note: in.Note, CreatedAt: now, CreatedBy: actor.UserID, UpdatedAt: now}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.AddResaleAuthorisation(ctx, a); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleSellerAdmin), action: "resale.authorise", objectType: "resale_authorisation", objectID: a.ID,
			orgID: a.SellerOrgID, summary: fmt.Sprintf("product %s authorised for resale by %s at %d bps (%s)", a.ProductID, partner.Name, a.DiscountBPS, a.State), after: a})
	})
	return a, err
}

// meetsRequirements checks the product against the requirements at now.
//
// Errors: RequirementsNotMet.
func (s *Service) meetsRequirements(ctx context.Context, req resale.Requirements, e catalog.Entry, now time.Time) error {
	sf, err := s.sellerFacts(ctx, e.SellerOrgID, now)
	if err != nil {
		return err
	}
	f, err := s.productFacts(ctx, e, sf)
	if err != nil {
		return err
	}
	if missing := resale.Check(req, f, now); len(missing) > 0 {
		return resale.NotMet(missing)
	}
	return nil
}

// PendingResale lists the authorisations waiting for an operator, oldest
// last (operators).
//
// Errors: Forbidden.
func (s *Service) PendingResale(ctx context.Context, actor account.Actor) ([]ResaleView, error) {
	if err := allow(actor, account.ManageResale, account.Resource{}); err != nil {
		return nil, err
	}
	auths, err := s.store.ResaleAuthorisations(ctx, store.ResaleFilter{States: []resale.State{resale.Pending}})
	if err != nil {
		return nil, err
	}
	return s.resaleViews(ctx, auths)
}

// DecideResale approves or declines a pending authorisation (operators). An
// approval checks the product against the requirements again: it may have
// changed since the seller asked.
//
// Errors: Forbidden; NotFound; Invalid on step; InvalidState
// (error.resale_state); RequirementsNotMet; Conflict (changed meanwhile).
func (s *Service) DecideResale(ctx context.Context, actor account.Actor, id string, step resale.Step, reason string) (resale.Authorisation, error) {
	if err := allow(actor, account.ManageResale, account.Resource{}); err != nil {
		return resale.Authorisation{}, err
	}
	if step != resale.Approve && step != resale.Decline {
		return resale.Authorisation{}, fault.Field("step", "error.resale_step", "approve or decline")
	}
	return s.moveResale(ctx, actor, id, step, reason, account.RoleOperator)
}

// RevokeResale ends one of the seller's authorisations, pending or active
// (the seller's members): the partner may no longer sell the product.
//
// Errors: NotFound (also for another seller's); InvalidState; Conflict.
func (s *Service) RevokeResale(ctx context.Context, actor account.Actor, id, reason string) (resale.Authorisation, error) {
	a, err := s.store.ResaleAuthorisation(ctx, id)
	if err == nil && !account.Can(actor, account.ManageProducts, account.Resource{OrgID: a.SellerOrgID}) {
		err = &fault.Error{Code: fault.NotFound, MsgID: "error.resale_unknown", Message: "no such resale authorisation"}
	}
	if err != nil {
		return resale.Authorisation{}, err
	}
	return s.moveResale(ctx, actor, id, resale.Revoke, reason, account.RoleSellerAdmin)
}

func (s *Service) moveResale(ctx context.Context, actor account.Actor, id string, step resale.Step, reason string, role account.Role) (resale.Authorisation, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 500 {
		return resale.Authorisation{}, fault.Field("reason", "error.note_length", "keep the reason under 500 characters")
	}
	a, err := s.store.ResaleAuthorisation(ctx, id)
	if err != nil {
		return a, err
	}
	from := a.State
	if a.State, err = resale.Next(from, step); err != nil {
		return a, err
	}
	now := s.now()
	if step == resale.Approve {
		req, _, err := s.store.ResaleRequirements(ctx)
		if err != nil {
			return a, err
		}
		e, err := s.store.Product(ctx, a.ProductID)
		if err != nil {
			return a, err
		}
		if err := s.meetsRequirements(ctx, req, e, now); err != nil {
			return a, err
		}
	}
	a.Reason, a.UpdatedAt = reason, now
	if step != resale.Revoke {
		a.DecidedAt, a.DecidedBy = now, actor.UserID
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.MoveResaleAuthorisation(ctx, from, a); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(role), action: "resale." + string(step), objectType: "resale_authorisation", objectID: a.ID,
			orgID: a.SellerOrgID, summary: fmt.Sprintf("resale authorisation of %s: %s → %s", a.ProductID, from, a.State), after: a})
	})
	return a, err
}

// PartnerProduct is a product authorised to a partner, as on sale now.
type PartnerProduct struct {
	Authorisation resale.Authorisation
	Product       catalog.Product // its published revision, plans on sale only
	SellerName    string
}

// PartnerProducts lists the products authorised (active) to the partner and
// on sale (the partner's members).
//
// Errors: Forbidden.
func (s *Service) PartnerProducts(ctx context.Context, actor account.Actor, partnerOrgID string) ([]PartnerProduct, error) {
	if err := allow(actor, account.Resell, account.Resource{OrgID: partnerOrgID}); err != nil {
		return nil, err
	}
	auths, err := s.store.ResaleAuthorisations(ctx, store.ResaleFilter{PartnerOrgID: partnerOrgID, States: []resale.State{resale.Active}})
	if err != nil {
		return nil, err
	}
	out := make([]PartnerProduct, 0, len(auths))
	for _, a := range auths {
		p, seller, err := s.PublicProduct(ctx, a.ProductID)
		if fault.Is(err, fault.NotFound) {
			continue // delisted, or its seller suspended: not for sale now
		}
		if err != nil {
			return nil, err
		}
		out = append(out, PartnerProduct{Authorisation: a, Product: p, SellerName: seller})
	}
	return out, nil
}

// PartnerCustomers lists the partner's customers (the partner's members).
//
// Errors: Forbidden.
func (s *Service) PartnerCustomers(ctx context.Context, actor account.Actor, partnerOrgID string) ([]account.Org, error) {
	if err := allow(actor, account.Resell, account.Resource{OrgID: partnerOrgID}); err != nil {
		return nil, err
	}
	return s.store.Customers(ctx, store.CustomerFilter{PartnerOrgIDs: []string{partnerOrgID}})
}

// PartnerOrderRequest is an order a partner places for one of its
// customers.
type PartnerOrderRequest struct {
	PartnerOrgID   string
	CustomerOrgID  string
	Lines          []order.LineRequest
	IdempotencyKey string // as for PlaceOrder
}

// partnerSale is what a partner's order adds to a plain one: the partner,
// and the partner discount of each product (by id).
type partnerSale struct {
	partnerOrgID string
	discountBPS  map[string]int
}

// PlacePartnerOrder places an order a partner's member makes for one of the
// partner's customers (account.Org.PartnerOrgID): the customer buys (the
// order is its, paid from its balance at the list price), on the channel
// partner:<id>, and the partner's margin on each line (the line's price ×
// its authorisation's discount) goes to the partner's payable out of the
// seller's share (order.PaymentEntries). Every line must be of a product
// authorised (active) to the partner. Idempotency as PlaceOrder's, keyed by
// the customer's orders.
//
// Errors: Forbidden (also for a customer that is not the partner's);
// Forbidden on lines[i] (error.resale_not_authorised); Invalid on lines
// (error.cart_empty); those of PlaceOrder.
func (s *Service) PlacePartnerOrder(ctx context.Context, actor account.Actor, req PartnerOrderRequest) (order.Order, bool, error) {
	if err := allow(actor, account.Resell, account.Resource{OrgID: req.PartnerOrgID}); err != nil {
		return order.Order{}, false, err
	}
	customer, err := s.store.Org(ctx, req.CustomerOrgID)
	if fault.Is(err, fault.NotFound) || err == nil && (customer.Kind != account.KindCustomer || customer.PartnerOrgID != req.PartnerOrgID) {
		return order.Order{}, false, &fault.Error{Code: fault.Forbidden, Field: "customer_org_id", MsgID: "error.resale_not_customer",
			Message: "a partner orders only for its own customers"}
	}
	if err != nil {
		return order.Order{}, false, err
	}
	if len(req.Lines) == 0 {
		return order.Order{}, false, fault.Field("lines", "error.cart_empty", "add at least one product to the cart")
	}
	var products []string
	for _, l := range req.Lines {
		if !slices.Contains(products, l.ProductID) {
			products = append(products, l.ProductID)
		}
	}
	discounts, err := s.store.ActiveResaleDiscounts(ctx, req.PartnerOrgID, products)
	if err != nil {
		return order.Order{}, false, err
	}
	for i, l := range req.Lines {
		if _, ok := discounts[l.ProductID]; !ok {
			return order.Order{}, false, &fault.Error{Code: fault.Forbidden, Field: fmt.Sprintf("lines[%d]", i), MsgID: "error.resale_not_authorised",
				Message: "this product is not authorised to the partner for resale"}
		}
	}
	return s.place(ctx, actor, OrderRequest{OrgID: customer.ID, Lines: req.Lines, IdempotencyKey: req.IdempotencyKey},
		placing{role: account.RolePartner, price: s.checkout, sale: &partnerSale{partnerOrgID: req.PartnerOrgID, discountBPS: discounts}})
}

// refundPartnerMargin records what a refund's entries take back of a
// partner's margin (nothing for an order no partner placed).
func refundPartnerMargin(ctx context.Context, tx *store.Tx, o order.Order, entries []ledger.Entry) error {
	partner := o.PartnerOrgID()
	if partner == "" {
		return nil
	}
	back := money.New(0, o.Currency)
	for _, e := range entries {
		if e.Account == ledger.PartnerPayable(partner) {
			back.Minor -= e.Amount.Minor
		}
	}
	if back.IsZero() {
		return nil
	}
	return tx.RefundPartnerMargin(ctx, o.ID, back)
}

// PartnerSales is a partner's view of its business: the orders it placed
// with its margin on each, its totals by currency, and its customers'
// orders (placed by it or by them).
type PartnerSales struct {
	Sales          []store.PartnerSale
	Totals         []store.PartnerTotal
	CustomerOrders []order.Order
}

// PartnerSales returns the partner's sales, margins and its customers'
// orders (the partner's members).
//
// Errors: Forbidden.
func (s *Service) PartnerSales(ctx context.Context, actor account.Actor, partnerOrgID string) (PartnerSales, error) {
	if err := allow(actor, account.Resell, account.Resource{OrgID: partnerOrgID}); err != nil {
		return PartnerSales{}, err
	}
	var out PartnerSales
	var err error
	if out.Sales, err = s.store.PartnerSales(ctx, partnerOrgID, 0); err != nil {
		return out, err
	}
	if out.Totals, err = s.store.PartnerTotals(ctx, partnerOrgID); err != nil {
		return out, err
	}
	out.CustomerOrders, err = s.store.PartnerCustomerOrders(ctx, partnerOrgID, 0)
	return out, err
}

// SellerPartnerSales lists the orders partners placed for the seller's
// products, each with only the seller's lines (its members, operators).
//
// Errors: Forbidden.
func (s *Service) SellerPartnerSales(ctx context.Context, actor account.Actor, sellerOrgID string) ([]order.Order, error) {
	if err := allow(actor, account.ReadSales, account.Resource{OrgID: sellerOrgID}); err != nil {
		return nil, err
	}
	orders, err := s.store.SellerPartnerOrders(ctx, sellerOrgID, 0)
	if err != nil {
		return nil, err
	}
	for i := range orders {
		if orders[i], err = sellerView(orders[i], sellerOrgID); err != nil {
			return nil, err
		}
	}
	return orders, nil
}

// SellerOrgOf is the seller company the actor works for.
//
// Errors: Unauthorized; Forbidden when it works for none.
func SellerOrgOf(actor account.Actor) (string, error) { return ownSellerOrg(actor) }

// PartnerOrgOf is the channel partner the actor works for.
//
// Errors: Unauthorized; Forbidden when it works for none.
func PartnerOrgOf(actor account.Actor) (string, error) {
	if !actor.Signed() {
		return "", &fault.Error{Code: fault.Unauthorized, MsgID: "error.sign_in", Message: "sign in first"}
	}
	for _, m := range actor.Memberships {
		if m.OrgKind == account.KindPartner && m.Role == account.RolePartner {
			return m.OrgID, nil
		}
	}
	return "", &fault.Error{Code: fault.Forbidden, MsgID: "error.forbidden", Message: "only a channel partner's people resell"}
}
