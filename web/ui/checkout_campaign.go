package ui

import (
	"context"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
)

// The checkout's campaign part: the buyer's coupons that apply to the cart
// (a select), the discount of the one chosen, the campaign the order takes
// part in (its coupon's, else the one whose page the buyer shops through:
// ChannelCookie) with what the order adds to the buyer's total, and the
// campaign's refund-after-gift policy, told before paying.

// checkoutCampaign is what the checkout shows of coupons and campaigns.
type checkoutCampaign struct {
	Coupons  []option // the applicable coupons, with what each takes off
	Coupon   string   // the coupon chosen, "" for none
	Channel  string   // direct or campaign:<id>
	Checkout market.Checkout
	Name     string   // the campaign the order takes part in
	Reasons  []string // why it would not count
	Policy   string   // its refund policy, in plain words
	NewTier  string   // the threshold the order reaches, "" when none
	Alert    string   // why the coupon asked for was not applied
}

// maxCouponsTried is how many unused coupons the checkout tries on a cart.
const maxCouponsTried = 20

// campaignCheckout prices the lines with the coupon and the channel as
// placing the order would. A coupon that does not apply, or a channel no
// longer open, is left out and said why.
func (s *server) campaignCheckout(ctx context.Context, p *page, orgID string, lines []order.LineRequest, coupon, channel string) (checkoutCampaign, error) {
	cc := checkoutCampaign{Channel: channel}
	req := market.OrderRequest{OrgID: orgID, Lines: lines, Channel: channel}
	base, err := s.svc.QuoteCheckout(ctx, p.Actor, req)
	if fault.Is(err, fault.Invalid) && channel != "" { // the campaign has ended: buy directly
		req.Channel, cc.Channel = "", ""
		base, err = s.svc.QuoteCheckout(ctx, p.Actor, req)
	}
	if err != nil {
		return cc, err
	}
	coupons, err := s.svc.MyCoupons(ctx, p.Actor, orgID, "")
	if err != nil {
		return cc, err
	}
	now := s.svc.Now()
	tried := 0
	for _, cp := range coupons {
		if cp.OrderID != "" || !cp.ValidAt(now) || tried == maxCouponsTried {
			continue
		}
		tried++
		req.CouponID = cp.ID
		c, err := s.svc.QuoteCheckout(ctx, p.Actor, req)
		if fault.As(err) != nil && !fault.Is(err, fault.Internal) {
			continue // does not apply to this cart
		} else if err != nil {
			return cc, err
		}
		cc.Coupons = append(cc.Coupons, option{Value: cp.ID, Label: p.Choose(cp.Template.Name.EN, cp.Template.Name.ZH),
			Hint: "−" + p.Money(c.Quote.Discount)})
		if cp.ID == coupon {
			base, cc.Coupon = c, cp.ID
		}
	}
	if coupon != "" && cc.Coupon == "" {
		cc.Alert = p.T("camp.checkout.coupon_not_applied")
	}
	cc.Checkout = base
	if base.CampaignID == "" {
		return cc, nil
	}
	if pc, err := s.svc.CampaignPage(ctx, p.Actor, base.CampaignID, ""); err == nil {
		cc.Name = p.Choose(pc.Campaign.Name.EN, pc.Campaign.Name.ZH)
		if base.Counts && base.After.Reached > base.Before.Reached {
			cc.NewTier = p.Money(pc.Campaign.Tiers[base.After.Reached].Threshold)
		}
	}
	for _, r := range base.Reasons {
		cc.Reasons = append(cc.Reasons, p.T("campaign.reason."+string(r)))
	}
	cc.Policy = p.T("camp.policy." + string(base.RefundPolicy))
	return cc, nil
}

// ThroughCampaign reports whether the order goes through a campaign's page.
func (c checkoutCampaign) ThroughCampaign() bool {
	return strings.HasPrefix(c.Channel, promo.ChannelPrefix)
}
