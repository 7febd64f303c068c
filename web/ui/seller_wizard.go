package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
)

// wizardStep is one page of the seller onboarding wizard.
type wizardStep struct {
	ID string // the page is /seller/application/<ID>; "review" is /seller/application itself
	// Checks are the requirements the step's data decide: the step is done
	// when they pass.
	Checks []string
	// done decides instead, for a step that no requirement is about alone.
	done func(v market.ApplicationView) bool
}

// wizardSteps are the wizard's pages in order. The seven requirements are
// spread over them; documents prove what the company states and are looked at
// by the operator, so no requirement checks them.
var wizardSteps = []wizardStep{
	{ID: "company", Checks: []string{seller.ReqEstablishmentTime, seller.ReqOffering}},
	{ID: "regions", done: func(v market.ApplicationView) bool { return len(v.RegionCodes) > 0 }},
	{ID: "contacts", Checks: []string{seller.ReqPresalesPersonnel, seller.ReqPostsalesPersonnel}},
	{ID: "support", Checks: []string{seller.ReqSupportCapability}},
	{ID: "documents", done: func(v market.ApplicationView) bool { return len(v.Documents) > 0 }},
	{ID: "agreement", Checks: []string{seller.ReqAgreement}},
	{ID: "taxbank", Checks: []string{seller.ReqTaxBankCertified}},
	{ID: "review", done: func(v market.ApplicationView) bool { return !v.State.Editable() }},
}

const reviewStep = "review"

// findStep returns the step with the id.
func findStep(id string) (int, bool) {
	i := slices.IndexFunc(wizardSteps, func(s wizardStep) bool { return s.ID == id })
	return i, i >= 0
}

// stepURL is the address of a step's page.
func stepURL(id string) string {
	if id == reviewStep {
		return "/seller/application"
	}
	return "/seller/application/" + id
}

// nextStep is the step after id (the review stays the review).
func nextStep(id string) string {
	i, _ := findStep(id)
	return wizardSteps[min(i+1, len(wizardSteps)-1)].ID
}

// fixedBy names the step whose page fixes a failed requirement: the support
// requirement fails first for want of regions, which have their own step.
func fixedBy(req string, v market.ApplicationView) string {
	if req == seller.ReqSupportCapability && len(v.RegionCodes) == 0 {
		return "regions"
	}
	for _, s := range wizardSteps {
		if slices.Contains(s.Checks, req) {
			return s.ID
		}
	}
	return reviewStep
}

// stepLink is a step in the wizard's progress list.
type stepLink struct {
	ID, Href string
	Number   int
	Done     bool
	Current  bool
}

// wizardView is what every page of the wizard shows.
type wizardView struct {
	App      applicationPage
	Step     string
	Number   int // the step's place, from 1
	Steps    []stepLink
	Next     string // the address of the next step
	Editable bool   // the application may be changed, by this user

	// What the steps' forms offer.
	Offerings []seller.Offering
	Regions   []seller.Region // every region the marketplace serves
	Zones     []string
	Weekdays  []string // "monday" … "sunday"
	Kinds     []seller.DocumentKind
	Contacts  int // rows of each contact group
	Intervals int // rows of support hours per day

	AgreementText string // the Seller Agreement in force (its step only)
	CanSign       bool   // the company has not signed the version in force, and this user may
	MaxMB         int
}

// wizardNotices are the confirmations the wizard shows after a redirect.
var wizardNotices = map[string]string{
	"started":   "wizard.notice.started",
	"saved":     "wizard.notice.saved",
	"uploaded":  "wizard.notice.uploaded",
	"removed":   "wizard.notice.removed",
	"signed":    "wizard.notice.signed",
	"taxbank":   "wizard.notice.taxbank",
	"submitted": "wizard.notice.submitted",
}

