package api

import (
	"fmt"

	"github.com/cloudmart/cloudmart/catalog"
)

// The JSON names of a product's content are the field paths of the catalogue's
// validation errors ("plans[1].mode", "saas.endpoint", "image.image_regions"),
// so error.field always points at the JSON field to fix.

// Text is what a listing says in each language. A draft may leave either
// empty; review needs both.
type Text struct {
	EN string `json:"en" required:"false" maxLength:"20000" example:"Lakeside Cloud Backup"`
	ZH string `json:"zh" required:"false" maxLength:"20000" example:"湖畔云备份"`
}

func textOf(t catalog.Text) Text  { return Text{EN: t.EN, ZH: t.ZH} }
func (t Text) text() catalog.Text { return catalog.Text{EN: t.EN, ZH: t.ZH} }

// ProductContent is a product as its seller writes it: the fields every type
// has, the details of its type (exactly one of image, saas, license, service)
// and its plans. A draft may leave anything out; what is given must be well
// formed. Everything a buyer would need must be there to submit it for review.
type ProductContent struct {
	Type        string          `json:"type,omitempty" enum:"image,saas,license,professional_service" doc:"Required to create a product; a product keeps its type (ignored on change)"`
	Name        Text            `json:"name" required:"false" doc:"1 to 120 characters in each language"`
	Summary     Text            `json:"summary" required:"false" doc:"One line of at most 200 characters in each language, for cards and search results"`
	Description Text            `json:"description" required:"false" doc:"1 to 20,000 characters in each language"`
	Category    string          `json:"category" required:"false" maxLength:"64" doc:"A slug of GET /api/v1/categories" example:"storage"`
	LogoKey     string          `json:"logo_key" required:"false" maxLength:"200" doc:"The key of the uploaded logo"`
	Screenshots []string        `json:"screenshots" required:"false" maxItems:"10" doc:"Keys of uploaded screenshots"`
	DocsURL     string          `json:"docs_url" required:"false" maxLength:"2048" doc:"An https:// address" example:"https://docs.lakeside.example/backup"`
	Regions     []string        `json:"regions" required:"false" maxItems:"100" doc:"Codes of the regions where the product can be bought (GET /api/v1/regions)" example:"[\"cn-north-4\"]"`
	Support     Support         `json:"support" required:"false"`
	RefundDays  *int            `json:"refund_days,omitempty" minimum:"0" maximum:"30" doc:"The refund policy: days after payment in which a purchase not yet used is refunded in full; 5 when left out (docs/buying.md)"`
	Image       *ImageDetails   `json:"image,omitempty" doc:"For type image only"`
	SaaS        *SaaSDetails    `json:"saas,omitempty" doc:"For type saas only"`
	License     *LicenseDetails `json:"license,omitempty" doc:"For type license only"`
	Service     *ServiceDetails `json:"service,omitempty" doc:"For type professional_service only"`
	Plans       []Plan          `json:"plans" required:"false" maxItems:"20" doc:"The ways to buy it; review needs at least one active plan"`
}

// Support is how buyers reach the seller about the product.
type Support struct {
	Email string `json:"email" required:"false" maxLength:"254" example:"support@lakeside.example"`
	Phone string `json:"phone" required:"false" maxLength:"64" example:"+86 10 6500 1100"`
	URL   string `json:"url" required:"false" maxLength:"2048" doc:"A help centre or ticket page: an https:// address"`
}

// ImageDetails is what an image product needs: buyers get an ECS instance
// created from the image, at least of the minimum flavour.
type ImageDetails struct {
	ImageRef     string   `json:"image_ref" required:"false" maxLength:"255" doc:"An image ID (img-…) or a reference pinned by tag or digest" example:"img-0a1b2c3d"`
	OSFamily     string   `json:"os_family,omitempty" enum:"linux,windows"`
	OSVersion    string   `json:"os_version" required:"false" maxLength:"64" example:"Ubuntu 24.04"`
	Arch         string   `json:"arch,omitempty" enum:"x86_64,arm64"`
	MinVCPU      int      `json:"min_vcpu" required:"false" example:"2"`
	MinMemoryMiB int      `json:"min_memory_mib" required:"false" example:"4096"`
	MinDiskGiB   int      `json:"min_disk_gib" required:"false" doc:"The system disk" example:"40"`
	ImageRegions []string `json:"image_regions" required:"false" maxItems:"100" doc:"Regions where the image exists: every region the product is sold in"`
	LoginUser    string   `json:"login_user" required:"false" maxLength:"32" example:"ubuntu"`
}

