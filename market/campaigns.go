package market

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/ids"
	"github.com/cloudmart/cloudmart/ledger"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
	"github.com/cloudmart/cloudmart/store"
)

// Campaigns and coupons (docs/campaigns.md): the operators' campaigns, the
// account managers' admissions, the buyers' packs, coupons and gifts. The
// rules are package promo's; the limits are the store's, decided in the
// transaction that uses them. Checkout (buying.go) and refunds (refunds.go)
// call countOrder and refundInCampaign below.

// CampaignArgs asks the campaign job to move the campaigns that are due.
type CampaignArgs struct{}

// Kind names the job on the queue.
func (CampaignArgs) Kind() string { return "campaigns" }

var errNoCampaign = fault.New(fault.NotFound, "no such campaign")

// CreateCampaign records a new campaign as a draft (operators). Its id and
// state are the marketplace's: those given are ignored.
//
// Errors: Forbidden; the errors of promo.Campaign.Validate.
func (s *Service) CreateCampaign(ctx context.Context, actor account.Actor, c promo.Campaign) (store.Campaign, error) {
	if err := allow(actor, account.ManageCampaigns, account.Resource{}); err != nil {
		return store.Campaign{}, err
	}
	c.ID, c.State = ids.New("cmp"), promo.Draft
	if err := c.Validate(); err != nil {
		return store.Campaign{}, err
	}
	now := s.now()
	sc := store.Campaign{Campaign: c, BudgetUsed: money.New(0, c.Currency), Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCampaign(ctx, sc); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "campaign.create", objectType: "campaign",
			objectID: c.ID, summary: "campaign " + c.Name.EN + " created", after: c})
	})
	return sc, err
}

// UpdateCampaign replaces a campaign's rules with edited, as far as its state
// allows (promo.CheckEdit): anything before it begins; once active, only what
// can only help its customers. Its id and state stay.
//
// Errors: Forbidden; NotFound; the errors of promo.CheckEdit; Conflict
// (error.changed_meanwhile).
func (s *Service) UpdateCampaign(ctx context.Context, actor account.Actor, id string, edited promo.Campaign) (store.Campaign, error) {
	if err := allow(actor, account.ManageCampaigns, account.Resource{}); err != nil {
		return store.Campaign{}, err
	}
	now := s.now()
	var c store.Campaign
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = tx.Campaign(ctx, id); err != nil {
			return err
		}
		before := c.Campaign
		edited.ID, edited.State = c.ID, c.State
		if err := promo.CheckEdit(before, edited); err != nil {
			return err
		}
		was := c.Version
		c.Campaign, c.UpdatedAt, c.Version = edited, now, c.Version+1
		if err := tx.SaveCampaign(ctx, c, was); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "campaign.update", objectType: "campaign",
			objectID: id, summary: "campaign " + edited.Name.EN + " changed", before: before, after: edited})
	})
	return c, err
}

// MoveCampaign moves a campaign to another state (operators): draft →
// scheduled (a valid campaign whose window has not closed), back to draft
// before the window opens; the campaign job does the rest (RunCampaigns).
//
// Errors: Forbidden; NotFound; the errors of promo.Move; Conflict
// (error.changed_meanwhile).
func (s *Service) MoveCampaign(ctx context.Context, actor account.Actor, id string, to promo.State) (store.Campaign, error) {
	if err := allow(actor, account.ManageCampaigns, account.Resource{}); err != nil {
		return store.Campaign{}, err
	}
	now := s.now()
	var c store.Campaign
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = tx.Campaign(ctx, id); err != nil {
			return err
		}
		return s.moveCampaign(ctx, tx, actor, &c, to, now)
	})
	return c, err
}

func (s *Service) moveCampaign(ctx context.Context, tx *store.Tx, actor account.Actor, c *store.Campaign, to promo.State, now time.Time) error {
	from := c.State
	state, err := promo.Move(c.Campaign, to, now)
	if err != nil {
		return err
	}
	was := c.Version
	c.State, c.UpdatedAt, c.Version = state, now, c.Version+1
	if err := tx.SaveCampaign(ctx, *c, was); err != nil {
		return err
	}
	role := string(account.RoleOperator)
	if !actor.Signed() {
		role = roleSystem
	}
	return record(ctx, tx, actor, now, change{role: role, action: "campaign.move", objectType: "campaign", objectID: c.ID,
		summary: fmt.Sprintf("campaign %s: %s → %s", c.Name.EN, from, state), before: from, after: state})
}

