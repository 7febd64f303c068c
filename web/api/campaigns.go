package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
)

// Campaigns and coupons over HTTP (docs/campaigns.md): the operators'
// campaigns, reports and gift shipping; the account managers' admissions;
// the buyers' campaign pages, packs, coupons, gifts and explanations; and
// the checkout priced with a coupon and a channel.

// CampaignGift is a physical gift of a tier.
type CampaignGift struct {
	ID    string `json:"id" minLength:"1" maxLength:"64" doc:"Unique within the campaign" example:"mug"`
	Name  Texts  `json:"name"`
	Value Money  `json:"value" doc:"Its declared value: what a refund may keep back under deduct_gift_value"`
	Stock int    `json:"stock" minimum:"0" doc:"Units on offer"`
	Left  *int   `json:"left,omitempty" readOnly:"true" doc:"In answers: units not redeemed yet"`
}

// CampaignTier is a threshold of a customer's total and its gifts.
type CampaignTier struct {
	Threshold Money          `json:"threshold" doc:"Reached when the customer's total is at or above it"`
	Gifts     []CampaignGift `json:"gifts" doc:"1–10 gifts: a customer redeems one gift per campaign"`
}

// CouponScope narrows what a coupon applies to; each list given narrows it.
type CouponScope struct {
	Types      []string `json:"types,omitempty" doc:"Product types: image, saas, license, professional_service"`
	Categories []string `json:"categories,omitempty" doc:"Category slugs"`
	Products   []string `json:"products,omitempty" doc:"Product ids"`
}

// CouponTemplate is a coupon of a campaign's pack.
type CouponTemplate struct {
	ID         string      `json:"id" minLength:"1" maxLength:"64" example:"300-off-1000"`
	Name       Texts       `json:"name"`
	Kind       string      `json:"kind" enum:"amount_off,percent_off"`
	Off        *Money      `json:"off,omitempty" doc:"amount_off: what it takes off"`
	PercentBPS int64       `json:"percent_bps,omitempty" doc:"percent_off: the share taken off in basis points (1000 is 10 %)"`
	Cap        *Money      `json:"cap,omitempty" doc:"percent_off: the most it takes off"`
	MinSpend   Money       `json:"min_spend" doc:"What the lines it applies to must add up to (zero: anything)"`
	Scope      CouponScope `json:"scope" required:"false" doc:"What it applies to; all products when left out"`
	ValidDays  int         `json:"valid_days,omitempty" doc:"Valid from the claim until the end of the N-th day after it, in the campaign's zone"`
	ValidFrom  string      `json:"valid_from,omitempty" maxLength:"10" doc:"Or valid between two whole days (in the campaign's zone)" example:"2020-08-12"`
	ValidUntil string      `json:"valid_until,omitempty" maxLength:"10" example:"2020-09-30"`
}

// CampaignRules is a campaign as an operator writes it.
type CampaignRules struct {
	Name              Texts            `json:"name"`
	Currency          string           `json:"currency" maxLength:"3" doc:"Only orders paid in it count" example:"CNY"`
	Zone              string           `json:"zone" maxLength:"64" doc:"The IANA time zone the days are read in" example:"Asia/Shanghai"`
	Start             string           `json:"start" maxLength:"10" doc:"The first day, whole" example:"2020-08-12"`
	End               string           `json:"end" maxLength:"10" doc:"The last day, whole" example:"2020-09-11"`
	RedeemBy          string           `json:"redeem_by" maxLength:"10" doc:"The last day gifts may be redeemed, on or after end" example:"2020-09-30"`
	Segments          []string         `json:"segments" doc:"Customer segments admitted: telesales, channel_partner, direct, other. Others need their account manager's admission"`
	CountKinds        []string         `json:"count_kinds,omitempty" doc:"Order kinds that count: none means new purchases only"`
	RefundPolicy      string           `json:"refund_policy,omitempty" enum:"refuse,deduct_gift_value" doc:"A refund that would take the total below a redeemed gift's threshold: refused (the default) or made less the gift's value"`
	Tiers             []CampaignTier   `json:"tiers" doc:"1–10 tiers, ascending thresholds"`
	Pack              []CouponTemplate `json:"pack,omitempty" doc:"The coupon pack (上云礼包) customers in the audience claim: up to 10 coupons"`
	PackLimit         int              `json:"pack_limit,omitempty" doc:"Packs that may be claimed in all"`
	ClaimsPerCustomer int              `json:"claims_per_customer,omitempty" doc:"Packs one customer may claim; 0 is 1"`
	Budget            *Money           `json:"budget,omitempty" doc:"What the marketplace may spend on the pack's discounts"`
}

