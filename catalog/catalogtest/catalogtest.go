// Package catalogtest makes catalogues for benchmarks and tests: products of
// the four types with names, summaries and descriptions in English and Chinese
// drawn from a vocabulary of real marketplace subjects (数据库, 备份, 防火墙 …),
// brand-like prefixes, categories from catalog.Categories, 1–3 plans in CNY
// and USD of the billing modes the type allows, spread over a few seller
// organisations. Every product passes catalog.Product.Validate.
//
// A catalogue is a pure function of its Config: product i is the same for a
// seed whatever else is generated, so a catalogue can be grown where it stopped.
package catalogtest

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
)

// Config describes a catalogue.
type Config struct {
	Seed    uint64
	Regions []string // the codes of the cloud's regions products are sold in (required)
	Sellers int      // seller organisations; DefaultSellers when 0
}

// DefaultSellers is how many seller organisations a catalogue has unless told.
const DefaultSellers = 24

// Start is when product 0 of every catalogue was published. A catalogue grows
// as a marketplace does: product i went on sale after product i-1, some time
// in the PublishInterval that follows it, so loading products in order is
// loading them as they were published.
var Start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// PublishInterval is the time between products' publications.
const PublishInterval = 5 * time.Minute

// publishedAt returns when product i was published: in its interval, at an
// offset drawn from the product's own random source.
func publishedAt(i int, rng *rand.Rand) time.Time {
	return Start.Add(time.Duration(i)*PublishInterval + time.Duration(rng.Int64N(int64(PublishInterval)))).Truncate(time.Microsecond)
}

// Seller is a seller organisation of the catalogue, with the product types it
// declared and the regions it serves.
type Seller struct {
	OrgID     string
	Name      string // "Bluepeak Security 蓝峰安全"
	Offerings []catalog.Type
	Regions   []string
	brand     brand
}

// Listed is a product and when it was published.
type Listed struct {
	Product     catalog.Product
	PublishedAt time.Time
}

// Generator makes the products of one catalogue.
type Generator struct {
	cfg     Config
	sellers []Seller
	byType  map[catalog.Type][]int // indexes of the sellers offering each type
}

// New returns the generator of the catalogue described by cfg.
func New(cfg Config) *Generator {
	if len(cfg.Regions) == 0 {
		panic("catalogtest: Config.Regions is empty")
	}
	if cfg.Sellers <= 0 {
		cfg.Sellers = DefaultSellers
	}
	g := &Generator{cfg: cfg, byType: map[catalog.Type][]int{}}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5e11e75))
	lines := []struct{ en, zh string }{
		{"Data", "数据"}, {"Security", "安全"}, {"Software", "软件"}, {"Cloud", "云"}, {"Technology", "科技"},
		{"Consulting", "咨询"}, {"Systems", "系统"}, {"Networks", "网络"}, {"Labs", "实验室"}, {"Digital", "数字"},
	}
	perm := rng.Perm(len(brands))
	for k := range cfg.Sellers {
		b := brands[perm[k%len(brands)]]
		line := lines[rng.IntN(len(lines))]
		s := Seller{
			OrgID: "org_" + newULID(rng, Start.AddDate(-2, 0, k)),
			Name:  fmt.Sprintf("%s %s %s%s", b.en, line.en, b.zh, line.zh),
			brand: b,
		}
		if k >= len(brands) {
			s.Name = fmt.Sprintf("%s %s %d %s%s%d", b.en, line.en, k/len(brands)+1, b.zh, line.zh, k/len(brands)+1)
		}
		// Every type has sellers: seller k offers type k mod 4, and each other
		// type with some chance.
		for j, t := range catalog.Types {
			if j == k%len(catalog.Types) || rng.IntN(100) < 30 {
				s.Offerings = append(s.Offerings, t)
			}
		}
		// The first regions are the busiest: every seller serves the first.
		s.Regions = []string{cfg.Regions[0]}
		for _, r := range cfg.Regions[1:] {
			if rng.IntN(100) < 55 {
				s.Regions = append(s.Regions, r)
			}
		}
		g.sellers = append(g.sellers, s)
		for _, t := range s.Offerings {
			g.byType[t] = append(g.byType[t], k)
		}
	}
	return g
}

// Sellers returns the catalogue's seller organisations.
func (g *Generator) Sellers() []Seller { return slices.Clone(g.sellers) }

// Products returns products from (inclusive) to to (exclusive).
func (g *Generator) Products(from, to int) []Listed {
	out := make([]Listed, 0, max(0, to-from))
	for i := from; i < to; i++ {
		p, at := g.Product(i)
		out = append(out, Listed{Product: p, PublishedAt: at})
	}
	return out
}

