package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/testcredit"
)

// opsTestCreditView is the operators' queue of test-credit requests.
type opsTestCreditView struct {
	State  string // the filter: "" for all
	States []option
	Rows   []testCreditRow
	Failed string // the request a failed decision was about
}

// opsTestCredit lists the requests, pending first by default.
func (s *server) opsTestCredit(w http.ResponseWriter, r *http.Request, p *page) {
	if p.Form == nil {
		p.Form = emptyForm("")
	}
	s.showOpsTestCredit(w, r, p, http.StatusOK, "")
}

func (s *server) showOpsTestCredit(w http.ResponseWriter, r *http.Request, p *page, status int, failed string) {
	state := r.URL.Query().Get("state")
	if state == "" && r.Method == http.MethodGet && !r.URL.Query().Has("state") {
		state = string(testcredit.Pending)
	}
	items, err := s.svc.TestCreditRequests(r.Context(), p.Actor, testcredit.State(state))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := opsTestCreditView{State: state, Failed: failed}
	v.States = append(v.States, option{Value: "", Label: p.T("tc.ops.all")})
	for _, st := range []testcredit.State{testcredit.Pending, testcredit.Approved, testcredit.Declined, testcredit.Expired} {
		v.States = append(v.States, option{Value: string(st), Label: p.T("tc.state." + string(st))})
	}
	now := s.svc.Now()
	for _, it := range items {
		v.Rows = append(v.Rows, testCreditRowOf(p, it.Request, it.OrgName, now))
	}
	if key, ok := testCreditNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	p.Title, p.Data = "tc.ops.title", v
	s.render(w, r, p, status, "testcredit_ops")
}
