package ui

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
	"github.com/cloudmart/cloudmart/store"
)

// How the storefront, the seller's editor and the operators' review show
// products: prices in the page's language, the type's facts, the plans.

// Money writes an amount with its currency's symbol in the page's language
// ("¥32,000.00", "US$12.00"), or with its code for a currency the catalogues do
// not name ("EUR 12.00"). Never a float: the digits are the amount's own.
func (p *page) Money(a money.Amount) string {
	if s, ok := p.loc.lookup("money."+string(a.Currency), map[string]any{"Amount": a.Grouped()}); ok {
		return s
	}
	return a.String()
}

// PlanPrice writes a plan's price with its billing mode: "¥199.00 / month",
// "¥0.12 / GB", "¥999.00 one-time".
func (p *page) PlanPrice(pl catalog.Plan) string {
	price, ok := pl.ListPrice()
	if !ok {
		return "—"
	}
	return p.priceLabel(store.PlanPrice{Mode: pl.Mode, Unit: pl.Unit(), Price: price})
}

// priceLabel writes a list price with its billing mode.
func (p *page) priceLabel(pp store.PlanPrice) string {
	if pp.Mode == catalog.PayPerUse {
		return p.T("price.per_unit", "Price", p.Money(pp.Price), "Unit", pp.Unit)
	}
	return p.T("price."+string(pp.Mode), "Price", p.Money(pp.Price))
}

// fromPrice is what a card says a product costs: "from" its cheapest plan
// (the store picks it: in the currency wanted, else CNY, else USD).
func (p *page) fromPrice(pp store.PlanPrice) string {
	if pp.Mode == "" {
		return ""
	}
	return p.T("price.from", "Price", p.priceLabel(pp))
}

// productCard is a product as a card of the storefront shows it, in the
// page's language.
type productCard struct {
	ID, Name, Summary, Seller, Price string
	Logo                             string // its address; "" when it has none
	Type                             catalog.Type
	Category                         string // its name
	CategorySlug                     string
}

// cards readies search hits for the storefront's cards, in the page's
// language, with the published logos (by product id) of those that have one.
func (s *server) cards(p *page, hits []store.Hit, logos map[string]string) []productCard {
	out := make([]productCard, 0, len(hits))
	for _, h := range hits {
		c := productCard{ID: h.ProductID, Name: p.Choose(h.Name.EN, h.Name.ZH), Summary: p.Choose(h.Summary.EN, h.Summary.ZH),
			Seller: h.SellerName, Type: h.Type, CategorySlug: h.Category, Price: p.fromPrice(h.Cheapest)}
		if key := logos[h.ProductID]; key != "" {
			c.Logo = fileURL(h.ProductID, key)
		}
		if cat, ok := catalog.CategoryBySlug(h.Category); ok {
			c.Category = p.Choose(cat.Name.EN, cat.Name.ZH)
		}
		out = append(out, c)
	}
	return out
}

// fact is one line of what a product is: a label and its value, with a link
// or on several lines where it has them.
type fact struct {
	Label, Value, Href string
	Lines              bool // keep the value's line breaks
	Download           bool // the link is a file to save
}

// planRow is a plan as the plans table shows it.
type planRow struct {
	Code, Name, Mode, Price, Trial, Saving string
	Tiers                                  []string // the usage tiers, when there are several
	Active                                 bool
}

// productPage is a product's content as its page (and the operators'
// review, and the seller's preview of it) shows it, in the page's language.
type productPage struct {
	catalog.Product
	Seller       string
	Name         string
	Summary      string
	Paragraphs   []string // the description
	Category     string
	Facts        []fact    // the type's details
	Regions      []string  // where it can be bought, by name
	Plans        []planRow // active ones, or all for the seller and operators
	SellerAnchor string    // the address of the seller's other products
	Logo         string    // the logo's address; "" when none
	Shots        []string  // the screenshots' addresses
}