// Campaign is a campaign with its state and counters.
type Campaign struct {
	ID string `json:"id" example:"cmp_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	CampaignRules
	State        string    `json:"state" enum:"draft,scheduled,active,ended"`
	From         time.Time `json:"from" doc:"The window's first instant (start's midnight in zone)"`
	Until        time.Time `json:"until" doc:"The window's end, excluded (the midnight after end)"`
	RedeemUntil  time.Time `json:"redeem_until" doc:"Gifts are redeemed before this instant"`
	PacksClaimed int       `json:"packs_claimed"`
	BudgetUsed   *Money    `json:"budget_used,omitempty" doc:"Discounts given (operators only)"`
	Version      int       `json:"version,omitempty" doc:"Each change adds one (operators only)"`
}

func textsOf(t catalog.Text) Texts { return Texts{EN: t.EN, ZH: t.ZH} }
func (t Texts) text() catalog.Text { return catalog.Text{EN: t.EN, ZH: t.ZH} }

func dateString(d promo.Date) string {
	if d == (promo.Date{}) {
		return ""
	}
	return d.String()
}

func strs[T ~string](list []T) []string {
	out := make([]string, 0, len(list))
	for _, v := range list {
		out = append(out, string(v))
	}
	return out
}

func typed[T ~string](list []string) []T {
	var out []T
	for _, v := range list {
		out = append(out, T(v))
	}
	return out
}

func optionalMoney(a money.Amount) *Money {
	if a.Currency == "" {
		return nil
	}
	m := moneyOf(a)
	return &m
}

func rulesOf(c promo.Campaign, stock map[string]store.GiftStock) CampaignRules {
	r := CampaignRules{Name: textsOf(c.Name), Currency: string(c.Currency), Zone: c.Zone, Start: dateString(c.Start), End: dateString(c.End),
		RedeemBy: dateString(c.RedeemBy), Segments: strs(c.Segments), CountKinds: strs(c.CountKinds), RefundPolicy: string(c.Policy()),
		PackLimit: c.PackLimit, ClaimsPerCustomer: c.ClaimsPerCustomer, Budget: optionalMoney(c.Budget), Tiers: []CampaignTier{}}
	for _, t := range c.Tiers {
		tier := CampaignTier{Threshold: moneyOf(t.Threshold)}
		for _, g := range t.Gifts {
			gift := CampaignGift{ID: g.ID, Name: textsOf(g.Name), Value: moneyOf(g.Value), Stock: g.Stock}
			if s, ok := stock[g.ID]; ok {
				left := s.Left
				gift.Left = &left
			}
			tier.Gifts = append(tier.Gifts, gift)
		}
		r.Tiers = append(r.Tiers, tier)
	}
	for _, t := range c.Pack {
		r.Pack = append(r.Pack, templateOf(t))
	}
	return r
}

func templateOf(t promo.Template) CouponTemplate {
	return CouponTemplate{ID: t.ID, Name: textsOf(t.Name), Kind: string(t.Kind), Off: optionalMoney(t.Off), PercentBPS: t.PercentBPS,
		Cap: optionalMoney(t.Cap), MinSpend: moneyOf(t.MinSpend), Scope: CouponScope{Types: strs(t.Scope.Types), Categories: t.Scope.Categories,
			Products: t.Scope.Products}, ValidDays: t.ValidDays, ValidFrom: dateString(t.ValidFrom), ValidUntil: dateString(t.ValidUntil)}
}

func campaignOf(c promo.Campaign, stock map[string]store.GiftStock) Campaign {
	from, until := c.Window()
	return Campaign{ID: c.ID, CampaignRules: rulesOf(c, stock), State: string(c.State), From: from, Until: until, RedeemUntil: c.RedeemUntil()}
}

func storedCampaignOf(c store.Campaign, stock map[string]store.GiftStock) Campaign {
	out := campaignOf(c.Campaign, stock)
	out.PacksClaimed, out.BudgetUsed, out.Version = c.PacksClaimed, optionalMoney(c.BudgetUsed), c.Version
	return out
}

// date reads a day written 2006-01-02 at field; "" is the zero day when
// optional.
func date(field, s string, optional bool) (promo.Date, error) {
	if s == "" && optional {
		return promo.Date{}, nil
	}
	d, err := seller.ParseDate(s)
	if err != nil {
		return d, renameField(err, "date", field)
	}
	return d, nil
}

// amountIn reads an optional amount at field.
func amountIn(field string, m *Money) (money.Amount, error) {
	if m == nil {
		return money.Amount{}, nil
	}
	return m.amount(field)
}

// rules reads a campaign as an operator wrote it; Validate judges the rest.
//
// Errors: Invalid on the field at fault (a date, an amount).
func (r CampaignRules) rules() (promo.Campaign, error) {
	c := promo.Campaign{Name: r.Name.text(), Currency: money.Currency(strings.ToUpper(r.Currency)), Zone: r.Zone,
		Segments: typed[account.Segment](r.Segments), CountKinds: typed[order.Kind](r.CountKinds), RefundPolicy: promo.RefundPolicy(r.RefundPolicy),
		PackLimit: r.PackLimit, ClaimsPerCustomer: r.ClaimsPerCustomer}
	var err error
	if c.Start, err = date("start", r.Start, false); err != nil {
		return c, err
	}
	if c.End, err = date("end", r.End, false); err != nil {
		return c, err
	}
	if c.RedeemBy, err = date("redeem_by", r.RedeemBy, false); err != nil {
		return c, err
	}
	if c.Budget, err = amountIn("budget", r.Budget); err != nil {
		return c, err
	}
	for i, t := range r.Tiers {
		field := fmt.Sprintf("tiers[%d]", i)
		tier := promo.Tier{}
		if tier.Threshold, err = t.Threshold.amount(field + ".threshold"); err != nil {
			return c, err
		}
		for j, g := range t.Gifts {
			gift := promo.Gift{ID: g.ID, Name: g.Name.text(), Stock: g.Stock}
			if gift.Value, err = g.Value.amount(fmt.Sprintf("%s.gifts[%d].value", field, j)); err != nil {
				return c, err
			}
			tier.Gifts = append(tier.Gifts, gift)
		}
		c.Tiers = append(c.Tiers, tier)
	}
	for i, t := range r.Pack {
		field := fmt.Sprintf("pack[%d]", i)
		tp := promo.Template{ID: t.ID, Name: t.Name.text(), Kind: promo.DiscountKind(t.Kind), PercentBPS: t.PercentBPS, ValidDays: t.ValidDays,
			Scope: promo.Scope{Types: typed[catalog.Type](t.Scope.Types), Categories: t.Scope.Categories, Products: t.Scope.Products}}
		if tp.Off, err = amountIn(field+".off", t.Off); err != nil {
			return c, err
		}
		if tp.Cap, err = amountIn(field+".cap", t.Cap); err != nil {
			return c, err
		}
		if tp.MinSpend, err = t.MinSpend.amount(field + ".min_spend"); err != nil {
			return c, err
		}
		if tp.ValidFrom, err = date(field+".valid_from", t.ValidFrom, true); err != nil {
			return c, err
		}
		if tp.ValidUntil, err = date(field+".valid_until", t.ValidUntil, true); err != nil {
			return c, err
		}
		c.Pack = append(c.Pack, tp)
	}
	return c, nil
}

// Standing is a customer's total against the tiers.
type Standing struct {
	Total   Money `json:"total"`
	Reached int   `json:"reached" doc:"Index of the highest tier reached; -1 for none"`
	Next    int   `json:"next" doc:"Index of the next tier; -1 when the highest is reached"`
	Missing Money `json:"missing" doc:"What the next tier needs more; zero when there is none"`
}

func standingOf(s promo.Standing) Standing {
	return Standing{Total: moneyOf(s.Total), Reached: s.Reached, Next: s.Next, Missing: moneyOf(s.Missing)}
}

// Coupon is a claimed coupon.
type Coupon struct {
	ID         string         `json:"id" example:"cpn_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	CampaignID string         `json:"campaign_id"`
	OwnerOrgID string         `json:"owner_org_id"`
	Template   CouponTemplate `json:"template" doc:"Its terms, copied when it was claimed"`
	ClaimedAt  time.Time      `json:"claimed_at"`
	ValidFrom  time.Time      `json:"valid_from"`
	ValidUntil time.Time      `json:"valid_until" doc:"The first instant it may no longer be used"`
	OrderID    string         `json:"order_id,omitempty" doc:"The order it was used on; a coupon used on a refunded order is not given back"`
	UsedAt     *time.Time     `json:"used_at,omitempty"`
}