// RunCampaigns moves the scheduled and active campaigns that are due at now
// (promo.Due): active once their window opens, ended once it closes. It
// returns how many it moved; a campaign that fails is left for the next run.
func (s *Service) RunCampaigns(ctx context.Context, now time.Time) (int, error) {
	cs, err := s.store.Campaigns(ctx, promo.Scheduled, promo.Active)
	if err != nil {
		return 0, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	moved := 0
	var errs []error
	for _, c := range cs {
		to, due := promo.Due(c.Campaign, now)
		if !due {
			continue
		}
		err := s.store.Write(ctx, func(tx *store.Tx) error {
			c, err := tx.Campaign(ctx, c.ID)
			if err != nil {
				return err
			}
			if to, due = promo.Due(c.Campaign, now); !due { // moved meanwhile
				return nil
			}
			return s.moveCampaign(ctx, tx, account.Actor{}, &c, to, now)
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("campaign %s: %w", c.ID, err))
			continue
		}
		moved++
	}
	if len(errs) > 0 {
		return moved, errs[0]
	}
	return moved, nil
}

// CampaignView is a campaign as operators see it: its rules and counters and
// the stock of each gift.
type CampaignView struct {
	store.Campaign
	Stock map[string]store.GiftStock // by gift id
}

// Campaigns lists the campaigns in the states, all when none, newest first
// (operators).
//
// Errors: Forbidden.
func (s *Service) Campaigns(ctx context.Context, actor account.Actor, states ...promo.State) ([]store.Campaign, error) {
	if err := allow(actor, account.ManageCampaigns, account.Resource{}); err != nil {
		return nil, err
	}
	return s.store.Campaigns(ctx, states...)
}

// Campaign returns a campaign with its stock (operators).
//
// Errors: Forbidden; NotFound.
func (s *Service) Campaign(ctx context.Context, actor account.Actor, id string) (CampaignView, error) {
	if err := allow(actor, account.ManageCampaigns, account.Resource{}); err != nil {
		return CampaignView{}, err
	}
	c, err := s.store.Campaign(ctx, id)
	if err != nil {
		return CampaignView{}, err
	}
	stock, err := s.store.GiftStocks(ctx, id)
	return CampaignView{Campaign: c, Stock: stock}, err
}

// PublicCampaigns lists the campaigns buyers see: scheduled, active, and
// ended ones whose gifts may still be redeemed at now, newest first. Anyone
// may ask.
func (s *Service) PublicCampaigns(ctx context.Context) ([]promo.Campaign, error) {
	cs, err := s.store.Campaigns(ctx, promo.Scheduled, promo.Active, promo.Ended)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []promo.Campaign
	for _, c := range cs {
		if c.State != promo.Ended || now.Before(c.RedeemUntil()) {
			out = append(out, c.Campaign)
		}
	}
	return out, nil
}

// publicCampaign returns a campaign buyers may see (not a draft).
//
// Errors: NotFound.
func (s *Service) publicCampaign(ctx context.Context, q campaignReader, id string) (store.Campaign, error) {
	c, err := q.Campaign(ctx, id)
	if err == nil && c.State == promo.Draft {
		err = errNoCampaign
	}
	return c, err
}

// campaignReader reads what the campaign rules need, on the store or in a
// transaction.
type campaignReader interface {
	Campaign(ctx context.Context, id string) (store.Campaign, error)
	SegmentChanges(ctx context.Context, orgID string) ([]promo.SegmentChange, error)
	Admissions(ctx context.Context, campaignID, customerOrgID string) ([]promo.Admission, error)
	Participant(ctx context.Context, campaignID, customerOrgID string) (store.Participant, bool, error)
}

// GiftOffer is a gift on a campaign's page: its tier and what is left of it.
type GiftOffer struct {
	promo.Gift
	Tier      int          // index of its tier
	Threshold money.Amount // of its tier
	Left      int          // units left
	Reached   bool         // the customer's total reaches its tier
}

// CampaignPage is a campaign as a buyer sees it: its rules, the gifts with
// their stock and the packs left; and, for the buyer's organisation, its
// standing, its pack and coupons, and its gift.
type CampaignPage struct {
	Campaign promo.Campaign
	From     time.Time // the window: from (included)
	Until    time.Time // until (excluded)
	RedeemBy time.Time // gifts are redeemed before this instant
	Gifts    []GiftOffer
	// PacksLeft is how many packs may still be claimed by anyone.
	PacksLeft int

	// The buyer's organisation's part; zero without one.
	OrgID      string
	InAudience bool           // now: its segment is admitted, or its account manager admitted it
	Admitted   bool           // admitted by its account manager now
	Standing   promo.Standing // its total, the tier reached, the next and what is missing
	Claims     int            // packs it has claimed
	// ClaimRefusal says why it may not claim a pack now (promo.CheckClaim);
	// nil when it may.
	ClaimRefusal *fault.Error
	Coupons      []promo.Coupon    // its coupons of the campaign, the newest claims first
	Redemption   *store.Redemption // its gift, nil before it redeems one
}

// CampaignPage returns a campaign's page for anyone (not a draft); with orgID
// (a customer the actor buys for, "" for none) the organisation's part too.
//
// Errors: NotFound; Forbidden when the actor does not buy for orgID.
func (s *Service) CampaignPage(ctx context.Context, actor account.Actor, id, orgID string) (CampaignPage, error) {
	c, err := s.publicCampaign(ctx, s.store, id)
	if err != nil {
		return CampaignPage{}, err
	}
	stock, err := s.store.GiftStocks(ctx, id)
	if err != nil {
		return CampaignPage{}, err
	}
	p := CampaignPage{Campaign: c.Campaign, RedeemBy: c.RedeemUntil(), PacksLeft: max(c.PackLimit-c.PacksClaimed, 0)}
	p.From, p.Until = c.Window()
	total := money.New(0, c.Currency)
	if orgID != "" {
		if err := allow(actor, account.Buy, account.Resource{OrgID: orgID}); err != nil {
			return CampaignPage{}, err
		}
		if err := s.buyerPart(ctx, c, orgID, &p); err != nil {
			return CampaignPage{}, err
		}
		total = p.Standing.Total
	}
	if p.Standing, err = promo.Progress(total, c.Tiers); err != nil {
		return CampaignPage{}, err
	}
	for i, t := range c.Tiers {
		for _, g := range t.Gifts {
			p.Gifts = append(p.Gifts, GiftOffer{Gift: g, Tier: i, Threshold: t.Threshold, Left: stock[g.ID].Left, Reached: i <= p.Standing.Reached})
		}
	}
	return p, nil
}

func (s *Service) buyerPart(ctx context.Context, c store.Campaign, orgID string, p *CampaignPage) error {
	now := s.now()
	org, err := s.customerOrg(ctx, orgID)
	if err != nil {
		return err
	}
	admissions, err := s.store.Admissions(ctx, c.ID, orgID)
	if err != nil {
		return err
	}
	part, _, err := s.store.Participant(ctx, c.ID, orgID)
	if err != nil {
		return err
	}
	if p.Claims, err = s.store.PackClaims(ctx, c.ID, orgID); err != nil {
		return err
	}
	if p.Coupons, err = s.store.Coupons(ctx, orgID, c.ID); err != nil {
		return err
	}
	reds, err := s.store.Redemptions(ctx, c.ID, orgID)
	if err != nil {
		return err
	}
	if len(reds) > 0 {
		p.Redemption = &reds[0]
	}
	p.OrgID = orgID
	p.Admitted = promo.Admitted(admissions, now)
	p.InAudience = c.InAudience(org.Segment, p.Admitted)
	p.Standing.Total = money.New(part.Total.Minor, c.Currency)
	err = promo.CheckClaim(c.Campaign, promo.ClaimFacts{Segment: org.Segment, Admitted: p.Admitted, Mine: p.Claims, All: c.PacksClaimed, At: now})
	p.ClaimRefusal = fault.As(err)
	return nil
}

// ClaimPack claims the campaign's coupon pack for a customer (its buyers):
// while the campaign is active, for a customer in its audience, up to the
// packs per customer and in all, which the database enforces. It returns the
// coupons issued.
//
// Errors: Forbidden; NotFound; the errors of promo.CheckClaim.
func (s *Service) ClaimPack(ctx context.Context, actor account.Actor, campaignID, orgID string) ([]promo.Coupon, error) {
	if err := allow(actor, account.Buy, account.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	now := s.now()
	var coupons []promo.Coupon
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := s.publicCampaign(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		org, err := tx.Org(ctx, orgID)
		if err != nil {
			return err
		}
		admissions, err := tx.Admissions(ctx, campaignID, orgID)
		if err != nil {
			return err
		}
		mine, err := tx.PackClaims(ctx, campaignID, orgID)
		if err != nil {
			return err
		}
		if err := promo.CheckClaim(c.Campaign, promo.ClaimFacts{Segment: org.Segment, Admitted: promo.Admitted(admissions, now),
			Mine: mine, All: c.PacksClaimed, At: now}); err != nil {
			return err
		}
		if err := tx.ClaimPack(ctx, campaignID, orgID, mine+1, actor.UserID, now); err != nil {
			return err
		}
		coupons = promo.IssuePack(c.Campaign, orgID, now, func() string { return ids.New("cpn") })
		if err := tx.AddCoupons(ctx, mine+1, coupons); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleBuyer), action: "campaign.claim_pack", objectType: "campaign",
			objectID: campaignID, orgID: orgID, summary: fmt.Sprintf("pack %d of campaign %s claimed: %d coupons", mine+1, c.Name.EN, len(coupons))})
	})
	if err != nil {
		return nil, err
	}
	return coupons, nil
}

