package market

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery"
	"github.com/cloudmart/cloudmart/delivery/license"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/notice"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/store"
	"github.com/cloudmart/cloudmart/subscription"
)

// Licence products are delivered as signed licences (package
// delivery/license): issued when paid, signed anew when renewed or upgraded,
// released when refunded or when their subscription ends. A frozen
// subscription needs nothing: its licence's term has ended, and its heartbeat
// says EXPIRED until a renewal brings a new document.

// deliverLicense carries out a delivery of a licence line, in one transaction.
func (s *Service) deliverLicense(ctx context.Context, d delivery.Delivery) error {
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		lic, issued, err := tx.LicenseOfLine(ctx, d.OrderID, d.LineNo)
		if err != nil {
			return err
		}
		switch {
		case d.Action == delivery.Release && issued && !lic.Released:
			was := lic.UpdatedAt
			lic.Released, lic.UpdatedAt = true, now
			if err := tx.SaveLicense(ctx, lic, was); err != nil {
				return err
			}
		case d.Action == delivery.Open && !issued,
			(d.Action == delivery.Renew || d.Action == delivery.Upgrade) && issued && !lic.Released:
			if err := s.signLicense(ctx, tx, d, lic, now); err != nil {
				return err
			}
		}
		return s.finishDelivery(ctx, tx, d, now)
	})
}

// signLicense issues the licence of a line (was is zero) or signs a new
// document of it: the product's grant times the units bought, from payment
// until the subscription's term ends, the product's duration passes, or for
// ever.
func (s *Service) signLicense(ctx context.Context, tx *store.Tx, d delivery.Delivery, was store.License, now time.Time) error {
	o, err := tx.Order(ctx, d.OrderID)
	if err != nil {
		return err
	}
	line := o.Lines[d.LineNo-1]
	p, err := s.soldContent(ctx, tx, line.ProductID)
	if err != nil {
		return err
	}
	if p.License == nil {
		return fmt.Errorf("market: product %s has no licence details", p.ID)
	}
	buyer, err := tx.Org(ctx, o.BuyerOrgID)
	if err != nil {
		return err
	}
	doc := license.Document{ID: was.ID, ProductID: line.ProductID, Plan: line.Plan, Buyer: o.BuyerOrgID, BuyerName: buyer.Name,
		Unit: string(p.License.GrantUnit), Quantity: p.License.GrantQuantity * line.Quantity,
		ValidFrom: o.PaidAt.Truncate(time.Second), IssuedAt: now.Truncate(time.Second), Version: was.Version + 1}
	if doc.ID == "" {
		doc.ID = ids.New("lic")
	}
	switch sub, ok, err := tx.SubscriptionOfLine(ctx, o.ID, line.No); {
	case err != nil:
		return err
	case ok:
		doc.Plan, doc.Quantity = sub.Plan, p.License.GrantQuantity*sub.Quantity
		doc.ValidUntil = sub.PeriodEnd.Truncate(time.Second)
	case !p.License.Perpetual():
		doc.ValidUntil = subscription.AddMonths(o.PaidAt, p.License.DurationMonths, o.PaidAt.Day(), time.UTC).Truncate(time.Second)
	}
	kid, key, err := s.licenseSigner(ctx, tx, now)
	if err != nil {
		return err
	}
	token, err := license.Sign(doc, kid, key)
	if err != nil {
		return err
	}
	lic := store.License{Document: doc, OrderID: o.ID, LineNo: line.No, SellerOrgID: line.SellerOrgID, Token: token, KeyID: kid,
		MachineID: was.MachineID, ActivatedAt: was.ActivatedAt, LastSeenAt: was.LastSeenAt, UpdatedAt: now}
	if err := tx.SaveLicense(ctx, lic, was.UpdatedAt); err != nil {
		return err
	}
	buyers, err := tx.OrgMembers(ctx, o.BuyerOrgID, account.RoleBuyer)
	if err != nil {
		return err
	}
	verb, verbZH := "issued", "已签发"
	if doc.Version > 1 {
		verb, verbZH = "renewed", "已续期"
	}
	return s.notify(ctx, tx, buyers, notice.Notification{Kind: "license." + verb, Link: "/licenses/" + doc.ID,
		TitleEN: "Licence " + verb + ": " + line.ProductName.EN, TitleZH: "许可证" + verbZH + "：" + line.ProductName.ZH,
		BodyEN: fmt.Sprintf("%d %s, %s.", doc.Quantity, doc.Unit, validity(doc, false)), BodyZH: fmt.Sprintf("%d %s，%s。", doc.Quantity, doc.Unit, validity(doc, true))})
}