// SaaSDetails is what a SaaS product needs. Its signing key is never part of
// the content: it is shown once, when made.
type SaaSDetails struct {
	Endpoint     string `json:"endpoint" required:"false" maxLength:"2048" doc:"The production endpoint: https:// and a domain name, not an IP address" example:"https://backup.lakeside.example/cloudmart"`
	DeployRegion string `json:"deploy_region" required:"false" maxLength:"32" doc:"The region of this cloud where it runs" example:"cn-north-4"`
	FreeTrial    bool   `json:"free_trial" required:"false" doc:"Plans may then give trial days; review needs an active plan with some"`
}

// LicenseDetails is what a licence product needs: what the key grants, for how
// long, under which terms.
type LicenseDetails struct {
	Category       string `json:"category,omitempty" enum:"operating_system,database,middleware,application"`
	GrantUnit      string `json:"grant_unit,omitempty" enum:"seats,cores"`
	GrantQuantity  int    `json:"grant_quantity" required:"false" doc:"Seats or cores per licence bought" example:"10"`
	DurationMonths int    `json:"duration_months" required:"false" doc:"0 is perpetual" example:"12"`
	TermsKey       string `json:"terms_key" required:"false" maxLength:"200" doc:"The key of the uploaded terms"`
	TermsURL       string `json:"terms_url" required:"false" maxLength:"2048" doc:"Or where the terms are published: an https:// address"`
}

// ServiceDetails is what a professional service needs.
type ServiceDetails struct {
	Kind               string `json:"kind,omitempty" enum:"training,environment_configuration,data_migration,troubleshooting,installation,consulting"`
	Deliverables       Text   `json:"deliverables" required:"false" doc:"What the buyer gets at the end, in each language"`
	ExpectedDays       int    `json:"expected_days" required:"false" example:"5"`
	NoSoftwareIncluded bool   `json:"no_software_included" required:"false" doc:"The seller's statement that no software is included: review needs it true"`
}

// Plan is one way to buy a product.
type Plan struct {
	ID        string `json:"id" required:"false" readOnly:"true" doc:"Kept across revisions for the same code; ignored in requests" example:"pln_01JDX3Z5R6K8M9N0P1Q2R3S4T5"`
	Code      string `json:"code" required:"false" maxLength:"40" doc:"Unique within the product: lower-case letters, digits, single dashes" example:"monthly"`
	Name      Text   `json:"name" required:"false"`
	Mode      string `json:"mode,omitempty" enum:"one_time,monthly,yearly,pay_per_use" doc:"Image: monthly, yearly, pay_per_use; SaaS: all; licence and service: one_time, monthly, yearly"`
	Price     *Money `json:"price" required:"false" doc:"One-time, per month or per year; null for pay_per_use"`
	Usage     *Usage `json:"usage" required:"false" doc:"pay_per_use only; null otherwise"`
	TrialDays int    `json:"trial_days" required:"false" doc:"Free days before the first charge, 0 to 90, where the type allows trials"`
	Active    bool   `json:"active" required:"false" doc:"Offered to new buyers"`
}

// Usage is how a pay-per-use plan charges: a unit and unit prices by tier.
type Usage struct {
	Unit  string `json:"unit" required:"false" maxLength:"32" example:"GB"`
	Tiers []Tier `json:"tiers" required:"false" maxItems:"10" doc:"Each tier prices the units from the previous bound up to (not including) up_to"`
}

// Tier is a band of usage with its unit price.
type Tier struct {
	UpTo      int64 `json:"up_to" required:"false" doc:"The bound of the band; 0 on the last tier, which has none" example:"100"`
	UnitPrice Money `json:"unit_price"`
}

// product reads the content; amounts are parsed in their currencies.
//
// Errors: Invalid on plans[i].price.amount / .currency and
// plans[i].usage.tiers[j].unit_price.amount / .currency.
func (c ProductContent) product() (catalog.Product, error) {
	p := catalog.Product{
		Type: catalog.Type(c.Type), Name: c.Name.text(), Summary: c.Summary.text(), Description: c.Description.text(),
		Category: c.Category, LogoKey: c.LogoKey, Screenshots: c.Screenshots, DocsURL: c.DocsURL, Regions: c.Regions,
		Support: catalog.Support{Email: c.Support.Email, Phone: c.Support.Phone, URL: c.Support.URL}, RefundDays: c.RefundDays,
	}
	if d := c.Image; d != nil {
		p.Image = &catalog.ImageSpec{ImageRef: d.ImageRef, OSFamily: catalog.OSFamily(d.OSFamily), OSVersion: d.OSVersion,
			Arch: catalog.Arch(d.Arch), MinVCPU: d.MinVCPU, MinMemoryMiB: d.MinMemoryMiB, MinDiskGiB: d.MinDiskGiB,
			ImageRegions: d.ImageRegions, LoginUser: d.LoginUser}
	}
	if d := c.SaaS; d != nil {
		p.SaaS = &catalog.SaaSSpec{Endpoint: d.Endpoint, DeployRegion: d.DeployRegion, FreeTrial: d.FreeTrial}
	}
	if d := c.License; d != nil {
		p.License = &catalog.LicenseSpec{Category: catalog.LicenseCategory(d.Category), GrantUnit: catalog.GrantUnit(d.GrantUnit),
			GrantQuantity: d.GrantQuantity, DurationMonths: d.DurationMonths, TermsKey: d.TermsKey, TermsURL: d.TermsURL}
	}
	if d := c.Service; d != nil {
		p.Service = &catalog.ServiceSpec{Kind: catalog.ServiceKind(d.Kind), Deliverables: d.Deliverables.text(),
			ExpectedDays: d.ExpectedDays, NoSoftwareIncluded: d.NoSoftwareIncluded}
	}
	for i, pl := range c.Plans {
		plan, err := pl.plan(fmt.Sprintf("plans[%d]", i))
		if err != nil {
			return p, err
		}
		p.Plans = append(p.Plans, plan)
	}
	return p, nil
}

