// Package demo loads the demo world of ../shared/DEMO.md into a marketplace:
// organisations and people of every role, all with the password
// "cloudmart-demo". It goes through the use cases, as a person would, and is
// idempotent: loading twice changes nothing.
package demo

import (
	"context"
	"fmt"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/market"
)

// Password is every demo account's password.
const Password = "cloudmart-demo"

// Person is a demo login.
type Person struct {
	Email, Name, Org string
	Role             account.Role
}

// People lists the demo logins in the order the README shows them.
var People = []Person{
	{"ops@demo.test", "Olivia Park", market.OperatorOrgName, account.RoleOperator},
	{"am@demo.test", "Wang Lei 王磊", market.OperatorOrgName, account.RoleAccountManager},
	{"partner@demo.test", "Nora Quinn", "Northwind Channel Partners 北风渠道", account.RolePartner},
	{"telesales@demo.test", "Li Na 李娜", "Tianhe Retail 天河零售", account.RoleBuyer},
	{"partner-customer@demo.test", "Dr. Chen Yu 陈宇", "Lakeview Clinics 湖景诊所", account.RoleBuyer},
	{"direct@demo.test", "Zhao Min 赵敏", "Qingshan Logistics 青山物流", account.RoleBuyer},
	{"other@demo.test", "Sam Rivera", "Meridian Studio", account.RoleBuyer},
	{"seller1@demo.test", "Hu Jun 胡军", "Lakeside Data 湖畔数据", account.RoleSellerAdmin},
	{"seller2@demo.test", "Lin Feng 林峰", "Bluepeak Security 蓝峰安全", account.RoleSellerAdmin},
	{"seller3@demo.test", "Xu Ting 徐婷", "Yunfan Consulting 云帆咨询", account.RoleSellerAdmin},
	{"seller4@demo.test", "Maya Holt", "Harbor DevTools", account.RoleSellerAdmin},
	{"applicant1@demo.test", "Priya Natarajan", "", ""},
	{"applicant2@demo.test", "Tom Brennan", "", ""},
}

// customer is a demo customer organisation and who looks after it.
type customer struct {
	name           string
	segment        account.Segment
	accountManaged bool // looked after by am@demo.test
	partnered      bool // served by Northwind
}

var customers = []customer{
	{"Tianhe Retail 天河零售", account.SegmentTelesales, true, false},
	{"Lakeview Clinics 湖景诊所", account.SegmentChannelPartner, false, true},
	{"Qingshan Logistics 青山物流", account.SegmentDirect, true, false},
	{"Meridian Studio", account.SegmentOther, false, false},
}

var sellers = []string{"Lakeside Data 湖畔数据", "Bluepeak Security 蓝峰安全", "Yunfan Consulting 云帆咨询", "Harbor DevTools"}

const partnerName = "Northwind Channel Partners 北风渠道"

// Load puts the demo world into the marketplace.
func Load(ctx context.Context, svc *market.Service) error {
	orgs := map[string]account.Org{}
	ensure := func(o account.Org) error {
		got, err := orgCreatedAt(svc, o).EnsureOrg(ctx, o)
		if err != nil {
			return fmt.Errorf("demo: organisation %s: %w", o.Name, err)
		}
		orgs[got.Name] = got
		return nil
	}
	if err := ensure(account.Org{Kind: account.KindOperator, Name: market.OperatorOrgName}); err != nil {
		return err
	}
	if err := ensure(account.Org{Kind: account.KindPartner, Name: partnerName}); err != nil {
		return err
	}
	for _, s := range sellers {
		if err := ensure(account.Org{Kind: account.KindSeller, Name: s}); err != nil {
			return err
		}
	}
	// The account manager exists before the customers it looks after.
	users := map[string]account.User{}
	addPerson := func(p Person) error {
		in := market.NewUser{Email: p.Email, Password: Password, DisplayName: p.Name}
		if p.Org != "" {
			in.Roles = []market.OrgRole{{OrgID: orgs[p.Org].ID, Role: p.Role}}
		}
		u, err := svc.EnsureUser(ctx, in, "system")
		if err != nil {
			return fmt.Errorf("demo: %s: %w", p.Email, err)
		}
		users[p.Email] = u
		return nil
	}
	if err := addPerson(People[1]); err != nil {
		return err
	}
	for _, c := range customers {
		o := account.Org{Kind: account.KindCustomer, Name: c.name, Segment: c.segment}
		if c.accountManaged {
			o.AccountManagerID = users["am@demo.test"].ID
		}
		if c.partnered {
			o.PartnerOrgID = orgs[partnerName].ID
		}
		if err := ensure(o); err != nil {
			return err
		}
	}
	for _, p := range People {
		if err := addPerson(p); err != nil {
			return err
		}
	}
	if err := loadSellers(ctx, svc, svc.Now()); err != nil {
		return err
	}
	if err := loadCatalogue(ctx, svc); err != nil {
		return err
	}
	// The parts loaded after the catalogue, each after what it builds on.
	for _, load := range []func(context.Context, *market.Service) error{loadCampaigns, loadBenefits, loadTestCredit, loadSupport, loadResale, loadProgrammes} {
		if err := load(ctx, svc); err != nil {
			return err
		}
	}
	return nil
}
