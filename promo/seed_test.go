package promo_test

import (
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/promo"
	"github.com/cloudmart/cloudmart/seller"
)

func cny(minor int64) money.Amount { return money.New(minor, money.CNY) }

// yuan is a whole number of yuan.
func yuan(n int64) money.Amount { return cny(n * 100) }

func date(s string) promo.Date {
	d, err := seller.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// sh is a wall time in Shanghai: "2020-09-11 23:59:59".
func sh(s string) time.Time { return wall(s, shanghai) }

func utc(s string) time.Time { return wall(s, time.UTC) }

func wall(s string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation(time.DateTime, s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func gift(id string, value int64, stock int) promo.Gift {
	return promo.Gift{ID: id, Name: catalog.Text{EN: id, ZH: id}, Value: yuan(value), Stock: stock}
}

// seed is the seed's campaign: 2020-08-12 to 2020-09-11 in Asia/Shanghai,
// telesales and channel-partner customers, five tiers.
func seed() promo.Campaign {
	return promo.Campaign{
		ID: "c1", Name: catalog.Text{EN: "Spend and get", ZH: "消费满送"}, Currency: money.CNY, Zone: "Asia/Shanghai",
		Start: date("2020-08-12"), End: date("2020-09-11"), RedeemBy: date("2020-09-30"),
		Segments: []account.Segment{account.SegmentTelesales, account.SegmentChannelPartner},
		Tiers: []promo.Tier{
			{Threshold: yuan(10_000), Gifts: []promo.Gift{gift("mug", 80, 500)}},
			{Threshold: yuan(50_000), Gifts: []promo.Gift{gift("speaker", 800, 100), gift("backpack", 600, 100)}},
			{Threshold: yuan(100_000), Gifts: []promo.Gift{gift("watch", 2_000, 50)}},
			{Threshold: yuan(150_000), Gifts: []promo.Gift{gift("phone", 4_000, 20)}},
			{Threshold: yuan(300_000), Gifts: []promo.Gift{gift("laptop", 9_000, 10)}},
		},
		Pack: []promo.Template{
			{ID: "300off1000", Name: catalog.Text{EN: "¥300 off ¥1,000", ZH: "满1000减300"}, Kind: promo.AmountOff,
				Off: yuan(300), MinSpend: yuan(1_000), ValidDays: 30},
			{ID: "saas10", Name: catalog.Text{EN: "10% off SaaS", ZH: "SaaS 九折"}, Kind: promo.PercentOff,
				PercentBPS: 1000, Cap: yuan(500), MinSpend: cny(0), Scope: promo.Scope{Types: []catalog.Type{catalog.TypeSaaS}},
				ValidFrom: date("2020-08-12"), ValidUntil: date("2020-09-30")},
		},
		PackLimit: 300, Budget: yuan(90_000), State: promo.Active,
	}
}

// code is the fault code and message id of err: "" for nil.
func code(err error) string {
	if err == nil {
		return ""
	}
	e := fault.As(err)
	if e == nil {
		return err.Error()
	}
	if e.MsgID == "" {
		return e.Code
	}
	return e.Code + " " + e.MsgID
}

func yuanUSD(n int64) money.Amount { return money.New(n*100, money.USD) }
