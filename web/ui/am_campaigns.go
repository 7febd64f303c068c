package ui

import (
	"net/http"
	"slices"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/promo"
)

// An account manager's campaigns (/am/campaigns): for each campaign that
// is scheduled or running, its own customers, whether each is in the
// audience by its segment or by an admission, and the form that admits or
// revokes with a note.

type amCampaignsView struct {
	Campaigns []amCampaign
}

type amCampaign struct {
	campaignRow
	Customers []amCustomer
}

type amCustomer struct {
	account.Org
	BySegment bool // its segment is admitted
	Admitted  bool // an admission holds now
	Note      string
	FormID    string
}

func (s *server) amCampaigns(w http.ResponseWriter, r *http.Request, p *page) {
	s.showAMCampaigns(w, r, p, http.StatusOK)
}

func (s *server) showAMCampaigns(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	if !account.Can(p.Actor, account.AdmitCustomers, account.Resource{AccountManagerID: p.Actor.UserID}) {
		s.fail(w, r, p, forbidden)
		return
	}
	cs, err := s.svc.PublicCampaigns(ctx)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	orgs, err := s.svc.Customers(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	now := s.svc.Now()
	var v amCampaignsView
	for _, c := range cs {
		if c.State != promo.Scheduled && c.State != promo.Active {
			continue
		}
		ac := amCampaign{campaignRow: campaignRow{Campaign: c, Name: p.Choose(c.Name.EN, c.Name.ZH),
			Window: p.T("camp.window", "Start", c.Start.String(), "End", c.End.String(), "Zone", c.Zone)}}
		for _, o := range orgs {
			if o.AccountManagerID != p.Actor.UserID {
				continue
			}
			ads, err := s.svc.Admissions(ctx, p.Actor, c.ID, o.ID)
			if err != nil {
				s.fail(w, r, p, err)
				return
			}
			cu := amCustomer{Org: o, BySegment: slices.Contains(c.Segments, o.Segment), Admitted: promo.Admitted(ads, now), FormID: "admit-" + c.ID + "-" + o.ID}
			for _, a := range ads {
				if a.RevokedAt.IsZero() {
					cu.Note = a.Note
				}
			}
			ac.Customers = append(ac.Customers, cu)
		}
		v.Campaigns = append(v.Campaigns, ac)
	}
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = p.T("camp.am.notice")
	}
	p.Title, p.Data = "camp.am.title", v
	s.render(w, r, p, status, "am_campaigns")
}

// amAdmission admits one of the account manager's customers, or revokes its
// admission, with the note typed.
func (s *server) amAdmission(w http.ResponseWriter, r *http.Request, p *page) {
	id, org, note := r.PathValue("id"), r.FormValue("org"), r.FormValue("note")
	var err error
	if r.FormValue("action") == "revoke" {
		err = s.svc.Revoke(r.Context(), p.Actor, id, org, note)
	} else {
		err = s.svc.Admit(r.Context(), p.Actor, id, org, note)
	}
	if err != nil {
		p.Form = newForm("admit-"+id+"-"+org, r, "note")
		s.refill(w, r, p, err, func(status int) { s.showAMCampaigns(w, r, p, status) })
		return
	}
	redirect(w, r, "/am/campaigns?done=saved")
}
