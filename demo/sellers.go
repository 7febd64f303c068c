package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
)

// Regions are the demo cloud's service regions.
var Regions = []seller.Region{
	{Code: "cn-north-4", NameEN: "Beijing", NameZH: "北京", Zone: "Asia/Shanghai"},
	{Code: "cn-east-3", NameEN: "Shanghai", NameZH: "上海", Zone: "Asia/Shanghai"},
	{Code: "ap-southeast-1", NameEN: "Hong Kong", NameZH: "香港", Zone: "Asia/Hong_Kong"},
	{Code: "ap-southeast-3", NameEN: "Singapore", NameZH: "新加坡", Zone: "Asia/Singapore"},
	{Code: "eu-west-101", NameEN: "Dublin", NameZH: "都柏林", Zone: "Europe/Dublin"},
	{Code: "af-south-1", NameEN: "Johannesburg", NameZH: "约翰内斯堡", Zone: "Africa/Johannesburg"},
	{Code: "la-south-2", NameEN: "Santiago", NameZH: "圣地亚哥", Zone: "America/Santiago"},
}

// AgreementVersion is the demo's Seller Agreement in force.
const AgreementVersion = "2026-01"

const agreementText = `cloudmart Seller Agreement, version 2026-01

1. The seller lists only software and services it has the right to sell, and describes them truthfully.
2. The seller delivers what was bought as its listing states, and supports buyers in the hours it stated.
3. The marketplace collects payment, keeps its published commission, and settles the rest with the seller monthly.
4. Either party may end this agreement with 30 days' notice; orders already paid are delivered and supported.

云市场卖家协议（2026-01 版）
一、卖家仅发布其有权销售的软件与服务，并如实描述。
二、卖家按商品说明交付所购商品，并在其声明的服务时间内为买家提供支持。
三、云市场代收货款，按公布的佣金比例扣除佣金后，按月与卖家结算。
四、任一方可提前 30 天通知终止本协议；已付款订单仍须交付并提供支持。`

// weekdays returns a schedule of the same hours Monday to Friday.
func weekdays(zone string, from, to int) seller.Schedule {
	s := seller.Schedule{Zone: zone}
	for d := time.Monday; d <= time.Friday; d++ {
		s.Days[d] = []seller.Interval{{Start: from, End: to}}
	}
	return s
}

// company is a demo seller and how far its application has come.
type company struct {
	admin       string // the demo login that applies
	input       market.ApplicationInput
	taxBank     seller.TaxBank
	signed      bool
	submit      bool
	approve     bool
	established func(today time.Time) string // overrides input.Established
}

func contact(name, email, phone string) []seller.Contact {
	return []seller.Contact{{Name: name, Email: email, Phone: phone}}
}

