package catalog_test

import (
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
)

// regions are the cloud's regions in these tests.
var regions = []string{"cn-north-4", "cn-east-3", "ap-southeast-1"}

// product returns a product of type t that passes Validate.
func product(t catalog.Type) catalog.Product {
	p := catalog.Product{
		ID: "prod-1", SellerOrgID: "org-1", Type: t,
		Name:        catalog.Text{EN: "SecureGate WAF", ZH: "安全网关 WAF"},
		Summary:     catalog.Text{EN: "A web application firewall", ZH: "Web 应用防火墙"},
		Description: catalog.Text{EN: "Blocks attacks on your web applications.", ZH: "拦截针对 Web 应用的攻击。"},
		Category:    "security",
		LogoKey:     "logos/prod-1.png",
		Screenshots: []string{"shots/prod-1-1.png", "shots/prod-1-2.png"},
		DocsURL:     "https://docs.example.com/waf",
		Regions:     []string{"cn-north-4", "cn-east-3"},
		Support:     catalog.Support{Email: "support@example.com", Phone: "+86 10 1234 5678", URL: "https://help.example.com"},
		Plans: []catalog.Plan{
			{Code: "basic", Name: catalog.Text{EN: "Basic", ZH: "基础版"}, Mode: catalog.Monthly, Price: money.New(9900, money.CNY), Active: true},
		},
	}
	switch t {
	case catalog.TypeImage:
		p.Image = &catalog.ImageSpec{
			ImageRef: "img-0a1b2c3d", OSFamily: catalog.OSLinux, OSVersion: "Ubuntu 24.04", Arch: catalog.ArchX86,
			MinVCPU: 2, MinMemoryMiB: 4096, MinDiskGiB: 40, ImageRegions: []string{"cn-east-3", "cn-north-4"}, LoginUser: "root",
		}
		p.Plans[0].TrialDays = 7
	case catalog.TypeSaaS:
		p.SaaS = &catalog.SaaSSpec{Endpoint: "https://app.example.com:8443/hook", DeployRegion: "cn-north-4", FreeTrial: true}
		p.Plans[0].TrialDays = 14
	case catalog.TypeLicense:
		p.License = &catalog.LicenseSpec{
			Category: catalog.LicenseDatabase, GrantUnit: catalog.GrantCores, GrantQuantity: 4,
			DurationMonths: 12, TermsKey: "terms/prod-1.pdf",
		}
		p.Plans[0].Mode = catalog.OneTime
	case catalog.TypeService:
		p.Service = &catalog.ServiceSpec{
			Kind:               catalog.ServiceDataMigration,
			Deliverables:       catalog.Text{EN: "Your database, migrated and verified.", ZH: "完成迁移并校验的数据库。"},
			ExpectedDays:       10,
			NoSoftwareIncluded: true,
		}
		p.Plans[0].Mode = catalog.OneTime
	}
	return p
}

// validationCase is a change to a valid product and the error it must cause
// (none when field is empty).
type validationCase struct {
	name  string
	typ   catalog.Type
	edit  func(p *catalog.Product)
	field string
	msgID string
}

// runValidation applies each case to a valid product of its type and checks
// the first error Validate (or ValidateDraft, for a draft) returns.
func runValidation(t *testing.T, tests []validationCase, draft bool) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := product(tc.typ)
			if tc.edit != nil {
				tc.edit(&p)
			}
			var err error
			if draft {
				err = p.ValidateDraft(regions)
			} else {
				err = p.Validate(regions)
			}
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			e := fault.As(err)
			if e == nil || e.Code != fault.Invalid || e.Field != tc.field || e.MsgID != tc.msgID {
				t.Fatalf("got %#v; want Invalid on %s (%s)", e, tc.field, tc.msgID)
			}
			if e.Message == "" {
				t.Error("no message")
			}
		})
	}
}