func couponOf(cp promo.Coupon) Coupon {
	return Coupon{ID: cp.ID, CampaignID: cp.CampaignID, OwnerOrgID: cp.OwnerOrgID, Template: templateOf(cp.Template), ClaimedAt: cp.ClaimedAt,
		ValidFrom: cp.ValidFrom, ValidUntil: cp.ValidUntil, OrderID: cp.OrderID, UsedAt: optionalTime(cp.UsedAt)}
}

func couponsOf(list []promo.Coupon) []Coupon {
	out := make([]Coupon, 0, len(list))
	for _, cp := range list {
		out = append(out, couponOf(cp))
	}
	return out
}

// ShippingAddress is where a gift is sent.
type ShippingAddress struct {
	Name     string `json:"name" maxLength:"100" example:"李娜"`
	Phone    string `json:"phone" maxLength:"40" example:"+86 138 0000 0000"`
	Province string `json:"province" maxLength:"100" example:"广东省"`
	City     string `json:"city" maxLength:"100" example:"广州市"`
	Address  string `json:"address" maxLength:"300" doc:"District, street and number" example:"天河区天河路 385 号"`
	Postcode string `json:"postcode,omitempty" maxLength:"20" example:"510620"`
}

// Redemption is a redeemed gift and its shipping.
type Redemption struct {
	ID            string          `json:"id" example:"rdm_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	CampaignID    string          `json:"campaign_id"`
	CustomerOrgID string          `json:"customer_org_id"`
	CustomerName  string          `json:"customer_name,omitempty"`
	GiftID        string          `json:"gift_id"`
	Tier          int             `json:"tier" doc:"Index of the gift's tier"`
	Threshold     Money           `json:"threshold"`
	Address       ShippingAddress `json:"address"`
	State         string          `json:"state" enum:"awaiting_shipment,shipped,delivered"`
	Carrier       string          `json:"carrier,omitempty"`
	Tracking      string          `json:"tracking,omitempty"`
	RedeemedAt    time.Time       `json:"redeemed_at"`
	ShippedAt     *time.Time      `json:"shipped_at,omitempty"`
	DeliveredAt   *time.Time      `json:"delivered_at,omitempty"`
}

func redemptionOf(r store.Redemption) Redemption {
	a := r.Address
	return Redemption{ID: r.ID, CampaignID: r.CampaignID, CustomerOrgID: r.CustomerOrgID, CustomerName: r.CustomerName, GiftID: r.GiftID,
		Tier: r.Tier, Threshold: moneyOf(r.Threshold), State: string(r.State), Carrier: r.Carrier, Tracking: r.Tracking, RedeemedAt: r.RedeemedAt,
		ShippedAt: optionalTime(r.ShippedAt), DeliveredAt: optionalTime(r.DeliveredAt),
		Address: ShippingAddress{Name: a.Name, Phone: a.Phone, Province: a.Province, City: a.City, Address: a.Address, Postcode: a.Postcode}}
}

// CampaignPage is a campaign as a buyer sees it.
type CampaignPage struct {
	Campaign  Campaign `json:"campaign" doc:"The rules, with each gift's units left"`
	PacksLeft int      `json:"packs_left"`
	// The organisation's part.
	OrgID        string       `json:"org_id,omitempty" doc:"The buyer's organisation; absent for the anonymous and for those who buy for none"`
	InAudience   bool         `json:"in_audience" doc:"Its segment is admitted, or its account manager admitted it"`
	Admitted     bool         `json:"admitted"`
	Standing     Standing     `json:"standing" doc:"Its total, the tier reached, the next and what is missing (zero without an organisation)"`
	Claims       int          `json:"claims" doc:"Packs it has claimed"`
	CanClaim     bool         `json:"can_claim"`
	ClaimRefusal *ErrorBody   `json:"claim_refusal,omitempty" doc:"Why it may not claim a pack now"`
	Coupons      []Coupon     `json:"coupons"`
	Redemption   *Redemption  `json:"redemption,omitempty" doc:"Its gift, once redeemed"`
	RefundPolicy string       `json:"refund_policy" enum:"refuse,deduct_gift_value"`
	Gifts        []GiftOnPage `json:"gifts"`
}

// GiftOnPage is a gift with its tier, what is left of it and whether the
// organisation's total reaches it.
type GiftOnPage struct {
	ID        string `json:"id"`
	Name      Texts  `json:"name"`
	Tier      int    `json:"tier"`
	Threshold Money  `json:"threshold"`
	Left      int    `json:"left"`
	Reached   bool   `json:"reached"`
}

func errorBodyOf(e *fault.Error) *ErrorBody {
	if e == nil {
		return nil
	}
	return &ErrorBody{Code: e.Code, Message: e.Message, Field: e.Field}
}

// Explanation says whether an order counted toward a campaign, and why not.
type Explanation struct {
	OrderID          string       `json:"order_id"`
	Kind             string       `json:"kind" enum:"new,renewal,upgrade"`
	Channel          string       `json:"channel"`
	PaidAt           *time.Time   `json:"paid_at"`
	Paid             Money        `json:"paid"`
	CouponCampaignID string       `json:"coupon_campaign_id,omitempty" doc:"The campaign of the coupon it was paid with"`
	Counted          bool         `json:"counted"`
	Amount           Money        `json:"amount" doc:"What it added to the total"`
	Refunded         Money        `json:"refunded" doc:"What refunds of it took off the total"`
	Reasons          []ReasonBody `json:"reasons" doc:"Why it did not count, most telling first"`
}

// ReasonBody is a reason an order did not count.
type ReasonBody struct {
	Code    string `json:"code" enum:"not_paid,before_window,after_window,other_campaign,not_through,kind_excluded,other_currency,not_in_audience,nothing_paid"`
	Message string `json:"message"`
}

func explanationsOf(xs []market.Explanation) []Explanation {
	out := make([]Explanation, 0, len(xs))
	for _, x := range xs {
		e := Explanation{OrderID: x.OrderID, Kind: string(x.Kind), Channel: x.Channel, PaidAt: optionalTime(x.PaidAt), Paid: moneyOf(x.Paid),
			CouponCampaignID: x.CouponCampaignID, Counted: x.Counted, Amount: moneyOf(x.Amount), Refunded: moneyOf(x.Refunded), Reasons: reasonsOf(x.Reasons)}
		out = append(out, e)
	}
	return out
}

func reasonsOf(rs []promo.Reason) []ReasonBody {
	out := make([]ReasonBody, 0, len(rs))
	for _, r := range rs {
		out = append(out, ReasonBody{Code: string(r), Message: r.Message()})
	}
	return out
}

// DryRunCustomer is a customer in a dry run.
type DryRunCustomer struct {
	OrgID    string        `json:"org_id"`
	Name     string        `json:"name"`
	Standing Standing      `json:"standing" doc:"With the total its orders would make"`
	Orders   []Explanation `json:"orders" doc:"counted: would count; otherwise the reasons"`
}

// TierTotal is how many participants reached a tier as their highest.
type TierTotal struct {
	Tier      int   `json:"tier" doc:"-1: none reached"`
	Threshold Money `json:"threshold"`
	Customers int   `json:"customers"`
	Total     Money `json:"total"`
}

// Participant is a customer in a campaign's report.
type Participant struct {
	OrgID      string      `json:"org_id"`
	Name       string      `json:"name"`
	Standing   Standing    `json:"standing"`
	Redemption *Redemption `json:"redemption,omitempty"`
}

// GiftStockBody is a gift's stock.
type GiftStockBody struct {
	GiftID string `json:"gift_id"`
	Tier   int    `json:"tier"`
	Stock  int    `json:"stock"`
	Left   int    `json:"left"`
}

// Report is a campaign's report.
type Report struct {
	Campaign     Campaign        `json:"campaign" doc:"With packs_claimed and budget_used"`
	Participants []Participant   `json:"participants" doc:"The highest totals first"`
	Tiers        []TierTotal     `json:"tiers" doc:"None reached first, then each tier"`
	Redemptions  []Redemption    `json:"redemptions"`
	Stock        []GiftStockBody `json:"stock"`
	CouponsUsed  int             `json:"coupons_used"`
}

// Admission is an account manager's admission of a customer.
type Admission struct {
	CampaignID    string     `json:"campaign_id"`
	CustomerOrgID string     `json:"customer_org_id"`
	By            string     `json:"by" doc:"The account manager's user id"`
	Note          string     `json:"note"`
	At            time.Time  `json:"at"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	RevokedBy     string     `json:"revoked_by,omitempty"`
	RevokeNote    string     `json:"revoke_note,omitempty"`
}

