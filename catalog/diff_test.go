package catalog_test

import (
	"slices"
	"testing"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
)

func TestDiff(t *testing.T) {
	published := product(catalog.TypeImage)
	published.Plans = append(published.Plans, meteredPlan())

	if got := catalog.Diff(published, product(catalog.TypeImage)); len(got) != 1 || got[0].Field != "plans[metered]" {
		t.Errorf("plan removed: %+v", got)
	}

	pending := product(catalog.TypeImage)
	pending.Plans = append(pending.Plans, meteredPlan())
	if got := catalog.Diff(published, pending); len(got) != 0 {
		t.Errorf("no change: %+v", got)
	}

	pending.Name.ZH = "安全网关 WAF 企业版"
	pending.Regions = append(pending.Regions, "ap-southeast-1")
	pending.Image.ImageRegions = append(pending.Image.ImageRegions, "ap-southeast-1")
	pending.Plans[0].Price = cny(109_00)
	pending.Plans[1].Usage.Tiers[1].UnitPrice = cny(45)
	pending.Plans = append(pending.Plans, catalog.Plan{
		Code: "pro", Name: catalog.Text{EN: "Pro", ZH: "专业版"}, Mode: catalog.Yearly,
		Price: money.New(999_00, money.USD), TrialDays: 30, Active: true,
	})
	want := []catalog.Change{
		{Field: "name.zh", Before: "安全网关 WAF", After: "安全网关 WAF 企业版"},
		{Field: "regions", Before: "cn-north-4, cn-east-3", After: "cn-north-4, cn-east-3, ap-southeast-1"},
		{Field: "image.image_regions", Before: "cn-east-3, cn-north-4", After: "cn-east-3, cn-north-4, ap-southeast-1"},
		{Field: "plans[basic].price", Before: "CNY 99.00", After: "CNY 109.00"},
		{Field: "plans[metered].usage",
			Before: "per GB: 0–100 at CNY 0.00; 100–1000 at CNY 0.50; 1000+ at CNY 0.30",
			After:  "per GB: 0–100 at CNY 0.00; 100–1000 at CNY 0.45; 1000+ at CNY 0.30"},
		{Field: "plans[pro]", After: "Pro / 专业版, yearly, USD 999.00, 30 trial days, active"},
	}
	if got := catalog.Diff(published, pending); !slices.Equal(got, want) {
		t.Errorf("Diff:\n got %+v\nwant %+v", got, want)
	}
}

// Each type's details are compared field by field.
func TestDiffDetails(t *testing.T) {
	tests := []struct {
		typ  catalog.Type
		edit func(p *catalog.Product)
		want catalog.Change
	}{
		{catalog.TypeImage, func(p *catalog.Product) { p.Image.MinMemoryMiB = 8192 }, catalog.Change{Field: "image.min_memory_mib", Before: "4096", After: "8192"}},
		{catalog.TypeSaaS, func(p *catalog.Product) { p.SaaS.Endpoint = "https://api.example.com/hook" },
			catalog.Change{Field: "saas.endpoint", Before: "https://app.example.com:8443/hook", After: "https://api.example.com/hook"}},
		{catalog.TypeLicense, func(p *catalog.Product) { p.License.DurationMonths = 0 }, catalog.Change{Field: "license.duration_months", Before: "12", After: "0"}},
		{catalog.TypeService, func(p *catalog.Product) { p.Service.Deliverables.ZH = "迁移报告" },
			catalog.Change{Field: "service.deliverables.zh", Before: "完成迁移并校验的数据库。", After: "迁移报告"}},
	}
	for _, tc := range tests {
		pending := product(tc.typ)
		tc.edit(&pending)
		if got := catalog.Diff(product(tc.typ), pending); !slices.Equal(got, []catalog.Change{tc.want}) {
			t.Errorf("%s: %+v; want %+v", tc.typ, got, tc.want)
		}
	}
}