// validity says until when a licence runs.
func validity(d license.Document, zh bool) string {
	switch {
	case d.Perpetual() && zh:
		return "永久有效"
	case d.Perpetual():
		return "perpetual"
	case zh:
		return "有效期至 " + d.ValidUntil.Format("2006-01-02 15:04 UTC")
	}
	return "valid until " + d.ValidUntil.Format("2006-01-02 15:04 UTC")
}

// soldContent is the content of a product's published revision, also when it
// has left the storefront since: what was bought is delivered all the same.
func (s *Service) soldContent(ctx context.Context, tx *store.Tx, productID string) (catalog.Product, error) {
	e, err := tx.Product(ctx, productID)
	if err != nil {
		return catalog.Product{}, err
	}
	if e.Listing.Live == nil {
		return catalog.Product{}, fmt.Errorf("market: product %s has no published revision", productID)
	}
	return s.liveContent(ctx, productID, e.Listing.Live.Number)
}

// licenseSigner returns the key that signs licences now, making the first one
// when there is none.
func (s *Service) licenseSigner(ctx context.Context, tx *store.Tx, now time.Time) (string, ed25519.PrivateKey, error) {
	if s.secrets == nil {
		return "", nil, errors.New("market: no secret key configured to keep the licence signing key")
	}
	keys, err := tx.LicenseKeys(ctx)
	if err != nil {
		return "", nil, err
	}
	if len(keys) == 0 || !keys[0].RetiredAt.IsZero() {
		kid, err := s.addLicenseKey(ctx, tx, now)
		if err != nil {
			return "", nil, err
		}
		if keys, err = tx.LicenseKeys(ctx); err != nil {
			return "", nil, err
		}
		if keys[0].ID != kid {
			return "", nil, fmt.Errorf("market: the new licence key %s is not the signing one", kid)
		}
	}
	seed, err := s.secrets.Open(keys[0].PrivateKey, keys[0].ID)
	if err != nil {
		return "", nil, fmt.Errorf("market: licence key %s: %w", keys[0].ID, err)
	}
	return keys[0].ID, ed25519.NewKeyFromSeed(seed), nil
}

// addLicenseKey makes a signing key, which from now on alone signs.
func (s *Service) addLicenseKey(ctx context.Context, tx *store.Tx, now time.Time) (string, error) {
	kid, key := license.NewKey()
	pub := key.Public().(ed25519.PublicKey)
	return kid, tx.AddLicenseKey(ctx, store.LicenseKey{ID: kid, PublicKey: base64.RawURLEncoding.EncodeToString(pub),
		PrivateKey: s.secrets.Seal(key.Seed(), kid), CreatedAt: now})
}

// RotateLicenseKey makes a new licence signing key (operators): licences are
// signed with it from now on, and those signed before stay valid, since the
// old keys stay published. It returns the new key's id.
//
// Errors: Forbidden.
func (s *Service) RotateLicenseKey(ctx context.Context, actor account.Actor) (string, error) {
	if err := allow(actor, account.ManageStorefront, account.Resource{}); err != nil {
		return "", err
	}
	if s.secrets == nil {
		return "", errors.New("market: no secret key configured to keep the licence signing key")
	}
	now := s.now()
	var kid string
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if kid, err = s.addLicenseKey(ctx, tx, now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "license.rotate_key", objectType: "license_key", objectID: kid,
			summary: "licence signing key rotated: " + kid})
	})
	return kid, err
}

