package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/promo"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
)

// The demo's campaigns (../shared/DEMO.md): the seed's spend-and-get
// campaign as it ran in 2020, ended, with its results; and a copy running
// now with the coupon pack (上云礼包), Tianhe Retail part-way to its first
// tier. Both are made through the use cases with the clock at their dates.

// CustomersSince is when the demo's customers became customers: before the
// seed's campaign, so their segments held when they bought during it
// (promo.SegmentAt reads the segment at payment).
var CustomersSince = time.Date(2020, 1, 6, 2, 0, 0, 0, time.UTC)

// Campaign names of the demo.
var (
	SeedCampaign    = catalog.Text{EN: "Cloud onboarding spend-and-get 2020", ZH: "2020 上云消费满送"}
	RunningCampaign = catalog.Text{EN: "Cloud onboarding spend-and-get", ZH: "上云消费满送"}
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err) // the time zone database is embedded by cmd/cloudmart (time/tzdata)
	}
	return loc
}()

// orgCreatedAt is when the demo makes an organisation: customers at
// CustomersSince, the others now.
func orgCreatedAt(svc *market.Service, o account.Org) *market.Service {
	if o.Kind == account.KindCustomer {
		return svc.At(CustomersSince)
	}
	return svc
}

// campaignRules is the seed's campaign from its first to its last day, with
// its gifts and coupon pack.
func campaignRules(name catalog.Text, start, end, redeemBy seller.Date, packValidUntil seller.Date) promo.Campaign {
	gift := func(id, en, zh string, value int64, stock int) promo.Gift {
		return promo.Gift{ID: id, Name: catalog.Text{EN: en, ZH: zh}, Value: cny(value), Stock: stock}
	}
	tier := func(yuan int64, gifts ...promo.Gift) promo.Tier {
		return promo.Tier{Threshold: cny(yuan), Gifts: gifts}
	}
	return promo.Campaign{Name: name, Currency: money.CNY, Zone: "Asia/Shanghai", Start: start, End: end, RedeemBy: redeemBy,
		Segments: []account.Segment{account.SegmentTelesales, account.SegmentChannelPartner}, RefundPolicy: promo.RefuseRefund,
		Tiers: []promo.Tier{
			tier(10_000, gift("mug", "Insulated travel mug", "保温杯", 120, 500), gift("powerbank", "Power bank, 10,000 mAh", "10000 毫安充电宝", 150, 300)),
			tier(50_000, gift("speaker", "Bluetooth speaker", "蓝牙音箱", 800, 100)),
			tier(100_000, gift("watch", "Smart watch", "智能手表", 2_000, 50)),
			tier(150_000, gift("tablet", "10-inch tablet", "10 英寸平板电脑", 3_500, 20)),
			tier(300_000, gift("laptop", "Thin and light laptop", "轻薄笔记本电脑", 8_000, 10)),
		},
		Pack: []promo.Template{
			{ID: "300-off-1000", Name: catalog.Text{EN: "¥300 off ¥1,000", ZH: "满 1000 减 300"}, Kind: promo.AmountOff, Off: cny(300),
				MinSpend: cny(1_000), ValidDays: 30},
			{ID: "saas-10", Name: catalog.Text{EN: "10% off SaaS, up to ¥500", ZH: "SaaS 九折，最高减 500"}, Kind: promo.PercentOff, PercentBPS: 1000,
				Cap: cny(500), MinSpend: cny(0), Scope: promo.Scope{Types: []catalog.Type{catalog.TypeSaaS}}, ValidFrom: start, ValidUntil: packValidUntil},
		},
		PackLimit: 1_000, Budget: cny(300_000),
	}
}

// campaignStep is one thing a demo customer does in a campaign, days after
// its first day (noon in Shanghai).
type campaignStep struct {
	day     int
	who     string // a demo email
	do      string // "claim", "buy", "admit", "redeem", "ship", "deliver"
	product string // buy: a product's English name and its plan
	plan    string
	periods int
	coupon  bool   // buy: with the pack's ¥300-off coupon
	page    bool   // buy: through the campaign's page
	gift    string // redeem
	note    string // admit
}