var companies = []company{
	{admin: "seller1@demo.test", signed: true, submit: true, approve: true,
		input: market.ApplicationInput{LegalName: "Lakeside Data 湖畔数据", RegistrationNumber: "91110108MA01LKSD2X", Country: "CN", Established: "2014-05-20",
			Regions: []string{"cn-north-4", "cn-east-3", "ap-southeast-1"}, Offerings: []string{"license", "saas"},
			PreSales: contact("Gao Yan 高燕", "sales@lakeside.example", "+86 10 6500 1100"), PostSales: contact("Support desk 技术支持", "support@lakeside.example", "+86 400 800 1100"),
			Support: weekdays("Asia/Shanghai", 9*60, 18*60)},
		taxBank: seller.TaxBank{TaxID: "91110108MA01LKSD2X", BankName: "Bank of Beijing", AccountHolder: "Lakeside Data Co., Ltd.", AccountNumber: "6226 0901 1000 2211"}},
	{admin: "seller2@demo.test", signed: true, submit: true, approve: true,
		input: market.ApplicationInput{LegalName: "Bluepeak Security 蓝峰安全", RegistrationNumber: "91310115MA1BLPK77Q", Country: "CN", Established: "2016-09-01",
			Regions: []string{"cn-north-4", "cn-east-3", "ap-southeast-1", "ap-southeast-3", "eu-west-101"}, Offerings: []string{"image", "saas"},
			PreSales: contact("Song Wei 宋伟", "presales@bluepeak.example", "+86 21 5080 2200"), PostSales: contact("SOC 7×24", "soc@bluepeak.example", "+86 400 820 2200"),
			Support: seller.Schedule{AllDay: true}},
		taxBank: seller.TaxBank{TaxID: "91310115MA1BLPK77Q", BankName: "China Merchants Bank", AccountHolder: "Bluepeak Security Ltd.", AccountNumber: "6214 8302 1777 0088"}},
	{admin: "seller3@demo.test", signed: true, submit: true, approve: true,
		input: market.ApplicationInput{LegalName: "Yunfan Consulting 云帆咨询", RegistrationNumber: "91440300MA5YFCS31K", Country: "CN", Established: "2012-03-12",
			Regions: []string{"cn-north-4", "cn-east-3"}, Offerings: []string{"professional_service"},
			PreSales: contact("He Jing 何静", "hello@yunfan.example", "+86 755 8600 3300"), PostSales: contact("Project office 项目办", "delivery@yunfan.example", "+86 755 8600 3301"),
			Support: weekdays("Asia/Shanghai", 8*60+30, 17*60+30)},
		taxBank: seller.TaxBank{TaxID: "91440300MA5YFCS31K", BankName: "Ping An Bank", AccountHolder: "Yunfan Consulting Co., Ltd.", AccountNumber: "6230 5800 0033 1234"}},
	{admin: "seller4@demo.test", signed: true, submit: true, approve: true,
		input: market.ApplicationInput{LegalName: "Harbor DevTools", RegistrationNumber: "IE 631245", Country: "IE", Established: "2019-11-04",
			Regions: []string{"eu-west-101"}, Offerings: []string{"saas"},
			PreSales: contact("Aoife Byrne", "sales@harbor.example", "+353 1 555 0104"), PostSales: contact("Harbor support", "support@harbor.example", "+353 1 555 0199"),
			Support: weekdays("Europe/Dublin", 8*60, 18*60)},
		taxBank: seller.TaxBank{TaxID: "IE3812456QH", BankName: "Bank of Ireland", AccountHolder: "Harbor DevTools Ltd", AccountNumber: "IE29 BOFI 9000 1712 3456 78"}},
	{admin: "applicant1@demo.test", signed: true, submit: true,
		input: market.ApplicationInput{LegalName: "Pinecone Analytics", RegistrationNumber: "SG 201912345K", Country: "SG", Established: "2018-02-14",
			Regions: []string{"ap-southeast-3", "ap-southeast-1"}, Offerings: []string{"saas", "api"},
			PreSales: contact("Priya Natarajan", "priya@pinecone.example", "+65 6555 0142"), PostSales: contact("Pinecone support", "help@pinecone.example", "+65 6555 0199"),
			Support: weekdays("Asia/Singapore", 9*60, 18*60)},
		taxBank: seller.TaxBank{TaxID: "201912345K", BankName: "DBS Bank", AccountHolder: "Pinecone Analytics Pte Ltd", AccountNumber: "072 0123 4567"}},
	// Brightside fails two checks: it was founded ten months ago, and its
	// Dublin office hours leave Monday short in Beijing.
	{admin: "applicant2@demo.test", signed: true,
		input: market.ApplicationInput{LegalName: "Brightside Apps", RegistrationNumber: "IE 702233", Country: "IE",
			Regions: []string{"cn-north-4"}, Offerings: []string{"saas"},
			PreSales: contact("Tom Brennan", "tom@brightside.example", "+353 1 555 0200"), PostSales: contact("Brightside help", "help@brightside.example", ""),
			Support: weekdays("Europe/Dublin", 9*60, 17*60)},
		taxBank:     seller.TaxBank{TaxID: "IE4012233RB", BankName: "AIB", AccountHolder: "Brightside Apps Ltd", AccountNumber: "IE64 AIBK 9311 5212 3456 78"},
		established: func(today time.Time) string { return today.AddDate(0, -10, 0).Format("2006-01-02") }},
}

// loadSellers adds the regions, the Seller Agreement and the demo companies'
// applications, each as far as DEMO.md says it has come.
func loadSellers(ctx context.Context, svc *market.Service, today time.Time) error {
	ops, err := svc.ActorByEmail(ctx, "ops@demo.test")
	if err != nil {
		return err
	}
	for _, r := range Regions {
		if _, err := svc.SaveRegion(ctx, ops, r); err != nil {
			return fmt.Errorf("demo: region %s: %w", r.Code, err)
		}
	}
	if _, _, err := svc.AgreementInForce(ctx); fault.Is(err, fault.NotFound) {
		if _, err := svc.PublishAgreement(ctx, ops, seller.Agreement{Version: AgreementVersion, Title: "cloudmart Seller Agreement 卖家协议"}, agreementText); err != nil {
			return fmt.Errorf("demo: agreement: %w", err)
		}
	} else if err != nil {
		return err
	}
	for _, c := range companies {
		if err := loadCompany(ctx, svc, ops, c, today); err != nil {
			return fmt.Errorf("demo: %s: %w", c.input.LegalName, err)
		}
	}
	return nil
}

func loadCompany(ctx context.Context, svc *market.Service, ops account.Actor, c company, today time.Time) error {
	actor, err := svc.ActorByEmail(ctx, c.admin)
	if err != nil {
		return err
	}
	if _, err := svc.MyApplication(ctx, actor); err == nil {
		return nil // loaded before
	} else if !fault.Is(err, fault.NotFound) {
		return err
	}
	in := c.input
	if c.established != nil {
		in.Established = c.established(today)
	}
	if _, err := svc.SaveApplication(ctx, actor, in); err != nil {
		return err
	}
	if actor, err = svc.ActorByEmail(ctx, c.admin); err != nil { // now with its seller membership
		return err
	}
	if c.signed {
		if _, err := svc.SignAgreement(ctx, actor, AgreementVersion); err != nil {
			return err
		}
	}
	if _, err := svc.SetTaxBank(ctx, actor, c.taxBank); err != nil {
		return err
	}
	v, err := svc.MyApplication(ctx, actor)
	if err != nil {
		return err
	}
	if _, err := svc.CertifyTaxBank(ctx, ops, v.ID, time.Time{}); err != nil {
		return err
	}
	if !c.submit {
		return nil
	}
	if _, err := svc.Submit(ctx, actor); err != nil {
		return err
	}
	if c.approve {
		_, err = svc.Review(ctx, ops, v.ID, seller.Approve, "")
	}
	return err
}