func TestValidateCommon(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	img := catalog.TypeImage
	runValidation(t, []validationCase{
		{name: "valid image", typ: catalog.TypeImage},
		{name: "valid saas", typ: catalog.TypeSaaS},
		{name: "valid license", typ: catalog.TypeLicense},
		{name: "valid service", typ: catalog.TypeService},
		{name: "no summary, logo, screenshots, docs, phone or support page", typ: img, edit: func(p *catalog.Product) {
			p.Summary, p.LogoKey, p.Screenshots, p.DocsURL = catalog.Text{}, "", nil, ""
			p.Support.Phone, p.Support.URL = "", ""
		}},
		{"unknown type", img, func(p *catalog.Product) { p.Type = "api" }, "type", "error.type_unknown"},
		{"blank English name", img, func(p *catalog.Product) { p.Name.EN = "  " }, "name.en", "error.name_length"},
		{"Chinese name of 121 characters", img, func(p *catalog.Product) { p.Name.ZH = long(121) }, "name.zh", "error.name_length"},
		{"Chinese name of 120 characters", img, func(p *catalog.Product) { p.Name.ZH = long(120) }, "", ""},
		{"summary of two lines", img, func(p *catalog.Product) { p.Summary.EN = "one\ntwo" }, "summary.en", "error.summary_length"},
		{"summary of 201 characters", img, func(p *catalog.Product) { p.Summary.ZH = long(201) }, "summary.zh", "error.summary_length"},
		{"missing Chinese description", img, func(p *catalog.Product) { p.Description.ZH = "" }, "description.zh", "error.description_length"},
		{"description of 20,001 characters", img, func(p *catalog.Product) { p.Description.EN = long(20_001) }, "description.en", "error.description_length"},
		{"description of 20,000 characters", img, func(p *catalog.Product) { p.Description.EN = long(20_000) }, "", ""},
		{"unknown category", img, func(p *catalog.Product) { p.Category = "games" }, "category", "error.category_unknown"},
		{"no category", img, func(p *catalog.Product) { p.Category = "" }, "category", "error.category_unknown"},
		{"logo key climbing out", img, func(p *catalog.Product) { p.LogoKey = "logos/../../etc/passwd" }, "logo_key", "error.blob_key"},
		{"empty screenshot key", img, func(p *catalog.Product) { p.Screenshots = []string{"a.png", ""} }, "screenshots[1]", "error.blob_key"},
		{"eleven screenshots", img, func(p *catalog.Product) { p.Screenshots = make([]string, 11) }, "screenshots", "error.screenshots_many"},
		{"documentation over http", img, func(p *catalog.Product) { p.DocsURL = "http://docs.example.com" }, "docs_url", "error.url_https"},
		{"no region", img, func(p *catalog.Product) { p.Regions = nil }, "regions", "error.regions_required"},
		{"unknown region", catalog.TypeSaaS, func(p *catalog.Product) { p.Regions = []string{"cn-north-4", "cn-east-3", "mars-1"} }, "regions[2]", "error.region_unknown"},
		{"region twice", catalog.TypeSaaS, func(p *catalog.Product) { p.Regions = []string{"cn-north-4", "cn-north-4"} }, "regions[1]", "error.region_duplicate"},
		{"bad support email", img, func(p *catalog.Product) { p.Support.Email = "help@" }, "support.email", "error.email_invalid"},
		{"no support email", img, func(p *catalog.Product) { p.Support.Email = "" }, "support.email", "error.email_invalid"},
		{"bad support phone", img, func(p *catalog.Product) { p.Support.Phone = "call us" }, "support.phone", "error.phone_invalid"},
		{"support page over http", img, func(p *catalog.Product) { p.Support.URL = "http://help.example.com" }, "support.url", "error.url_https"},
		{"no image details", img, func(p *catalog.Product) { p.Image = nil }, "image", "error.spec_required"},
		{"no service details", catalog.TypeService, func(p *catalog.Product) { p.Service = nil }, "service", "error.spec_required"},
		{"another type's details", img, func(p *catalog.Product) { p.SaaS = product(catalog.TypeSaaS).SaaS }, "saas", "error.spec_mismatch"},
	}, false)
}

