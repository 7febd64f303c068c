package benefit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
)

// rule is one benefit of the seed's table: its name, what it opens, and how
// an approved seller is judged (a seller that is not approved has none).
type rule struct {
	id     ID
	name   catalog.Text
	action Action
	judge  func(f Facts, s *Status)
}

// rules is the seed's "Seller Benefits" table. The pages and API paths of the
// benefits other parts of issue 9 build (test credit, programmes, resale,
// support) are theirs; they are named here once.
var rules = []rule{
	{HomepageBanner, catalog.Text{EN: "Homepage banner recommendation", ZH: "首页横幅推荐"},
		Action{catalog.Text{EN: "See your sales", ZH: "查看销售"}, "/seller/orders", "/api/v1/seller/benefits"}, judgeBanner},
	{FeaturedZones, catalog.Text{EN: "Featured zones", ZH: "精选专区"},
		Action{catalog.Text{EN: "Your products", ZH: "我的产品"}, "/seller/products", "/api/v1/seller/products"}, judgeApproved(
			"ben.why.featured", "Your products on sale can be placed in the featured zones.", "您在售的产品可被放入精选专区。")},
	{Resale, catalog.Text{EN: "Resale opportunities", ZH: "转售机会"},
		Action{catalog.Text{EN: "Resale", ZH: "转售"}, "/seller/resale", "/api/v1/seller/resale"}, judgeResale},
	{JointMarketing, catalog.Text{EN: "Joint marketing campaigns", ZH: "联合营销活动"},
		Action{catalog.Text{EN: "Marketing events", ZH: "营销活动"}, "/seller/events", "/api/v1/seller/events"}, judgeApproved(
			"ben.why.marketing", "You may apply to online joint promotions, the annual conference, co-branding campaigns and technology forums.",
			"您可以报名线上联合推广、年度大会、品牌联合活动和技术论坛。")},
	{SalesTrainings, catalog.Text{EN: "Sales trainings", ZH: "销售培训"},
		Action{catalog.Text{EN: "Migrations", ZH: "上云迁移"}, "/seller/migrations", "/api/v1/seller/migrations"}, judgeSalesTrainings},
	{TestCoupons, catalog.Text{EN: "Test coupons", ZH: "测试券"},
		Action{catalog.Text{EN: "Request test credit", ZH: "申请测试额度"}, "/seller/test-credit", "/api/v1/seller/test-credit"}, judgeTestCoupons},
	{TechnicalSupport, catalog.Text{EN: "Technical support", ZH: "技术支持"},
		Action{catalog.Text{EN: "Ask for support", ZH: "申请支持"}, "/seller/support", "/api/v1/support/tickets"}, judgeApproved(
			"ben.why.support", "You may ask for consulting and enablement when adapting your solutions.", "适配解决方案时，您可以申请咨询和赋能支持。")},
	{Trainings, catalog.Text{EN: "Trainings", ZH: "培训课程"},
		Action{catalog.Text{EN: "Trainings", ZH: "培训课程"}, "/seller/trainings", "/api/v1/courses"}, judgeApproved(
			"ben.why.trainings", "You may enrol in online and onsite courses about the marketplace.", "您可以报名关于市场的线上和线下课程。")},
}

// judgeApproved is the rule of the benefits every approved seller has.
func judgeApproved(msgID, en, zh string) func(Facts, *Status) {
	return func(_ Facts, s *Status) { s.Has, s.Reason = true, reason(msgID, nil, en, zh) }
}

// judgeBanner: USD 100,000.00 of transactions or more. Amounts that could not
// be converted are named, so the seller knows they are not counted.
func judgeBanner(f Facts, s *Status) {
	s.Progress = bannerProgress(f)
	have := s.Progress.Have
	missing, err := BannerThreshold.Sub(have)
	if err != nil { // transactions not in USD: a bug of the caller's
		s.Reason = reason("ben.why.banner_unknown", nil, "Your transactions could not be counted.", "无法统计您的交易额。")
		return
	}
	if missing.Minor <= 0 {
		s.Has = true
		s.Reason = reason("ben.why.banner", map[string]string{"Amount": have.Grouped()},
			fmt.Sprintf("USD %s in transactions: your products may be recommended in the homepage banner.", have.Grouped()),
			fmt.Sprintf("交易额已达 %s 美元：您的产品可获首页横幅推荐。", have.Grouped()))
	} else {
		s.Reason = reason("ben.why.banner_missing", map[string]string{"Amount": missing.Grouped()},
			fmt.Sprintf("USD %s more in transactions to qualify for the homepage banner.", missing.Grouped()),
			fmt.Sprintf("交易额还差 %s 美元即可获得首页横幅推荐。", missing.Grouped()))
	}
	addUnconverted(f, &s.Reason)
}

