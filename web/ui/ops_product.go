package ui

import (
	"net/http"
	"strings"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
)

// opsProductView is a product as an operator reviews it.
type opsProductView struct {
	Product   market.ProductView
	Name      string
	Changes   []changeRow // the revision in review against the one on sale
	Content   productPage // the revision in review, else the live one
	Revision  int         // the number of the revision Content shows
	Status    statusBox
	History   []revisionRow
	CanReview bool // a revision waits for a decision this operator may take
	CanDelist bool // it is on sale, and this operator may take it off
	Own       bool // the operator works for the seller
}

// changeRow is one line of the side-by-side review.
type changeRow struct {
	Label, Field, Before, After string
	// The files of a changed logo, screenshots or terms, shown rather than
	// their keys.
	BeforeFiles, AfterFiles []diffFile
	Files                   bool
}

// diffFile is an uploaded file in the review's changes.
type diffFile struct {
	URL   string
	Image bool // a logo or a screenshot; else a document to download
}

// fileFields are the content's fields that hold the keys of uploaded files.
var fileFields = map[string]bool{"logo_key": true, "screenshots": true, "license.terms_key": true}

// diffFiles reads a changed file field's value ("k1, k2" for screenshots)
// as the files' addresses.
func diffFiles(productID, field, value string) []diffFile {
	var out []diffFile
	for _, k := range strings.Split(value, ", ") {
		if k != "" {
			out = append(out, diffFile{URL: fileURL(productID, k), Image: field != "license.terms_key"})
		}
	}
	return out
}

// opsProductNotices are the confirmations of the review page.
var opsProductNotices = map[string]string{
	"approve": "opsproduct.notice.approve",
	"reject":  "opsproduct.notice.reject",
	"delist":  "opsproduct.notice.delist",
}

// opsProduct shows a product to an operator: the changes of the revision in
// review against the published one, side by side, the revision in full, the
// decision forms and the history.
func (s *server) opsProduct(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := opsProductNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showOpsProduct(w, r, p, http.StatusOK)
}

// showOpsProduct loads and renders the review page around p.Form, which may
// hold a failed form of the page.
func (s *server) showOpsProduct(w http.ResponseWriter, r *http.Request, p *page, status int) {
	if !canReviewProducts(p) {
		s.fail(w, r, p, forbidden)
		return
	}
	ctx := r.Context()
	pv, err := s.svc.SellerProduct(ctx, p.Actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	_, regions, err := s.regionIndex(ctx)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	content := pv.Content()
	v := opsProductView{Product: pv, Name: p.Choose(content.Name.EN, content.Name.ZH),
		Content: describeProduct(p, content, pv.SellerName, regions, true), Status: listingStatus(p, pv), History: history(pv),
		Own: !account.Can(p.Actor, account.ReviewProducts, account.Resource{OrgID: pv.SellerOrgID})}
	if pv.Pending != nil {
		v.Revision = pv.Pending.Number
	} else if pv.Live != nil {
		v.Revision = pv.Live.Number
	}
	for _, c := range pv.Changes {
		row := changeRow{Label: changeLabel(p, c.Field), Field: c.Field, Before: changeValue(p, c.Field, c.Before), After: changeValue(p, c.Field, c.After)}
		if fileFields[c.Field] {
			row.Files, row.BeforeFiles, row.AfterFiles = true, diffFiles(pv.ID, c.Field, c.Before), diffFiles(pv.ID, c.Field, c.After)
		}
		v.Changes = append(v.Changes, row)
	}
	v.CanReview = !v.Own && pv.Pending != nil && pv.Pending.State == catalog.InReview
	v.CanDelist = !v.Own && pv.Live != nil && pv.Live.State == catalog.Published
	p.Title, p.TitleText, p.Data = "opsproduct.title", v.Name, v
	s.render(w, r, p, status, "ops_product")
}

// changeLabel names a changed field as the editor labels it: "Name in
// Chinese", "Plan pro: Price".
func changeLabel(p *page, field string) string {
	label := func(key string) string {
		if p.Has("pf." + key) {
			return p.T("pf." + key)
		}
		return key
	}
	rest, ok := strings.CutPrefix(field, "plans[")
	if !ok {
		return label(field)
	}
	code, tail, _ := strings.Cut(rest, "]")
	if tail = strings.TrimPrefix(tail, "."); tail == "" {
		return p.T("opsproduct.plan", "Code", code)
	}
	return p.T("opsproduct.plan_field", "Code", code, "Field", label("plan."+tail))
}

// changeValue writes a changed value for people: yes or no for a flag, a
// billing mode by its name.
func changeValue(p *page, field, value string) string {
	switch {
	case value == "true":
		return p.T("opsproduct.yes")
	case value == "false":
		return p.T("opsproduct.no")
	case strings.HasSuffix(field, ".mode") && value != "":
		return p.T("mode." + value)
	}
	return value
}
