package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/money"
)

// listing is a demo product and how far it has come.
type listing struct {
	seller  string // the demo login that sells it
	content catalog.Product
	// after publication: a new revision in review, or a delisting
	revise func(p catalog.Product) catalog.Product
	delist bool
}

func text(en, zh string) catalog.Text { return catalog.Text{EN: en, ZH: zh} }

func cny(yuan int64) money.Amount    { return money.New(yuan*100, money.CNY) }
func usd(dollars int64) money.Amount { return money.New(dollars*100, money.USD) }

func fixed(code, en, zh string, mode catalog.BillingMode, price money.Amount) catalog.Plan {
	return catalog.Plan{Code: code, Name: text(en, zh), Mode: mode, Price: price, Active: true}
}

func metered(code, en, zh, unit string, tiers ...catalog.Tier) catalog.Plan {
	return catalog.Plan{Code: code, Name: text(en, zh), Mode: catalog.PayPerUse, Active: true, Usage: &catalog.UsagePrice{Unit: unit, Tiers: tiers}}
}

func product(typ catalog.Type, name, summary, description catalog.Text, category string, regions []string, support string, plans ...catalog.Plan) catalog.Product {
	return catalog.Product{Type: typ, Name: name, Summary: summary, Description: description, Category: category, Regions: regions,
		Support: catalog.Support{Email: support}, DocsURL: "https://docs.example.com/" + category, Plans: plans}
}

var (
	north, east, hk, sg, dublin = "cn-north-4", "cn-east-3", "ap-southeast-1", "ap-southeast-3", "eu-west-101"
)