// MyCoupons lists a customer's coupons (its buyers, operators), of one
// campaign when campaignID is not "", the newest claims first.
//
// Errors: Forbidden.
func (s *Service) MyCoupons(ctx context.Context, actor account.Actor, orgID, campaignID string) ([]promo.Coupon, error) {
	if err := allow(actor, account.ReadPurchases, account.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	return s.store.Coupons(ctx, orgID, campaignID)
}

// Limits of a shipping address, in characters.
const (
	MaxAddressField = 100
	MaxAddressLine  = 300
)

// checkAddress checks a shipping address: every part but the postcode given.
//
// Errors: Invalid on address.name, address.phone, address.province,
// address.city, address.address, address.postcode (error.address_required,
// error.address_long).
func checkAddress(a store.ShippingAddress) (store.ShippingAddress, error) {
	parts := []struct {
		field    string
		v        *string
		required bool
		max      int
	}{
		{"name", &a.Name, true, MaxAddressField}, {"phone", &a.Phone, true, 40}, {"province", &a.Province, true, MaxAddressField},
		{"city", &a.City, true, MaxAddressField}, {"address", &a.Address, true, MaxAddressLine}, {"postcode", &a.Postcode, false, 20},
	}
	for _, p := range parts {
		*p.v = strings.TrimSpace(*p.v)
		switch n := utf8.RuneCountInString(*p.v); {
		case n == 0 && p.required:
			return a, fault.Field("address."+p.field, "error.address_required", "give the "+p.field+" the gift is sent to")
		case n > p.max:
			return a, fault.Field("address."+p.field, "error.address_long", fmt.Sprintf("keep the %s under %d characters", p.field, p.max))
		}
	}
	return a, nil
}

// Redeem redeems a gift of the campaign for a customer (its buyers), sent to
// the address: one gift per customer and campaign, from a tier its total
// reaches, while stock lasts, until the redemption deadline — all decided in
// one transaction, the limits by the database.
//
// Errors: Forbidden; NotFound; Invalid on address.…; the errors of
// promo.CheckRedeem.
func (s *Service) Redeem(ctx context.Context, actor account.Actor, campaignID, orgID, giftID string, addr store.ShippingAddress) (store.Redemption, error) {
	if err := allow(actor, account.Buy, account.Resource{OrgID: orgID}); err != nil {
		return store.Redemption{}, err
	}
	addr, err := checkAddress(addr)
	if err != nil {
		return store.Redemption{}, err
	}
	now := s.now()
	var r store.Redemption
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := s.publicCampaign(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		// The participant's row first, as a refund takes it: neither passes on
		// what the other is about to change. Its total counts the orders
		// placed before in the transaction.
		if err := tx.Flush(ctx, countingOrders); err != nil {
			return err
		}
		p, _, err := tx.LockParticipant(ctx, campaignID, orgID)
		if err != nil {
			return err
		}
		stock, err := tx.GiftStocks(ctx, campaignID)
		if err != nil {
			return err
		}
		red, err := promo.CheckRedeem(c.Campaign, promo.RedeemFacts{GiftID: giftID, Total: money.New(p.Total.Minor, c.Currency),
			Redeemed: p.Redeemed != nil, StockLeft: stock[giftID].Left, At: now})
		if err != nil {
			return err
		}
		r = store.Redemption{ID: ids.New("rdm"), CampaignID: campaignID, CustomerOrgID: orgID, Redemption: red, Address: addr,
			State: store.AwaitingShipment, RedeemedBy: actor.UserID, RedeemedAt: now}
		if err := tx.Redeem(ctx, r); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleBuyer), action: "campaign.redeem", objectType: "campaign",
			objectID: campaignID, orgID: orgID, summary: fmt.Sprintf("gift %s of campaign %s redeemed", giftID, c.Name.EN), after: r})
	})
	if err != nil {
		return store.Redemption{}, err
	}
	return r, nil
}