// typeWeights is the share of each type in a catalogue, in percent.
var typeWeights = []struct {
	t catalog.Type
	w int
}{{catalog.TypeSaaS, 40}, {catalog.TypeImage, 25}, {catalog.TypeLicense, 20}, {catalog.TypeService, 15}}

// Product returns product i of the catalogue and when it was published.
func (g *Generator) Product(i int) (catalog.Product, time.Time) {
	rng := rand.New(rand.NewPCG(g.cfg.Seed, uint64(i)))
	typ := pickType(rng)
	s := g.sellers[g.byType[typ][rng.IntN(len(g.byType[typ]))]]
	published := publishedAt(i, rng)

	t1 := topics[skewed(rng, len(topics))]
	t2 := t1
	if rng.IntN(100) < 35 {
		t2 = topics[rng.IntN(len(topics))]
	}
	b := s.brand
	if rng.IntN(100) < 25 { // a product line with its own name
		b = brands[rng.IntN(len(brands))]
	}
	k := kinds[typ][rng.IntN(len(kinds[typ]))]

	p := catalog.Product{
		ID:          "prd_" + newULID(rng, published.Add(-time.Duration(rng.IntN(30*24))*time.Hour)),
		SellerOrgID: s.OrgID,
		Type:        typ,
		Category:    t1.category,
	}
	nameEN, nameZH := title(t1.en), t1.zh
	if t2 != t1 {
		nameEN += " & " + title(t2.en)
		nameZH += t2.zh
	}
	p.Name = catalog.Text{
		EN: fmt.Sprintf("%s %s %s", b.en, nameEN, k.en),
		ZH: b.zh + nameZH + k.zh,
	}
	if rng.IntN(100) < 30 {
		v := fmt.Sprintf(" %d.%d", 1+rng.IntN(9), rng.IntN(10))
		p.Name.EN += v
		p.Name.ZH += v
	}
	q := rng.IntN(len(qualitiesEN))
	a := rng.IntN(len(audiences))
	p.Summary = catalog.Text{
		EN: fmt.Sprintf("%s %s %s for %s", qualitiesEN[q], t1.en, strings.ToLower(k.en[:1])+k.en[1:], audiences[a].en),
		ZH: fmt.Sprintf("面向%s的%s%s%s", audiences[a].zh, qualitiesZH[q], t1.zh, k.zh),
	}
	p.Description = describe(rng, t1, t2, p.Name)
	if rng.IntN(100) < 8 { // shelved elsewhere than its subject suggests
		p.Category = catalog.Categories[rng.IntN(len(catalog.Categories))].Slug
	}
	p.Regions = pickRegions(rng, g.cfg.Regions, s.Regions)
	slug := strings.ToLower(strings.ReplaceAll(b.en, " ", ""))
	p.Support = catalog.Support{
		Email: "support@" + slug + ".example.com",
		Phone: fmt.Sprintf("+86 400 %03d %04d", rng.IntN(1000), rng.IntN(10000)),
		URL:   "https://help." + slug + ".example.com",
	}
	p.DocsURL = fmt.Sprintf("https://docs.%s.example.com/products/%d", slug, i)

	switch typ {
	case catalog.TypeImage:
		os := osVersions[rng.IntN(len(osVersions))]
		arch := catalog.ArchX86
		if os.family == catalog.OSLinux && rng.IntN(100) < 20 {
			arch = catalog.ArchARM64
		}
		p.Image = &catalog.ImageSpec{
			ImageRef:     fmt.Sprintf("img-%016x", rng.Uint64()),
			OSFamily:     os.family,
			OSVersion:    os.name,
			Arch:         arch,
			MinVCPU:      []int{1, 2, 2, 4, 4, 8, 16}[rng.IntN(7)],
			MinMemoryMiB: []int{1024, 2048, 4096, 4096, 8192, 16384, 32768}[rng.IntN(7)],
			MinDiskGiB:   []int{20, 40, 40, 50, 100, 200}[rng.IntN(6)],
			ImageRegions: slices.Clone(p.Regions),
			LoginUser:    os.user,
		}
	case catalog.TypeSaaS:
		p.SaaS = &catalog.SaaSSpec{
			Endpoint:     fmt.Sprintf("https://%s-%d.saas.example.com/cloudmart", slug, i),
			DeployRegion: p.Regions[0],
			FreeTrial:    rng.IntN(100) < 40,
		}
	case catalog.TypeLicense:
		unit, qty := catalog.GrantSeats, []int{1, 5, 10, 25, 50, 100, 500}[rng.IntN(7)]
		if rng.IntN(100) < 35 {
			unit, qty = catalog.GrantCores, []int{2, 4, 8, 16, 32, 64}[rng.IntN(6)]
		}
		p.License = &catalog.LicenseSpec{
			Category:       t1.license,
			GrantUnit:      unit,
			GrantQuantity:  qty,
			DurationMonths: []int{0, 0, 12, 12, 12, 24, 36}[rng.IntN(7)],
			TermsURL:       "https://" + slug + ".example.com/legal/eula",
		}
	case catalog.TypeService:
		p.Service = &catalog.ServiceSpec{
			Kind:               serviceKind(k, t1),
			Deliverables:       deliverables(rng, t1),
			ExpectedDays:       []int{1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90}[rng.IntN(11)],
			NoSoftwareIncluded: true,
		}
		if p.Service.Kind == catalog.ServiceTraining && rng.IntN(2) == 0 {
			p.Category = "training"
		}
		if p.Service.Kind == catalog.ServiceDataMigration && rng.IntN(2) == 0 {
			p.Category = "migration"
		}
	}
	p.Plans = plans(rng, p)
	return p, published
}

