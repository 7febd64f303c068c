package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/programme"
)

// The demo's seller programmes (docs/benefits.md): one joint marketing
// event of each of the seed's kinds — last year's annual conference, where
// Lakeside Data (seller1) was accepted, and three coming up, Bluepeak
// (seller2) waiting on its application to the technology forum; Bluepeak's
// SaaS migration verified and Harbor DevTools' (seller4) waiting; an online
// marketplace course and an onsite sales training in Shanghai, with people
// enrolled. All made through the use cases, with the clock at their dates.

// DemoEvents are the demo's events by kind, for tests and the README.
var DemoEvents = map[programme.EventKind]catalog.Text{
	programme.AnnualConference:     {EN: "cloudmart Partner Conference", ZH: "云市场伙伴大会"},
	programme.OnlineJointPromotion: {EN: "Spring cloud shopping week", ZH: "春季上云购物周"},
	programme.CoBrandingCampaign:   {EN: "Built on cloudmart: co-branded SaaS stories", ZH: "云市场联合品牌 SaaS 故事"},
	programme.TechnologyForum:      {EN: "Cloud-native security forum", ZH: "云原生安全论坛"},
}

// inShanghai is the wall-clock time hh:mm, days after today in Shanghai.
func inShanghai(now time.Time, days, hh, mm int) time.Time {
	d := now.In(shanghai)
	return time.Date(d.Year(), d.Month(), d.Day()+days, hh, mm, 0, 0, shanghai).UTC()
}