// showStep loads the actor's company's application and renders a step of the
// wizard around p.Form, which holds what was typed when a form failed and is
// otherwise filled from the application. Without an application there is the
// introduction, at /seller/application.
func (s *server) showStep(w http.ResponseWriter, r *http.Request, p *page, status int, step string) {
	ctx := r.Context()
	v, err := s.svc.MyApplication(ctx, p.Actor)
	if fault.Is(err, fault.NotFound) {
		if step == reviewStep {
			s.showIntro(w, r, p, status)
		} else {
			redirect(w, r, stepURL(reviewStep))
		}
		return
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	canEdit := account.Can(p.Actor, account.EditApplication, account.Resource{OrgID: v.OrgID})
	wv := wizardView{
		App: describe(p, v, true), Step: step, Next: stepURL(nextStep(step)),
		Editable:  canEdit && v.State.Editable(),
		Offerings: seller.Offerings, Kinds: seller.DocumentKinds, Weekdays: weekdayKeys(),
		MaxMB: seller.MaxDocumentSize >> 20,
	}
	for i, st := range wizardSteps {
		if st.ID == step {
			wv.Number = i + 1
		}
		wv.Steps = append(wv.Steps, stepLink{ID: st.ID, Href: stepURL(st.ID), Number: i + 1, Done: stepDone(st, wv.App), Current: st.ID == step})
	}
	if wv.Regions, err = s.svc.Regions(ctx); err != nil {
		s.fail(w, r, p, err)
		return
	}
	wv.Zones = zoneChoices(wv.Regions, v.Support.Zone)
	if step == "agreement" {
		var a seller.Agreement
		a, wv.AgreementText, err = s.svc.AgreementInForce(ctx)
		if err != nil && !fault.Is(err, fault.NotFound) {
			s.fail(w, r, p, err)
			return
		}
		signed := v.Signature != nil && v.Signature.Version == a.Version
		// A new version must be signed whatever the application's state, but
		// a rejected company has nothing left to sign for.
		wv.CanSign = canEdit && a.Version != "" && !signed && v.State != seller.Rejected
	}
	if p.Form.ID == "" { // no form of the page failed
		p.Form = recordForm(step, v.Record)
	}
	wv.Contacts = max(2, len(v.PreSales)+1, len(v.PostSales)+1, formRows(p.Form, "presales", ".name"), formRows(p.Form, "postsales", ".name"))
	wv.Contacts = min(wv.Contacts, maxRows)
	wv.Intervals = 2
	for _, d := range v.Support.Days {
		wv.Intervals = max(wv.Intervals, len(d))
	}
	p.Title, p.Data = "wizard.step."+step, wv
	s.render(w, r, p, status, "seller_"+step)
}

// stepDone reports whether a step's part of the application is complete.
func stepDone(st wizardStep, app applicationPage) bool {
	if st.done != nil {
		return st.done(app.ApplicationView)
	}
	for _, req := range app.Requirements {
		if slices.Contains(st.Checks, req.ID) && !req.Passed {
			return false
		}
	}
	return true
}

// readStep reads a step's fields into f and into the application in.
type readStep func(r *http.Request, f *form, in *market.ApplicationInput) error

// saveStep handles the form of a step that changes what the company states:
// the application is saved whole, as it is with the step's fields read over
// it, at the revision the form was drawn from. Then on to the next step.
func (s *server) saveStep(step string, read readStep) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		show := func(status int) { s.showStep(w, r, p, status, step) }
		v, err := s.svc.MyApplication(r.Context(), p.Actor)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		p.Form = emptyForm(step)
		in := inputOf(v.Record)
		err = read(r, p.Form, &in)
		if err == nil {
			in.Revision, err = formRevision(r)
		}
		if err == nil {
			_, err = s.svc.SaveApplication(r.Context(), p.Actor, in)
		}
		if err != nil {
			s.refill(w, r, p, err, show)
			return
		}
		redirect(w, r, stepURL(nextStep(step))+"?done=saved")
	}
}

// formRevision is the revision of the application a form was drawn from.
//
// Errors: Conflict.
func formRevision(r *http.Request) (int, error) { return formVersion(r, "revision") }

// formVersion is the version of what a form was drawn from, in its hidden
// field name. A form without one is taken as stale rather than let it
// overwrite what it never showed (the use cases skip the check for 0).
//
// Errors: Conflict.
func formVersion(r *http.Request, name string) (int, error) {
	n, err := strconv.Atoi(r.PostFormValue(name))
	if err != nil || n <= 0 {
		return 0, staleForm
	}
	return n, nil
}

