package ui

import (
	"net/http"
	"strings"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
)

// The seller's product editor, which the new-product, edit, save, submit,
// key and delist actions all show: one form per type with the plan editor,
// the listing's state, the signing key once, and the revision history.

// maxProductFormBytes bounds the editor's form: two descriptions of up to
// 20,000 characters, which percent-encoded Chinese makes nine bytes each.
const maxProductFormBytes = 512 << 10

// editorView is what the product editor shows.
type editorView struct {
	ID       string // "" for a product not created yet
	Type     catalog.Type
	Product  market.ProductView
	Name     string // the product's name in the page's language
	Version  int
	Action   string // where the form posts
	Editable bool
	Status   statusBox
	Key      string // a signing key just made: shown on this response only
	History  []revisionRow
	Files    editorFiles

	CanSubmit, CanDelist, CanRotate bool

	// What the form offers.
	Categories, Regions, DeployRegions, Modes, Currencies []option
	OSFamilies, Archs, LicenseCategories, GrantUnits      []option
	ServiceKinds                                          []option
	Plans                                                 []int // the plan rows
	Tiers                                                 []int // the usage tier rows of each plan
	Metered                                               bool  // the type may be sold pay-per-use
	Trials                                                bool  // the type may offer free trial days
}

// editorFiles are the files the revision in the works shows, with the
// upload forms' choices.
type editorFiles struct {
	Logo        *fileItem
	Screenshots []fileItem
	Terms       *fileItem
	TakesTerms  bool // a licence: its terms may be a document
	MoreShots   bool // another screenshot may be added
	Max         int  // screenshots a product shows at most
	// What each upload accepts, for the file inputs.
	ImageTypes, TermsTypes  string
	LogoMB, ShotMB, TermsMB int
}

// fileItem is an uploaded file as the editor shows it.
type fileItem struct {
	Key, URL, Filename, Size string
}

// editorFilesOf lists the files content refers to; files holds what was
// uploaded for the product (their names and sizes), by key.
func editorFilesOf(id string, content catalog.Product, files map[string]catalog.File) editorFiles {
	item := func(key string) fileItem {
		it := fileItem{Key: key, URL: fileURL(id, key), Filename: key}
		if f, ok := files[key]; ok {
			it.Filename, it.Size = f.Filename, kib(f.Size)
		}
		return it
	}
	ef := editorFiles{TakesTerms: content.Type == catalog.TypeLicense, MoreShots: len(content.Screenshots) < catalog.MaxScreenshots,
		Max: catalog.MaxScreenshots, ImageTypes: accept(catalog.FileLogo), TermsTypes: accept(catalog.FileTerms),
		LogoMB: catalog.MaxLogoSize >> 20, ShotMB: catalog.MaxScreenshotSize >> 20, TermsMB: catalog.MaxTermsSize >> 20}
	if content.LogoKey != "" {
		it := item(content.LogoKey)
		ef.Logo = &it
	}
	for _, k := range content.Screenshots {
		ef.Screenshots = append(ef.Screenshots, item(k))
	}
	if content.License != nil && content.License.TermsKey != "" {
		it := item(content.License.TermsKey)
		ef.Terms = &it
	}
	return ef
}

// accept is a file input's accept attribute for a kind: its content types
// and their extensions.
func accept(kind catalog.FileKind) string {
	out := kind.ContentTypes()
	switch kind {
	case catalog.FileTerms:
		out = append(out, ".pdf")
	default:
		out = append(out, ".png", ".jpg", ".jpeg", ".webp")
	}
	return strings.Join(out, ",")
}

// statusBox says where a listing stands, and why when it was sent back.
type statusBox struct {
	State       catalog.State // for its colour
	Title, Text string
	Reason      string
}

// revisionRow is a revision in the history.
type revisionRow struct {
	catalog.RevisionRecord
	Live bool // the one on sale, or taken off sale
}

// editorNotices are the confirmations the editor shows after a redirect.
var editorNotices = map[string]string{
	"created":      "editor.notice.created",
	"saved":        "editor.notice.saved",
	"unchanged":    "editor.notice.unchanged",
	"submitted":    "editor.notice.submitted",
	"delisted":     "editor.notice.delisted",
	"file_added":   "editor.notice.file_added",
	"file_removed": "editor.notice.file_removed",
}

// sellerOrgOf is the seller organisation the actor works for ("" if none).
func sellerOrgOf(a account.Actor) string {
	for _, m := range a.Memberships {
		if m.OrgKind == account.KindSeller {
			return m.OrgID
		}
	}
	return ""
}

// canManageProducts reports whether the visitor works for a seller and may
// manage its products.
func canManageProducts(p *page) bool {
	return account.Can(p.Actor, account.ManageProducts, account.Resource{OrgID: sellerOrgOf(p.Actor)})
}