func TestValidateImage(t *testing.T) {
	img := catalog.TypeImage
	spec := func(f func(s *catalog.ImageSpec)) func(p *catalog.Product) {
		return func(p *catalog.Product) { f(p.Image) }
	}
	runValidation(t, []validationCase{
		{"missing image in a region", img, spec(func(s *catalog.ImageSpec) { s.ImageRegions = []string{"cn-north-4"} }), "image.image_regions", "error.image_region_missing"},
		{"image in more regions than sold", img, spec(func(s *catalog.ImageSpec) { s.ImageRegions = regions }), "", ""},
		{"image in an unknown region", img, spec(func(s *catalog.ImageSpec) { s.ImageRegions = []string{"cn-north-4", "xx-none-1"} }), "image.image_regions[1]", "error.region_unknown"},
		{"registry reference with a tag", img, spec(func(s *catalog.ImageSpec) { s.ImageRef = "registry.example.com:5000/acme/waf:2.1.0" }), "", ""},
		{"registry reference with a digest", img, spec(func(s *catalog.ImageSpec) {
			s.ImageRef = "registry.example.com/acme/waf@sha256:" + strings.Repeat("ab", 32)
		}), "", ""},
		{"registry reference without a tag", img, spec(func(s *catalog.ImageSpec) { s.ImageRef = "registry.example.com/acme/waf" }), "image.image_ref", "error.image_ref"},
		{"a bare name", img, spec(func(s *catalog.ImageSpec) { s.ImageRef = "ubuntu" }), "image.image_ref", "error.image_ref"},
		{"no image", img, spec(func(s *catalog.ImageSpec) { s.ImageRef = "" }), "image.image_ref", "error.image_ref"},
		{"unknown OS family", img, spec(func(s *catalog.ImageSpec) { s.OSFamily = "bsd" }), "image.os_family", "error.os_family"},
		{"no OS version", img, spec(func(s *catalog.ImageSpec) { s.OSVersion = "" }), "image.os_version", "error.os_version"},
		{"unknown architecture", img, spec(func(s *catalog.ImageSpec) { s.Arch = "sparc" }), "image.arch", "error.arch"},
		{"no vCPU", img, spec(func(s *catalog.ImageSpec) { s.MinVCPU = 0 }), "image.min_vcpu", "error.min_vcpu"},
		{"256 MiB of memory", img, spec(func(s *catalog.ImageSpec) { s.MinMemoryMiB = 256 }), "image.min_memory_mib", "error.min_memory"},
		{"a 2 TiB system disk", img, spec(func(s *catalog.ImageSpec) { s.MinDiskGiB = 2048 }), "image.min_disk_gib", "error.min_disk"},
		{"no login user", img, spec(func(s *catalog.ImageSpec) { s.LoginUser = "" }), "image.login_user", "error.login_user"},
		{"login user with a space", img, spec(func(s *catalog.ImageSpec) { s.LoginUser = "root user" }), "image.login_user", "error.login_user"},
		{"Windows Administrator", img, spec(func(s *catalog.ImageSpec) { s.OSFamily, s.LoginUser = catalog.OSWindows, "Administrator" }), "", ""},
	}, false)

	p := product(img)
	p.Image.ImageRegions = []string{"cn-north-4"}
	if err := p.Validate(regions); err == nil || !strings.Contains(err.Error(), "cn-east-3") {
		t.Errorf("missing image: %v; want the region cn-east-3 named", err)
	}
}

func TestValidateSaaS(t *testing.T) {
	saas := catalog.TypeSaaS
	endpoint := func(url, field, msgID string) validationCase {
		return validationCase{"endpoint " + url, saas, func(p *catalog.Product) { p.SaaS.Endpoint = url }, field, msgID}
	}
	const f = "saas.endpoint"
	runValidation(t, []validationCase{
		endpoint("https://app.example.com:8443/hook", "", ""),
		endpoint("https://APP.Example.com/cloudmart?v=1", "", ""),
		endpoint("https://xn--fiqs8s.example.cn/hook", "", ""),
		endpoint("http://app.example.com/hook", f, "error.endpoint_https"),
		endpoint("ftp://app.example.com/hook", f, "error.endpoint_https"),
		endpoint("app.example.com/hook", f, "error.endpoint_https"),
		endpoint("https:///hook", f, "error.endpoint_https"),
		endpoint("https://app.example.com:99999/hook", f, "error.endpoint_https"),
		endpoint("https://app.example.com/hook#top", f, "error.endpoint_https"),
		endpoint("", f, "error.endpoint_https"),
		endpoint("https://203.0.113.7/hook", f, "error.endpoint_host"),
		endpoint("https://203.0.113.7:8443/hook", f, "error.endpoint_host"),
		endpoint("https://127.1/hook", f, "error.endpoint_host"),
		endpoint("https://[2001:db8::1]/hook", f, "error.endpoint_host"),
		endpoint("https://[::1]:8443/hook", f, "error.endpoint_host"),
		endpoint("https://[fe80::1%25eth0]/hook", f, "error.endpoint_host"),
		endpoint("https://localhost:8443/hook", f, "error.endpoint_host"),
		endpoint("https://LOCALHOST/hook", f, "error.endpoint_host"),
		endpoint("https://shop.localhost/hook", f, "error.endpoint_host"),
		endpoint("https://intranet/hook", f, "error.endpoint_host"),
		endpoint("https://bad_host.example.com/hook", f, "error.endpoint_host"),
		endpoint("https://-app.example.com/hook", f, "error.endpoint_host"),
		endpoint("https://应用.example.cn/hook", f, "error.endpoint_host"),
		endpoint("https://user:secret@app.example.com/hook", f, "error.endpoint_userinfo"),
		endpoint("https://user@app.example.com/hook", f, "error.endpoint_userinfo"),
		{"unknown deploy region", saas, func(p *catalog.Product) { p.SaaS.DeployRegion = "us-east-1" }, "saas.deploy_region", "error.deploy_region"},
		{"no deploy region", saas, func(p *catalog.Product) { p.SaaS.DeployRegion = "" }, "saas.deploy_region", "error.deploy_region"},
		{"free trial without trial days", saas, func(p *catalog.Product) { p.Plans[0].TrialDays = 0 }, "saas.free_trial", "error.free_trial_plan"},
		{"trial days without a free trial", saas, func(p *catalog.Product) { p.SaaS.FreeTrial = false }, "plans[0].trial_days", "error.trial_not_allowed"},
		{"neither", saas, func(p *catalog.Product) { p.SaaS.FreeTrial, p.Plans[0].TrialDays = false, 0 }, "", ""},
	}, false)
}