// staleForm is the error for a form drawn from what has changed since.
var staleForm = &fault.Error{Code: fault.Conflict, MsgID: "error.changed_meanwhile", Message: "the form is stale: reload it"}

// inputOf is what the record states, as input to save it again.
func inputOf(rec seller.Record) market.ApplicationInput {
	in := market.ApplicationInput{
		LegalName: rec.LegalName, RegistrationNumber: rec.RegistrationNumber, Country: rec.Country,
		Regions: rec.RegionCodes, PreSales: rec.PreSales, PostSales: rec.PostSales, Support: rec.Support,
		Revision: rec.Revision,
	}
	if rec.Established != (seller.Date{}) {
		in.Established = rec.Established.String()
	}
	for _, o := range rec.Offerings {
		in.Offerings = append(in.Offerings, string(o))
	}
	return in
}

// recordForm fills the form of a step with what the application states.
func recordForm(step string, rec seller.Record) *form {
	f := emptyForm(step)
	v := f.Values
	v["legal_name"], v["registration_number"], v["country"] = rec.LegalName, rec.RegistrationNumber, rec.Country
	if rec.Established != (seller.Date{}) {
		v["established"] = rec.Established.String()
	}
	for _, o := range rec.Offerings {
		f.Lists["offerings"] = append(f.Lists["offerings"], string(o))
	}
	f.Lists["regions"] = rec.RegionCodes
	for _, g := range []struct {
		name string
		list []seller.Contact
	}{{"presales", rec.PreSales}, {"postsales", rec.PostSales}} {
		for i, c := range g.list {
			row := g.name + "[" + strconv.Itoa(i) + "]"
			v[row+".name"], v[row+".email"], v[row+".phone"] = c.Name, c.Email, c.Phone
		}
	}
	if rec.Support.AllDay {
		v["support.all_day"] = "on"
	}
	v["support.zone"] = rec.Support.Zone
	for _, wd := range week {
		for i, iv := range rec.Support.Days[wd] {
			row := intervalField(wd, i)
			v[row+".start"], v[row+".end"] = seller.FormatClock(iv.Start), seller.FormatClock(iv.End%(24*60))
		}
	}
	return f
}

// maxRows bounds the rows of a repeated group a form is read for.
const maxRows = 20

// formRows counts the rows of a group that the form has a value for:
// "presales[3].name" makes 4.
func formRows(f *form, group, suffix string) int {
	return countRows(func(name string) bool { _, ok := f.Values[name]; return ok }, group, suffix)
}

// postedRows counts the rows of a group in a posted form.
func postedRows(r *http.Request, group, suffix string) int {
	return countRows(func(name string) bool { _, ok := r.PostForm[name]; return ok }, group, suffix)
}

// countRows returns one more than the last row i of the group (at most
// maxRows) for which has(group[i]suffix).
func countRows(has func(name string) bool, group, suffix string) int {
	n := 0
	for i := range maxRows {
		if has(group + "[" + strconv.Itoa(i) + "]" + suffix) {
			n = i + 1
		}
	}
	return n
}

// week is Monday to Sunday, the order the forms show the days in.
var week = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// weekdayKeys names the days of week as fields and catalogue keys do.
func weekdayKeys() []string {
	keys := make([]string, len(week))
	for i, wd := range week {
		keys[i] = strings.ToLower(wd.String())
	}
	return keys
}

// commonZones are offered for support hours besides the regions' own zones.
var commonZones = []string{
	"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul", "Asia/Kolkata", "Asia/Dubai",
	"Europe/London", "Europe/Dublin", "Europe/Berlin", "Europe/Paris", "Africa/Johannesburg",
	"America/New_York", "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "America/Santiago",
	"Australia/Sydney",
}

// zoneChoices lists the time zones the support form offers: UTC, then the
// regions' zones, common ones and the one stated, sorted.
func zoneChoices(regions []seller.Region, stated string) []string {
	zones := slices.Clone(commonZones)
	for _, r := range regions {
		zones = append(zones, r.Zone)
	}
	if stated != "" {
		zones = append(zones, stated)
	}
	slices.Sort(zones)
	return append([]string{"UTC"}, slices.DeleteFunc(slices.Compact(zones), func(z string) bool { return z == "UTC" })...)
}
