package ui

import "net/http"

// homeView is what the home page shows.
type homeView struct {
	Name  string   // the signed-in user's display name
	Kinds []string // the kinds of product the marketplace sells
}

// home says what cloudmart is. The catalogue comes later; until then the page
// describes the marketplace and shows no products.
func (s *server) home(w http.ResponseWriter, r *http.Request, p *page) {
	v := homeView{Kinds: []string{"image", "saas", "license", "service"}}
	if p.Actor.Signed() {
		u, _, err := s.svc.Me(r.Context(), p.Actor)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		v.Name = u.DisplayName
	}
	p.Title, p.Data = "home.title", v
	s.render(w, r, p, http.StatusOK, "home")
}
