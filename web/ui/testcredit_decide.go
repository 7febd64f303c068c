package ui

import (
	"net/http"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/web/status"
)

// opsTestCreditDecide approves or declines a request ({step}: approve,
// decline).
func (s *server) opsTestCreditDecide(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	p.Form = newForm("decide", r, "decide.amount", "decide.expires", "decide.reason")
	var err error
	done := ""
	switch r.PathValue("step") {
	case "approve":
		done = "approved"
		var amount money.Amount
		var expires time.Time
		if v := strings.TrimSpace(p.Form.Values["decide.amount"]); v != "" {
			amount, err = readAmount(v, string(money.USD), "amount")
		}
		if v := strings.TrimSpace(p.Form.Values["decide.expires"]); err == nil && v != "" {
			// The last day the credit may be used: it expires at the end of it (UTC).
			day, perr := time.Parse(time.DateOnly, v)
			if perr != nil {
				err = fault.Field("expires_at", "error.test_credit_expiry", "the credit expires after today and within a year")
			}
			expires = day.AddDate(0, 0, 1)
		}
		if err == nil {
			_, err = s.svc.ApproveTestCredit(r.Context(), p.Actor, id, amount, expires)
		}
	case "decline":
		done = "declined"
		_, err = s.svc.DeclineTestCredit(r.Context(), p.Actor, id, p.Form.Values["decide.reason"])
	default:
		s.notFound(w, r, p)
		return
	}
	if err != nil {
		if e := fault.As(err); e != nil && formCodes[e.Code] {
			p.Form.Alert = p.faultText(e) // above the queue, naming the request
			s.showOpsTestCredit(w, r, p, status.Of(e.Code), id)
			return
		}
		s.fail(w, r, p, err)
		return
	}
	redirect(w, r, "/ops/test-credit?done="+done)
}
