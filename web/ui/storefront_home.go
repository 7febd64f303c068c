package ui

import (
	"net/http"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/store"
)

// homeView is what the home page shows.
type homeView struct {
	Name       string // the signed-in user's display name
	Banners    []bannerCard
	Zones      []zoneCards
	Newest     []productCard
	Categories []option
	Types      []catalog.Type
}

// bannerCard is a homepage banner in the page's language.
type bannerCard struct {
	Title, Text, Link string
}

// zoneCards is a featured zone with its products.
type zoneCards struct {
	Slug, Name string
	Cards      []productCard
}

// homeNewest is how many of the newest products the home page shows.
const homeNewest = 8

// home is the storefront's front: the banners showing now, the featured
// zones, the newest products, the categories and the search box.
func (s *server) home(w http.ResponseWriter, r *http.Request, p *page) {
	ctx := r.Context()
	v := homeView{Types: catalog.Types, Categories: categoryLinks(p)}
	if p.Actor.Signed() {
		u, _, err := s.svc.Me(ctx, p.Actor)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		v.Name = u.DisplayName
	}
	banners, err := s.svc.HomeBanners(ctx)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	for _, b := range banners {
		v.Banners = append(v.Banners, bannerCard{Title: p.Choose(b.Title.EN, b.Title.ZH), Text: p.Choose(b.Text.EN, b.Text.ZH), Link: b.Link})
	}
	zones, err := s.svc.Zones(ctx, money.CNY)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	newest, err := s.svc.Search(ctx, store.Query{Sort: store.ByNewest, Limit: homeNewest})
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	shown := [][]store.Hit{newest.Hits}
	for _, z := range zones {
		shown = append(shown, z.Products)
	}
	logos, err := s.svc.Logos(ctx, hitIDs(shown...))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	for _, z := range zones {
		if cards := s.cards(p, z.Products, logos); len(cards) > 0 {
			v.Zones = append(v.Zones, zoneCards{Slug: z.Slug, Name: p.Choose(z.Name.EN, z.Name.ZH), Cards: cards})
		}
	}
	v.Newest = s.cards(p, newest.Hits, logos)
	p.Title, p.Data = "home.title", v
	s.render(w, r, p, http.StatusOK, "home")
}

// categoryLinks lists the categories, named in the page's language.
func categoryLinks(p *page) []option {
	out := make([]option, 0, len(catalog.Categories))
	for _, c := range catalog.Categories {
		out = append(out, option{Value: c.Slug, Label: p.Choose(c.Name.EN, c.Name.ZH)})
	}
	return out
}