// LicenseKeys is the published key set: every key that ever signed, so every
// licence issued can be checked. Anyone may read it.
func (s *Service) LicenseKeys(ctx context.Context) (license.KeySet, error) {
	keys, err := s.store.LicenseKeys(ctx)
	set := license.KeySet{Keys: []license.JWK{}}
	for _, k := range keys {
		pub, derr := base64.RawURLEncoding.DecodeString(k.PublicKey)
		if derr != nil {
			return set, fmt.Errorf("market: licence key %s: %w", k.ID, derr)
		}
		set.Keys = append(set.Keys, license.PublicJWK(k.ID, pub))
	}
	return set, err
}

// LicenseView is a licence with its status now.
type LicenseView struct {
	store.License
	Status license.Status
}

func (s *Service) licenseView(l store.License) LicenseView {
	return LicenseView{License: l, Status: license.StatusAt(l.Released, l.Document, s.now())}
}

// Licenses lists the licences of a customer (its buyers, operators) or of a
// seller's products (its members, operators): exactly one of buyerOrgID and
// sellerOrgID is set.
//
// Errors: Forbidden.
func (s *Service) Licenses(ctx context.Context, actor account.Actor, f store.LicenseFilter) ([]LicenseView, error) {
	switch {
	case f.BuyerOrgID != "" && f.SellerOrgID == "":
		if err := allow(actor, account.ReadPurchases, account.Resource{OrgID: f.BuyerOrgID}); err != nil {
			return nil, err
		}
	case f.SellerOrgID != "" && f.BuyerOrgID == "":
		if err := allow(actor, account.ReadSales, account.Resource{OrgID: f.SellerOrgID}); err != nil {
			return nil, err
		}
	default:
		return nil, fault.New(fault.Forbidden, "choose a customer or a seller")
	}
	list, err := s.store.Licenses(ctx, f)
	out := make([]LicenseView, 0, len(list))
	for _, l := range list {
		out = append(out, s.licenseView(l))
	}
	return out, err
}

// License returns a licence to its customer's buyers, its product's seller
// and operators; to anyone else it does not exist.
//
// Errors: NotFound.
func (s *Service) License(ctx context.Context, actor account.Actor, id string) (LicenseView, error) {
	l, err := s.store.License(ctx, id)
	if err != nil {
		return LicenseView{}, err
	}
	if !account.Can(actor, account.ReadPurchases, account.Resource{OrgID: l.Buyer}) &&
		!account.Can(actor, account.ReadSales, account.Resource{OrgID: l.SellerOrgID}) {
		return LicenseView{}, fault.New(fault.NotFound, "no such licence")
	}
	return s.licenseView(l), nil
}

// ResetLicenseMachine frees a licence from the machine it is activated on, so
// the buyer can move it to another (its customer's buyers).
//
// Errors: NotFound.
func (s *Service) ResetLicenseMachine(ctx context.Context, actor account.Actor, id string) error {
	l, err := s.store.License(ctx, id)
	if err != nil {
		return err
	}
	if !account.Can(actor, account.Buy, account.Resource{OrgID: l.Buyer}) {
		return fault.New(fault.NotFound, "no such licence")
	}
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.ResetLicenseMachine(ctx, id, now); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleBuyer), action: "license.reset_machine", objectType: "license", objectID: id,
			orgID: l.Buyer, summary: "licence freed from machine " + l.MachineID})
	})
}

// Check is what a seller's software sends to activate a licence or to say
// it still runs: the licence it holds and the machine it runs on.
type Check struct {
	License   string `json:"license"`    // the signed licence
	MachineID string `json:"machine_id"` // a stable id of the machine (1–200 characters)
}

// CheckAnswer is the marketplace's answer to an activation or a heartbeat:
// the licence's status, and its latest signed document (newer than the one
// sent after a renewal).
type CheckAnswer struct {
	LicenseID  string         `json:"license_id"`
	Status     license.Status `json:"status"`
	ValidUntil *time.Time     `json:"valid_until"` // null: perpetual
	Machine    string         `json:"machine_id"`
	License    string         `json:"license"`
}