func catalogue() []listing {
	dbLicense := product(catalog.TypeLicense, text("Lakeside DB Enterprise", "湖畔数据库企业版"),
		text("A distributed SQL database, licensed per core", "分布式 SQL 数据库，按核授权"),
		text("Lakeside DB is a PostgreSQL-compatible distributed database with online scaling, point-in-time recovery and row-level security.\n\nThe licence covers 8 cores for one year, with updates and support.",
			"湖畔数据库是兼容 PostgreSQL 的分布式数据库，支持在线扩容、时间点恢复和行级安全。\n\n本许可证授权 8 核、为期一年，含升级与技术支持。"),
		"database", []string{north, east, hk}, "support@lakeside.example",
		fixed("year-8-cores", "1 year, 8 cores", "一年期 8 核", catalog.OneTime, cny(38_000)),
		fixed("yearly-8-cores", "Yearly subscription, 8 cores", "包年订阅 8 核", catalog.Yearly, cny(32_000)))
	dbLicense.License = &catalog.LicenseSpec{Category: catalog.LicenseDatabase, GrantUnit: catalog.GrantCores, GrantQuantity: 8, DurationMonths: 12, TermsURL: "https://lakeside.example/terms"}

	mq := product(catalog.TypeLicense, text("Lakeside MQ", "湖畔消息队列"),
		text("Message queue middleware, perpetual licence for 50 seats", "消息队列中间件，50 用户永久许可"),
		text("A reliable message queue with exactly-once delivery, delayed messages and a web console.", "可靠的消息队列中间件，支持精确一次投递、延时消息和 Web 管理控制台。"),
		"middleware", []string{north, east}, "support@lakeside.example",
		fixed("perpetual-50", "Perpetual, 50 seats", "永久许可 50 用户", catalog.OneTime, cny(12_000)))
	mq.License = &catalog.LicenseSpec{Category: catalog.LicenseMiddleware, GrantUnit: catalog.GrantSeats, GrantQuantity: 50, TermsURL: "https://lakeside.example/terms"}

	backup := product(catalog.TypeSaaS, text("Lakeside Cloud Backup", "湖畔云备份"),
		text("Automatic backups for your databases", "为您的数据库自动备份"),
		text("Continuous backups of PostgreSQL, MySQL and Lakeside DB with point-in-time restore, kept in another region.", "对 PostgreSQL、MySQL 和湖畔数据库进行持续备份，支持时间点恢复，备份异地存放。"),
		"storage", []string{north, east}, "support@lakeside.example",
		metered("per-gb", "Pay per GB stored", "按存储量计费", "GB-month", catalog.Tier{UpTo: 100, UnitPrice: money.New(0, money.CNY)}, catalog.Tier{UnitPrice: money.New(12, money.CNY)}),
		fixed("monthly-1tb", "1 TB monthly", "1 TB 包月", catalog.Monthly, cny(199)))
	backup.SaaS = &catalog.SaaSSpec{Endpoint: "https://backup.lakeside.example/cloudmart", DeployRegion: north}

	logs := product(catalog.TypeSaaS, text("Lakeside Log Analytics", "湖畔日志分析"),
		text("Search and chart your logs in seconds", "秒级检索与分析日志"),
		text("Collect logs from ECS, containers and applications; search them with full text and build dashboards and alerts.", "采集云服务器、容器和应用日志，全文检索，并构建仪表盘与告警。"),
		"analytics", []string{north, east, hk}, "support@lakeside.example",
		fixed("monthly", "Standard monthly", "标准版包月", catalog.Monthly, cny(299)),
		fixed("yearly", "Standard yearly", "标准版包年", catalog.Yearly, cny(2_990)))
	logs.SaaS = &catalog.SaaSSpec{Endpoint: "https://logs.lakeside.example/cloudmart", DeployRegion: north, FreeTrial: true}
	logs.Plans[0].TrialDays = 14

	waf := product(catalog.TypeImage, text("Bluepeak Hardened WAF", "蓝峰加固 Web 应用防火墙"),
		text("A hardened web application firewall image", "加固的 Web 应用防火墙镜像"),
		text("Blocks OWASP Top 10 attacks, bots and CC floods in front of your web applications. CIS-hardened Ubuntu 24.04.", "在 Web 应用前拦截 OWASP Top 10 攻击、恶意爬虫和 CC 攻击。基于 CIS 加固的 Ubuntu 24.04。"),
		"security", []string{north, east, hk, sg}, "soc@bluepeak.example",
		fixed("monthly", "Monthly", "包月", catalog.Monthly, cny(899)),
		fixed("yearly", "Yearly", "包年", catalog.Yearly, cny(8_990)),
		metered("hourly", "Per running hour", "按运行小时计费", "hour", catalog.Tier{UnitPrice: money.New(45, money.CNY)}))
	waf.Image = &catalog.ImageSpec{ImageRef: "img-bluepeak-waf-2611", OSFamily: catalog.OSLinux, OSVersion: "Ubuntu 24.04", Arch: catalog.ArchX86,
		MinVCPU: 2, MinMemoryMiB: 4096, MinDiskGiB: 40, ImageRegions: []string{north, east, hk, sg}, LoginUser: "ubuntu"}

	bastion := product(catalog.TypeImage, text("Bluepeak Bastion Host", "蓝峰堡垒机"),
		text("Audited SSH and RDP access to your servers", "可审计的 SSH 与 RDP 运维堡垒机"),
		text("Single sign-on to servers with session recording and command audit.", "统一登录服务器，会话录像与命令审计。"),
		"security", []string{north, east}, "soc@bluepeak.example",
		fixed("monthly", "Monthly", "包月", catalog.Monthly, cny(599)))
	bastion.Image = &catalog.ImageSpec{ImageRef: "img-bluepeak-bastion-2609", OSFamily: catalog.OSLinux, OSVersion: "Rocky Linux 9", Arch: catalog.ArchX86,
		MinVCPU: 2, MinMemoryMiB: 2048, MinDiskGiB: 40, ImageRegions: []string{north, east}, LoginUser: "rocky"}

	scanner := product(catalog.TypeSaaS, text("Bluepeak Vulnerability Scanner", "蓝峰漏洞扫描"),
		text("Continuous scanning of hosts and websites", "主机与网站持续漏洞扫描"),
		text("Agentless scanning of cloud hosts and websites for known vulnerabilities and weak configurations, with fix advice.", "无需安装代理，对云主机和网站进行已知漏洞与弱配置扫描，并给出修复建议。"),
		"security", []string{north, east, hk, sg, dublin}, "soc@bluepeak.example",
		fixed("monthly", "Monthly, 50 assets", "包月 50 资产", catalog.Monthly, cny(499)),
		fixed("yearly-usd", "Yearly, 50 assets", "包年 50 资产", catalog.Yearly, usd(799)))
	scanner.SaaS = &catalog.SaaSSpec{Endpoint: "https://scan.bluepeak.example/cloudmart", DeployRegion: east}

	ddos := product(catalog.TypeSaaS, text("Bluepeak DDoS Shield", "蓝峰 DDoS 防护"),
		text("Always-on DDoS protection for public services", "面向公网业务的常态化 DDoS 防护"),
		text("Traffic scrubbing up to 300 Gbps with automatic failover back to your origin.", "最高 300 Gbps 清洗能力，自动回源。"),
		"security", []string{north, east, hk}, "soc@bluepeak.example",
		fixed("monthly", "Monthly", "包月", catalog.Monthly, cny(1_999)))
	ddos.SaaS = &catalog.SaaSSpec{Endpoint: "https://shield.bluepeak.example/cloudmart", DeployRegion: north}

	service := func(kind catalog.ServiceKind, name, summary, description, deliverables catalog.Text, category string, days int, price int64) catalog.Product {
		p := product(catalog.TypeService, name, summary, description, category, []string{north, east}, "delivery@yunfan.example",
			fixed("fixed", "Fixed price", "一口价", catalog.OneTime, cny(price)))
		p.Service = &catalog.ServiceSpec{Kind: kind, Deliverables: deliverables, ExpectedDays: days, NoSoftwareIncluded: true}
		return p
	}
	migration := service(catalog.ServiceDataMigration, text("Database migration to the cloud", "数据库上云迁移"),
		text("Move your databases with minimal downtime", "以最短停机时间迁移数据库"),
		text("Assessment, migration rehearsal, cut-over and verification of Oracle, MySQL or SQL Server databases to cloud databases.", "对 Oracle、MySQL 或 SQL Server 数据库进行评估、迁移演练、割接和校验，迁移到云数据库。"),
		text("Migration plan, migrated and verified databases, cut-over report.", "迁移方案、完成迁移并校验的数据库、割接报告。"), "migration", 15, 20_000)
	training := service(catalog.ServiceTraining, text("Cloud onboarding training", "上云培训"),
		text("Two days of hands-on training for your team", "为您的团队提供两天实操培训"),
		text("Cloud fundamentals, networking, security and cost control, taught on your own account.", "云计算基础、网络、安全与成本管理，在您自己的账号上实操。"),
		text("Training materials, lab guides and a certificate for each attendee.", "培训资料、实验手册以及每位学员的结业证书。"), "training", 2, 3_000)
	install := service(catalog.ServiceInstallation, text("Middleware installation", "中间件安装部署"),
		text("Installation and tuning of common middleware", "常用中间件的安装与调优"),
		text("Installation, high-availability setup and tuning of Nginx, Redis, Kafka or RabbitMQ on your servers.", "在您的服务器上安装 Nginx、Redis、Kafka 或 RabbitMQ，完成高可用配置与调优。"),
		text("Installed middleware, runbook and handover session.", "部署完成的中间件、运维手册和交接培训。"), "middleware", 5, 5_000)

	ci := product(catalog.TypeSaaS, text("Harbor CI", "港湾持续集成"),
		text("Fast CI pipelines for Git repositories", "面向 Git 仓库的高速持续集成"),
		text("Pipelines as code, parallel jobs, caches and artifacts, with runners in your own cloud account.", "流水线即代码，支持并行任务、缓存与制品，运行器部署在您自己的云账号中。"),
		"devops", []string{dublin}, "support@harbor.example",
		fixed("team-monthly", "Team monthly", "团队版包月", catalog.Monthly, usd(49)),
		fixed("team-yearly", "Team yearly", "团队版包年", catalog.Yearly, usd(490)))
	ci.SaaS = &catalog.SaaSSpec{Endpoint: "https://ci.harbor.example/cloudmart", DeployRegion: dublin, FreeTrial: true}
	ci.Plans[0].TrialDays = 30

	registry := product(catalog.TypeSaaS, text("Harbor Artifact Registry", "港湾制品仓库"),
		text("Private registry for containers and packages", "容器镜像与软件包私有仓库"),
		text("Container images, Helm charts, npm and Maven packages in one registry, with vulnerability scanning.", "在一个仓库中管理容器镜像、Helm Chart、npm 和 Maven 包，并提供漏洞扫描。"),
		"devops", []string{dublin}, "support@harbor.example",
		fixed("monthly", "Monthly", "包月", catalog.Monthly, usd(29)),
		metered("storage", "Storage per GB", "按存储量计费", "GB-month", catalog.Tier{UnitPrice: money.New(10, money.USD)}))
	registry.SaaS = &catalog.SaaSSpec{Endpoint: "https://registry.harbor.example/cloudmart", DeployRegion: dublin}

	return []listing{
		{seller: "seller1@demo.test", content: dbLicense},
		{seller: "seller1@demo.test", content: mq},
		{seller: "seller1@demo.test", content: backup, revise: func(p catalog.Product) catalog.Product {
			p.Plans[1].Price = cny(249) // revision 2 raises the monthly price: in review
			p.Plans[1].Name = text("1 TB monthly, with cross-region copy", "1 TB 包月（含异地副本）")
			return p
		}},
		{seller: "seller1@demo.test", content: logs},
		{seller: "seller2@demo.test", content: waf},
		{seller: "seller2@demo.test", content: bastion, delist: true},
		{seller: "seller2@demo.test", content: scanner},
		{seller: "seller2@demo.test", content: ddos},
		{seller: "seller3@demo.test", content: migration},
		{seller: "seller3@demo.test", content: training},
		{seller: "seller3@demo.test", content: install},
		{seller: "seller4@demo.test", content: ci},
		{seller: "seller4@demo.test", content: registry},
	}
}

