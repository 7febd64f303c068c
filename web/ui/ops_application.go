package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/seller"
)

// opsApplicationView is one application as an operator reviews it.
type opsApplicationView struct {
	App        applicationPage
	Approve    bool          // approval is a step the application may take now
	Steps      []seller.Step // the other steps it may take, each needing a reason
	CanCertify bool          // tax and bank details are entered and not certified
	CanReview  bool          // the viewer may review this application at all
}

// reviewSteps are the operators' steps, in the order the page offers them.
var reviewSteps = []seller.Step{seller.Approve, seller.RequestChanges, seller.Reject, seller.Suspend, seller.Reinstate}

// opsNotices are the confirmations the application page shows after a step.
var opsNotices = map[string]string{
	"certified":       "ops.notice.certified",
	"approve":         "ops.notice.approve",
	"request_changes": "ops.notice.request_changes",
	"reject":          "ops.notice.reject",
	"suspend":         "ops.notice.suspend",
	"reinstate":       "ops.notice.reinstate",
}

// opsApplication shows an application to an operator: what the company
// states, the seven checks, documents, tax and bank details, the signature,
// the history, and the steps it may take now.
func (s *server) opsApplication(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := opsNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showOpsApplication(w, r, p, http.StatusOK)
}

// showOpsApplication loads and renders the application page around p.Form,
// which may hold a failed form of the page.
func (s *server) showOpsApplication(w http.ResponseWriter, r *http.Request, p *page, status int) {
	if !canListApplications(p) {
		s.fail(w, r, p, forbidden)
		return
	}
	a, err := s.svc.Application(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := opsApplicationView{App: describe(p, a, false), CanReview: account.Can(p.Actor, account.ReviewApplication, account.Resource{OrgID: a.OrgID})}
	if v.CanReview {
		// The workflow decides which steps are open: a step is offered when
		// it could be taken with a reason.
		for _, step := range reviewSteps {
			if _, err := seller.Next(a.State, step, "reason"); err != nil {
				continue
			}
			if step == seller.Approve {
				v.Approve = true
			} else {
				v.Steps = append(v.Steps, step)
			}
		}
		v.CanCertify = a.TaxBank != nil && a.TaxBankCertifiedAt.IsZero()
	}
	p.Title, p.Data = "ops.app.title", v
	s.render(w, r, p, status, "ops_application")
}