// MarkShipped records that a redeemed gift was sent, with the carrier and
// its tracking number (operators).
//
// Errors: Forbidden; NotFound; Invalid on carrier, tracking
// (error.shipping_required); InvalidState (error.redemption_state) unless it
// awaits shipment.
func (s *Service) MarkShipped(ctx context.Context, actor account.Actor, redemptionID, carrier, tracking string) (store.Redemption, error) {
	carrier, tracking = strings.TrimSpace(carrier), strings.TrimSpace(tracking)
	switch {
	case carrier == "" || utf8.RuneCountInString(carrier) > MaxAddressField:
		return store.Redemption{}, fault.Field("carrier", "error.shipping_required", "name the carrier (up to 100 characters)")
	case tracking == "" || utf8.RuneCountInString(tracking) > MaxAddressField:
		return store.Redemption{}, fault.Field("tracking", "error.shipping_required", "give the tracking number (up to 100 characters)")
	}
	return s.moveRedemption(ctx, actor, redemptionID, store.AwaitingShipment, func(r *store.Redemption, now time.Time) {
		r.State, r.Carrier, r.Tracking, r.ShippedAt = store.Shipped, carrier, tracking, now
	})
}

// MarkDelivered records that a shipped gift arrived (operators).
//
// Errors: Forbidden; NotFound; InvalidState (error.redemption_state) unless
// it was shipped.
func (s *Service) MarkDelivered(ctx context.Context, actor account.Actor, redemptionID string) (store.Redemption, error) {
	return s.moveRedemption(ctx, actor, redemptionID, store.Shipped, func(r *store.Redemption, now time.Time) {
		r.State, r.DeliveredAt = store.Delivered, now
	})
}

func (s *Service) moveRedemption(ctx context.Context, actor account.Actor, id string, from store.RedemptionState, step func(*store.Redemption, time.Time)) (store.Redemption, error) {
	if err := allow(actor, account.ManageCampaigns, account.Resource{}); err != nil {
		return store.Redemption{}, err
	}
	now := s.now()
	var r store.Redemption
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = tx.Redemption(ctx, id); err != nil {
			return err
		}
		if r.State != from {
			return &fault.Error{Code: fault.InvalidState, MsgID: "error.redemption_state", Message: "this gift is " + strings.ReplaceAll(string(r.State), "_", " ")}
		}
		step(&r, now)
		if err := tx.MoveRedemption(ctx, from, r); err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleOperator), action: "campaign.gift_" + string(r.State), objectType: "redemption",
			objectID: r.ID, orgID: r.CustomerOrgID, summary: fmt.Sprintf("gift %s of campaign %s %s", r.GiftID, r.CampaignID, r.State), after: r})
	})
	return r, err
}

// Admit lets a customer outside the campaign's segments join it (its account
// manager only, with a note; audited): its orders paid from now on count.
//
// Errors: Forbidden (also error.not_your_customer); NotFound; Invalid on note;
// InvalidState (error.campaign_state); Conflict (error.admitted_already).
func (s *Service) Admit(ctx context.Context, actor account.Actor, campaignID, customerOrgID, note string) error {
	return s.admission(ctx, actor, campaignID, customerOrgID, note, true)
}

// Revoke ends a customer's admission to the campaign (its account manager
// only, with a note; audited): its orders paid from now on no longer count
// unless its segment is admitted; those counted stay counted.
//
// Errors: Forbidden (also error.not_your_customer); NotFound (also
// error.not_admitted); Invalid on note; InvalidState (error.campaign_state).
func (s *Service) Revoke(ctx context.Context, actor account.Actor, campaignID, customerOrgID, note string) error {
	return s.admission(ctx, actor, campaignID, customerOrgID, note, false)
}

func (s *Service) admission(ctx context.Context, actor account.Actor, campaignID, customerOrgID, note string, admit bool) error {
	org, err := s.store.Org(ctx, customerOrgID)
	if err != nil {
		return err
	}
	if err := allow(actor, account.AdmitCustomers, customerResource(org)); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	now := s.now()
	return s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.Campaign(ctx, campaignID)
		if err != nil {
			return err
		}
		if err := promo.CheckAdmit(c.Campaign, org, actor.UserID, note); err != nil {
			return err
		}
		action, summary := "campaign.admit", "admitted to campaign "
		if admit {
			err = tx.AddAdmission(ctx, ids.New("adm"), promo.Admission{CampaignID: campaignID, CustomerOrgID: customerOrgID, By: actor.UserID, Note: note, At: now})
		} else {
			action, summary = "campaign.revoke", "admission revoked from campaign "
			err = tx.RevokeAdmission(ctx, campaignID, customerOrgID, actor.UserID, note, now)
		}
		if err != nil {
			return err
		}
		return record(ctx, tx, actor, now, change{role: string(account.RoleAccountManager), action: action, objectType: "campaign", objectID: campaignID,
			orgID: customerOrgID, summary: org.Name + " " + summary + c.Name.EN + ": " + note})
	})
}

// Admissions lists the admissions to a campaign, of one customer when
// customerOrgID is not "" (operators; an account manager for its own
// customer).
//
// Errors: Forbidden; NotFound.
func (s *Service) Admissions(ctx context.Context, actor account.Actor, campaignID, customerOrgID string) ([]promo.Admission, error) {
	if !account.Can(actor, account.ManageCampaigns, account.Resource{}) {
		if customerOrgID == "" {
			return nil, allow(actor, account.ManageCampaigns, account.Resource{})
		}
		org, err := s.store.Org(ctx, customerOrgID)
		if err != nil {
			return nil, err
		}
		if err := allow(actor, account.AdmitCustomers, customerResource(org)); err != nil {
			return nil, err
		}
	}
	if _, err := s.store.Campaign(ctx, campaignID); err != nil {
		return nil, err
	}
	return s.store.Admissions(ctx, campaignID, customerOrgID)
}