// loadCatalogue lists the demo products through the sellers' and operators'
// use cases, places them in two featured zones and puts up one banner. A
// seller that has products already is left as it is.
func loadCatalogue(ctx context.Context, svc *market.Service) error {
	ops, err := svc.ActorByEmail(ctx, "ops@demo.test")
	if err != nil {
		return err
	}
	sellers := map[string]account.Actor{}
	skip := map[string]bool{}
	placed := map[string]string{} // English name → product id
	for _, l := range catalogue() {
		actor, ok := sellers[l.seller]
		if !ok {
			if actor, err = svc.ActorByEmail(ctx, l.seller); err != nil {
				return err
			}
			sellers[l.seller] = actor
			have, err := svc.SellerProducts(ctx, actor)
			if err != nil {
				return err
			}
			skip[l.seller] = len(have) > 0
			for _, v := range have {
				placed[v.Content().Name.EN] = v.ID
			}
		}
		if skip[l.seller] {
			continue
		}
		id, err := list(ctx, svc, actor, ops, l)
		if err != nil {
			return fmt.Errorf("demo: product %q: %w", l.content.Name.EN, err)
		}
		placed[l.content.Name.EN] = id
	}
	if err := storefront(ctx, svc, ops, placed); err != nil {
		return err
	}
	return loadOrders(ctx, svc, placed)
}

