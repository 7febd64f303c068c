package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// opsZoneSave creates a featured zone, or renames and moves one: zones show
// on the home page in ascending position.
func (s *server) opsZoneSave(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("zone", r, "slug", "name.en", "name.zh", "position", "editing")
	v := p.Form.Values
	editing := v["editing"]
	show := func(status int) { s.showStorefront(w, r, p, status, editing, "") }
	z := catalog.Zone{Slug: strings.TrimSpace(v["slug"]), Name: catalog.Text{EN: strings.TrimSpace(v["name.en"]), ZH: strings.TrimSpace(v["name.zh"])}}
	if editing != "" {
		z.Slug = editing // the slug is a zone's address: it is kept
	}
	err := s.newZoneSlug(r, editing, z.Slug)
	if err == nil {
		z.Position, err = strconv.Atoi(strings.TrimSpace(v["position"]))
		if err != nil || z.Position < 0 || z.Position > 1000 {
			err = fault.Field("position", "error.position", "enter a position from 0 to 1000")
		}
	}
	if err == nil {
		_, err = s.svc.SaveZone(r.Context(), p.Actor, z)
	}
	if err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	redirect(w, r, "/ops/storefront?"+url.Values{"zone": {z.Slug}, "done": {"zone_saved"}}.Encode())
}

// newZoneSlug refuses a new zone the slug of one that exists: saving would
// rename it instead.
//
// Errors: Invalid on "slug".
func (s *server) newZoneSlug(r *http.Request, editing, slug string) error {
	if editing != "" {
		return nil
	}
	zones, err := s.svc.Zones(r.Context(), money.CNY)
	if err != nil {
		return err
	}
	for _, z := range zones {
		if z.Slug == slug {
			return fault.Field("slug", "error.zone_taken", "a zone has this slug already: edit it instead")
		}
	}
	return nil
}
