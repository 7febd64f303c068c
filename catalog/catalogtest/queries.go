package catalogtest

import (
	"math/rand/v2"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
)

// Search is one search a buyer makes on the storefront, in the terms of the
// public search API (GET /api/v1/products) and of store.Query alike.
type Search struct {
	Kind     string // which of the mix's shapes: SearchKinds
	Text     string
	Type     catalog.Type
	Category string
	Region   string
	Billing  catalog.BillingMode
	Currency money.Currency // of the price range; "" when none
	MinPrice int64          // minor units; 0: no bound
	MaxPrice int64          // minor units; 0: no bound
	Sort     string         // relevance, newest, price_asc or price_desc
}

// The shapes of the typical searches, each with two filters.
const (
	KindChineseAndType   = "zh+type"          // 数据库, SaaS only
	KindEnglishAndRegion = "en+region"        // backup, sold in Shanghai
	KindCategoryBilling  = "category+billing" // Security, pay-per-use
	KindWordAndPrice     = "word+price"       // 监控 or monitoring, ¥100–¥1,000
)

// SearchKinds lists the shapes, in the order of the mix.
var SearchKinds = []string{KindChineseAndType, KindEnglishAndRegion, KindCategoryBilling, KindWordAndPrice}

// Words buyers type: Chinese ones as they are written (most two characters),
// English ones lower-case. All occur in generated catalogues, some often (数据,
// 安全), some rarely (大模型, 堡垒机).
var (
	WordsZH = []string{"数据", "数据库", "安全", "备份", "日志", "监控", "迁移", "容器", "网关", "存储", "防火墙", "中间件",
		"操作系统", "分析", "培训", "缓存", "加密", "审计", "告警", "物流", "医疗", "支付", "识别", "大模型", "堡垒机", "知识库"}
	WordsEN = []string{"database", "backup", "security", "firewall", "monitoring", "gateway", "storage", "container",
		"kubernetes", "migration", "analytics", "cache", "encryption", "linux", "redis", "postgresql", "training",
		"consulting", "platform", "enterprise", "log", "scanning", "recognition", "crm", "payment", "cloud"}
)

// priceRanges are the ranges buyers filter by, in CNY minor units (USD ones
// are a seventh).
var priceRanges = [][2]int64{{0, 10000}, {10000, 100000}, {100000, 1000000}, {50000, 0}, {0, 500000}}

// Searches returns n typical searches, the shapes in turn, deterministic for
// the seed; regions are the codes to filter by, the first ones more often.
func Searches(seed uint64, n int, regions []string) []Search {
	rng := rand.New(rand.NewPCG(seed, 0x5ea4c4))
	out := make([]Search, 0, n)
	for i := range n {
		s := Search{Kind: SearchKinds[i%len(SearchKinds)]}
		switch s.Kind {
		case KindChineseAndType:
			s.Text = WordsZH[rng.IntN(len(WordsZH))]
			s.Type = catalog.Types[rng.IntN(len(catalog.Types))]
			s.Sort = pick(rng, "relevance", "relevance", "newest")
		case KindEnglishAndRegion:
			s.Text = WordsEN[rng.IntN(len(WordsEN))]
			s.Region = regions[skewed(rng, len(regions))]
			s.Sort = pick(rng, "newest", "relevance")
		case KindCategoryBilling:
			s.Category = catalog.Categories[rng.IntN(len(catalog.Categories))].Slug
			s.Billing = catalog.BillingModes[rng.IntN(len(catalog.BillingModes))]
			s.Sort = pick(rng, "price_asc", "price_desc", "newest")
		case KindWordAndPrice:
			if rng.IntN(2) == 0 {
				s.Text = WordsZH[rng.IntN(len(WordsZH))]
			} else {
				s.Text = WordsEN[rng.IntN(len(WordsEN))]
			}
			r := priceRanges[rng.IntN(len(priceRanges))]
			s.Currency, s.MinPrice, s.MaxPrice = money.CNY, r[0], r[1]
			if rng.IntN(100) < 20 {
				s.Currency, s.MinPrice, s.MaxPrice = money.USD, r[0]/7, r[1]/7
			}
			s.Sort = pick(rng, "price_asc", "relevance", "price_desc")
		}
		out = append(out, s)
	}
	return out
}

func pick(rng *rand.Rand, options ...string) string { return options[rng.IntN(len(options))] }