// list takes one product from draft to where the demo wants it.
func list(ctx context.Context, svc *market.Service, seller, ops account.Actor, l listing) (string, error) {
	v, _, err := svc.CreateProduct(ctx, seller, l.content)
	if err != nil {
		return "", err
	}
	if _, err := svc.SubmitProduct(ctx, seller, v.ID); err != nil {
		return "", err
	}
	if _, err := svc.ReviewProduct(ctx, ops, v.ID, catalog.Approve, ""); err != nil {
		return "", err
	}
	if l.revise != nil {
		if _, err := svc.SaveProduct(ctx, seller, v.ID, l.revise(l.content), 0); err != nil {
			return "", err
		}
		if _, err := svc.SubmitProduct(ctx, seller, v.ID); err != nil {
			return "", err
		}
	}
	if l.delist {
		if _, err := svc.DelistProduct(ctx, seller, v.ID, "replaced by a new version next quarter"); err != nil {
			return "", err
		}
	}
	return v.ID, nil
}

// storefront sets up the featured zones and the banner.
func storefront(ctx context.Context, svc *market.Service, ops account.Actor, placed map[string]string) error {
	zones := []struct {
		zone     catalog.Zone
		products []string
	}{
		{catalog.Zone{Slug: "security", Name: text("Security", "安全"), Position: 1},
			[]string{"Bluepeak Hardened WAF", "Bluepeak Vulnerability Scanner", "Bluepeak DDoS Shield"}},
		{catalog.Zone{Slug: "data", Name: text("Data & databases", "数据与数据库"), Position: 2},
			[]string{"Lakeside DB Enterprise", "Lakeside Cloud Backup", "Database migration to the cloud", "Lakeside Log Analytics"}},
	}
	for _, z := range zones {
		if _, err := svc.SaveZone(ctx, ops, z.zone); err != nil {
			return err
		}
		var ids []string
		for _, name := range z.products {
			if id := placed[name]; id != "" {
				ids = append(ids, id)
			}
		}
		if err := svc.PlaceInZone(ctx, ops, z.zone.Slug, ids); err != nil {
			return err
		}
	}
	banners, err := svc.Banners(ctx, ops)
	if err != nil || len(banners) > 0 {
		return err
	}
	now := svc.Now()
	_, err = svc.SaveBanner(ctx, ops, catalog.Banner{
		Title:    text("Move to the cloud with experts", "专家护航，轻松上云"),
		Text:     text("Database migration, training and installation services from certified partners.", "认证服务商提供数据库迁移、上云培训和安装部署服务。"),
		Link:     "/categories/migration",
		StartsAt: now.Add(-24 * time.Hour), EndsAt: now.AddDate(0, 3, 0),
	})
	return err
}
