package catalogtest

import "github.com/cloudmart/cloudmart/catalog"

// topic is what a product is about, in both languages, with the storefront
// category it is usually shelved in and, for licences, the software category.
type topic struct {
	en, zh   string
	category string
	license  catalog.LicenseCategory
}

// topics are the subjects of the catalogue. The Chinese names are the words
// buyers type (数据库, 备份, 防火墙 …); most are two or four characters, so
// two-character searches hit them the way package search cuts them.
var topics = []topic{
	{"database", "数据库", "database", catalog.LicenseDatabase},
	{"database backup", "数据库备份", "storage", catalog.LicenseDatabase},
	{"backup", "备份", "storage", catalog.LicenseApplication},
	{"disaster recovery", "容灾", "storage", catalog.LicenseApplication},
	{"object storage", "对象存储", "storage", catalog.LicenseMiddleware},
	{"file storage", "文件存储", "storage", catalog.LicenseMiddleware},
	{"security", "安全", "security", catalog.LicenseApplication},
	{"firewall", "防火墙", "security", catalog.LicenseApplication},
	{"web application firewall", "Web应用防火墙", "security", catalog.LicenseApplication},
	{"vulnerability scanning", "漏洞扫描", "security", catalog.LicenseApplication},
	{"intrusion detection", "入侵检测", "security", catalog.LicenseApplication},
	{"bastion host", "堡垒机", "security", catalog.LicenseApplication},
	{"encryption", "加密", "security", catalog.LicenseMiddleware},
	{"identity and access", "身份认证", "security", catalog.LicenseMiddleware},
	{"audit", "审计", "security", catalog.LicenseApplication},
	{"log", "日志", "devops", catalog.LicenseApplication},
	{"log analytics", "日志分析", "analytics", catalog.LicenseApplication},
	{"monitoring", "监控", "devops", catalog.LicenseApplication},
	{"alerting", "告警", "devops", catalog.LicenseApplication},
	{"container", "容器", "devops", catalog.LicenseMiddleware},
	{"kubernetes", "容器编排", "devops", catalog.LicenseMiddleware},
	{"continuous integration", "持续集成", "devops", catalog.LicenseApplication},
	{"code repository", "代码仓库", "devops", catalog.LicenseApplication},
	{"API gateway", "API网关", "networking", catalog.LicenseMiddleware},
	{"gateway", "网关", "networking", catalog.LicenseMiddleware},
	{"load balancer", "负载均衡", "networking", catalog.LicenseMiddleware},
	{"VPN", "虚拟专用网络", "networking", catalog.LicenseApplication},
	{"DNS", "域名解析", "networking", catalog.LicenseApplication},
	{"CDN", "内容分发", "networking", catalog.LicenseApplication},
	{"middleware", "中间件", "middleware", catalog.LicenseMiddleware},
	{"message queue", "消息队列", "middleware", catalog.LicenseMiddleware},
	{"cache", "缓存", "middleware", catalog.LicenseMiddleware},
	{"web server", "网站服务器", "middleware", catalog.LicenseMiddleware},
	{"application server", "应用服务器", "middleware", catalog.LicenseMiddleware},
	{"operating system", "操作系统", "operating_system", catalog.LicenseOS},
	{"Linux", "Linux系统", "operating_system", catalog.LicenseOS},
	{"Windows Server", "Windows服务器", "operating_system", catalog.LicenseOS},
	{"data warehouse", "数据仓库", "analytics", catalog.LicenseDatabase},
	{"business intelligence", "商业智能", "analytics", catalog.LicenseApplication},
	{"reporting", "报表", "analytics", catalog.LicenseApplication},
	{"big data", "大数据", "analytics", catalog.LicenseDatabase},
	{"machine learning", "机器学习", "ai", catalog.LicenseApplication},
	{"speech recognition", "语音识别", "ai", catalog.LicenseApplication},
	{"text recognition", "文字识别", "ai", catalog.LicenseApplication},
	{"chatbot", "智能客服", "ai", catalog.LicenseApplication},
	{"large language model", "大模型", "ai", catalog.LicenseApplication},
	{"knowledge base", "知识库", "collaboration", catalog.LicenseApplication},
	{"email", "邮件", "collaboration", catalog.LicenseApplication},
	{"video conferencing", "视频会议", "collaboration", catalog.LicenseApplication},
	{"office suite", "办公套件", "collaboration", catalog.LicenseApplication},
	{"project management", "项目管理", "collaboration", catalog.LicenseApplication},
	{"CRM", "客户关系管理", "industry", catalog.LicenseApplication},
	{"ERP", "企业资源计划", "industry", catalog.LicenseApplication},
	{"e-commerce", "电商", "industry", catalog.LicenseApplication},
	{"payment", "支付", "industry", catalog.LicenseApplication},
	{"human resources", "人力资源", "industry", catalog.LicenseApplication},
	{"finance", "财务", "industry", catalog.LicenseApplication},
	{"healthcare", "医疗", "industry", catalog.LicenseApplication},
	{"education", "教育", "industry", catalog.LicenseApplication},
	{"logistics", "物流", "industry", catalog.LicenseApplication},
	{"retail", "零售", "industry", catalog.LicenseApplication},
	{"IoT", "物联网", "industry", catalog.LicenseMiddleware},
	{"data migration", "数据迁移", "migration", catalog.LicenseApplication},
	{"cloud migration", "上云迁移", "migration", catalog.LicenseApplication},
	{"data integration", "数据集成", "migration", catalog.LicenseMiddleware},
	{"data synchronization", "数据同步", "migration", catalog.LicenseMiddleware},
	{"search engine", "搜索引擎", "middleware", catalog.LicenseMiddleware},
	{"time series database", "时序数据库", "database", catalog.LicenseDatabase},
	{"graph database", "图数据库", "database", catalog.LicenseDatabase},
	{"PostgreSQL", "PostgreSQL数据库", "database", catalog.LicenseDatabase},
	{"MySQL", "MySQL数据库", "database", catalog.LicenseDatabase},
	{"Redis", "Redis缓存", "database", catalog.LicenseDatabase},
}

