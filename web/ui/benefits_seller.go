package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/benefit"
)

// benefitsView is a seller's benefits page: every benefit of the seed's table,
// whether the seller has it, why or what is missing, and what it opens; the
// homepage banner's progress as a bar.
type benefitsView struct {
	Seller   string // the company's name, on the operators' view
	Operator bool   // the operators' view of a seller
	Rows     []benefitRow
	Bar      *benefitBar
}

type benefitRow struct {
	ID, Name, Reason string
	Has              bool
	ActionLabel      string
	ActionHref       string
}

// benefitBar draws progress toward the homepage banner: Fill of Width.
type benefitBar struct {
	Have, Target, Label string
	Percent             int
	Width, Fill         int
}

const benefitBarWidth = 600

// sellerBenefits shows the signed-in seller's benefits.
func (s *server) sellerBenefits(w http.ResponseWriter, r *http.Request, p *page) {
	_, list, err := s.svc.MyBenefits(r.Context(), p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.showBenefits(w, r, p, benefitsView{}, list)
}

// showBenefits renders a seller's benefits.
func (s *server) showBenefits(w http.ResponseWriter, r *http.Request, p *page, v benefitsView, list []benefit.Status) {
	for _, b := range list {
		v.Rows = append(v.Rows, benefitRow{ID: string(b.ID), Name: p.Choose(b.Name.EN, b.Name.ZH), Reason: p.Choose(b.Reason.Text.EN, b.Reason.Text.ZH),
			Has: b.Has, ActionLabel: p.Choose(b.Action.Label.EN, b.Action.Label.ZH), ActionHref: b.Action.UI})
		if pr := b.Progress; pr != nil {
			pct := pr.Percent()
			v.Bar = &benefitBar{Have: p.Money(pr.Have), Target: p.Money(pr.Target), Percent: pct, Width: benefitBarWidth,
				Fill: benefitBarWidth * pct / 100}
			v.Bar.Label = p.T("ben.progress", "Have", v.Bar.Have, "Target", v.Bar.Target, "Percent", pct)
		}
	}
	if v.Operator {
		// The operators' view links nowhere a seller goes.
		for i := range v.Rows {
			v.Rows[i].ActionHref = ""
		}
	}
	p.Title, p.Data = "ben.title", v
	s.render(w, r, p, http.StatusOK, "benefits_seller")
}
