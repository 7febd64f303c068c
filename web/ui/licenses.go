package ui

import (
	"context"
	"net/http"
	"net/url"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
)

// Licences on their pages: a buyer's licences (/account/licenses) and one
// licence (/licenses/{id}) with its signed document to copy or download, its
// status and the machine it runs on (which its buyer may free); a seller's
// licences of its products with their activations (/seller/licenses).

// licenseRow is a licence as the pages show it.
type licenseRow struct {
	market.LicenseView
	Name string // the product's, in the page's language
	Href string // its page
}

// licensesView is a list of licences: a buyer's, or a seller's.
type licensesView struct {
	Seller bool
	Rows   []licenseRow
}

// licensePage is one licence's page.
type licensePage struct {
	licenseRow
	Buyer    bool   // the viewer is one of its customer's buyers: it may free the machine
	KeysURL  string // where the published keys are
	FileName string // of the download
}

// licenseRow names a licence's product: as on sale, or as it was bought.
func (s *server) licenseRow(ctx context.Context, p *page, n *namer, l market.LicenseView) (licenseRow, error) {
	row := licenseRow{LicenseView: l, Name: l.ProductID, Href: "/licenses/" + url.PathEscape(l.ID)}
	info, err := n.product(l.ProductID)
	if err != nil {
		return row, err
	}
	if info.onSale {
		row.Name = p.Choose(info.product.Name.EN, info.product.Name.ZH)
	} else if o, err := s.svc.Order(ctx, p.Actor, l.OrderID); err == nil && l.LineNo <= len(o.Lines) {
		row.Name = p.Choose(o.Lines[l.LineNo-1].ProductName.EN, o.Lines[l.LineNo-1].ProductName.ZH)
	}
	return row, nil
}

// buyerLicenses lists the buyer organisation's licences.
func (s *server) buyerLicenses(w http.ResponseWriter, r *http.Request, p *page) {
	org := buyerOrg(p.Actor)
	if org.OrgID == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	list, err := s.svc.Licenses(r.Context(), p.Actor, store.LicenseFilter{BuyerOrgID: org.OrgID})
	s.showLicenses(w, r, p, list, err, false)
}

// sellerLicenses lists the licences of the seller's products.
func (s *server) sellerLicenses(w http.ResponseWriter, r *http.Request, p *page) {
	list, err := s.svc.SellerLicenses(r.Context(), p.Actor)
	s.showLicenses(w, r, p, list, err, true)
}

func (s *server) showLicenses(w http.ResponseWriter, r *http.Request, p *page, list []market.LicenseView, err error, seller bool) {
	ctx := r.Context()
	var n *namer
	if err == nil {
		n, err = s.namer(ctx, p)
	}
	v := licensesView{Seller: seller}
	for _, l := range list {
		if err != nil {
			break
		}
		var row licenseRow
		row, err = s.licenseRow(ctx, p, n, l)
		v.Rows = append(v.Rows, row)
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Title, p.Data = "licenses.title", v
	s.render(w, r, p, http.StatusOK, "licenses")
}

// license shows a licence.
func (s *server) license(w http.ResponseWriter, r *http.Request, p *page) {
	ctx := r.Context()
	l, err := s.svc.License(ctx, p.Actor, r.PathValue("id"))
	var n *namer
	if err == nil {
		n, err = s.namer(ctx, p)
	}
	var v licensePage
	if err == nil {
		v.licenseRow, err = s.licenseRow(ctx, p, n, l)
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v.Buyer = buyerOrg(p.Actor).OrgID == l.Buyer
	v.KeysURL = origin(r) + "/api/v1/license/keys"
	v.FileName = l.ID + ".lic"
	if r.URL.Query().Get("done") == "reset" {
		p.Notice = p.T("lic.notice.reset")
	}
	p.Title, p.TitleText, p.Data = "lic.title", p.T("lic.heading", "Name", v.Name), v
	s.render(w, r, p, http.StatusOK, "license")
}

// licenseFile downloads a licence's signed document.
func (s *server) licenseFile(w http.ResponseWriter, r *http.Request, p *page) {
	l, err := s.svc.License(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+l.ID+`.lic"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write([]byte(l.Token + "\n"))
}

// licenseReset frees a licence from its machine.
func (s *server) licenseReset(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	if err := s.svc.ResetLicenseMachine(r.Context(), p.Actor, id); err != nil {
		s.fail(w, r, p, err)
		return
	}
	redirect(w, r, "/licenses/"+url.PathEscape(id)+"?done=reset")
}

// origin is the address the visitor reached the marketplace at, for the
// commands a page tells it to run.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
