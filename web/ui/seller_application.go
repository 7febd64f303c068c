package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/seller"
)

// sellerApplication is the wizard's last page, the review: the seven
// requirements, the state and the history, and the submit button. It is where
// notifications about the application lead, so it is the application's
// address; a user whose company has none is introduced to selling instead.
func (s *server) sellerApplication(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := wizardNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showStep(w, r, p, http.StatusOK, reviewStep)
}

// sellerStep shows one step of the wizard.
func (s *server) sellerStep(w http.ResponseWriter, r *http.Request, p *page) {
	step := r.PathValue("step")
	if _, ok := findStep(step); !ok || step == reviewStep {
		s.notFound(w, r, p)
		return
	}
	if key, ok := wizardNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showStep(w, r, p, http.StatusOK, step)
}

// introView is what the introduction to selling shows.
type introView struct {
	Requirements []string
}

// showIntro introduces selling to a user whose company has no application,
// with the form that starts one. The legal name is suggested from the
// organisation the user buys for.
func (s *server) showIntro(w http.ResponseWriter, r *http.Request, p *page, status int) {
	if _, typed := p.Form.Values["legal_name"]; !typed {
		for _, m := range p.Actor.Memberships {
			if m.OrgKind == account.KindCustomer {
				p.Form.Values["legal_name"] = m.OrgName
				break
			}
		}
	}
	p.Title, p.Data = "wizard.intro.title", introView{Requirements: seller.Requirements}
	s.render(w, r, p, status, "seller_intro")
}
