package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
)

// A SaaS line's instance (/orders/{id}/lines/{no}/instance): its state, where
// to sign in, the initial password revealed once, and, on a pay-per-use
// plan, its usage and charges per day.

// instanceView is what the instance page shows.
type instanceView struct {
	market.SaaSInstanceView
	Name     string
	OrderRef string // the order's page
	Password string // just revealed; "" otherwise
	Unit     string
	Days     []market.UsageDay
}

// saasInstance shows a line's instance to its buyers, its seller and operators.
func (s *server) saasInstance(w http.ResponseWriter, r *http.Request, p *page) {
	s.showSaaSInstance(w, r, p, "", http.StatusOK)
}

// saasPassword reveals the instance's initial password, once, on the page
// itself: it is never in an address, and the page is not cached.
func (s *server) saasPassword(w http.ResponseWriter, r *http.Request, p *page) {
	no, _ := strconv.Atoi(r.PathValue("no"))
	pw, err := s.svc.RevealSaaSPassword(r.Context(), p.Actor, r.PathValue("id"), no)
	if fault.Is(err, fault.InvalidState) {
		p.Form = newForm("password", r)
		s.refill(w, r, p, err, func(status int) { s.showSaaSInstance(w, r, p, "", status) })
		return
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.showSaaSInstance(w, r, p, pw, http.StatusOK)
}

func (s *server) showSaaSInstance(w http.ResponseWriter, r *http.Request, p *page, password string, status int) {
	ctx := r.Context()
	id := r.PathValue("id")
	no, err := strconv.Atoi(r.PathValue("no"))
	if err != nil {
		s.fail(w, r, p, fault.New(fault.NotFound, "no such order line"))
		return
	}
	in, ok, err := s.svc.SaaSInstance(ctx, p.Actor, id, no)
	if err == nil && !ok {
		err = &fault.Error{Code: fault.NotFound, MsgID: "error.saas_not_open", Message: "the seller has not opened this instance yet: look again in a minute"}
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := instanceView{SaaSInstanceView: in, Name: p.Choose(in.ProductName.EN, in.ProductName.ZH), OrderRef: "/orders/" + id, Password: password}
	now := time.Now()
	if unit, days, err := s.svc.InstanceUsage(ctx, p.Actor, id, no, now.AddDate(0, 0, -30), now.Add(time.Hour)); err == nil && unit != "" {
		v.Unit, v.Days = unit, days
	}
	p.Title, p.Data = "saaspage.instance.title", v
	s.render(w, r, p, status, "saas_instance")
}