// checkedLicense verifies the licence a program sent and loads it.
//
// Errors: Invalid on license (error.license_invalid, with the reason) or
// machine_id (error.machine_id); NotFound.
func (s *Service) checkedLicense(ctx context.Context, c Check) (store.License, error) {
	c.MachineID = strings.TrimSpace(c.MachineID)
	if c.MachineID == "" || utf8.RuneCountInString(c.MachineID) > 200 {
		return store.License{}, fault.Field("machine_id", "error.machine_id", "send the machine's id: 1 to 200 characters")
	}
	keys, err := s.LicenseKeys(ctx)
	if err != nil {
		return store.License{}, err
	}
	d, _, err := license.Parse(c.License, keys)
	if err != nil {
		return store.License{}, &fault.Error{Code: fault.Invalid, Field: "license", MsgID: "error.license_invalid", Message: "the licence is not valid: " + err.Error()}
	}
	return s.store.License(ctx, d.ID)
}

func (s *Service) answer(l store.License, machine string) CheckAnswer {
	a := CheckAnswer{LicenseID: l.ID, Status: license.StatusAt(l.Released, l.Document, s.now()), Machine: machine, License: l.Token}
	if !l.Perpetual() {
		a.ValidUntil = &l.ValidUntil
	}
	return a
}

// errLicenseInUse refuses a licence activated on another machine.
var errLicenseInUse = &fault.Error{Code: fault.Conflict, Field: "machine_id", MsgID: "error.license_in_use",
	Message: "this licence is activated on another machine: its buyer can free it on the licence's page"}

// ActivateLicense binds a licence to the machine a seller's program runs on.
// Anyone holding a licence may: the signature is the credential. Activating
// again on the same machine answers as the first time; a licence released
// or expired is not activated, and the answer says why.
//
// Errors: those of checkedLicense; Conflict (error.license_in_use);
// InvalidState (error.license_not_alive).
func (s *Service) ActivateLicense(ctx context.Context, c Check) (CheckAnswer, error) {
	l, err := s.checkedLicense(ctx, c)
	if err != nil {
		return CheckAnswer{}, err
	}
	machine := strings.TrimSpace(c.MachineID)
	a := s.answer(l, machine)
	if a.Status != license.Alive {
		return a, &fault.Error{Code: fault.InvalidState, Field: "license", MsgID: "error.license_not_alive",
			Message: "this licence cannot be activated: it is " + strings.ToLower(string(a.Status))}
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		ok, err := tx.ActivateLicense(ctx, l.ID, machine, now)
		if err == nil && !ok {
			err = errLicenseInUse
		}
		if err != nil || !l.ActivatedAt.IsZero() {
			return err
		}
		return record(ctx, tx, account.Actor{}, now, change{role: roleSystem, action: "license.activate", objectType: "license", objectID: l.ID,
			orgID: l.Buyer, summary: "licence activated on machine " + machine})
	})
	return a, err
}

// LicenseHeartbeat answers a seller's program that checks its licence (daily):
// ALIVE, EXPIRED or RELEASED, with the latest signed document.
//
// Errors: those of checkedLicense; Conflict (error.license_in_use) from a
// machine it is not activated on.
func (s *Service) LicenseHeartbeat(ctx context.Context, c Check) (CheckAnswer, error) {
	l, err := s.checkedLicense(ctx, c)
	if err != nil {
		return CheckAnswer{}, err
	}
	machine := strings.TrimSpace(c.MachineID)
	if l.MachineID != "" && l.MachineID != machine {
		return CheckAnswer{}, errLicenseInUse
	}
	a := s.answer(l, machine)
	if l.MachineID == "" {
		return a, nil // not activated: nothing to note
	}
	now := s.now()
	return a, s.store.Write(ctx, func(tx *store.Tx) error { return tx.SeeLicense(ctx, l.ID, now) })
}

// LicenseOfLine returns the licence issued for a line of an order the actor
// may read (false when none was issued yet).
func (s *Service) LicenseOfLine(ctx context.Context, actor account.Actor, o order.Order, lineNo int) (LicenseView, bool, error) {
	if _, err := s.Order(ctx, actor, o.ID); err != nil {
		return LicenseView{}, false, err
	}
	l, ok, err := s.store.LicenseOfLine(ctx, o.ID, lineNo)
	return s.licenseView(l), ok, err
}