// CheckoutLine is a line of a checkout with its part of the coupon.
type Checkout struct {
	Quote        Quote        `json:"quote" doc:"Each line's discount is its part of the coupon's"`
	Channel      string       `json:"channel" doc:"direct or campaign:<id>"`
	Coupon       *Coupon      `json:"coupon,omitempty"`
	CampaignID   string       `json:"campaign_id,omitempty" doc:"The campaign the order would take part in (its coupon's, else the page's)"`
	Counts       bool         `json:"counts" doc:"It would count toward that campaign"`
	Reasons      []ReasonBody `json:"reasons" doc:"Why it would not count"`
	Before       *Standing    `json:"before,omitempty" doc:"The organisation's standing in the campaign now"`
	After        *Standing    `json:"after,omitempty" doc:"And once the order counts (the same when it would not)"`
	RefundPolicy string       `json:"refund_policy,omitempty" enum:"refuse,deduct_gift_value" doc:"The campaign's policy for a refund after a gift: told before paying"`
}

func quoteOf(q order.Quote) Quote {
	return Quote{Currency: string(q.Currency), Lines: orderLinesOf(q.Lines), List: moneyOf(q.List), Discount: moneyOf(q.Discount), Payable: moneyOf(q.Payable)}
}

type campaignIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type campaignsInput struct {
	State string `query:"state" enum:"draft,scheduled,active,ended" doc:"Only those in this state"`
}