func TestValidateLicense(t *testing.T) {
	lic := catalog.TypeLicense
	spec := func(f func(s *catalog.LicenseSpec)) func(p *catalog.Product) {
		return func(p *catalog.Product) { f(p.License) }
	}
	runValidation(t, []validationCase{
		{"a licence without terms", lic, spec(func(s *catalog.LicenseSpec) { s.TermsKey = "" }), "license.terms", "error.license_terms"},
		{"terms published online", lic, spec(func(s *catalog.LicenseSpec) { s.TermsKey, s.TermsURL = "", "https://example.com/eula" }), "", ""},
		{"terms over http", lic, spec(func(s *catalog.LicenseSpec) { s.TermsURL = "http://example.com/eula" }), "license.terms_url", "error.url_https"},
		{"perpetual", lic, spec(func(s *catalog.LicenseSpec) {
			if s.DurationMonths = 0; !s.Perpetual() {
				t.Error("0 months is not perpetual")
			}
		}), "", ""},
		{"121 months", lic, spec(func(s *catalog.LicenseSpec) { s.DurationMonths = 121 }), "license.duration_months", "error.duration_months"},
		{"negative months", lic, spec(func(s *catalog.LicenseSpec) { s.DurationMonths = -1 }), "license.duration_months", "error.duration_months"},
		{"unknown software category", lic, spec(func(s *catalog.LicenseSpec) { s.Category = "game" }), "license.category", "error.license_category"},
		{"unknown grant unit", lic, spec(func(s *catalog.LicenseSpec) { s.GrantUnit = "users" }), "license.grant_unit", "error.grant_unit"},
		{"grants nothing", lic, spec(func(s *catalog.LicenseSpec) { s.GrantQuantity = 0 }), "license.grant_quantity", "error.grant_quantity"},
		{"pay-per-use plan", lic, func(p *catalog.Product) { p.Plans[0] = meteredPlan() }, "plans[0].mode", "error.billing_mode"},
		{"trial days on a licence", lic, func(p *catalog.Product) { p.Plans[0].Mode, p.Plans[0].TrialDays = catalog.Monthly, 30 }, "plans[0].trial_days", "error.trial_not_allowed"},
		{"yearly plan", lic, func(p *catalog.Product) { p.Plans[0].Mode = catalog.Yearly }, "", ""},
	}, false)
}

func TestValidateService(t *testing.T) {
	svc := catalog.TypeService
	spec := func(f func(s *catalog.ServiceSpec)) func(p *catalog.Product) {
		return func(p *catalog.Product) { f(p.Service) }
	}
	runValidation(t, []validationCase{
		{"a service that claims to include software", svc, spec(func(s *catalog.ServiceSpec) { s.NoSoftwareIncluded = false }), "service.no_software_included", "error.no_software"},
		{"unknown kind", svc, spec(func(s *catalog.ServiceSpec) { s.Kind = "hosting" }), "service.kind", "error.service_kind"},
		{"no Chinese deliverables", svc, spec(func(s *catalog.ServiceSpec) { s.Deliverables.ZH = "" }), "service.deliverables.zh", "error.deliverables_length"},
		{"no expected duration", svc, spec(func(s *catalog.ServiceSpec) { s.ExpectedDays = 0 }), "service.expected_days", "error.expected_days"},
		{"366 days", svc, spec(func(s *catalog.ServiceSpec) { s.ExpectedDays = 366 }), "service.expected_days", "error.expected_days"},
		{"365 days", svc, spec(func(s *catalog.ServiceSpec) { s.ExpectedDays = 365 }), "", ""},
		{"pay-per-use plan", svc, func(p *catalog.Product) { p.Plans[0] = meteredPlan() }, "plans[0].mode", "error.billing_mode"},
		{"trial days on a service", svc, func(p *catalog.Product) { p.Plans[0].Mode, p.Plans[0].TrialDays = catalog.Monthly, 7 }, "plans[0].trial_days", "error.trial_not_allowed"},
	}, false)
}