func loadProgrammes(ctx context.Context, svc *market.Service) error {
	ops, err := svc.ActorByEmail(ctx, "ops@demo.test")
	if err != nil {
		return err
	}
	if events, err := svc.Events(ctx, ops); err != nil || len(events) > 0 {
		return err // loaded already
	}
	seller1, err := svc.ActorByEmail(ctx, "seller1@demo.test")
	if err != nil {
		return err
	}
	seller2, err := svc.ActorByEmail(ctx, "seller2@demo.test")
	if err != nil {
		return err
	}
	seller4, err := svc.ActorByEmail(ctx, "seller4@demo.test")
	if err != nil {
		return err
	}
	now := svc.Now()
	wrap := func(what string, err error) error { return fmt.Errorf("demo: programmes: %s: %w", what, err) }

	// Last year's conference: published, Lakeside accepted, closed.
	past := now.AddDate(-1, 0, 0)
	conf := programme.Event{Kind: programme.AnnualConference, Title: DemoEvents[programme.AnnualConference],
		Description: catalog.Text{EN: "Two days of keynotes, partner sessions and an expo hall in Shanghai.",
			ZH: "在上海举行的两天主题演讲、伙伴分会场与展区。"},
		Zone: "Asia/Shanghai", Start: inShanghai(past, 30, 9, 0), End: inShanghai(past, 31, 18, 0), ApplyBy: inShanghai(past, 14, 23, 59), Seats: 20}
	at := svc.At(past)
	if conf, err = at.CreateEvent(ctx, ops, conf); err != nil {
		return wrap("conference", err)
	}
	if _, err = at.MoveEvent(ctx, ops, conf.ID, programme.EventPublished); err != nil {
		return wrap("publish the conference", err)
	}
	app, err := svc.At(past.AddDate(0, 0, 2)).ApplyToEvent(ctx, seller1, conf.ID, "A booth with live demos of Lakeside Data Lens and a customer talk.")
	if err != nil {
		return wrap("seller1 applies", err)
	}
	if _, err = svc.At(past.AddDate(0, 0, 5)).DecideEventApplication(ctx, ops, app.ID, true, ""); err != nil {
		return wrap("accept seller1", err)
	}
	if _, err = svc.At(past.AddDate(0, 0, 15)).MoveEvent(ctx, ops, conf.ID, programme.EventClosed); err != nil {
		return wrap("close the conference", err)
	}

	// Three coming up.
	upcoming := []programme.Event{
		{Kind: programme.OnlineJointPromotion, Description: catalog.Text{EN: "A week of joint offers on the storefront, promoted to every customer.",
			ZH: "店面一周联合优惠，面向所有客户推广。"}, Start: inShanghai(now, 45, 0, 0), End: inShanghai(now, 52, 0, 0),
			ApplyBy: inShanghai(now, 30, 23, 59), Seats: 12},
		{Kind: programme.CoBrandingCampaign, Description: catalog.Text{EN: "Co-branded case studies and ads for SaaS sellers.",
			ZH: "面向 SaaS 卖家的联合品牌案例与广告。"}, Start: inShanghai(now, 60, 9, 0), End: inShanghai(now, 90, 18, 0),
			ApplyBy: inShanghai(now, 40, 23, 59), Seats: 5, RequiresType: catalog.TypeSaaS},
		{Kind: programme.TechnologyForum, Description: catalog.Text{EN: "An afternoon of talks on cloud-native security, in Beijing.",
			ZH: "在北京举行的云原生安全专题下午场。"}, Start: inShanghai(now, 35, 13, 30), End: inShanghai(now, 35, 18, 0),
			ApplyBy: inShanghai(now, 21, 23, 59), Seats: 8},
	}
	var forum programme.Event
	for _, e := range upcoming {
		e.Title, e.Zone = DemoEvents[e.Kind], "Asia/Shanghai"
		if e, err = svc.CreateEvent(ctx, ops, e); err != nil {
			return wrap(string(e.Kind), err)
		}
		if e, err = svc.MoveEvent(ctx, ops, e.ID, programme.EventPublished); err != nil {
			return wrap("publish "+string(e.Kind), err)
		}
		if e.Kind == programme.TechnologyForum {
			forum = e
		}
	}
	if _, err = svc.ApplyToEvent(ctx, seller2, forum.ID, "A talk on runtime threat detection for containers, with Bluepeak's lab."); err != nil {
		return wrap("seller2 applies", err)
	}

	// Migrations: Bluepeak's SaaS verified, Harbor's waiting.
	m, err := svc.At(now.AddDate(0, -2, 0)).DeclareMigration(ctx, seller2, programme.Migration{Kind: programme.SaaS, Region: "cn-east-3",
		Workload: "Bluepeak Shield, the SaaS console and its scanning workers", Evidence: "https://status.bluepeak.example/regions/cn-east-3"})
	if err != nil {
		return wrap("seller2 declares", err)
	}
	if _, err = svc.At(now.AddDate(0, -2, 3)).DecideMigration(ctx, ops, m.ID, true, ""); err != nil {
		return wrap("verify seller2", err)
	}
	if _, err = svc.DeclareMigration(ctx, seller4, programme.Migration{Kind: programme.SaaS, Region: "eu-west-101",
		Workload: "Harbor CI runners and the build dashboard", Evidence: "Moved from our own racks in Dublin in October; ask for the cut-over report."}); err != nil {
		return wrap("seller4 declares", err)
	}

	// Trainings.
	online, err := svc.CreateCourse(ctx, ops, programme.Course{Kind: programme.Online, Audience: programme.Marketplace,
		Title:       catalog.Text{EN: "Selling on cloudmart: listings that convert", ZH: "在云市场销售：让商品页带来订单"},
		Description: catalog.Text{EN: "Plans, screenshots and support hours that buyers trust; 90 minutes online.", ZH: "买家信任的套餐、截图与服务时间；线上 90 分钟。"}})
	if err != nil {
		return wrap("online course", err)
	}
	sales, err := svc.CreateCourse(ctx, ops, programme.Course{Kind: programme.Onsite, Audience: programme.Sales,
		Title:       catalog.Text{EN: "Sales training: selling migrated workloads", ZH: "销售培训：销售已上云的应用"},
		Description: catalog.Text{EN: "A day in Shanghai with the marketplace's sales team, for sellers with a verified migration.", ZH: "与云市场销售团队在上海的一天，面向迁移已核实的卖家。"}})
	if err != nil {
		return wrap("sales course", err)
	}
	sessions := []programme.Session{
		{CourseID: online.ID, Zone: "Asia/Shanghai", Start: inShanghai(now, 7, 10, 0), End: inShanghai(now, 7, 11, 30),
			Place: "https://meet.cloudmart.example/listings-101", Seats: 30},
		{CourseID: online.ID, Zone: "Europe/Dublin", Start: inShanghai(now, 21, 17, 0), End: inShanghai(now, 21, 18, 30),
			Place: "https://meet.cloudmart.example/listings-101-emea", Seats: 30},
		{CourseID: sales.ID, Zone: "Asia/Shanghai", Start: inShanghai(now, 28, 9, 30), End: inShanghai(now, 28, 17, 0),
			Place: "cloudmart Shanghai office, 18F, 100 Century Avenue, Pudong", Seats: 12},
	}
	for i := range sessions {
		if sessions[i], err = svc.AddSession(ctx, ops, sessions[i]); err != nil {
			return wrap("session", err)
		}
	}
	enrolments := []struct {
		who         account.Actor
		session     int
		name, email string
	}{
		{seller1, 0, "Hu Jun 胡军", "hu.jun@lakeside.example"},
		{seller1, 0, "Gao Yan 高燕", "gao.yan@lakeside.example"},
		{seller4, 1, "Maya Holt", "maya@harbor.example"},
		{seller2, 2, "Lin Feng 林峰", "lin.feng@bluepeak.example"},
	}
	for _, e := range enrolments {
		if _, err := svc.Enrol(ctx, e.who, sessions[e.session].ID, e.name, e.email); err != nil {
			return wrap("enrol "+e.email, err)
		}
	}
	return nil
}
