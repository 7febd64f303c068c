package ui

import (
	"context"
	"net/http"
	"net/url"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/store"
)

// The servers delivered for image products: the buyer's list (/instances),
// the seller's (/seller/instances), an instance's page with its state,
// address, login user and, once, its password, and an order's instances on
// its page.

// instanceRow is an instance as the pages show it.
type instanceRow struct {
	market.InstanceView
	Name string // the product's, in the page's language
	Href string // its page
}

func instanceRows(p *page, list []market.InstanceView) []instanceRow {
	out := make([]instanceRow, 0, len(list))
	for _, in := range list {
		out = append(out, instanceRow{InstanceView: in, Name: p.Choose(in.ProductName.EN, in.ProductName.ZH), Href: "/instances/" + url.PathEscape(in.ID)})
	}
	return out
}

// instancesView is a list of instances.
type instancesView struct {
	Scope   string // "buyer" or "seller"
	OrgName string
	Rows    []instanceRow
}

// buyerInstances lists the buyer organisation's instances.
func (s *server) buyerInstances(w http.ResponseWriter, r *http.Request, p *page) {
	org := buyerOrg(p.Actor)
	if org.OrgID == "" {
		s.fail(w, r, p, forbidden)
		return
	}
	list, err := s.svc.Instances(r.Context(), p.Actor, org.OrgID)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Title, p.Data = "images.title", instancesView{Scope: "buyer", OrgName: org.OrgName, Rows: instanceRows(p, list)}
	s.render(w, r, p, http.StatusOK, "instances")
}

// sellerInstances lists the instances of the seller's products.
func (s *server) sellerInstances(w http.ResponseWriter, r *http.Request, p *page) {
	list, err := s.svc.SellerInstances(r.Context(), p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Title, p.Data = "images.seller_title", instancesView{Scope: "seller", Rows: instanceRows(p, list)}
	s.render(w, r, p, http.StatusOK, "instances")
}

// instancePageView is an instance's page.
type instancePageView struct {
	instanceRow
	OrderHref string // the order that bought it, in the viewer's list
	// MayReveal: the viewer is a buyer of its organisation and the password
	// may still be shown.
	MayReveal bool
	// MayRelease: the viewer is a buyer of its organisation and the
	// instance is not deleted yet.
	MayRelease bool
	Password   string     // shown this once, just after the buyer asked
	Hours      *hoursView // this month's running hours and charges; nil unless billed by the hour
}

// hoursView is an instance's billing by the hour in a month, its running
// times written out in the page's language.
type hoursView struct {
	market.InstanceHours
	Running string // recorded this month
	Unrated string // of it, not charged yet; "" when all is
	Days    []hoursDayRow
}

type hoursDayRow struct {
	market.HoursDay
	Running string
}

func newHoursView(p *page, v market.InstanceHours) *hoursView {
	out := &hoursView{InstanceHours: v, Running: runningTime(p, v.Seconds)}
	if v.Unrated > 0 {
		out.Unrated = runningTime(p, v.Unrated)
	}
	for i := len(v.Days) - 1; i >= 0; i-- { // the latest day first
		out.Days = append(out.Days, hoursDayRow{HoursDay: v.Days[i], Running: runningTime(p, v.Days[i].Seconds)})
	}
	return out
}

// runningTime writes seconds as hours and minutes, rounded down to the minute.
func runningTime(p *page, seconds int64) string {
	return p.T("images.hours.duration", "H", seconds/3600, "M", seconds%3600/60)
}

// instancePage shows an instance to its buyers, its product's seller and
// operators.
func (s *server) instancePage(w http.ResponseWriter, r *http.Request, p *page) {
	s.showInstance(w, r, p, http.StatusOK, "")
}

// instancePassword shows the instance's password to its buyer, once: the
// page answers the POST itself, never cached, since it cannot be shown
// again.
func (s *server) instancePassword(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("password", r)
	pw, err := s.svc.RevealPassword(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		s.refill(w, r, p, err, func(status int) { s.showInstance(w, r, p, status, "") })
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.showInstance(w, r, p, http.StatusOK, pw)
}

// instanceRelease deletes the servers of the instance's line at its buyer's
// request, once confirmed.
func (s *server) instanceRelease(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("release", r, "confirm")
	id := r.PathValue("id")
	if p.Form.Values["confirm"] != "yes" {
		p.Form.Errors["confirm"] = p.T("images.release_confirm_needed")
		p.Form.Alert = p.T("images.release_confirm_needed")
		s.showInstance(w, r, p, http.StatusBadRequest, "")
		return
	}
	if err := s.svc.ReleaseInstances(r.Context(), p.Actor, id); err != nil {
		s.refill(w, r, p, err, func(status int) { s.showInstance(w, r, p, status, "") })
		return
	}
	redirect(w, r, "/instances/"+url.PathEscape(id)+"?done=released")
}

func (s *server) showInstance(w http.ResponseWriter, r *http.Request, p *page, status int, password string) {
	v, err := s.instancePageView(r.Context(), p, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v.Password = password
	if r.URL.Query().Get("done") == "released" {
		p.Notice = p.T("images.notice.released")
	}
	p.Title, p.TitleText, p.Data = "images.instance_title", p.T("images.instance_heading", "Name", v.Name, "Unit", v.UnitNo), v
	s.render(w, r, p, status, "instance")
}

func (s *server) instancePageView(ctx context.Context, p *page, id string) (instancePageView, error) {
	in, err := s.svc.Instance(ctx, p.Actor, id)
	if err != nil {
		return instancePageView{}, err
	}
	v := instancePageView{instanceRow: instanceRows(p, []market.InstanceView{in})[0]}
	hours, err := s.svc.ImageInstanceHours(ctx, p.Actor, id, "")
	if err != nil {
		return v, err
	}
	if hours.Metered {
		v.Hours = newHoursView(p, hours)
	}
	mine := account.Can(p.Actor, account.Buy, account.Resource{OrgID: in.BuyerOrgID})
	v.MayReveal = mine && in.PasswordReady
	v.MayRelease = mine && in.State != store.InstanceDeleted && in.State != store.InstanceFailed
	switch {
	case account.Can(p.Actor, account.ReadPurchases, account.Resource{OrgID: in.BuyerOrgID}) && mine:
		v.OrderHref = "/orders/" + url.PathEscape(in.OrderID)
	case account.Can(p.Actor, account.ReadSales, account.Resource{OrgID: in.SellerOrgID}) && !p.Actor.Has(account.RoleOperator):
		v.OrderHref = "/seller/orders/" + url.PathEscape(in.OrderID)
	default:
		v.OrderHref = "/ops/orders/" + url.PathEscape(in.OrderID)
	}
	return v, nil
}

// orderInstances are the instances of an order's image lines the viewer may
// see, for its page; nil when it has no image line.
func (s *server) orderInstances(ctx context.Context, p *page, v orderView) ([]instanceRow, error) {
	for _, l := range v.Lines {
		if l.Type == catalog.TypeImage {
			list, err := s.svc.OrderInstances(ctx, p.Actor, v.ID)
			return instanceRows(p, list), err
		}
	}
	return nil, nil
}
