package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/market"
)

// readRegions reads the regions step: the regions the company serves.
func readRegions(r *http.Request, f *form, in *market.ApplicationInput) error {
	in.Regions = f.readList(r, "regions")
	return nil
}
