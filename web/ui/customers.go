package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
)

// customerRow is a customer with the partner's name when the viewer knows it.
type customerRow struct {
	account.Org
	PartnerName string
}

// customers lists the customers in the actor's care: all of them for an
// operator, its own for an account manager or a channel partner.
func (s *server) customers(w http.ResponseWriter, r *http.Request, p *page) {
	if !account.Can(p.Actor, account.ListCustomers, account.Resource{}) {
		s.fail(w, r, p, forbidden)
		return
	}
	orgs, err := s.svc.Customers(r.Context(), p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	// The viewer's own organisations are the partners whose names it knows.
	names := map[string]string{}
	for _, m := range p.Actor.Memberships {
		names[m.OrgID] = m.OrgName
	}
	rows := make([]customerRow, 0, len(orgs))
	for _, o := range orgs {
		rows = append(rows, customerRow{Org: o, PartnerName: names[o.PartnerOrgID]})
	}
	p.Title, p.Data = "customers.title", rows
	s.render(w, r, p, http.StatusOK, "customers")
}