// brand is a seller-like name in both languages.
type brand struct{ en, zh string }

var brands = []brand{
	{"Lakeside", "湖畔"}, {"Bluepeak", "蓝峰"}, {"Yunfan", "云帆"}, {"Harbor", "港湾"},
	{"Northstar", "北辰"}, {"Jade", "翡翠"}, {"Summit", "峰顶"}, {"Redwood", "红杉"},
	{"Silverline", "银线"}, {"Orion", "猎户"}, {"Pearl River", "珠江"}, {"Tianshan", "天山"},
	{"Kunlun", "昆仑"}, {"Aurora", "极光"}, {"Cirrus", "卷云"}, {"Granite", "磐石"},
	{"Maple", "枫叶"}, {"Phoenix", "凤凰"}, {"Quantum", "量子"}, {"Zephyr", "和风"},
	{"Evergreen", "长青"}, {"Golden Gate", "金门"}, {"Skybridge", "天桥"}, {"Mingde", "明德"},
	{"Hengtai", "恒泰"}, {"Xinghe", "星河"}, {"Bamboo", "翠竹"}, {"Crane", "仙鹤"},
	{"Lighthouse", "灯塔"}, {"Meridian", "子午"}, {"Polaris", "北极星"}, {"Sequoia", "巨杉"},
}

// kind is how a product of a type is called: its name's ending and the noun
// its text uses.
type kind struct{ en, zh string }

var kinds = map[catalog.Type][]kind{
	catalog.TypeImage: {
		{"Server", "服务器"}, {"Appliance", "一体机镜像"}, {"Image", "镜像"}, {"Stack", "运行环境"}, {"Edition for ECS", "云服务器版"},
	},
	catalog.TypeSaaS: {
		{"Cloud", "云服务"}, {"Platform", "平台"}, {"Service", "服务"}, {"Suite", "套件"}, {"Online", "在线版"}, {"Console", "管理平台"},
	},
	catalog.TypeLicense: {
		{"Enterprise Edition", "企业版"}, {"Standard Edition", "标准版"}, {"Professional License", "专业版许可"}, {"Perpetual License", "永久授权"}, {"Cluster Edition", "集群版"},
	},
	catalog.TypeService: {
		{"Consulting", "咨询服务"}, {"Implementation", "实施服务"}, {"Training", "培训"}, {"Health Check", "巡检服务"}, {"Setup Service", "部署服务"}, {"Support Plan", "技术支持服务"},
	},
}

