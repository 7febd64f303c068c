package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
)

// queueView is the operators' review queue.
type queueView struct {
	Rows    []market.ApplicationSummary
	States  []seller.State
	Regions []seller.Region
}

// canListApplications reports whether the visitor may see the review queue and
// the applications in it.
func canListApplications(p *page) bool {
	return account.Can(p.Actor, account.ListApplications, account.Resource{})
}

// opsApplications lists seller applications for review, oldest submission
// first, filtered by the GET form above them.
func (s *server) opsApplications(w http.ResponseWriter, r *http.Request, p *page) {
	if !canListApplications(p) {
		s.fail(w, r, p, forbidden)
		return
	}
	ctx := r.Context()
	v := queueView{States: seller.States}
	var err error
	if v.Regions, err = s.svc.Regions(ctx); err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Title = "queue.title"
	p.Form = newForm("queue", r, "state", "region", "older_than")
	show := func(status int) {
		p.Data = v
		s.render(w, r, p, status, "ops_applications")
	}
	f, err := queueFilter(p.Form)
	if err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	if v.Rows, err = s.svc.Applications(ctx, p.Actor, f); err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	show(http.StatusOK)
}

// queueFilter reads the queue's filter form.
//
// Errors: Invalid on "older_than".
func queueFilter(f *form) (market.ApplicationFilter, error) {
	q := market.ApplicationFilter{State: seller.State(strings.TrimSpace(f.Values["state"])), Region: strings.TrimSpace(f.Values["region"])}
	if days := strings.TrimSpace(f.Values["older_than"]); days != "" {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 3650 {
			return q, fault.Field("older_than", "error.days", "enter a whole number of days from 0 to 3650")
		}
		q.OlderThanDay = n
	}
	return q, nil
}