// noProduct is the error for a product that is not the visitor's company's.
var noProduct = &fault.Error{Code: fault.NotFound, MsgID: "error.no_product", Message: "no such product"}

// ownProduct loads one of the visitor's company's products for the editor.
// An operator may read any product, but the editor is the seller's: another
// company's product is not found here.
//
// Errors: NotFound.
func (s *server) ownProduct(r *http.Request, p *page) (market.ProductView, error) {
	v, err := s.svc.SellerProduct(r.Context(), p.Actor, r.PathValue("id"))
	if err == nil && !account.Can(p.Actor, account.ManageProducts, account.Resource{OrgID: v.SellerOrgID}) {
		err = noProduct
	}
	return v, err
}

// showEditor renders the editor of v (or of a new product of type typ when v
// is zero) around p.Form, which holds what was typed when a form failed and
// is otherwise filled from the product. key is a signing key to show once.
func (s *server) showEditor(w http.ResponseWriter, r *http.Request, p *page, status int, v market.ProductView, typ catalog.Type, key string) {
	regions, _, err := s.regionIndex(r.Context())
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	content := v.Content()
	if v.ID == "" {
		content = catalog.Product{Type: typ}
	}
	ev := editorView{ID: v.ID, Type: typ, Product: v, Version: v.Version, Key: key, Action: "/seller/products",
		Name: p.Choose(content.Name.EN, content.Name.ZH), Editable: v.Pending == nil || v.Pending.State.Editable(),
		Status: listingStatus(p, v)}
	if v.ID != "" {
		ev.Action = "/seller/products/" + v.ID
		ev.CanSubmit = ev.Editable
		ev.CanDelist = v.Listing.OnSale()
		ev.CanRotate = typ == catalog.TypeSaaS
		ev.History = history(v)
		files, err := s.svc.ProductFiles(r.Context(), p.Actor, v.ID)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		byKey := make(map[string]catalog.File, len(files))
		for _, f := range files {
			byKey[f.Key] = f
		}
		ev.Files = editorFilesOf(v.ID, content, byKey)
	}
	if p.Form.ID != "product" { // the product's form did not fail: it shows the product
		f := productForm(content)
		f.ID, f.Alert = p.Form.ID, p.Form.Alert // another form's message, shown by that form
		p.Form = f
	}
	rows := min(max(len(content.Plans)+1, formRows(p.Form, "plans", ".code"), 2), catalog.MaxPlans)
	newPlanRows(p.Form, typ, rows)
	ev.Plans, ev.Tiers = seq(rows), seq(planTiers)
	// Trial days are for the types that may have them at all (a SaaS
	// product once it offers a free trial, which its rules then check).
	ev.Metered, ev.Trials = typ.Allows(catalog.PayPerUse), (catalog.Product{Type: typ, SaaS: &catalog.SaaSSpec{FreeTrial: true}}).TrialsAllowed()
	ev.offer(p, typ, regions)
	p.Title, p.TitleText, p.Data = "editor.title", ev.Name, ev
	s.render(w, r, p, status, "seller_product")
}

// offer fills the choices of the editor's selects and checkboxes.
func (ev *editorView) offer(p *page, typ catalog.Type, regions []seller.Region) {
	ev.Categories = []option{{Value: "", Label: p.T("editor.choose")}}
	for _, c := range catalog.Categories {
		ev.Categories = append(ev.Categories, option{Value: c.Slug, Label: p.Choose(c.Name.EN, c.Name.ZH)})
	}
	ev.DeployRegions = []option{{Value: "", Label: p.T("editor.choose")}}
	for _, r := range regions {
		ev.Regions = append(ev.Regions, option{Value: r.Code, Label: p.Choose(r.NameEN, r.NameZH), Hint: r.Code})
		ev.DeployRegions = append(ev.DeployRegions, option{Value: r.Code, Label: p.Choose(r.NameEN, r.NameZH), Hint: r.Code})
	}
	for _, m := range catalog.AllowedModes(typ) {
		ev.Modes = append(ev.Modes, option{Value: string(m), Label: p.T("mode." + string(m))})
	}
	for _, c := range planCurrencies {
		ev.Currencies = append(ev.Currencies, option{Value: string(c), Label: string(c)})
	}
	ev.OSFamilies = keyed(p, "os.", catalog.OSFamilies)
	ev.Archs = keyed(p, "", catalog.Archs)
	ev.LicenseCategories = keyed(p, "license_cat.", catalog.LicenseCategories)
	ev.GrantUnits = keyed(p, "grant_unit.", catalog.GrantUnits)
	ev.ServiceKinds = keyed(p, "service_kind.", catalog.ServiceKinds)
}