// checkChannel checks an order's channel: "" or direct, or the page of a
// campaign that is active (returned). The campaign is read unless it is
// known (read already, with the coupon: nil for none).
//
// Errors: Invalid on channel (error.channel).
func (s *Service) checkChannel(ctx context.Context, channel string, known *store.Campaign) (string, *store.Campaign, error) {
	bad := fault.Field("channel", "error.channel", "an order is placed directly or through the page of an active campaign")
	if channel == "" || channel == "direct" {
		return "direct", nil, nil
	}
	id, ok := strings.CutPrefix(channel, promo.ChannelPrefix)
	if !ok {
		return "", nil, bad
	}
	if known != nil && known.ID == id {
		if known.State != promo.Active {
			return "", nil, bad
		}
		return channel, known, nil
	}
	c, err := s.store.Campaign(ctx, id)
	if fault.Is(err, fault.NotFound) || err == nil && c.State != promo.Active {
		return "", nil, bad
	}
	if err != nil {
		return "", nil, err
	}
	return channel, &c, nil
}

// orderCampaign is the campaign side of an order at checkout: its coupon,
// the coupon's campaign, and the campaign the order takes part in.
type orderCampaign struct {
	coupon   *promo.Coupon
	parts    []money.Amount  // the coupon's discount, by line
	campaign *store.Campaign // the one it takes part in (promo.CampaignOf); nil for none
}

// discount is the coupon's discount in all.
func (oc orderCampaign) discount(c money.Currency) money.Amount {
	sum, _ := money.Sum(c, oc.parts...)
	return sum
}

// ownCoupon reads the owner's coupon with its campaign.
//
// Errors: NotFound (error.coupon_unknown) for a coupon that is not the
// owner's.
func (s *Service) ownCoupon(ctx context.Context, couponID, ownerOrgID string) (promo.Coupon, store.Campaign, error) {
	cp, c, err := s.store.CouponAndCampaign(ctx, couponID)
	if err == nil && cp.OwnerOrgID != ownerOrgID {
		err = &fault.Error{Code: fault.NotFound, Field: "coupon_id", MsgID: "error.coupon_unknown", Message: "no such coupon"}
	}
	return cp, c, err
}

// applyCoupon takes the coupon off the quote (promo.Apply →
// promo.Discounted) at `at`.
//
// Errors: those of promo.Apply.
func applyCoupon(q order.Quote, offers map[string]order.Offer, cp promo.Coupon, at time.Time) (order.Quote, orderCampaign, error) {
	categories := map[string]string{}
	for id, o := range offers {
		categories[id] = o.Product.Category
	}
	parts, err := promo.Apply(cp, q.Lines, categories, at)
	if err != nil {
		return q, orderCampaign{}, err
	}
	if q, err = promo.Discounted(q, parts); err != nil {
		return q, orderCampaign{}, err
	}
	return q, orderCampaign{coupon: &cp, parts: parts}, nil
}

// countingOrders names the writes of countOrder, made together
// (store.Tx.Later).
const countingOrders = "campaign orders"

// orderToCount is a paid order that takes part in a campaign, to be counted.
type orderToCount struct {
	order    order.Order
	campaign promo.Campaign
	coupon   *promo.Coupon
}

// countOrder has a paid order that takes part in a campaign counted toward it
// in the transaction that places it: in SQLite's group commit its campaign
// ledger entry is written with those of the transaction's other orders,
// before it commits (countOrders, store.Tx.Later), so that the checkouts of a
// group write theirs in a few statements.
func (s *Service) countOrder(ctx context.Context, tx *store.Tx, o order.Order, oc orderCampaign) error {
	if oc.campaign == nil {
		return nil
	}
	return tx.Later(ctx, countingOrders, orderToCount{order: o, campaign: oc.campaign.Campaign, coupon: oc.coupon}, s.countOrders)
}

// countOrders writes the campaign ledger entries of the orders that count
// toward the campaign each takes part in (promo.OrderEntry), from their
// customers' segment histories, read at once.
func (s *Service) countOrders(ctx context.Context, tx *store.Tx, items []any) error {
	toCount := make([]orderToCount, len(items))
	orgs := make([]string, len(items))
	for i, item := range items {
		toCount[i] = item.(orderToCount)
		orgs[i] = toCount[i].order.BuyerOrgID
	}
	histories, err := tx.SegmentHistories(ctx, orgs)
	if err != nil {
		return err
	}
	var entries []promo.Entry
	for _, t := range toCount {
		f, err := factsWith(ctx, tx, t.campaign, t.order, t.coupon, histories[t.order.BuyerOrgID])
		if err != nil {
			return err
		}
		if e, reason := promo.OrderEntry(t.campaign, f); reason == promo.Counted {
			entries = append(entries, e)
		}
	}
	_, err = tx.AddCampaignEntries(ctx, entries)
	return err
}

// facts are the facts of the order for the campaign (promo.Facts), from the
// customer's segment history and admissions.
func (s *Service) facts(ctx context.Context, q campaignReader, c promo.Campaign, o order.Order, cp *promo.Coupon) (promo.OrderFacts, error) {
	segments, err := q.SegmentChanges(ctx, o.BuyerOrgID)
	if err != nil {
		return promo.OrderFacts{}, err
	}
	return factsWith(ctx, q, c, o, cp, segments)
}

// factsWith are the facts of the order for the campaign, the customer's
// segment history given.
func factsWith(ctx context.Context, q campaignReader, c promo.Campaign, o order.Order, cp *promo.Coupon, segments []promo.SegmentChange) (promo.OrderFacts, error) {
	var admissions []promo.Admission
	if !slices.Contains(c.Segments, promo.SegmentAt(segments, o.PaidAt)) { // admitted or not, it counts: no need to ask
		var err error
		if admissions, err = q.Admissions(ctx, c.ID, o.BuyerOrgID); err != nil {
			return promo.OrderFacts{}, err
		}
	}
	couponCampaign := ""
	if cp != nil {
		couponCampaign = cp.CampaignID
	}
	return promo.Facts(c, o, couponCampaign, segments, admissions), nil
}