// Sentences of descriptions, in each language (the same index is the same
// sentence); %s is a topic. A description takes a few of them, so any one
// sentence (and its everyday words, such as 数据 or 安全) is in a tenth or so
// of the catalogue.
var (
	sentencesEN = []string{
		"Deploy %s in minutes with a hardened, tested configuration.",
		"Built for teams that run %s in production around the clock.",
		"Includes dashboards, alerts and role-based access for %s.",
		"Scales from a single instance to a cluster as your %s needs grow.",
		"Certified for the cloud's regions, with data kept where you choose.",
		"Pay only for what you use, or save with a yearly plan.",
		"Our engineers have delivered %s projects for banks, hospitals and retailers.",
		"Works with PostgreSQL, MySQL, Redis and Kafka out of the box.",
		"Compliant with MLPS 2.0 and ISO 27001 requirements.",
		"Automatic updates and security patches keep %s current.",
		"Migrate existing %s workloads without downtime.",
		"A web console and an open API make %s easy to automate.",
		"Support by phone, email and tickets, in English and Chinese.",
		"High availability across zones, with daily snapshots and point-in-time recovery.",
		"Trusted by more than 3,000 companies for %s.",
		"Single sign-on with LDAP, SAML and OpenID Connect.",
		"Every action is recorded for your auditors.",
		"Runs on x86 and Arm instances alike.",
		"Upgrade from the community edition in one click.",
		"Plans start small and grow with your business.",
		"Set up %s without writing a line of code.",
		"Reports can be exported to Excel and PDF.",
		"Designed with hospitals and clinics in mind.",
		"Retailers use it to handle traffic peaks on shopping festivals.",
		"Manufacturers connect their plants and warehouses with it.",
		"A free trial lets you evaluate %s on your own workload.",
		"Documentation, video tutorials and sample projects are included.",
		"Our partners in Beijing, Shanghai and Shenzhen offer on-site help.",
		"Latency stays under ten milliseconds at a hundred thousand requests per second.",
		"Keep costs predictable with monthly billing and no hidden fees.",
		"Mobile apps for iOS and Android keep you informed on the go.",
		"Templates for common %s scenarios get you started quickly.",
		"Integrates with DingTalk, WeCom and Feishu notifications.",
		"Container images are signed and scanned before release.",
		"Backed by a 99.95% availability commitment.",
		"Licences can be moved between instances at any time.",
		"Our training team certifies your administrators.",
		"Localised for mainland China, Hong Kong and Singapore.",
		"Open standards mean no lock-in: export everything at any time.",
		"Built on open-source components with long-term support.",
	}
	sentencesZH = []string{
		"几分钟即可完成%s部署，配置经过安全加固与测试。",
		"专为在生产环境中全天候运行%s的团队打造。",
		"内置%s仪表盘、告警与基于角色的访问控制。",
		"随着%s需求增长，可从单实例平滑扩展到集群。",
		"已在云上各区域完成认证，数据存放在您选择的区域。",
		"按量付费，或选择包年套餐更加优惠。",
		"我们的工程师已为银行、医院和零售企业交付多个%s项目。",
		"开箱即用，支持PostgreSQL、MySQL、Redis与Kafka。",
		"满足等保2.0与ISO 27001合规要求。",
		"自动更新与安全补丁，让%s始终保持最新。",
		"现有%s业务可零停机迁移。",
		"提供Web控制台与开放API，轻松实现%s自动化运维。",
		"提供中英文电话、邮件与工单技术支持。",
		"跨可用区高可用，每日快照，支持按时间点恢复。",
		"超过三千家企业信赖的%s解决方案。",
		"支持LDAP、SAML与OpenID Connect单点登录。",
		"每一次操作都有记录，方便审计。",
		"同时支持x86与鲲鹏Arm实例。",
		"社区版一键升级为商业版。",
		"套餐从小规模起步，随业务一同成长。",
		"无需编写代码即可配置%s。",
		"报表可导出为Excel与PDF。",
		"专为医院与诊所设计。",
		"零售企业用它从容应对购物节流量高峰。",
		"制造企业用它连接工厂与仓库。",
		"免费试用，在您自己的业务上评估%s。",
		"附带文档、视频教程与示例工程。",
		"北京、上海、深圳的合作伙伴提供上门服务。",
		"十万级每秒请求下延迟仍低于十毫秒。",
		"按月计费，无隐藏费用，成本清晰可控。",
		"iOS与安卓移动应用，随时随地掌握动态。",
		"常见%s场景模板，快速上手。",
		"可接入钉钉、企业微信与飞书通知。",
		"容器镜像发布前均经过签名与扫描。",
		"提供99.95%可用性承诺。",
		"许可证可随时在实例之间迁移。",
		"培训团队为您的管理员提供认证。",
		"面向中国内地、香港与新加坡本地化。",
		"遵循开放标准，不被锁定，随时导出全部内容。",
		"基于长期支持的开源组件构建。",
	}
)

// Adjectives that start summaries.
var (
	qualitiesEN = []string{"Reliable", "Fast", "Secure", "Managed", "Open-source", "Enterprise-grade", "Lightweight", "Intelligent", "Cloud-native", "Affordable"}
	qualitiesZH = []string{"稳定可靠的", "高性能", "安全的", "全托管", "开源", "企业级", "轻量级", "智能", "云原生", "高性价比的"}
)

// OS versions of images.
var osVersions = []struct {
	family catalog.OSFamily
	name   string
	user   string
}{
	{catalog.OSLinux, "Ubuntu 24.04", "ubuntu"},
	{catalog.OSLinux, "Ubuntu 22.04", "ubuntu"},
	{catalog.OSLinux, "Debian 12", "debian"},
	{catalog.OSLinux, "Rocky Linux 9", "rocky"},
	{catalog.OSLinux, "openEuler 24.03", "root"},
	{catalog.OSLinux, "Alibaba Cloud Linux 3", "root"},
	{catalog.OSWindows, "Windows Server 2022", "Administrator"},
	{catalog.OSWindows, "Windows Server 2019", "Administrator"},
}

// Usage units of pay-per-use plans.
var usageUnits = []string{"GB", "API call", "vCPU-hour", "instance-hour", "million requests", "user-month", "TB scanned"}
