package ui

import (
	"net/http"
	"strconv"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/resale"
)

// The operators' resale page (/ops/resale): the requirements form and the
// authorisations waiting for approval.

type opsResaleView struct {
	Pending []market.ResaleView
}

func (s *server) opsResale(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := resaleNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showOpsResale(w, r, p, http.StatusOK)
}

func (s *server) showOpsResale(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	var v opsResaleView
	var err error
	if v.Pending, err = s.svc.PendingResale(ctx, p.Actor); err != nil {
		s.fail(w, r, p, err)
		return
	}
	if p.Form.ID != "requirements" {
		req, err := s.svc.ResaleRequirements(ctx, p.Actor)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		p.Form.Values["requirements.days"] = strconv.Itoa(req.MinApprovedDays)
		p.Form.Values["requirements.failed"] = strconv.Itoa(req.MaxFailedDeliveries)
		p.Form.Values["requirements.discount"] = percentText(req.StandardDiscountBPS)
		if req.RefundPolicy {
			p.Form.Values["requirements.refund_policy"] = "on"
		}
	}
	p.Title, p.Data = "resale.ops.title", v
	s.render(w, r, p, status, "resale_ops")
}

// opsResaleRequirements saves the requirements.
func (s *server) opsResaleRequirements(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("requirements", r, "requirements.days", "requirements.refund_policy", "requirements.failed", "requirements.discount")
	p.Form.alias("min_approved_days", "requirements.days")
	p.Form.alias("max_failed_deliveries", "requirements.failed")
	p.Form.alias("standard_discount_bps", "requirements.discount")
	p.Form.alias("discount_bps", "requirements.discount")
	v := p.Form.Values
	req := resale.Requirements{RefundPolicy: v["requirements.refund_policy"] == "on", MinApprovedDays: -1, MaxFailedDeliveries: -1}
	if n, err := strconv.Atoi(v["requirements.days"]); err == nil {
		req.MinApprovedDays = n
	}
	if n, err := strconv.Atoi(v["requirements.failed"]); err == nil {
		req.MaxFailedDeliveries = n
	}
	bps, err := percentBPS(v["requirements.discount"])
	if err == nil {
		req.StandardDiscountBPS = bps
		_, err = s.svc.SetResaleRequirements(r.Context(), p.Actor, req)
	}
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showOpsResale(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/resale?done=requirements")
}

// opsResaleDecide approves or declines a pending authorisation.
func (s *server) opsResaleDecide(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("decide", r, "decide.reason")
	p.Form.alias("reason", "decide.reason")
	step := resale.Step(r.PathValue("step"))
	if _, err := s.svc.DecideResale(r.Context(), p.Actor, r.PathValue("id"), step, p.Form.Values["decide.reason"]); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showOpsResale(w, r, p, status) })
		return
	}
	redirect(w, r, "/ops/resale?done="+string(step))
}