// refundInCampaign decides a refund r of order o in its transaction when the
// order counted toward a campaign: the customer's row in the campaign is
// locked, the refund is refused or allowed under the policy that applies
// (promo.PolicyFor: owed refunds, a failed delivery or a service order the
// marketplace gives back, are never refused), the refund's campaign entry is
// written, and the ledger entries that keep back a deducted gift value are
// returned, for the refund's posting.
//
// Errors: InvalidState (error.refund_below_gift).
func (s *Service) refundInCampaign(ctx context.Context, tx *store.Tx, o order.Order, r store.Refund, owed bool) ([]ledger.Entry, error) {
	if err := tx.Flush(ctx, countingOrders); err != nil { // the orders before it in the transaction
		return nil, err
	}
	counted, ok, err := tx.OrderEntry(ctx, o.ID)
	if err != nil || !ok {
		return nil, err
	}
	c, err := tx.Campaign(ctx, counted.CampaignID)
	if err != nil {
		return nil, err
	}
	p, found, err := tx.LockParticipant(ctx, counted.CampaignID, o.BuyerOrgID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("market: order %s counted in campaign %s without a participant", o.ID, c.ID)
	}
	refunded := r.Amount
	if refunded.Minor > counted.Amount.Minor { // never more than it counted (the order's payable)
		refunded.Minor = counted.Amount.Minor
	}
	deduct, err := promo.RefundAllowed(p.Total, refunded, p.Redeemed, promo.PolicyFor(c.Campaign, owed))
	if err != nil {
		return nil, err
	}
	e, err := promo.RefundEntry(counted, r.ID, refunded, r.CreatedAt)
	if err != nil {
		return nil, err
	}
	if _, err := tx.AddCampaignEntry(ctx, e); err != nil {
		return nil, err
	}
	if deduct.Minor > 0 {
		if err := tx.AddDeducted(ctx, c.ID, o.BuyerOrgID, deduct, r.CreatedAt); err != nil {
			return nil, err
		}
	}
	return promo.GiftDeduction(o.BuyerOrgID, deduct), nil
}

// Explanation says whether one of a customer's orders counted toward a
// campaign, and why not.
type Explanation struct {
	OrderID string
	Kind    order.Kind
	Channel string
	PaidAt  time.Time
	Paid    money.Amount // the order's payable
	// CouponCampaignID is the campaign of the coupon it was paid with.
	CouponCampaignID string
	Counted          bool
	Amount           money.Amount   // what it added to the total (its entry), zero when it did not count
	Refunded         money.Amount   // what refunds of it took off the total
	Reasons          []promo.Reason // why it did not count, most telling first; none when it counted
}

// maxExplained is the most orders a dry run looks at.
const maxExplained = 10_000