// addUnconverted names the amounts that had no exchange rate.
func addUnconverted(f Facts, r *Reason) {
	if len(f.Unconverted) == 0 {
		return
	}
	names := make([]string, len(f.Unconverted))
	for i, a := range f.Unconverted {
		names[i] = string(a.Currency) + " " + a.Grouped()
	}
	if r.Args == nil {
		r.Args = map[string]string{}
	}
	r.Args["Unconverted"] = strings.Join(names, ", ")
	r.Text.EN += " Sales of " + strings.Join(names, ", ") + " are not counted: there is no exchange rate for their payment dates yet."
	r.Text.ZH += "另有 " + strings.Join(names, "、") + " 的交易额尚未计入：其付款日期还没有汇率。"
}

func bannerProgress(f Facts) *Progress {
	have := f.Transactions
	if have.Currency == "" {
		have = money.New(0, money.USD)
	}
	return &Progress{Have: have, Target: BannerThreshold}
}

// judgeResale: the seller has products that meet the resale requirements.
func judgeResale(f Facts, s *Status) {
	n := map[string]string{"Eligible": strconv.Itoa(f.ResaleEligible), "Authorised": strconv.Itoa(f.ResaleAuthorised)}
	switch {
	case f.ResaleEligible == 0:
		s.Reason = reason("ben.why.resale_none", n,
			"None of your products meets the resale requirements yet.", "您还没有产品满足转售要求。")
	case f.ResaleAuthorised == 0:
		s.Has = true
		s.Reason = reason("ben.why.resale_eligible", n,
			fmt.Sprintf("Products meeting the resale requirements: %d. Authorise them for channel partners to resell.", f.ResaleEligible),
			fmt.Sprintf("您有 %d 个产品满足转售要求：授权后渠道合作伙伴即可转售。", f.ResaleEligible))
	default:
		s.Has = true
		s.Reason = reason("ben.why.resale_authorised", n,
			fmt.Sprintf("Products meeting the resale requirements: %d; authorised for resale: %d.", f.ResaleEligible, f.ResaleAuthorised),
			fmt.Sprintf("您有 %d 个产品满足转售要求，其中 %d 个已授权转售。", f.ResaleEligible, f.ResaleAuthorised))
	}
}

// judgeSalesTrainings: after a migration of workloads to the cloud, verified
// by an operator.
func judgeSalesTrainings(f Facts, s *Status) {
	if f.VerifiedMigrations > 0 {
		s.Has = true
		s.Reason = reason("ben.why.sales_trainings", map[string]string{"Count": strconv.Itoa(f.VerifiedMigrations)},
			fmt.Sprintf("Verified migrations to the cloud: %d. You may enrol in sales trainings.", f.VerifiedMigrations),
			fmt.Sprintf("已核实 %d 项上云迁移：您可以报名销售培训。", f.VerifiedMigrations))
		return
	}
	s.Reason = reason("ben.why.sales_trainings_missing", nil,
		"Declare a migration of your workloads to the cloud; once an operator verifies it, you may enrol in sales trainings.",
		"请申报您的业务上云迁移；运营人员核实后即可报名销售培训。")
}

// judgeTestCoupons: test credit on request, up to USD 1,000.00 in all.
func judgeTestCoupons(f Facts, s *Status) {
	held := f.TestCreditHeld
	if held.Currency == "" {
		held = money.New(0, money.USD)
	}
	left, err := TestCreditCap.Sub(held)
	if err != nil {
		s.Reason = reason("ben.why.test_unknown", nil, "Your test credit could not be counted.", "无法统计您的测试额度。")
		return
	}
	if left.Minor <= 0 {
		s.Reason = reason("ben.why.test_used", map[string]string{"Cap": TestCreditCap.Grouped()},
			fmt.Sprintf("You have requested all USD %s of test credit.", TestCreditCap.Grouped()),
			fmt.Sprintf("您已申请全部 %s 美元的测试额度。", TestCreditCap.Grouped()))
		return
	}
	s.Has = true
	s.Reason = reason("ben.why.test", map[string]string{"Left": left.Grouped(), "Cap": TestCreditCap.Grouped()},
		fmt.Sprintf("You may request USD %s more of test credit (USD %s in all).", left.Grouped(), TestCreditCap.Grouped()),
		fmt.Sprintf("您还可以申请 %s 美元的测试额度（总额 %s 美元）。", left.Grouped(), TestCreditCap.Grouped()))
}
