package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/promo"
	"github.com/cloudmart/cloudmart/store"
)

// A campaign's page (/campaigns/{id}): its rules in plain words, the coupon
// pack to claim, the buyer's progress drawn as a bar, the gifts with their
// stock and the form that redeems one, the link that shops through the
// campaign, and which of the buyer's orders counted and why not.

// campaignView is a campaign's page.
type campaignView struct {
	market.CampaignPage
	Name     string
	Window   string // "2020-08-12 to 2020-09-11 (Asia/Shanghai, both days whole)"
	RedeemBy string
	Audience string // the segments, named
	Counts   string // what counts
	Policy   string // the refund-after-gift policy in plain words
	Pack     []string
	Bar      progressBar
	Buyer    bool // the visitor buys for a customer organisation
	Active   bool
	Shopping bool     // the visitor's cart is bought through this campaign
	Choices  []option // the gifts the buyer may redeem now
	Orders   []explainedOrder
	GiftName string // of the redemption
}

// explainedOrder is one of the buyer's orders with whether it counted.
type explainedOrder struct {
	market.Explanation
	Reasons []string
}

// progressBar is the buyer's total against the tiers, drawn in SVG by the
// template: each tier's mark equally spaced, the fill between two marks in
// proportion to the way from one threshold to the next.
type progressBar struct {
	Width, Fill int
	Marks       []progressMark
	Label       string // for screen readers
}

type progressMark struct {
	X       int
	Label   string
	Reached bool
}

const barWidth = 600

// bar draws the standing against the tiers.
func (p *page) bar(st promo.Standing, tiers []promo.Tier) progressBar {
	n := len(tiers)
	b := progressBar{Width: barWidth}
	if n == 0 {
		return b
	}
	step := barWidth / n
	for i, t := range tiers {
		b.Marks = append(b.Marks, progressMark{X: step * (i + 1), Label: p.Money(t.Threshold), Reached: i <= st.Reached})
	}
	switch {
	case st.Next < 0:
		b.Fill = barWidth
	default:
		lo, base := int64(0), 0
		if st.Reached >= 0 {
			lo, base = tiers[st.Reached].Threshold.Minor, step*(st.Reached+1)
		}
		hi := tiers[st.Next].Threshold.Minor
		b.Fill = base + int(int64(step)*(st.Total.Minor-lo)/max(hi-lo, 1))
	}
	b.Fill = min(max(b.Fill, 0), barWidth)
	b.Label = p.T("camp.bar_label", "Total", p.Money(st.Total))
	return b
}

// campaignNotices are the confirmations the page shows after a redirect.
var campaignNotices = map[string]string{
	"claimed":  "camp.notice.claimed",
	"redeemed": "camp.notice.redeemed",
}

// ChannelCookie names the cookie that says the browser's purchases go
// through a campaign's page ("campaign:<id>"): the campaign page's "shop"
// link sets it, the checkout sends it as the order's channel.
const ChannelCookie = "cloudmart_channel"

// channel is the campaign channel the browser shops through, "" for none.
func channel(r *http.Request) string {
	c, err := r.Cookie(ChannelCookie)
	if err != nil || !strings.HasPrefix(c.Value, promo.ChannelPrefix) || len(c.Value) > 80 {
		return ""
	}
	return c.Value
}