type campaignsOutput struct {
	Body struct {
		Campaigns []Campaign `json:"campaigns" doc:"Newest first"`
	}
}

type campaignOutput struct{ Body Campaign }

type createCampaignInput struct {
	Body CampaignRules
}

type createdCampaignOutput struct {
	Location string `header:"Location"`
	Body     Campaign
}

type updateCampaignInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body CampaignRules
}

type moveCampaignInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		State string `json:"state" enum:"draft,scheduled,active,ended" doc:"Operators schedule a draft or take a scheduled one back to draft; the campaign job does the rest"`
	}
}

type dryRunOutput struct {
	Body struct {
		Customers []DryRunCustomer `json:"customers" doc:"The highest totals first"`
	}
}

type reportOutput struct{ Body Report }

type reportCSVOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

type redemptionIDInput struct {
	ID string `path:"id" maxLength:"64"`
}

type shippedInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Carrier  string `json:"carrier" maxLength:"100" example:"SF Express 顺丰速运"`
		Tracking string `json:"tracking" maxLength:"100" example:"SF1234567890"`
	}
}

type redemptionOutput struct{ Body Redemption }

type admissionsInput struct {
	ID            string `path:"id" maxLength:"64"`
	CustomerOrgID string `query:"customer_org_id" maxLength:"64" doc:"One customer's (account managers must give one of theirs)"`
}

type admissionsOutput struct {
	Body struct {
		Admissions []Admission `json:"admissions"`
	}
}

type admitInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		CustomerOrgID string `json:"customer_org_id" maxLength:"64"`
		Note          string `json:"note" maxLength:"2000" doc:"Why: kept with the admission and audited"`
	}
}

type revokeInput struct {
	ID    string `path:"id" maxLength:"64"`
	OrgID string `path:"org" maxLength:"64" doc:"The customer"`
	Body  struct {
		Note string `json:"note" maxLength:"2000"`
	}
}

type campaignPageInput struct {
	ID    string `path:"id" maxLength:"64"`
	OrgID string `query:"org_id" maxLength:"64" doc:"The organisation whose standing to show; a buyer in one may leave it out"`
}

type campaignPageOutput struct{ Body CampaignPage }

type orgInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		OrgID string `json:"org_id,omitempty" maxLength:"64" doc:"May be left out when the caller is a buyer in only one"`
	}
}

type couponsOutput struct {
	Body struct {
		Coupons []Coupon `json:"coupons" doc:"The newest claims first"`
	}
}

type myCouponsInput struct {
	OrgID      string `query:"org_id" maxLength:"64" doc:"May be left out when the caller is a buyer in only one"`
	CampaignID string `query:"campaign_id" maxLength:"64" doc:"Only this campaign's"`
}

type redeemInput struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		OrgID   string          `json:"org_id,omitempty" maxLength:"64"`
		GiftID  string          `json:"gift_id" maxLength:"64"`
		Address ShippingAddress `json:"address"`
	}
}

type createdRedemptionOutput struct {
	Status int
	Body   Redemption
}

type explanationsInput struct {
	ID    string `path:"id" maxLength:"64"`
	OrgID string `query:"org_id" maxLength:"64"`
}

type explanationsOutput struct {
	Body struct {
		Orders []Explanation `json:"orders" doc:"The organisation's orders placed during the window, newest first"`
	}
}

type checkoutInput struct {
	Body struct {
		OrgID    string     `json:"org_id,omitempty" maxLength:"64" doc:"May be left out when the caller is a buyer in only one"`
		Lines    []CartLine `json:"lines" doc:"1–20 lines"`
		CouponID string     `json:"coupon_id,omitempty" maxLength:"64"`
		Channel  string     `json:"channel,omitempty" maxLength:"80" doc:"direct (the default) or campaign:<id>"`
	}
}

type checkoutOutput struct{ Body Checkout }

func (h handlers) campaigns(a huma.API) {
	h.opsCampaigns(a)
	h.admissions(a)
	h.buyerCampaigns(a)
}

