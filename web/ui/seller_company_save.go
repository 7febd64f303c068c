package ui

import (
	"net/http"
	"strings"

	"github.com/cloudmart/cloudmart/market"
)

// readCompany reads the company step: legal name, registration, country,
// establishment date and offerings.
func readCompany(r *http.Request, f *form, in *market.ApplicationInput) error {
	f.read(r, "legal_name", "registration_number", "country", "established")
	in.LegalName = f.Values["legal_name"]
	in.RegistrationNumber = f.Values["registration_number"]
	in.Country = f.Values["country"]
	in.Established = strings.TrimSpace(f.Values["established"])
	in.Offerings = f.readList(r, "offerings")
	return nil
}