// describeProduct readies a product for a page. regions names the cloud's
// regions by code; all shows what only the seller and operators see (the
// SaaS endpoint, plans not offered).
func describeProduct(p *page, prod catalog.Product, sellerName string, regions map[string]seller.Region, all bool) productPage {
	v := productPage{Product: prod, Seller: sellerName, Name: p.Choose(prod.Name.EN, prod.Name.ZH),
		Summary: p.Choose(prod.Summary.EN, prod.Summary.ZH), Paragraphs: paragraphs(p.Choose(prod.Description.EN, prod.Description.ZH)),
		SellerAnchor: "/products?" + urlQuery("seller", prod.SellerOrgID)}
	if cat, ok := catalog.CategoryBySlug(prod.Category); ok {
		v.Category = p.Choose(cat.Name.EN, cat.Name.ZH)
	}
	if prod.LogoKey != "" {
		v.Logo = fileURL(prod.ID, prod.LogoKey)
	}
	for _, k := range prod.Screenshots {
		v.Shots = append(v.Shots, fileURL(prod.ID, k))
	}
	v.Regions = regionNames(p, regions, prod.Regions)
	v.Facts = typeFacts(p, prod, regions, all)
	v.Plans = planRows(p, prod.Plans, all)
	return v
}

// regionNames names regions in the page's language, by their codes.
func regionNames(p *page, regions map[string]seller.Region, codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if r, ok := regions[c]; ok {
			out = append(out, p.Choose(r.NameEN, r.NameZH))
		} else {
			out = append(out, c)
		}
	}
	return out
}

// typeFacts lists the details of the product's type.
func typeFacts(p *page, prod catalog.Product, regions map[string]seller.Region, all bool) []fact {
	var fs []fact
	add := func(label, value string) { fs = append(fs, fact{Label: p.T(label), Value: value}) }
	list := func(codes []string) string { return strings.Join(regionNames(p, regions, codes), p.T("list.sep")) }
	switch {
	case prod.Image != nil:
		im := prod.Image
		add("pf.image.os", strings.TrimSpace(p.T("os."+string(im.OSFamily))+" "+im.OSVersion))
		add("pf.image.arch", string(im.Arch))
		add("pf.image.flavour", p.T("facts.flavour", "VCPU", im.MinVCPU, "Memory", memory(im.MinMemoryMiB), "Disk", im.MinDiskGiB))
		add("pf.image.login_user", im.LoginUser)
		add("facts.buyable_in", list(intersect(prod.Regions, im.ImageRegions)))
		if all {
			add("pf.image.image_ref", im.ImageRef)
			add("pf.image.image_regions", list(im.ImageRegions))
		}
	case prod.SaaS != nil:
		sa := prod.SaaS
		add("pf.saas.deploy_region", list([]string{sa.DeployRegion}))
		if sa.FreeTrial {
			add("facts.free_trial", p.T("facts.free_trial.yes"))
		} else {
			add("facts.free_trial", p.T("facts.free_trial.no"))
		}
		if all {
			add("pf.saas.endpoint", sa.Endpoint)
		}
	case prod.License != nil:
		li := prod.License
		add("pf.license.category", p.T("license_cat."+string(li.Category)))
		add("facts.grants", p.T("facts.grant."+string(li.GrantUnit), "Count", li.GrantQuantity))
		if li.Perpetual() {
			add("facts.duration", p.T("facts.perpetual"))
		} else {
			add("facts.duration", p.T("facts.months", "Count", li.DurationMonths))
		}
		if li.TermsKey != "" {
			fs = append(fs, fact{Label: p.T("facts.terms"), Value: p.T("facts.terms_download"), Href: fileURL(prod.ID, li.TermsKey), Download: true})
		}
		if li.TermsURL != "" {
			fs = append(fs, fact{Label: p.T("facts.terms"), Value: p.T("facts.terms_link"), Href: li.TermsURL})
		}
	case prod.Service != nil:
		se := prod.Service
		add("pf.service.kind", p.T("service_kind."+string(se.Kind)))
		fs = append(fs, fact{Label: p.T("facts.deliverables"), Value: p.Choose(se.Deliverables.EN, se.Deliverables.ZH), Lines: true})
		add("facts.expected", p.T("facts.days", "Count", se.ExpectedDays))
		if se.NoSoftwareIncluded {
			add("facts.software", p.T("facts.no_software"))
		}
	}
	return slices.DeleteFunc(fs, func(f fact) bool { return f.Value == "" })
}