func (h handlers) opsCampaigns(a huma.API) {
	tags := []string{"Campaigns"}
	huma.Register(a, huma.Operation{
		OperationID: "list-campaigns", Method: http.MethodGet, Path: "/api/v1/ops/campaigns",
		Summary: "Every campaign, newest first (operators)", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
	}, func(ctx context.Context, in *campaignsInput) (*campaignsOutput, error) {
		var states []promo.State
		if in.State != "" {
			states = append(states, promo.State(in.State))
		}
		list, err := h.svc.Campaigns(ctx, actorOf(ctx), states...)
		if err != nil {
			return nil, err
		}
		out := &campaignsOutput{}
		out.Body.Campaigns = make([]Campaign, 0, len(list))
		for _, c := range list {
			out.Body.Campaigns = append(out.Body.Campaigns, storedCampaignOf(c, nil))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "create-campaign", Method: http.MethodPost, Path: "/api/v1/ops/campaigns", DefaultStatus: http.StatusCreated,
		Summary: "Create a campaign as a draft (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403},
		Description: "The rules are checked as a whole (docs/campaigns.md); a rule broken is 400 naming its field (tiers[1].threshold, pack[0].off …).",
	}, func(ctx context.Context, in *createCampaignInput) (*createdCampaignOutput, error) {
		c, err := in.Body.rules()
		if err != nil {
			return nil, err
		}
		sc, err := h.svc.CreateCampaign(ctx, actorOf(ctx), c)
		if err != nil {
			return nil, err
		}
		return &createdCampaignOutput{Location: "/api/v1/ops/campaigns/" + sc.ID, Body: storedCampaignOf(sc, nil)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-campaign", Method: http.MethodGet, Path: "/api/v1/ops/campaigns/{id}",
		Summary: "A campaign with its counters and each gift's stock (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403, 404},
	}, func(ctx context.Context, in *campaignIDInput) (*campaignOutput, error) {
		v, err := h.svc.Campaign(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &campaignOutput{Body: storedCampaignOf(v.Campaign, v.Stock)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "update-campaign", Method: http.MethodPut, Path: "/api/v1/ops/campaigns/{id}",
		Summary: "Change a campaign's rules (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404, 409},
		Description: "Anything before it begins; once active only what can only help its customers (names, more stock, a larger " +
			"budget, more packs, a later redemption deadline): anything else is 409 invalid_state (error.campaign_locked).",
	}, func(ctx context.Context, in *updateCampaignInput) (*campaignOutput, error) {
		c, err := in.Body.rules()
		if err != nil {
			return nil, err
		}
		sc, err := h.svc.UpdateCampaign(ctx, actorOf(ctx), in.ID, c)
		if err != nil {
			return nil, err
		}
		return &campaignOutput{Body: storedCampaignOf(sc, nil)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "move-campaign", Method: http.MethodPost, Path: "/api/v1/ops/campaigns/{id}/move",
		Summary: "Schedule a draft campaign, or take it back to draft (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors:      []int{400, 401, 403, 404, 409},
		Description: "draft → scheduled (a valid campaign whose window has not closed); scheduled → draft before the window opens. The campaign job makes it active when the window opens and ended when it closes; any other move is 409 invalid_state.",
	}, func(ctx context.Context, in *moveCampaignInput) (*campaignOutput, error) {
		sc, err := h.svc.MoveCampaign(ctx, actorOf(ctx), in.ID, promo.State(in.Body.State))
		if err != nil {
			return nil, err
		}
		return &campaignOutput{Body: storedCampaignOf(sc, nil)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "dry-run-campaign", Method: http.MethodGet, Path: "/api/v1/ops/campaigns/{id}/dry-run",
		Summary: "Apply a campaign's rules to the orders placed during its window (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403, 404},
		Description: "Any state, draft included; up to 10,000 orders; nothing changes. Per customer: the total its orders would make and why each other order would not count.",
	}, func(ctx context.Context, in *campaignIDInput) (*dryRunOutput, error) {
		list, err := h.svc.DryRun(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		out := &dryRunOutput{}
		out.Body.Customers = make([]DryRunCustomer, 0, len(list))
		for _, d := range list {
			out.Body.Customers = append(out.Body.Customers, DryRunCustomer{OrgID: d.OrgID, Name: d.Name, Standing: standingOf(d.Standing), Orders: explanationsOf(d.Orders)})
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "campaign-report", Method: http.MethodGet, Path: "/api/v1/ops/campaigns/{id}/report",
		Summary: "A campaign's participants, totals by tier, redemptions, stock and budget (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403, 404},
	}, func(ctx context.Context, in *campaignIDInput) (*reportOutput, error) {
		r, err := h.svc.Report(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		stock := map[string]store.GiftStock{}
		out := Report{Participants: []Participant{}, Redemptions: []Redemption{}, Stock: []GiftStockBody{}, CouponsUsed: r.CouponsUsed}
		for _, s := range r.Stock {
			stock[s.GiftID] = s
			out.Stock = append(out.Stock, GiftStockBody{GiftID: s.GiftID, Tier: s.Tier, Stock: s.Stock, Left: s.Left})
		}
		out.Campaign = storedCampaignOf(r.Campaign, stock)
		for _, p := range r.Participants {
			row := Participant{OrgID: p.CustomerOrgID, Name: p.CustomerName, Standing: standingOf(p.Standing)}
			if p.Redemption != nil {
				red := redemptionOf(*p.Redemption)
				row.Redemption = &red
			}
			out.Participants = append(out.Participants, row)
		}
		for _, t := range r.Tiers {
			out.Tiers = append(out.Tiers, TierTotal{Tier: t.Tier, Threshold: moneyOf(t.Threshold), Customers: t.Customers, Total: moneyOf(t.Total)})
		}
		for _, red := range r.Redemptions {
			out.Redemptions = append(out.Redemptions, redemptionOf(red))
		}
		return &reportOutput{Body: out}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "campaign-report-csv", Method: http.MethodGet, Path: "/api/v1/ops/campaigns/{id}/report.csv",
		Summary: "A campaign's participants as CSV (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403, 404},
		Description: "One row per participant, the highest totals first: customer_org_id, customer, currency, total, tier_reached, " +
			"next_tier_missing, gift_id, gift_tier, redemption_state, carrier, tracking, redeemed_at.",
		Responses: map[string]*huma.Response{"200": {Description: "The participants as CSV (RFC 4180), as an attachment",
			Content: map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: "string"}}}}},
	}, func(ctx context.Context, in *campaignIDInput) (*reportCSVOutput, error) {
		b, err := h.svc.ReportCSV(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &reportCSVOutput{ContentType: "text/csv; charset=utf-8", ContentDisposition: attachment("campaign-" + in.ID + ".csv"), Body: b}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "mark-gift-shipped", Method: http.MethodPost, Path: "/api/v1/ops/redemptions/{id}/shipped",
		Summary: "Record that a redeemed gift was sent (operators)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404, 409},
		Description: "With the carrier and the tracking number; only a gift awaiting shipment (409 invalid_state otherwise).",
	}, func(ctx context.Context, in *shippedInput) (*redemptionOutput, error) {
		r, err := h.svc.MarkShipped(ctx, actorOf(ctx), in.ID, in.Body.Carrier, in.Body.Tracking)
		if err != nil {
			return nil, err
		}
		return &redemptionOutput{Body: redemptionOf(r)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "mark-gift-delivered", Method: http.MethodPost, Path: "/api/v1/ops/redemptions/{id}/delivered",
		Summary: "Record that a shipped gift arrived (operators)", Tags: tags, Security: bearer, Errors: []int{401, 403, 404, 409},
	}, func(ctx context.Context, in *redemptionIDInput) (*redemptionOutput, error) {
		r, err := h.svc.MarkDelivered(ctx, actorOf(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &redemptionOutput{Body: redemptionOf(r)}, nil
	})
}

func (h handlers) admissions(a huma.API) {
	tags := []string{"Campaigns"}
	huma.Register(a, huma.Operation{
		OperationID: "list-campaign-admissions", Method: http.MethodGet, Path: "/api/v1/campaigns/{id}/admissions",
		Summary: "Customers admitted to a campaign by their account managers", Tags: tags, Security: bearer, Errors: []int{401, 403, 404},
		Description: "Operators see all; an account manager gives customer_org_id, one of its customers.",
	}, func(ctx context.Context, in *admissionsInput) (*admissionsOutput, error) {
		list, err := h.svc.Admissions(ctx, actorOf(ctx), in.ID, in.CustomerOrgID)
		if err != nil {
			return nil, err
		}
		out := &admissionsOutput{}
		out.Body.Admissions = make([]Admission, 0, len(list))
		for _, ad := range list {
			out.Body.Admissions = append(out.Body.Admissions, Admission{CampaignID: ad.CampaignID, CustomerOrgID: ad.CustomerOrgID, By: ad.By,
				Note: ad.Note, At: ad.At, RevokedAt: optionalTime(ad.RevokedAt), RevokedBy: ad.RevokedBy, RevokeNote: ad.RevokeNote})
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "admit-customer", Method: http.MethodPost, Path: "/api/v1/campaigns/{id}/admissions", DefaultStatus: http.StatusNoContent,
		Summary: "Admit one of your customers outside the campaign's segments (account managers)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody,
		Errors:      []int{400, 401, 403, 404, 409},
		Description: "With a note, audited: its orders paid from now on count. Only a scheduled or active campaign; 409 conflict when admitted already.",
	}, func(ctx context.Context, in *admitInput) (*struct{}, error) {
		return nil, h.svc.Admit(ctx, actorOf(ctx), in.ID, in.Body.CustomerOrgID, in.Body.Note)
	})

	huma.Register(a, huma.Operation{
		OperationID: "revoke-admission", Method: http.MethodPost, Path: "/api/v1/campaigns/{id}/admissions/{org}/revoke", DefaultStatus: http.StatusNoContent,
		Summary: "End a customer's admission (account managers)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404, 409},
		Description: "With a note, audited: its orders paid from now on no longer count unless its segment is admitted; those counted stay counted.",
	}, func(ctx context.Context, in *revokeInput) (*struct{}, error) {
		return nil, h.svc.Revoke(ctx, actorOf(ctx), in.ID, in.OrgID, in.Body.Note)
	})
}

// pageOrg is the organisation whose part a campaign's page shows: the one
// given, or the caller's only customer organisation; "" for the anonymous
// and those who buy for none.
func pageOrg(actor account.Actor, given string) (string, error) {
	if given != "" || !actor.Signed() {
		return given, nil
	}
	org, err := market.BuyingOrg(actor, "")
	if fault.Is(err, fault.Forbidden) || fault.Is(err, fault.Invalid) {
		return "", nil
	}
	return org, err
}

func (h handlers) buyerCampaigns(a huma.API) {
	tags := []string{"Campaigns"}
	huma.Register(a, huma.Operation{
		OperationID: "list-public-campaigns", Method: http.MethodGet, Path: "/api/v1/campaigns",
		Summary: "The campaigns buyers see", Tags: tags,
		Description: "Scheduled, active, and ended ones whose gifts may still be redeemed, newest first. Anyone may ask.",
	}, func(ctx context.Context, _ *struct{}) (*campaignsOutput, error) {
		list, err := h.svc.PublicCampaigns(ctx)
		if err != nil {
			return nil, err
		}
		out := &campaignsOutput{}
		out.Body.Campaigns = make([]Campaign, 0, len(list))
		for _, c := range list {
			out.Body.Campaigns = append(out.Body.Campaigns, campaignOf(c, nil))
		}
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "get-campaign-page", Method: http.MethodGet, Path: "/api/v1/campaigns/{id}",
		Summary: "A campaign's page: its rules, gifts with stock, and the buyer's standing", Tags: tags, Errors: []int{403, 404},
		Description: "Anyone sees the rules and the gifts with the units left. A buyer (its only customer organisation, or org_id) " +
			"also sees whether it is in the audience, its total, the tier reached, the next and what is missing, whether it may claim " +
			"the pack (and why not), its coupons and its gift. A draft is 404.",
	}, func(ctx context.Context, in *campaignPageInput) (*campaignPageOutput, error) {
		actor := actorOf(ctx)
		org, err := pageOrg(actor, in.OrgID)
		if err != nil {
			return nil, err
		}
		p, err := h.svc.CampaignPage(ctx, actor, in.ID, org)
		if err != nil {
			return nil, err
		}
		stock := map[string]store.GiftStock{}
		out := CampaignPage{PacksLeft: p.PacksLeft, OrgID: p.OrgID, InAudience: p.InAudience, Admitted: p.Admitted, Standing: standingOf(p.Standing),
			Claims: p.Claims, CanClaim: p.OrgID != "" && p.ClaimRefusal == nil, ClaimRefusal: errorBodyOf(p.ClaimRefusal), Coupons: couponsOf(p.Coupons),
			RefundPolicy: string(p.Campaign.Policy()), Gifts: []GiftOnPage{}}
		for _, g := range p.Gifts {
			stock[g.ID] = store.GiftStock{GiftID: g.ID, Tier: g.Tier, Stock: g.Stock, Left: g.Left}
			out.Gifts = append(out.Gifts, GiftOnPage{ID: g.ID, Name: textsOf(g.Name), Tier: g.Tier, Threshold: moneyOf(g.Threshold), Left: g.Left, Reached: g.Reached})
		}
		out.Campaign = campaignOf(p.Campaign, stock)
		if p.Redemption != nil {
			r := redemptionOf(*p.Redemption)
			out.Redemption = &r
		}
		return &campaignPageOutput{Body: out}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "claim-pack", Method: http.MethodPost, Path: "/api/v1/campaigns/{id}/pack", DefaultStatus: http.StatusCreated,
		Summary: "Claim the campaign's coupon pack (上云礼包)", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404, 409},
		Description: "For a customer in the audience while the campaign is active, up to its packs per customer and in all: answers the " +
			"coupons issued. 403 not in the audience; 409 conflict when claimed already (error.pack_claimed) or when none are left " +
			"(error.packs_gone); 409 invalid_state outside the window.",
	}, func(ctx context.Context, in *orgInput) (*couponsOutput, error) {
		actor := actorOf(ctx)
		org, err := market.BuyingOrg(actor, in.Body.OrgID)
		if err != nil {
			return nil, err
		}
		list, err := h.svc.ClaimPack(ctx, actor, in.ID, org)
		if err != nil {
			return nil, err
		}
		out := &couponsOutput{}
		out.Body.Coupons = couponsOf(list)
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "list-coupons", Method: http.MethodGet, Path: "/api/v1/coupons",
		Summary: "A customer organisation's coupons", Tags: tags, Security: bearer, Errors: []int{400, 401, 403},
		Description: "Used and unused, the newest claims first (its buyers; operators give any org_id).",
	}, func(ctx context.Context, in *myCouponsInput) (*couponsOutput, error) {
		actor := actorOf(ctx)
		org, err := market.BuyingOrg(actor, in.OrgID)
		if err != nil {
			return nil, err
		}
		list, err := h.svc.MyCoupons(ctx, actor, org, in.CampaignID)
		if err != nil {
			return nil, err
		}
		out := &couponsOutput{}
		out.Body.Coupons = couponsOf(list)
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "redeem-gift", Method: http.MethodPost, Path: "/api/v1/campaigns/{id}/redemptions", DefaultStatus: http.StatusCreated,
		Summary: "Redeem a gift, sent to an address", Tags: tags, Security: bearer, MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404, 409},
		Description: "One gift per customer and campaign, from a tier its total reaches, while stock lasts, until the redemption " +
			"deadline. 409 invalid_state (error.tier_not_reached, error.redeem_closed); 409 conflict (error.gift_redeemed, " +
			"error.out_of_stock); 400 on address.… for a missing part.",
	}, func(ctx context.Context, in *redeemInput) (*createdRedemptionOutput, error) {
		actor := actorOf(ctx)
		org, err := market.BuyingOrg(actor, in.Body.OrgID)
		if err != nil {
			return nil, err
		}
		ad := in.Body.Address
		r, err := h.svc.Redeem(ctx, actor, in.ID, org, in.Body.GiftID, store.ShippingAddress{Name: ad.Name, Phone: ad.Phone, Province: ad.Province,
			City: ad.City, Address: ad.Address, Postcode: ad.Postcode})
		if err != nil {
			return nil, err
		}
		return &createdRedemptionOutput{Status: http.StatusCreated, Body: redemptionOf(r)}, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "explain-campaign-orders", Method: http.MethodGet, Path: "/api/v1/campaigns/{id}/explanations",
		Summary: "Which of an organisation's orders counted toward a campaign, and why not", Tags: tags, Security: bearer, Errors: []int{400, 401, 403, 404},
		Description: "Each order placed during the window, newest first: counted (with what it added and what refunds took off), or its reasons.",
	}, func(ctx context.Context, in *explanationsInput) (*explanationsOutput, error) {
		actor := actorOf(ctx)
		org, err := market.BuyingOrg(actor, in.OrgID)
		if err != nil {
			return nil, err
		}
		xs, err := h.svc.Explain(ctx, actor, in.ID, org)
		if err != nil {
			return nil, err
		}
		out := &explanationsOutput{}
		out.Body.Orders = explanationsOf(xs)
		return out, nil
	})

	huma.Register(a, huma.Operation{
		OperationID: "quote-checkout", Method: http.MethodPost, Path: "/api/v1/quotes/checkout",
		Summary: "Price a cart with a coupon and a channel, as placing it would", Tags: []string{"Buying", "Campaigns"}, Security: bearer,
		MaxBodyBytes: MaxBody, Errors: []int{400, 401, 403, 404, 409},
		Description: "Nothing changes. Answers the quote with each line's part of the coupon's discount, the campaign the order would " +
			"take part in, whether it would count (or why not), the organisation's standing before and after, and the campaign's " +
			"refund policy (told before paying). A coupon that is not the organisation's is 404 (error.coupon_unknown); used, 409.",
	}, func(ctx context.Context, in *checkoutInput) (*checkoutOutput, error) {
		actor := actorOf(ctx)
		org, err := market.BuyingOrg(actor, in.Body.OrgID)
		if err != nil {
			return nil, err
		}
		c, err := h.svc.QuoteCheckout(ctx, actor, market.OrderRequest{OrgID: org, Lines: lineRequests(in.Body.Lines), CouponID: in.Body.CouponID,
			Channel: in.Body.Channel})
		if err != nil {
			return nil, err
		}
		out := Checkout{Quote: quoteOf(c.Quote), Channel: c.Channel, CampaignID: c.CampaignID, Counts: c.Counts, Reasons: reasonsOf(c.Reasons)}
		if c.Coupon != nil {
			cp := couponOf(*c.Coupon)
			out.Coupon = &cp
		}
		if c.CampaignID != "" {
			before, after := standingOf(c.Before), standingOf(c.After)
			out.Before, out.After, out.RefundPolicy = &before, &after, string(c.RefundPolicy)
		}
		return &checkoutOutput{Body: out}, nil
	})
}