// A draft may leave anything out, but what it gives must be well formed.
func TestValidateDraft(t *testing.T) {
	bare := func(typ catalog.Type) func(p *catalog.Product) {
		return func(p *catalog.Product) { *p = catalog.Product{Type: typ} }
	}
	runValidation(t, []validationCase{
		{"only a type: image", catalog.TypeImage, bare(catalog.TypeImage), "", ""},
		{"only a type: service", catalog.TypeService, bare(catalog.TypeService), "", ""},
		{"no type", catalog.TypeImage, bare(""), "type", "error.type_unknown"},
		{"name too long", catalog.TypeImage, func(p *catalog.Product) { p.Name.EN = strings.Repeat("x", 121) }, "name.en", "error.name_length"},
		{"no Chinese description yet", catalog.TypeImage, func(p *catalog.Product) { p.Description.ZH = "" }, "", ""},
		{"unknown region", catalog.TypeImage, func(p *catalog.Product) { p.Regions = []string{"mars-1"} }, "regions[0]", "error.region_unknown"},
		{"a region without the image yet", catalog.TypeImage, func(p *catalog.Product) { p.Image.ImageRegions = nil }, "", ""},
		{"an http endpoint", catalog.TypeSaaS, func(p *catalog.Product) { p.SaaS.Endpoint = "http://app.example.com" }, "saas.endpoint", "error.endpoint_https"},
		{"a licence without terms yet", catalog.TypeLicense, func(p *catalog.Product) { p.License.TermsKey = "" }, "", ""},
		{"software not yet disclaimed", catalog.TypeService, func(p *catalog.Product) { p.Service.NoSoftwareIncluded = false }, "", ""},
		{"another type's details", catalog.TypeService, func(p *catalog.Product) { p.License = &catalog.LicenseSpec{} }, "license", "error.spec_mismatch"},
		{"a plan without a price yet", catalog.TypeImage, func(p *catalog.Product) { p.Plans[0].Price = money.Amount{} }, "", ""},
		{"a plan priced zero", catalog.TypeImage, func(p *catalog.Product) { p.Plans[0].Price = money.New(0, money.CNY) }, "", ""},
		{"a negative price", catalog.TypeImage, func(p *catalog.Product) { p.Plans[0].Price = money.New(-1, money.CNY) }, "plans[0].price", "error.price_positive"},
		{"a one-time image plan", catalog.TypeImage, func(p *catalog.Product) { p.Plans[0].Mode = catalog.OneTime }, "plans[0].mode", "error.billing_mode"},
		{"no active plan yet", catalog.TypeImage, func(p *catalog.Product) { p.Plans[0].Active = false }, "", ""},
	}, true)
}

func TestCategories(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range catalog.Categories {
		if seen[c.Slug] || c.Slug == "" || c.Name.EN == "" || c.Name.ZH == "" {
			t.Errorf("category %+v: duplicate or incomplete", c)
		}
		seen[c.Slug] = true
	}
	if c, ok := catalog.CategoryBySlug("devops"); !ok || c.Name.ZH != "开发与运维" {
		t.Errorf("CategoryBySlug(devops) = %+v, %v", c, ok)
	}
	if _, ok := catalog.CategoryBySlug("games"); ok {
		t.Error("CategoryBySlug(games) found a category")
	}
}

func TestTypes(t *testing.T) {
	for _, typ := range catalog.Types {
		if !typ.Valid() || typ.Name().EN == "" || typ.Name().ZH == "" {
			t.Errorf("type %q: invalid or unnamed", typ)
		}
		// Only a seller that offered a type may list it.
		if !typ.Offering().Valid() {
			t.Errorf("type %q is no seller offering", typ)
		}
	}
	if catalog.TypeService.Offering() != seller.OfferingProfessionalService {
		t.Error("professional service offering")
	}
	if catalog.Type("api").Valid() {
		t.Error("api is not a product type")
	}
}