// setChannel sets the browser's campaign channel, or clears it.
func setChannel(w http.ResponseWriter, r *http.Request, ch string) {
	c := &http.Cookie{Name: ChannelCookie, Value: ch, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil}
	if ch == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// campaignPage shows a campaign to anyone; a buyer sees its own part.
func (s *server) campaignPage(w http.ResponseWriter, r *http.Request, p *page) {
	s.showCampaign(w, r, p, http.StatusOK)
}

func (s *server) showCampaign(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	id := r.PathValue("id")
	org := buyerOrg(p.Actor).OrgID
	cp, err := s.svc.CampaignPage(ctx, p.Actor, id, org)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	c := cp.Campaign
	loc := c.Location()
	v := campaignView{CampaignPage: cp, Name: p.Choose(c.Name.EN, c.Name.ZH), Buyer: org != "", Active: c.State == promo.Active,
		Window: p.T("camp.window", "Start", c.Start.String(), "End", c.End.String(), "Zone", c.Zone), Shopping: channel(r) == promo.Channel(c.ID),
		RedeemBy: p.T("camp.redeem_by", "Day", c.RedeemBy.String(), "Zone", c.Zone, "Until", cp.RedeemBy.In(loc).Format("2006-01-02 15:04 MST"))}
	var segs []string
	for _, sg := range c.Segments {
		segs = append(segs, p.T("segment."+string(sg)))
	}
	v.Audience = p.T("camp.audience", "Segments", strings.Join(segs, p.T("camp.and")))
	v.Counts = p.T("camp.counts_new")
	if len(c.CountKinds) > 0 {
		var kinds []string
		for _, k := range c.CountKinds {
			kinds = append(kinds, p.T("order_kind."+string(k)))
		}
		v.Counts = p.T("camp.counts_kinds", "Kinds", strings.Join(kinds, p.T("camp.and")))
	}
	v.Policy = p.T("camp.policy." + string(c.Policy()))
	for _, t := range c.Pack {
		v.Pack = append(v.Pack, p.couponTerms(t))
	}
	v.Bar = p.bar(cp.Standing, c.Tiers)
	for _, g := range cp.Gifts {
		if g.Reached && g.Left > 0 {
			v.Choices = append(v.Choices, option{Value: g.ID, Label: p.Choose(g.Name.EN, g.Name.ZH), Hint: p.Money(g.Threshold)})
		}
	}
	if red := cp.Redemption; red != nil {
		if g, _, ok := c.Gift(red.GiftID); ok {
			v.GiftName = p.Choose(g.Name.EN, g.Name.ZH)
		}
	}
	if org != "" {
		xs, err := s.svc.Explain(ctx, p.Actor, id, org)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		for _, x := range xs {
			e := explainedOrder{Explanation: x}
			for _, rs := range x.Reasons {
				e.Reasons = append(e.Reasons, p.T("campaign.reason."+string(rs)))
			}
			v.Orders = append(v.Orders, e)
		}
	}
	if key, ok := campaignNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	if p.Form.ID == "" {
		p.Form = emptyForm("redeem")
	}
	p.Form.group("gift")
	for _, f := range addressFields {
		p.Form.fields["address."+f] = true
	}
	p.TitleText, p.Data = v.Name, v
	s.render(w, r, p, status, "campaign")
}

var addressFields = []string{"name", "phone", "province", "city", "address", "postcode"}

// couponTerms says what a coupon takes off, and when it may be used.
func (p *page) couponTerms(t promo.Template) string {
	var off string
	if t.Kind == promo.PercentOff {
		off = p.T("camp.coupon.percent", "Percent", strconv.FormatFloat(float64(t.PercentBPS)/100, 'f', -1, 64), "Cap", p.Money(t.Cap))
	} else {
		off = p.T("camp.coupon.amount", "Off", p.Money(t.Off))
	}
	if t.MinSpend.Minor > 0 {
		off += p.T("camp.coupon.min", "Min", p.Money(t.MinSpend))
	}
	if len(t.Scope.Types) > 0 {
		var types []string
		for _, ty := range t.Scope.Types {
			types = append(types, p.TypeName(ty))
		}
		off += p.T("camp.coupon.types", "Types", strings.Join(types, p.T("camp.and")))
	}
	if t.ValidDays > 0 {
		return off + p.T("camp.coupon.days", "Count", t.ValidDays)
	}
	return off + p.T("camp.coupon.dates", "From", t.ValidFrom.String(), "Until", t.ValidUntil.String())
}

// campaignClaim claims the campaign's pack for the buyer's organisation.
func (s *server) campaignClaim(w http.ResponseWriter, r *http.Request, p *page) {
	org := buyerOrg(p.Actor).OrgID
	if org == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	id := r.PathValue("id")
	if _, err := s.svc.ClaimPack(r.Context(), p.Actor, id, org); err != nil {
		p.Form = emptyForm("claim")
		s.refill(w, r, p, err, func(status int) { s.showCampaign(w, r, p, status) })
		return
	}
	redirect(w, r, "/campaigns/"+url.PathEscape(id)+"?done=claimed")
}

// campaignRedeem redeems the gift chosen, sent to the address typed.
func (s *server) campaignRedeem(w http.ResponseWriter, r *http.Request, p *page) {
	org := buyerOrg(p.Actor).OrgID
	if org == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	id := r.PathValue("id")
	fields := []string{"gift"}
	for _, f := range addressFields {
		fields = append(fields, "address."+f)
	}
	p.Form = newForm("redeem", r, fields...)
	v := p.Form.Values
	addr := store.ShippingAddress{Name: v["address.name"], Phone: v["address.phone"], Province: v["address.province"], City: v["address.city"],
		Address: v["address.address"], Postcode: v["address.postcode"]}
	if v["gift"] == "" {
		p.Form.fail("gift", p.T("camp.choose_gift"))
		s.showCampaign(w, r, p, http.StatusBadRequest)
		return
	}
	if _, err := s.svc.Redeem(r.Context(), p.Actor, id, org, v["gift"], addr); err != nil {
		if e := fault.As(err); e != nil && e.Field == "" && formCodes[e.Code] {
			e2 := *e
			e2.Field = "gift"
			err = &e2
		}
		s.refill(w, r, p, err, func(status int) { s.showCampaign(w, r, p, status) })
		return
	}
	redirect(w, r, "/campaigns/"+url.PathEscape(id)+"?done=redeemed#gift")
}

// campaignShop makes the browser's purchases go through the campaign's page
// (its channel, carried to the checkout by a cookie) and opens the products.
func (s *server) campaignShop(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	if _, err := s.svc.CampaignPage(r.Context(), p.Actor, id, ""); err != nil {
		s.fail(w, r, p, err)
		return
	}
	setChannel(w, r, promo.Channel(id))
	redirect(w, r, "/products?campaign="+url.QueryEscape(id))
}

// campaignsView is the list of campaigns buyers see.
type campaignsView struct {
	Campaigns []campaignRow
}

type campaignRow struct {
	promo.Campaign
	Name   string
	Window string
}

// campaignsList lists the campaigns buyers see.
func (s *server) campaignsList(w http.ResponseWriter, r *http.Request, p *page) {
	list, err := s.svc.PublicCampaigns(r.Context())
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	var v campaignsView
	for _, c := range list {
		v.Campaigns = append(v.Campaigns, campaignRow{Campaign: c, Name: p.Choose(c.Name.EN, c.Name.ZH),
			Window: p.T("camp.window", "Start", c.Start.String(), "End", c.End.String(), "Zone", c.Zone)})
	}
	p.Title, p.Data = "camp.list.title", v
	s.render(w, r, p, http.StatusOK, "campaigns")
}

// couponsView is the buyer organisation's coupons.
type couponsView struct {
	Coupons []couponRow
}

type couponRow struct {
	promo.Coupon
	Campaign string // its campaign's name
	Terms    string
	Usable   bool // unused and valid now
	Expired  bool
}

// coupons lists the buyer organisation's coupons (/account/coupons).
func (s *server) coupons(w http.ResponseWriter, r *http.Request, p *page) {
	org := buyerOrg(p.Actor).OrgID
	if org == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	list, err := s.svc.MyCoupons(r.Context(), p.Actor, org, "")
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	names := map[string]string{}
	if cs, err := s.svc.PublicCampaigns(r.Context()); err == nil {
		for _, c := range cs {
			names[c.ID] = p.Choose(c.Name.EN, c.Name.ZH)
		}
	}
	now := s.svc.Now()
	var v couponsView
	for _, cp := range list {
		v.Coupons = append(v.Coupons, couponRow{Coupon: cp, Campaign: names[cp.CampaignID], Terms: p.couponTerms(cp.Template),
			Usable: cp.OrderID == "" && cp.ValidAt(now), Expired: cp.OrderID == "" && !now.Before(cp.ValidUntil)})
	}
	p.Title, p.Data = "camp.coupons.title", v
	s.render(w, r, p, http.StatusOK, "coupons")
}