// memory writes MiB as GiB when it is whole GiB: "4 GiB", "1536 MiB".
func memory(mib int) string {
	if mib > 0 && mib%1024 == 0 {
		return strconv.Itoa(mib/1024) + " GiB"
	}
	return strconv.Itoa(mib) + " MiB"
}

// intersect keeps the codes of a that b has too, in a's order.
func intersect(a, b []string) []string {
	return slices.DeleteFunc(slices.Clone(a), func(c string) bool { return !slices.Contains(b, c) })
}

// planRows readies plans for the plans table: the active ones, or all.
func planRows(p *page, plans []catalog.Plan, all bool) []planRow {
	var rows []planRow
	for _, pl := range plans {
		if !pl.Active && !all {
			continue
		}
		row := planRow{Code: pl.Code, Name: p.Choose(pl.Name.EN, pl.Name.ZH), Mode: p.T("mode." + string(pl.Mode)),
			Price: p.PlanPrice(pl), Active: pl.Active}
		if pl.TrialDays > 0 {
			row.Trial = p.T("price.trial", "Count", pl.TrialDays)
		}
		if pl.Usage != nil && len(pl.Usage.Tiers) > 1 {
			row.Tiers = tierLines(p, pl.Usage)
		}
		for _, m := range plans {
			if pct, ok := pl.YearlySaving(m); ok && m.Active {
				row.Saving = p.T("price.save", "Percent", pct)
				break
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// tierLines writes usage tiers: "0–100 GB: ¥0.00 / GB", "100 GB and more: ¥0.12 / GB".
func tierLines(p *page, u *catalog.UsagePrice) []string {
	var lines []string
	var from int64
	for _, t := range u.Tiers {
		price := p.T("price.per_unit", "Price", p.Money(t.UnitPrice), "Unit", u.Unit)
		if t.UpTo == 0 {
			lines = append(lines, p.T("price.tier_last", "From", from, "Unit", u.Unit, "Price", price))
		} else {
			lines = append(lines, p.T("price.tier", "From", from, "UpTo", t.UpTo, "Unit", u.Unit, "Price", price))
		}
		from = t.UpTo
	}
	return lines
}

// paragraphs cuts plain text into paragraphs at blank lines; the lines of
// a paragraph stay as they are.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n")
	var out []string
	for _, para := range strings.Split(text, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			out = append(out, para)
		}
	}
	return out
}

// regionIndex maps the cloud's regions by code.
func (s *server) regionIndex(ctx context.Context) ([]seller.Region, map[string]seller.Region, error) {
	regions, err := s.svc.Regions(ctx)
	index := make(map[string]seller.Region, len(regions))
	for _, r := range regions {
		index[r.Code] = r
	}
	return regions, index, err
}

// TypeName names a product type in the page's language.
func (p *page) TypeName(t catalog.Type) string { return p.T("ptype." + string(t)) }

// ModeList names the billing modes a type allows: "Monthly, Yearly, Pay-per-use".
func (p *page) ModeList(t catalog.Type) string {
	var names []string
	for _, m := range catalog.AllowedModes(t) {
		names = append(names, p.T("mode."+string(m)))
	}
	return strings.Join(names, p.T("list.sep"))
}

// hitIDs lists the products of lists of hits.
func hitIDs(lists ...[]store.Hit) []string {
	var ids []string
	for _, hits := range lists {
		for _, h := range hits {
			ids = append(ids, h.ProductID)
		}
	}
	return ids
}
