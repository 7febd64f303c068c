package ui

import (
	"net/http"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
)

// opsBannerSave creates a homepage banner slot, or changes one (the form's
// id), with its window in UTC.
func (s *server) opsBannerSave(w http.ResponseWriter, r *http.Request, p *page) {
	p.Form = newForm("banner", r, "id", "title.en", "title.zh", "text.en", "text.zh", "link", "product_id", "starts_at", "ends_at")
	v := p.Form.Values
	show := func(status int) { s.showStorefront(w, r, p, status, "", v["id"]) }
	trim := strings.TrimSpace
	b := catalog.Banner{ID: trim(v["id"]), Title: catalog.Text{EN: trim(v["title.en"]), ZH: trim(v["title.zh"])},
		Text: catalog.Text{EN: trim(v["text.en"]), ZH: trim(v["text.zh"])}, Link: trim(v["link"]), ProductID: trim(v["product_id"])}
	var err error
	if b.StartsAt, err = utcField(v, "starts_at"); err == nil {
		b.EndsAt, err = utcField(v, "ends_at")
	}
	if err == nil {
		b, err = s.svc.SaveBanner(r.Context(), p.Actor, b)
	}
	if err != nil {
		s.refill(w, r, p, err, show)
		return
	}
	redirect(w, r, "/ops/storefront?done=banner_saved")
}

// utcField reads a datetime-local field as a time in UTC.
//
// Errors: Invalid on field.
func utcField(v map[string]string, field string) (time.Time, error) {
	s := strings.TrimSpace(v[field])
	for _, layout := range []string{localTime, localTime + ":05"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fault.Field(field, "error.datetime", "enter a date and time such as 2026-12-01T09:00, in UTC")
}