var seedSteps = []campaignStep{
	{day: 1, who: "telesales@demo.test", do: "claim"},
	{day: 2, who: "telesales@demo.test", do: "buy", product: "Lakeside DB Enterprise", plan: "year-8-cores", coupon: true, page: true},
	{day: 4, who: "direct@demo.test", do: "buy", product: "Lakeside MQ", plan: "perpetual-50"}, // direct and not admitted: does not count
	{day: 6, who: "am@demo.test", do: "admit", note: "Qingshan is moving its warehouse systems to the cloud this quarter."},
	{day: 8, who: "telesales@demo.test", do: "buy", product: "Lakeside MQ", plan: "perpetual-50", page: true},
	{day: 10, who: "direct@demo.test", do: "buy", product: "Lakeside MQ", plan: "perpetual-50", page: true},
	{day: 13, who: "partner-customer@demo.test", do: "claim"},
	{day: 14, who: "partner-customer@demo.test", do: "buy", product: "Lakeside MQ", plan: "perpetual-50", coupon: true},
	{day: 20, who: "telesales@demo.test", do: "redeem", gift: "mug"},
	{day: 21, who: "direct@demo.test", do: "redeem", gift: "powerbank"},
	{day: 22, who: "ops@demo.test", do: "ship"},
	{day: 26, who: "ops@demo.test", do: "deliver"},
	{day: 27, who: "partner-customer@demo.test", do: "redeem", gift: "mug"},
	{day: 28, who: "ops@demo.test", do: "ship"},
}

// runningSteps leave Tianhe Retail part-way to the first tier (¥6,988 of
// ¥10,000), its pack not claimed yet; Lakeview has claimed its pack.
var runningSteps = []campaignStep{
	{day: 1, who: "telesales@demo.test", do: "buy", product: "Bluepeak DDoS Shield", plan: "monthly", periods: 2, page: true},
	{day: 2, who: "partner-customer@demo.test", do: "claim"},
	{day: 3, who: "am@demo.test", do: "admit", note: "Qingshan asked to join: a large migration is planned."},
	{day: 5, who: "telesales@demo.test", do: "buy", product: "Lakeside Log Analytics", plan: "yearly", page: true},
}

// addresses are where the demo's gifts go.
var addresses = map[string]store.ShippingAddress{
	"telesales@demo.test":        {Name: "李娜", Phone: "+86 138 0000 1001", Province: "广东省", City: "广州市", Address: "天河区天河路 385 号 12 楼", Postcode: "510620"},
	"direct@demo.test":           {Name: "赵敏", Phone: "+86 139 0000 2002", Province: "四川省", City: "成都市", Address: "青羊区青华路 18 号", Postcode: "610072"},
	"partner-customer@demo.test": {Name: "陈宇", Phone: "+86 137 0000 3003", Province: "浙江省", City: "杭州市", Address: "西湖区文三路 90 号", Postcode: "310012"},
}

// loadCampaigns makes the demo's two campaigns. Skipped when there are
// campaigns already.
func loadCampaigns(ctx context.Context, svc *market.Service) error {
	ops, err := svc.ActorByEmail(ctx, "ops@demo.test")
	if err != nil {
		return err
	}
	if cs, err := svc.Campaigns(ctx, ops); err != nil || len(cs) > 0 {
		return err
	}
	placed, err := placedProducts(ctx, svc)
	if err != nil {
		return err
	}
	seedStart, seedEnd := seller.Date{Year: 2020, Month: time.August, Day: 12}, seller.Date{Year: 2020, Month: time.September, Day: 11}
	seed := campaignRules(SeedCampaign, seedStart, seedEnd, seedEnd.AddDays(19), seller.Date{Year: 2020, Month: time.September, Day: 30})
	// The 2020 customers pay from a balance topped up then.
	for _, email := range []string{"telesales@demo.test", "direct@demo.test", "partner-customer@demo.test"} {
		buyer, err := svc.ActorByEmail(ctx, email)
		if err != nil {
			return err
		}
		at := time.Date(2020, 8, 10, 2, 0, 0, 0, time.UTC)
		if _, err := svc.At(at).TopUp(ctx, ops, buyerOrg(buyer), cny(100_000), "DEMO-WIRE-2020-"+buyerOrg(buyer), "campaign budget 2020"); err != nil {
			return fmt.Errorf("demo: 2020 top-up for %s: %w", email, err)
		}
	}
	if err := runCampaign(ctx, svc, ops, seed, seedSteps, placed, "c2020"); err != nil {
		return err
	}
	today := seller.DateOf(svc.Now().In(shanghai))
	start, end := today.AddDays(-10), today.AddDays(20)
	running := campaignRules(RunningCampaign, start, end, end.AddDays(19), end.AddDays(19))
	return runCampaign(ctx, svc, ops, running, runningSteps, placed, "cnow")
}