func pickType(rng *rand.Rand) catalog.Type {
	n := rng.IntN(100)
	for _, tw := range typeWeights {
		if n < tw.w {
			return tw.t
		}
		n -= tw.w
	}
	return catalog.TypeSaaS
}

// skewed picks an index below n, the first ones more often: some subjects
// (databases, security) are far more common than others on a marketplace.
func skewed(rng *rand.Rand, n int) int {
	return min(n-1, int(float64(n)*math.Pow(rng.Float64(), 1.4)))
}

// pickRegions returns 1 to all of the seller's regions, in the order of all.
func pickRegions(rng *rand.Rand, all, served []string) []string {
	var out []string
	for _, r := range all {
		if slices.Contains(served, r) && (len(out) == 0 || rng.IntN(100) < 50) {
			out = append(out, r)
		}
	}
	return out
}

var audiences = []struct{ en, zh string }{
	{"small businesses", "中小企业"}, {"banks and insurers", "金融机构"}, {"hospitals", "医疗机构"},
	{"online retailers", "电商企业"}, {"government agencies", "政企客户"}, {"universities", "高校"},
	{"manufacturers", "制造企业"}, {"game studios", "游戏公司"}, {"developers", "开发者"}, {"large enterprises", "大型企业"},
}

// describe writes a description in both languages: a few sentences about the
// product's subjects, its name first.
func describe(rng *rand.Rand, t1, t2 topic, name catalog.Text) catalog.Text {
	var en, zh strings.Builder
	en.WriteString(name.EN + ". ")
	zh.WriteString(name.ZH + "。")
	n := 3 + rng.IntN(4)
	for j, k := range rng.Perm(len(sentencesEN))[:n] {
		t := t1
		if j%2 == 1 {
			t = t2
		}
		en.WriteString(fill(sentencesEN[k], t.en) + " ")
		zh.WriteString(fill(sentencesZH[k], t.zh))
	}
	return catalog.Text{EN: strings.TrimSpace(en.String()), ZH: zh.String()}
}

func fill(sentence, word string) string {
	if strings.Contains(sentence, "%s") {
		return fmt.Sprintf(sentence, word)
	}
	return sentence
}

func serviceKind(k kind, t topic) catalog.ServiceKind {
	if t.category == "migration" {
		return catalog.ServiceDataMigration
	}
	switch k.en {
	case "Training":
		return catalog.ServiceTraining
	case "Implementation":
		return catalog.ServiceInstallation
	case "Health Check", "Support Plan":
		return catalog.ServiceTroubleshooting
	case "Setup Service":
		return catalog.ServiceEnvironmentSetup
	}
	return catalog.ServiceConsulting
}

func deliverables(rng *rand.Rand, t topic) catalog.Text {
	d := []catalog.Text{
		{EN: "An assessment report and a plan for your " + t.en + ".", ZH: t.zh + "评估报告与实施方案。"},
		{EN: "A working " + t.en + " environment, handed over with its runbook.", ZH: "可运行的" + t.zh + "环境及运维手册。"},
		{EN: "Two days of hands-on " + t.en + " training with course material.", ZH: "为期两天的" + t.zh + "实操培训及课程资料。"},
		{EN: "A root-cause report and the fixes applied.", ZH: "故障根因分析报告及修复记录。"},
	}
	return d[rng.IntN(len(d))]
}

