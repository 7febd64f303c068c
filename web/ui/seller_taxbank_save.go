package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/seller"
)

// taxBankSave stores the company's tax ID and bank account. The page shows
// them only masked afterwards; entering them again withdraws a certification.
func (s *server) taxBankSave(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("taxbank", r, "tax_id", "bank_name", "account_holder", "account_number")
	v := p.Form.Values
	tb := seller.TaxBank{TaxID: v["tax_id"], BankName: v["bank_name"], AccountHolder: v["account_holder"], AccountNumber: v["account_number"]}
	if _, err := s.svc.SetTaxBank(r.Context(), p.Actor, tb); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showStep(w, r, p, status, "taxbank") })
		return
	}
	redirect(w, r, stepURL("taxbank")+"?done=taxbank")
}