// Explain says of each of a customer's orders placed during the campaign's
// window whether it counted and why not, newest first (the customer's buyers,
// operators; not for a draft).
//
// Errors: Forbidden; NotFound.
func (s *Service) Explain(ctx context.Context, actor account.Actor, campaignID, orgID string) ([]Explanation, error) {
	if err := allow(actor, account.ReadPurchases, account.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	c, err := s.publicCampaign(ctx, s.store, campaignID)
	if err != nil {
		return nil, err
	}
	orders, err := s.ordersInWindow(ctx, c.Campaign, orgID)
	if err != nil {
		return nil, err
	}
	entries, err := s.store.CampaignEntries(ctx, campaignID, orgID)
	if err != nil {
		return nil, err
	}
	return s.explain(ctx, c.Campaign, orders, entries)
}

// ordersInWindow lists the orders placed during the campaign's window (of
// one buyer when orgID is not ""), newest first, up to maxExplained.
func (s *Service) ordersInWindow(ctx context.Context, c promo.Campaign, orgID string) ([]order.Order, error) {
	from, until := c.Window()
	var out []order.Order
	f := store.OrderFilter{BuyerOrgID: orgID, Since: from, Until: until, Limit: 500}
	for len(out) < maxExplained {
		page, err := s.store.Orders(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			break
		}
		f.Before = page[len(page)-1].ID
	}
	return out, nil
}

// explain explains the orders with the campaign's entries (of their
// customers): an order with an entry counted; the others get their reasons,
// from each customer's history.
func (s *Service) explain(ctx context.Context, c promo.Campaign, orders []order.Order, entries []promo.Entry) ([]Explanation, error) {
	ids := make([]string, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	coupons, err := s.store.OrderCoupons(ctx, ids)
	if err != nil {
		return nil, err
	}
	byOrder := map[string][]promo.Entry{}
	for _, e := range entries {
		byOrder[e.OrderID] = append(byOrder[e.OrderID], e)
	}
	history := map[string]struct {
		segments   []promo.SegmentChange
		admissions []promo.Admission
	}{}
	zero := money.New(0, c.Currency)
	out := make([]Explanation, 0, len(orders))
	for _, o := range orders {
		x := Explanation{OrderID: o.ID, Kind: o.Kind, Channel: o.Channel, PaidAt: o.PaidAt, Paid: o.Payable, Amount: zero, Refunded: zero}
		var cp *promo.Coupon
		if k, ok := coupons[o.ID]; ok {
			cp, x.CouponCampaignID = &k, k.CampaignID
		}
		for _, e := range byOrder[o.ID] {
			if e.Kind == promo.OrderCounted {
				x.Counted, x.Amount = true, e.Amount
			} else {
				x.Refunded.Minor -= e.Amount.Minor
			}
		}
		if !x.Counted {
			h, ok := history[o.BuyerOrgID]
			if !ok {
				var err error
				if h.segments, err = s.store.SegmentChanges(ctx, o.BuyerOrgID); err != nil {
					return nil, err
				}
				if h.admissions, err = s.store.Admissions(ctx, c.ID, o.BuyerOrgID); err != nil {
					return nil, err
				}
				history[o.BuyerOrgID] = h
			}
			couponCampaign := ""
			if cp != nil {
				couponCampaign = cp.CampaignID
			}
			// An order the rules count yet without an entry (a dry run's
			// question: nothing has counted) has no reasons.
			x.Reasons = promo.Reasons(c, promo.Facts(c, o, couponCampaign, h.segments, h.admissions))
		}
		out = append(out, x)
	}
	return out, nil
}

// DryRunCustomer is one customer in a dry run: its orders in the window and
// what would count of them.
type DryRunCustomer struct {
	OrgID    string
	Name     string
	Standing promo.Standing // with the total the counted orders would make
	Orders   []Explanation  // Counted: would count; otherwise the reasons
}

// DryRun applies the campaign's rules to the orders placed during its window
// (up to 10,000, any state of the campaign, draft included) and says who
// would qualify with which total, and why each other order would not count,
// the highest totals first (operators). Nothing changes.
//
// Errors: Forbidden; NotFound.
func (s *Service) DryRun(ctx context.Context, actor account.Actor, campaignID string) ([]DryRunCustomer, error) {
	if err := allow(actor, account.ManageCampaigns, account.Resource{}); err != nil {
		return nil, err
	}
	c, err := s.store.Campaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	orders, err := s.ordersInWindow(ctx, c.Campaign, "")
	if err != nil {
		return nil, err
	}
	xs, err := s.explain(ctx, c.Campaign, orders, nil) // as if nothing had counted yet
	if err != nil {
		return nil, err
	}
	byOrg := map[string]*DryRunCustomer{}
	var order []string
	for i, x := range xs {
		if len(x.Reasons) == 0 {
			x.Counted, x.Amount = true, x.Paid
		}
		org := orders[i].BuyerOrgID
		d, ok := byOrg[org]
		if !ok {
			d = &DryRunCustomer{OrgID: org}
			d.Standing.Total = money.New(0, c.Currency)
			byOrg[org] = d
			order = append(order, org)
		}
		if x.Counted {
			if d.Standing.Total, err = d.Standing.Total.Add(x.Amount); err != nil {
				return nil, err
			}
		}
		d.Orders = append(d.Orders, x)
	}
	out := make([]DryRunCustomer, 0, len(order))
	for _, id := range order {
		d := byOrg[id]
		if d.Standing, err = promo.Progress(d.Standing.Total, c.Tiers); err != nil {
			return nil, err
		}
		if o, err := s.store.Org(ctx, id); err == nil {
			d.Name = o.Name
		}
		out = append(out, *d)
	}
	slices.SortStableFunc(out, func(a, b DryRunCustomer) int {
		switch {
		case a.Standing.Total.Minor > b.Standing.Total.Minor:
			return -1
		case a.Standing.Total.Minor < b.Standing.Total.Minor:
			return 1
		}
		return strings.Compare(a.OrgID, b.OrgID)
	})
	return out, nil
}

// ReportRow is a participant in a campaign's report.
type ReportRow struct {
	store.Participant
	Standing   promo.Standing
	Redemption *store.Redemption
}

// TierTotal is how many participants reached a tier as their highest, and
// their totals' sum.
type TierTotal struct {
	Tier      int // -1: none reached
	Threshold money.Amount
	Customers int
	Total     money.Amount
}

// Report is a campaign's report for operators.
type Report struct {
	Campaign     store.Campaign // with PacksClaimed and BudgetUsed
	Participants []ReportRow    // the highest totals first
	Tiers        []TierTotal    // none reached first, then each tier
	Redemptions  []store.Redemption
	Stock        []store.GiftStock // in the order of the tiers and gifts
	CouponsUsed  int               // coupons of the campaign used on orders
}

// Report reports on a campaign: its participants and totals, the totals by
// tier, the redemptions, the stock and the budget used (operators).
//
// Errors: Forbidden; NotFound.
func (s *Service) Report(ctx context.Context, actor account.Actor, campaignID string) (Report, error) {
	v, err := s.Campaign(ctx, actor, campaignID)
	if err != nil {
		return Report{}, err
	}
	c := v.Campaign
	r := Report{Campaign: c}
	ps, err := s.store.Participants(ctx, campaignID)
	if err != nil {
		return r, err
	}
	if r.Redemptions, err = s.store.Redemptions(ctx, campaignID, ""); err != nil {
		return r, err
	}
	redeemed := map[string]*store.Redemption{}
	for i := range r.Redemptions {
		redeemed[r.Redemptions[i].CustomerOrgID] = &r.Redemptions[i]
	}
	r.Tiers = make([]TierTotal, len(c.Tiers)+1)
	r.Tiers[0] = TierTotal{Tier: -1, Threshold: money.New(0, c.Currency), Total: money.New(0, c.Currency)}
	for i, t := range c.Tiers {
		r.Tiers[i+1] = TierTotal{Tier: i, Threshold: t.Threshold, Total: money.New(0, c.Currency)}
	}
	for _, p := range ps {
		st, err := promo.Progress(p.Total, c.Tiers)
		if err != nil {
			return r, err
		}
		tt := &r.Tiers[st.Reached+1]
		tt.Customers++
		if tt.Total, err = tt.Total.Add(p.Total); err != nil {
			return r, err
		}
		r.Participants = append(r.Participants, ReportRow{Participant: p, Standing: st, Redemption: redeemed[p.CustomerOrgID]})
	}
	for _, t := range c.Tiers {
		for _, g := range t.Gifts {
			r.Stock = append(r.Stock, v.Stock[g.ID])
		}
	}
	r.CouponsUsed, err = s.store.CouponsUsed(ctx, campaignID)
	return r, err
}

// ReportCSV is a campaign's participants as CSV (operators): one row each,
// the highest totals first, with the tier reached and the gift redeemed and
// its shipping.
//
// Errors: Forbidden; NotFound.
func (s *Service) ReportCSV(ctx context.Context, actor account.Actor, campaignID string) ([]byte, error) {
	r, err := s.Report(ctx, actor, campaignID)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"customer_org_id", "customer", "currency", "total", "tier_reached", "next_tier_missing", "gift_id", "gift_tier",
		"redemption_state", "carrier", "tracking", "redeemed_at"})
	for _, p := range r.Participants {
		reached, missing := "", ""
		if p.Standing.Reached >= 0 {
			reached = r.Campaign.Tiers[p.Standing.Reached].Threshold.Decimal()
		}
		if p.Standing.Next >= 0 {
			missing = p.Standing.Missing.Decimal()
		}
		row := []string{p.CustomerOrgID, p.CustomerName, string(p.Total.Currency), p.Total.Decimal(), reached, missing, "", "", "", "", "", ""}
		if red := p.Redemption; red != nil {
			row[6], row[7], row[8], row[9], row[10], row[11] = red.GiftID, strconv.Itoa(red.Tier), string(red.State), red.Carrier, red.Tracking,
				red.RedeemedAt.UTC().Format(time.RFC3339)
		}
		_ = w.Write(row)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// CheckCampaigns recomputes from the campaign ledger what is cached (each
// participant's total) and counted (packs claimed, budget used, gift stock)
// and compares: the check command's work.
func (s *Service) CheckCampaigns(ctx context.Context) (store.CampaignCheck, error) {
	return s.store.CheckCampaigns(ctx)
}

// checkout prices an order request at `at` as PlaceOrder places it: the
// channel checked, the coupon (if any) applied, and the campaign the order
// takes part in found (promo.CampaignOf: the coupon's, else the page's).
//
// Errors: those of checkChannel, price, ownCoupon and applyCoupon.
func (s *Service) checkout(ctx context.Context, req OrderRequest, at time.Time) (order.Quote, string, orderCampaign, error) {
	// The coupon and its campaign (most often the page's) in one read; the
	// coupon's errors come after the channel's and the cart's.
	var (
		cp             promo.Coupon
		couponCampaign *store.Campaign
		couponErr      error
	)
	if req.CouponID != "" {
		var c store.Campaign
		if cp, c, couponErr = s.ownCoupon(ctx, req.CouponID, req.OrgID); couponErr == nil {
			couponCampaign = &c
		}
	}
	channel, page, err := s.checkChannel(ctx, req.Channel, couponCampaign)
	if err != nil {
		return order.Quote{}, "", orderCampaign{}, err
	}
	q, offers, err := s.price(ctx, req.Lines)
	if err != nil {
		return order.Quote{}, "", orderCampaign{}, err
	}
	oc := orderCampaign{campaign: page}
	if req.CouponID == "" {
		return q, channel, oc, nil
	}
	if couponErr != nil {
		return order.Quote{}, "", orderCampaign{}, couponErr
	}
	if q, oc, err = applyCoupon(q, offers, cp, at); err != nil {
		return order.Quote{}, "", orderCampaign{}, err
	}
	oc.campaign = couponCampaign
	return q, channel, oc, nil
}

// chargeBudget charges the coupon's discount to its campaign's budget in the
// transaction that places the order, only if it fits. The campaign's row is
// the one every checkout with its coupons updates: PlaceOrder charges it
// last, so each holds it only until its commit.
//
// Errors: Conflict (error.budget_spent).
func (s *Service) chargeBudget(ctx context.Context, tx *store.Tx, o order.Order, oc orderCampaign) error {
	if oc.coupon == nil {
		return nil
	}
	return tx.ChargeBudget(ctx, oc.coupon.CampaignID, oc.discount(o.Currency))
}

// Checkout is a cart priced as PlaceOrder would place it, and what the order
// would do in the campaign it takes part in.
type Checkout struct {
	Quote   order.Quote // each line's Discount is its part of the coupon's
	Channel string      // direct or campaign:<id>
	Coupon  *promo.Coupon
	// CampaignID is the campaign the order would take part in (its coupon's,
	// else the page's), "" for none.
	CampaignID string
	// Counts says it would count toward it; Reasons why not otherwise.
	Counts  bool
	Reasons []promo.Reason
	// Before and After are the organisation's standing in the campaign now
	// and once the order counts (the same when it would not).
	Before, After promo.Standing
	// RefundPolicy is the campaign's policy for a refund after a gift: the
	// buyer is told before paying.
	RefundPolicy promo.RefundPolicy
}

// QuoteCheckout prices an order request with its coupon and channel as
// PlaceOrder would, without changing anything (the organisation's buyers),
// and says what the order would add to the campaign it takes part in.
//
// Errors: Forbidden; those of PlaceOrder's pricing (order.Price, error.channel,
// the coupon's).
func (s *Service) QuoteCheckout(ctx context.Context, actor account.Actor, req OrderRequest) (Checkout, error) {
	if err := allow(actor, account.Buy, account.Resource{OrgID: req.OrgID}); err != nil {
		return Checkout{}, err
	}
	now := s.now()
	q, channel, oc, err := s.checkout(ctx, req, now)
	if err != nil {
		return Checkout{}, err
	}
	out := Checkout{Quote: q, Channel: channel, Coupon: oc.coupon}
	if oc.campaign == nil {
		return out, nil
	}
	c := oc.campaign.Campaign
	out.CampaignID, out.RefundPolicy = c.ID, c.Policy()
	o := order.Order{ID: "quote", BuyerOrgID: req.OrgID, Kind: order.New, Channel: channel, Quote: q, PlacedAt: now, PaidAt: now}
	f, err := s.facts(ctx, s.store, c, o, oc.coupon)
	if err != nil {
		return Checkout{}, err
	}
	p, _, err := s.store.Participant(ctx, c.ID, req.OrgID)
	if err != nil {
		return Checkout{}, err
	}
	total := money.New(p.Total.Minor, c.Currency)
	if out.Before, err = promo.Progress(total, c.Tiers); err != nil {
		return Checkout{}, err
	}
	out.After = out.Before
	amount, reason := promo.Qualifies(c, f)
	if out.Counts = reason == promo.Counted; !out.Counts {
		out.Reasons = promo.Reasons(c, f)
		return out, nil
	}
	if total, err = total.Add(amount); err == nil {
		out.After, err = promo.Progress(total, c.Tiers)
	}
	return out, err
}