// plan reads a plan at field ("plans[0]"). Its id is never taken from the
// request: the use case keeps ids by code.
func (pl Plan) plan(field string) (catalog.Plan, error) {
	out := catalog.Plan{Code: pl.Code, Name: pl.Name.text(), Mode: catalog.BillingMode(pl.Mode), TrialDays: pl.TrialDays, Active: pl.Active}
	if pl.Price != nil {
		a, err := pl.Price.amount(field + ".price")
		if err != nil {
			return out, err
		}
		out.Price = a
	}
	if pl.Usage != nil {
		out.Usage = &catalog.UsagePrice{Unit: pl.Usage.Unit}
		for j, t := range pl.Usage.Tiers {
			a, err := t.UnitPrice.amount(fmt.Sprintf("%s.usage.tiers[%d].unit_price", field, j))
			if err != nil {
				return out, err
			}
			out.Usage.Tiers = append(out.Usage.Tiers, catalog.Tier{UpTo: t.UpTo, UnitPrice: a})
		}
	}
	return out, nil
}

// contentOf writes a revision's content for its seller and the operators.
func contentOf(p catalog.Product) ProductContent {
	c := ProductContent{
		Type: string(p.Type), Name: textOf(p.Name), Summary: textOf(p.Summary), Description: textOf(p.Description),
		Category: p.Category, LogoKey: p.LogoKey, Screenshots: nonNil(p.Screenshots), DocsURL: p.DocsURL, Regions: nonNil(p.Regions),
		Support: Support{Email: p.Support.Email, Phone: p.Support.Phone, URL: p.Support.URL}, Plans: plansOf(p.Plans),
		RefundDays: p.RefundDays,
	}
	if s := p.Image; s != nil {
		c.Image = &ImageDetails{ImageRef: s.ImageRef, OSFamily: string(s.OSFamily), OSVersion: s.OSVersion, Arch: string(s.Arch),
			MinVCPU: s.MinVCPU, MinMemoryMiB: s.MinMemoryMiB, MinDiskGiB: s.MinDiskGiB, ImageRegions: nonNil(s.ImageRegions), LoginUser: s.LoginUser}
	}
	if s := p.SaaS; s != nil {
		c.SaaS = &SaaSDetails{Endpoint: s.Endpoint, DeployRegion: s.DeployRegion, FreeTrial: s.FreeTrial}
	}
	if s := p.License; s != nil {
		c.License = &LicenseDetails{Category: string(s.Category), GrantUnit: string(s.GrantUnit), GrantQuantity: s.GrantQuantity,
			DurationMonths: s.DurationMonths, TermsKey: s.TermsKey, TermsURL: s.TermsURL}
	}
	if s := p.Service; s != nil {
		c.Service = serviceOf(s)
	}
	return c
}

func serviceOf(s *catalog.ServiceSpec) *ServiceDetails {
	return &ServiceDetails{Kind: string(s.Kind), Deliverables: textOf(s.Deliverables), ExpectedDays: s.ExpectedDays, NoSoftwareIncluded: s.NoSoftwareIncluded}
}

func plansOf(plans []catalog.Plan) []Plan {
	out := make([]Plan, 0, len(plans))
	for _, pl := range plans {
		p := Plan{ID: pl.ID, Code: pl.Code, Name: textOf(pl.Name), Mode: string(pl.Mode), TrialDays: pl.TrialDays, Active: pl.Active}
		if pl.Price.Currency != "" {
			m := moneyOf(pl.Price)
			p.Price = &m
		}
		if pl.Usage != nil {
			p.Usage = &Usage{Unit: pl.Usage.Unit, Tiers: []Tier{}}
			for _, t := range pl.Usage.Tiers {
				p.Usage.Tiers = append(p.Usage.Tiers, Tier{UpTo: t.UpTo, UnitPrice: moneyOf(t.UnitPrice)})
			}
		}
		out = append(out, p)
	}
	return out
}

// nonNil makes an absent list an empty one, so answers hold [] and not null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
