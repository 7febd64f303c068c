package ui

import (
	"net/http"
	"strconv"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
)

// readContacts reads the contacts step: rows of pre-sales and post-sales
// people. A row left empty is no contact; the form always offers one more
// row than there are contacts.
func readContacts(r *http.Request, f *form, in *market.ApplicationInput) error {
	for _, g := range []struct {
		name string
		to   *[]seller.Contact
	}{{"presales", &in.PreSales}, {"postsales", &in.PostSales}} {
		*g.to = []seller.Contact{}
		var kept []int
		for i := range postedRows(r, g.name, ".name") {
			row := g.name + "[" + strconv.Itoa(i) + "]"
			f.read(r, row+".name", row+".email", row+".phone")
			c := seller.Contact{Name: f.Values[row+".name"], Email: f.Values[row+".email"], Phone: f.Values[row+".phone"]}
			if blank(c.Name, c.Email, c.Phone) {
				continue
			}
			*g.to = append(*g.to, c)
			kept = append(kept, i)
		}
		f.keep(g.name, kept)
	}
	return nil
}