// keyed offers the values of an enumeration, labelled by the catalogue keys
// prefix+value (or by the value itself without a prefix), after a "choose"
// option.
func keyed[T ~string](p *page, prefix string, values []T) []option {
	out := []option{{Value: "", Label: p.T("editor.choose")}}
	for _, v := range values {
		label := string(v)
		if prefix != "" {
			label = p.T(prefix + string(v))
		}
		out = append(out, option{Value: string(v), Label: label})
	}
	return out
}

// history lists the product's revisions, the newest first.
func history(v market.ProductView) []revisionRow {
	var rows []revisionRow
	if v.Pending != nil {
		rows = append(rows, revisionRow{RevisionRecord: *v.Pending})
	}
	if v.Live != nil {
		rows = append(rows, revisionRow{RevisionRecord: *v.Live, Live: true})
	}
	return rows
}

// listingStatus says where a listing stands: what is on sale, what is being
// edited or reviewed, and the reason it was sent back or taken off sale.
func listingStatus(p *page, v market.ProductView) statusBox {
	live, pending := v.Live, v.Pending
	switch {
	case v.ID == "":
		return statusBox{State: catalog.Draft, Title: p.T("listing.banner.new"), Text: p.T("listing.banner.new.text")}
	case pending != nil && pending.State == catalog.InReview:
		b := statusBox{State: catalog.InReview, Title: p.T("listing.banner.in_review", "Number", pending.Number), Text: p.T("listing.banner.in_review.text")}
		if live != nil && live.State == catalog.Published {
			b.Text = p.T("listing.banner.in_review.live", "Live", live.Number, "Number", pending.Number)
		}
		return b
	case pending != nil && live != nil && live.State == catalog.Published:
		return statusBox{State: pending.State, Title: p.T("listing.banner.revising", "Number", pending.Number),
			Text: p.T("listing.banner.revising.text", "Live", live.Number, "Number", pending.Number), Reason: pending.Reason}
	case pending != nil && pending.State == catalog.Rejected:
		return statusBox{State: catalog.Rejected, Title: p.T("listing.banner.rejected", "Number", pending.Number),
			Text: p.T("listing.banner.rejected.text"), Reason: pending.Reason}
	case pending != nil:
		b := statusBox{State: catalog.Draft, Title: p.T("listing.banner.draft", "Number", pending.Number), Text: p.T("listing.banner.draft.text")}
		if live != nil { // delisted, and being changed
			b.Text = p.T("listing.banner.draft.delisted")
		}
		return b
	case live != nil && live.State == catalog.Published:
		return statusBox{State: catalog.Published, Title: p.T("listing.banner.published", "Number", live.Number),
			Text: p.T("listing.banner.published.text", "Number", live.Number, "Next", live.Number+1)}
	case live != nil:
		return statusBox{State: catalog.Delisted, Title: p.T("listing.banner.delisted"), Text: p.T("listing.banner.delisted.text"), Reason: live.Reason}
	}
	return statusBox{}
}

// saveEdits reads the editor's form over the product and saves it as the
// revision in the works, unless it changes nothing: a published product
// needs no new revision for that. saved reports whether it was saved.
//
// Errors: those of readProduct, formVersion and market.SaveProduct.
func (s *server) saveEdits(r *http.Request, p *page, v market.ProductView) (saved bool, err error) {
	p.Form = emptyForm("product")
	content, err := readProduct(r, p.Form, v.Content())
	if err != nil {
		return false, err
	}
	version, err := formVersion(r, "version")
	if err != nil {
		return false, err
	}
	if len(catalog.Diff(v.Content(), content)) == 0 {
		if version != v.Version {
			return false, staleForm
		}
		return false, nil
	}
	_, err = s.svc.SaveProduct(r.Context(), p.Actor, v.ID, content, version)
	return err == nil, err
}

// refillEditor shows the editor again with err by the field at fault. A
// company that may not list the type is told on the form too.
func (s *server) refillEditor(w http.ResponseWriter, r *http.Request, p *page, err error, show func(status int)) {
	if e := fault.As(err); e != nil && (e.MsgID == "error.seller_not_selling" || e.MsgID == "error.offering_not_declared") {
		p.Form.fail("", p.faultText(e))
		show(http.StatusForbidden)
		return
	}
	if fault.Is(err, fault.RequirementsNotMet) { // the one requirement of a submission: the agreement in force
		err = &fault.Error{Code: fault.RequirementsNotMet, MsgID: "error.agreement_unsigned", Message: "sign the Seller Agreement in force first"}
	}
	s.refill(w, r, p, err, show)
}

// productURL is the editor's address, with a notice to show.
func productURL(id, done string) string {
	u := "/seller/products/" + id
	if done != "" {
		u += "?done=" + done
	}
	return u
}

// typeOf reads a product type from a form or query; ok is false for none.
func typeOf(s string) (catalog.Type, bool) {
	t := catalog.Type(s)
	return t, t.Valid()
}
