package catalog

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/fault"
)

// Zone is a named featured zone of the storefront ("Security 安全"), holding
// products an operator placed there, in order.
type Zone struct {
	Slug     string `json:"slug"`
	Name     Text   `json:"name"`
	Position int    `json:"position"` // zones show in ascending position
}

var zoneSlug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks a zone as an operator enters it.
//
// Errors: Invalid on "slug", "name.en" or "name.zh".
func (z Zone) Validate() error {
	if len(z.Slug) > 40 || !zoneSlug.MatchString(z.Slug) {
		return fault.Field("slug", "error.zone_slug", "use 1 to 40 lower-case letters, digits and single dashes, such as security")
	}
	for _, f := range []struct{ field, v string }{{"name.en", z.Name.EN}, {"name.zh", z.Name.ZH}} {
		if n := utf8.RuneCountInString(strings.TrimSpace(f.v)); n < 1 || n > 60 {
			return fault.Field(f.field, "error.name_length", "enter a name of 1 to 60 characters")
		}
	}
	return nil
}

// Banner is a slot of the homepage banner for a time window: a message of the
// marketplace's own (a campaign) or a seller's product.
type Banner struct {
	ID        string    `json:"id"`
	Title     Text      `json:"title"`
	Text      Text      `json:"text"`
	Link      string    `json:"link"`                 // a path on the site or an https:// address
	ProductID string    `json:"product_id,omitempty"` // a seller's product, whose seller must be eligible
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
}

// Validate checks a banner as an operator enters it.
//
// Errors: Invalid on "title.en", "title.zh", "text.en", "text.zh", "link" or
// "ends_at".
func (b Banner) Validate() error {
	for _, f := range []struct {
		field, v string
		max      int
	}{{"title.en", b.Title.EN, 80}, {"title.zh", b.Title.ZH, 80}, {"text.en", b.Text.EN, 200}, {"text.zh", b.Text.ZH, 200}} {
		if n := utf8.RuneCountInString(strings.TrimSpace(f.v)); n < 1 || n > f.max {
			return fault.Field(f.field, "error.name_length", "enter 1 to "+map[int]string{80: "80", 200: "200"}[f.max]+" characters")
		}
	}
	if !(strings.HasPrefix(b.Link, "/") && !strings.HasPrefix(b.Link, "//")) && !strings.HasPrefix(b.Link, "https://") {
		return fault.Field("link", "error.url_https", "link to a page of the site (/…) or an https:// address")
	}
	if !b.EndsAt.After(b.StartsAt) {
		return fault.Field("ends_at", "error.banner_window", "the banner must end after it starts")
	}
	return nil
}

// Showing reports whether the banner is on the home page at the time.
func (b Banner) Showing(at time.Time) bool { return !at.Before(b.StartsAt) && at.Before(b.EndsAt) }
