package ui

import (
	"strconv"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/delivery/ecs"
	"github.com/cloudmart/cloudmart/order"
	"github.com/cloudmart/cloudmart/seller"
)

// buyBox is the part of a product's page where a buyer chooses a plan and
// how much of it, then adds it to the cart or buys it now.
type buyBox struct {
	ProductID string
	Plans     []buyPlan
	Regions   []option // when the product is sold in several
	Flavors   []option // an image's server sizes that fit it, smallest (the default) first
	// Who is looking: "buyer" may buy; "visitor" is asked to sign in when
	// buying; "other" (a seller, an operator) buys for no customer.
	Who string
}

// buyPlan is one plan's form, with what the visitor typed and the messages
// about it when the form came back.
type buyPlan struct {
	Code, Name, Price string
	FormID            string
	MaxPeriods        int    // 0 for plans without periods
	PeriodsLabel      string // "Months (1–36)"
	Trial             string // "Start with the 14-day free trial"; "" without one
	Usage             bool   // paid by reported usage
	Quantity, Periods string
	Region            string
	Flavor            string // the flavour chosen, of an image
	TrialChosen       bool
	AutoRenew         bool // the renewal box is ticked
	Errors            map[string]string
	Alert             string
}

// describeBuyBox readies the plans' forms of a product on sale.
func describeBuyBox(p *page, prod catalog.Product, regions map[string]seller.Region) buyBox {
	b := buyBox{ProductID: prod.ID, Who: "other"}
	switch {
	case !p.Actor.Signed():
		b.Who = "visitor"
	case buyerOrg(p.Actor).OrgID != "":
		b.Who = "buyer"
	}
	if len(prod.Regions) > 1 {
		names := regionNames(p, regions, prod.Regions)
		for i, code := range prod.Regions {
			b.Regions = append(b.Regions, option{Value: code, Label: names[i]})
		}
	}
	if prod.Type == catalog.TypeImage && prod.Image != nil {
		b.Flavors = flavorOptions(p, *prod.Image)
	}
	for _, pl := range prod.Plans {
		if !pl.Active {
			continue
		}
		bp := buyPlan{Code: pl.Code, Name: p.Choose(pl.Name.EN, pl.Name.ZH), Price: p.PlanPrice(pl), FormID: buyFormID(pl.Code),
			MaxPeriods: maxPeriods(pl.Mode), Usage: pl.Mode == catalog.PayPerUse, Quantity: "1", Periods: "1", Errors: map[string]string{}}
		if len(prod.Regions) > 0 {
			bp.Region = prod.Regions[0]
		}
		if len(b.Flavors) > 0 {
			bp.Flavor = b.Flavors[0].Value
		}
		switch pl.Mode {
		case catalog.Monthly:
			bp.PeriodsLabel = p.T("buy.months", "Max", strconv.Itoa(order.MaxMonths))
		case catalog.Yearly:
			bp.PeriodsLabel = p.T("buy.years", "Max", strconv.Itoa(order.MaxYears))
		}
		if pl.TrialDays > 0 {
			bp.Trial = p.T("buy.trial", "Count", pl.TrialDays)
		}
		if p.Form.ID == bp.FormID {
			v := p.Form.Values
			bp.Quantity, bp.Periods, bp.Region, bp.TrialChosen = v["quantity"], v["periods"], v["region"], v["trial"] == "on"
			bp.AutoRenew, bp.Flavor = v["auto_renew"] == "on", v["flavor"]
			bp.Errors, bp.Alert = p.Form.Errors, p.Form.Alert
		}
		b.Plans = append(b.Plans, bp)
	}
	return b
}

// flavorOptions are the flavours a buyer may choose for the image, smallest
// first: "c7.large.2 — 2 vCPUs, 4 GiB".
func flavorOptions(p *page, img catalog.ImageSpec) []option {
	var out []option
	for _, f := range ecs.FlavorsFor(img.Arch, img.MinVCPU, img.MinMemoryMiB) {
		out = append(out, option{Value: f.Name, Label: p.T("images.flavor_option", "Name", f.Name, "VCPU", f.VCPU, "MemoryGiB", strconv.FormatFloat(float64(f.MemoryMiB)/1024, 'f', -1, 64))})
	}
	return out
}
