package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
)

// storefrontView is the operators' storefront page: the featured zones with
// their products, and the homepage banner's slots.
type storefrontView struct {
	Zones   []zoneRow
	Zone    *zoneRow // the zone being edited; nil while a new one is entered
	Banners []bannerRow
	Banner  string // the id of the banner being edited; "" for a new one
}

// zoneRow is a featured zone with the products on sale placed in it.
type zoneRow struct {
	catalog.Zone
	Name     string
	Products []placedProduct
}

type placedProduct struct{ ID, Name string }

// bannerRow is a banner slot and whether it shows now.
type bannerRow struct {
	catalog.Banner
	Title  string
	Status string // showing, scheduled or ended
}

// storefrontNotices are the confirmations of the storefront page.
var storefrontNotices = map[string]string{
	"zone_saved":     "opsstore.notice.zone_saved",
	"zone_placed":    "opsstore.notice.zone_placed",
	"zone_deleted":   "opsstore.notice.zone_deleted",
	"banner_saved":   "opsstore.notice.banner_saved",
	"banner_deleted": "opsstore.notice.banner_deleted",
}

// localTime is how a datetime-local input writes a time: in UTC here.
const localTime = "2006-01-02T15:04"

// canManageStorefront reports whether the visitor may manage the zones and
// the banner.
func canManageStorefront(p *page) bool {
	return account.Can(p.Actor, account.ManageStorefront, account.Resource{})
}

// opsStorefront shows the zones and banners, with the zone (?zone=slug) or
// banner (?banner=id) to edit in the forms.
func (s *server) opsStorefront(w http.ResponseWriter, r *http.Request, p *page) {
	if key, ok := storefrontNotices[r.URL.Query().Get("done")]; ok {
		p.Notice = p.T(key)
	}
	s.showStorefront(w, r, p, http.StatusOK, r.URL.Query().Get("zone"), r.URL.Query().Get("banner"))
}

// showStorefront renders the storefront page around p.Form, which may hold
// a failed form of the page; the forms not at fault show the zone and the
// banner being edited, or none.
func (s *server) showStorefront(w http.ResponseWriter, r *http.Request, p *page, status int, zone, banner string) {
	if !canManageStorefront(p) {
		s.fail(w, r, p, forbidden)
		return
	}
	ctx := r.Context()
	zones, err := s.svc.Zones(ctx, money.CNY)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	banners, err := s.svc.Banners(ctx, p.Actor)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	v := storefrontView{}
	next := 1
	for _, z := range zones {
		row := zoneRow{Zone: z.Zone, Name: p.Choose(z.Name.EN, z.Name.ZH)}
		for _, h := range z.Products {
			row.Products = append(row.Products, placedProduct{ID: h.ProductID, Name: p.Choose(h.Name.EN, h.Name.ZH)})
		}
		v.Zones = append(v.Zones, row)
		if z.Slug == zone {
			v.Zone = &v.Zones[len(v.Zones)-1]
		}
		next = max(next, z.Position+1)
	}
	now := s.svc.Now()
	var editing *catalog.Banner
	for i, b := range banners {
		row := bannerRow{Banner: b, Title: p.Choose(b.Title.EN, b.Title.ZH), Status: "ended"}
		switch {
		case b.Showing(now):
			row.Status = "showing"
		case now.Before(b.StartsAt):
			row.Status = "scheduled"
		}
		v.Banners = append(v.Banners, row)
		if b.ID == banner {
			v.Banner, editing = b.ID, &banners[i]
		}
	}
	fillStorefrontForms(p.Form, v.Zone, next, editing, now)
	p.Title, p.Data = "opsstore.title", v
	s.render(w, r, p, status, "ops_storefront")
}

// fillStorefrontForms gives the forms that did not fail what they edit: the
// zone and its products, the banner, or a new one of each.
func fillStorefrontForms(f *form, z *zoneRow, next int, b *catalog.Banner, now time.Time) {
	set := func(id string, values map[string]string) {
		if f.ID == id {
			return // what was typed stays
		}
		for k, v := range values {
			f.Values[k] = v
		}
	}
	if z != nil {
		ids := make([]string, len(z.Products))
		for i, pr := range z.Products {
			ids[i] = pr.ID
		}
		set("zone", map[string]string{"slug": z.Slug, "name.en": z.Zone.Name.EN, "name.zh": z.Zone.Name.ZH, "position": strconv.Itoa(z.Position)})
		set("place", map[string]string{"products": strings.Join(ids, "\n")})
	} else {
		set("zone", map[string]string{"position": strconv.Itoa(next)})
	}
	if b != nil {
		set("banner", map[string]string{"id": b.ID, "title.en": b.Title.EN, "title.zh": b.Title.ZH, "text.en": b.Text.EN, "text.zh": b.Text.ZH,
			"link": b.Link, "product_id": b.ProductID, "starts_at": b.StartsAt.UTC().Format(localTime), "ends_at": b.EndsAt.UTC().Format(localTime)})
	} else {
		start := now.UTC().Truncate(time.Hour).Add(time.Hour)
		set("banner", map[string]string{"starts_at": start.Format(localTime), "ends_at": start.AddDate(0, 0, 7).Format(localTime)})
	}
}