// plans returns 1 to 3 active plans of modes the product's type allows, in CNY,
// USD or both, at prices that depend on the product's price level.
func plans(rng *rand.Rand, p catalog.Product) []catalog.Plan {
	modes := catalog.AllowedModes(p.Type)
	rng.Shuffle(len(modes), func(a, b int) { modes[a], modes[b] = modes[b], modes[a] })
	n := []int{1, 1, 1, 2, 2, 2, 2, 3, 3, 3}[rng.IntN(10)]
	var currencies []money.Currency
	switch c := rng.IntN(100); {
	case c < 65:
		currencies = []money.Currency{money.CNY}
	case c < 80:
		currencies = []money.Currency{money.USD}
	default:
		currencies = []money.Currency{money.CNY, money.USD}
	}
	// The product's price level: a monthly price between ¥29 and ¥20,000,
	// log-uniform, ending in 9.
	monthly := charm(int64(math.Exp(math.Log(29)+rng.Float64()*(math.Log(20000)-math.Log(29))) * 100))
	if p.Type == catalog.TypeService {
		monthly *= 10
	}
	edition := []catalog.Text{{EN: "Standard", ZH: "标准版"}, {EN: "Professional", ZH: "专业版"}, {EN: "Basic", ZH: "基础版"}, {EN: "Enterprise", ZH: "企业版"}}[rng.IntN(4)]
	trials := p.TrialsAllowed()
	var out []catalog.Plan
	for _, m := range modes {
		for _, c := range currencies {
			if len(out) == n {
				break
			}
			pl := catalog.Plan{
				ID:     "pln_" + newULID(rng, Start),
				Code:   strings.ToLower(edition.EN) + "-" + strings.ReplaceAll(string(m), "_", "-") + "-" + strings.ToLower(string(c)),
				Name:   catalog.Text{EN: edition.EN + " " + m.Name().EN, ZH: edition.ZH + m.Name().ZH},
				Mode:   m,
				Active: true,
			}
			price := monthly
			switch m {
			case catalog.Yearly:
				price = charm(monthly * 10)
			case catalog.OneTime:
				price = charm(monthly * int64(8+rng.IntN(13)))
			}
			if c == money.USD {
				price = max(99, (price/700)*100+99)
			}
			if m == catalog.PayPerUse {
				unit := max(1, price/int64(2000+rng.IntN(20000)))
				pl.Usage = &catalog.UsagePrice{Unit: usageUnits[rng.IntN(len(usageUnits))]}
				if rng.IntN(100) < 40 {
					pl.Usage.Tiers = []catalog.Tier{
						{UpTo: int64(100 * (1 + rng.IntN(100))), UnitPrice: money.New(unit, c)},
						{UnitPrice: money.New(max(1, unit*8/10), c)},
					}
				} else {
					pl.Usage.Tiers = []catalog.Tier{{UnitPrice: money.New(unit, c)}}
				}
			} else {
				pl.Price = money.New(price, c)
			}
			if trials && m != catalog.OneTime && rng.IntN(100) < 40 {
				pl.TrialDays = []int{7, 14, 30}[rng.IntN(3)]
			}
			out = append(out, pl)
		}
	}
	if p.SaaS != nil && p.SaaS.FreeTrial && !slices.ContainsFunc(out, func(pl catalog.Plan) bool { return pl.TrialDays > 0 }) {
		for j := range out {
			if out[j].Mode != catalog.OneTime {
				out[j].TrialDays = 14
				break
			}
		}
		if !slices.ContainsFunc(out, func(pl catalog.Plan) bool { return pl.TrialDays > 0 }) {
			p.SaaS.FreeTrial = false // only one-time plans: no trial to offer
		}
	}
	return out
}

// charm makes a price in minor units end in 9 (¥1,999.00, ¥299.00).
func charm(minor int64) int64 {
	yuan := minor / 100
	switch {
	case yuan < 10:
		return max(100, minor/100*100) - 1
	case yuan < 1000:
		return (yuan/10*10 + 9) * 100
	default:
		return (yuan/100*100 + 99) * 100
	}
}

// title capitalises each word of an English subject ("log analytics": "Log
// Analytics"), leaving acronyms and product names as they are.
func title(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if w != "and" && w[0] >= 'a' && w[0] <= 'z' {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// newULID returns a ULID at time t with entropy from rng, so ids are the same
// for a seed.
func newULID(rng *rand.Rand, t time.Time) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rng.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rng.Uint64())
	var id ulid.ULID
	if err := id.SetTime(ulid.Timestamp(t)); err != nil {
		panic(err)
	}
	if err := id.SetEntropy(b[:10]); err != nil {
		panic(err)
	}
	return id.String()
}