// runCampaign creates the campaign before its first day, schedules it, lets
// the campaign job open it, plays the steps at their days, and ends it when
// its window has closed by now.
func runCampaign(ctx context.Context, svc *market.Service, ops account.Actor, rules promo.Campaign, steps []campaignStep,
	placed map[string]string, key string) error {
	from, until := rules.Window()
	before := from.AddDate(0, 0, -5)
	c, err := svc.At(before).CreateCampaign(ctx, ops, rules)
	if err != nil {
		return fmt.Errorf("demo: campaign %s: %w", rules.Name.EN, err)
	}
	if _, err := svc.At(before).MoveCampaign(ctx, ops, c.ID, promo.Scheduled); err != nil {
		return fmt.Errorf("demo: schedule %s: %w", rules.Name.EN, err)
	}
	if _, err := svc.At(from).RunCampaigns(ctx, from); err != nil {
		return err
	}
	for i, st := range steps {
		at := from.Add(time.Duration(st.day)*24*time.Hour + 12*time.Hour)
		if err := playStep(ctx, svc.At(at), ops, c.ID, st, placed, fmt.Sprintf("demo-%s-%d", key, i)); err != nil {
			return fmt.Errorf("demo: campaign %s, step %d (%s of %s): %w", rules.Name.EN, i, st.do, st.who, err)
		}
	}
	if now := svc.Now(); !now.Before(until) {
		_, err = svc.At(until).RunCampaigns(ctx, until)
	}
	return err
}

func playStep(ctx context.Context, svc *market.Service, ops account.Actor, campaignID string, st campaignStep, placed map[string]string, key string) error {
	actor, err := svc.ActorByEmail(ctx, st.who)
	if err != nil {
		return err
	}
	switch st.do {
	case "claim":
		_, err = svc.ClaimPack(ctx, actor, campaignID, buyerOrg(actor))
	case "admit":
		qingshan, err := customerOrg(ctx, svc, ops, "Qingshan Logistics 青山物流")
		if err != nil {
			return err
		}
		return svc.Admit(ctx, actor, campaignID, qingshan, st.note)
	case "buy":
		req := market.OrderRequest{OrgID: buyerOrg(actor), IdempotencyKey: key,
			Lines: []order.LineRequest{{ProductID: placed[st.product], Plan: st.plan, Periods: st.periods, Region: north}}}
		if st.page {
			req.Channel = promo.Channel(campaignID)
		}
		if st.coupon {
			if req.CouponID, err = unusedCoupon(ctx, svc, actor, campaignID, promo.AmountOff); err != nil {
				return err
			}
		}
		o, _, err := svc.PlaceOrder(ctx, actor, req)
		if err != nil {
			return err
		}
		return deliverAt(ctx, svc, ops, svc.Now(), o.ID)
	case "redeem":
		_, err = svc.Redeem(ctx, actor, campaignID, buyerOrg(actor), st.gift, addresses[st.who])
	case "ship", "deliver":
		reds, err := svc.Report(ctx, ops, campaignID)
		if err != nil {
			return err
		}
		for i, r := range reds.Redemptions {
			switch {
			case st.do == "ship" && r.State == store.AwaitingShipment:
				_, err = svc.MarkShipped(ctx, ops, r.ID, "SF Express 顺丰速运", fmt.Sprintf("SF20200%03d%d", svc.Now().YearDay(), i))
			case st.do == "deliver" && r.State == store.Shipped:
				_, err = svc.MarkDelivered(ctx, ops, r.ID)
			}
			if err != nil {
				return err
			}
		}
	}
	return err
}

// unusedCoupon is one of the organisation's unused coupons of the campaign of
// the kind.
func unusedCoupon(ctx context.Context, svc *market.Service, buyer account.Actor, campaignID string, kind promo.DiscountKind) (string, error) {
	cps, err := svc.MyCoupons(ctx, buyer, buyerOrg(buyer), campaignID)
	if err != nil {
		return "", err
	}
	for _, cp := range cps {
		if cp.OrderID == "" && cp.Template.Kind == kind {
			return cp.ID, nil
		}
	}
	return "", fmt.Errorf("no unused %s coupon", kind)
}

// customerOrg finds a demo customer by its name.
func customerOrg(ctx context.Context, svc *market.Service, ops account.Actor, name string) (string, error) {
	list, err := svc.Customers(ctx, ops)
	if err != nil {
		return "", err
	}
	for _, o := range list {
		if o.Name == name {
			return o.ID, nil
		}
	}
	return "", fmt.Errorf("no customer %s", name)
}

// placedProducts maps the demo sellers' products' English names to their ids.
func placedProducts(ctx context.Context, svc *market.Service) (map[string]string, error) {
	placed := map[string]string{}
	for _, email := range []string{"seller1@demo.test", "seller2@demo.test", "seller3@demo.test", "seller4@demo.test"} {
		a, err := svc.ActorByEmail(ctx, email)
		if err != nil {
			return nil, err
		}
		list, err := svc.SellerProducts(ctx, a)
		if err != nil {
			return nil, err
		}
		for _, v := range list {
			placed[v.Content().Name.EN] = v.ID
		}
	}
	return placed, nil
}
