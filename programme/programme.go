// Package programme holds the marketplace's programmes for sellers: joint
// marketing events they apply to, declarations of workloads migrated to the
// cloud (which open the sales trainings), and trainings with sessions they
// enrol people in. Plain types and the rules over them; no I/O, no clock.
package programme

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/seller"
)

// Seller is what the rules need to know of a seller company.
type Seller struct {
	OrgID string
	State seller.State // its application's state; only an approved seller takes part
	// PublishedTypes are the types of its products on the storefront.
	PublishedTypes []catalog.Type
	// VerifiedMigrations counts its migration declarations an operator verified.
	VerifiedMigrations int
}

// errNotSelling is the answer to a seller that is not approved or is suspended.
var errNotSelling = &fault.Error{Code: fault.Forbidden, MsgID: "error.programme_seller_not_selling",
	Message: "only an approved seller that is not suspended takes part in the marketplace's programmes"}

// mustSell fails unless the seller is approved and not suspended.
func mustSell(s Seller) error {
	if !s.State.Selling() {
		return errNotSelling
	}
	return nil
}

// Limits on what people type, in characters.
const (
	MaxTitle       = 120
	MaxDescription = 4_000
	MaxNote        = 2_000
	MaxPlace       = 300
	MaxName        = 100
	MaxSeats       = 10_000
)

// checkText fails unless s has 1 to max characters after trimming.
func checkText(field, s string, max int) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(s)); n < 1 || n > max {
		return &fault.Error{Code: fault.Invalid, Field: field, MsgID: "error.programme_text_length",
			Message: field + " must be 1 to " + strconv.Itoa(max) + " characters"}
	}
	return nil
}

// checkBilingual checks both languages of a text.
func checkBilingual(field string, t catalog.Text, max int) error {
	if err := checkText(field+"_en", t.EN, max); err != nil {
		return err
	}
	return checkText(field+"_zh", t.ZH, max)
}

// checkOptional fails when s is longer than max characters.
func checkOptional(field, s string, max int) error {
	if utf8.RuneCountInString(s) > max {
		return &fault.Error{Code: fault.Invalid, Field: field, MsgID: "error.programme_text_long",
			Message: field + " may have at most " + strconv.Itoa(max) + " characters"}
	}
	return nil
}

// LocalLayout is how forms give a wall-clock time in a zone.
const LocalLayout = "2006-01-02T15:04"

// At reads a wall-clock time ("2026-12-01T09:30", LocalLayout) in the IANA
// zone and returns it in UTC, as it is stored.
//
// Errors: Invalid on "zone" (error.zone_unknown) or on field
// (error.programme_time).
func At(field, zone, local string) (time.Time, error) {
	loc, err := Zone(zone)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.ParseInLocation(LocalLayout, strings.TrimSpace(local), loc)
	if err != nil {
		return time.Time{}, &fault.Error{Code: fault.Invalid, Field: field, MsgID: "error.programme_time",
			Message: "enter a date and time such as 2026-12-01T09:30"}
	}
	return t.UTC(), nil
}

// Zone loads an IANA time zone by name.
//
// Errors: Invalid on "zone" (error.zone_unknown).
func Zone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return nil, fault.Field("zone", "error.zone_unknown", "enter an IANA time zone such as Asia/Shanghai")
	}
	return loc, nil
}

// checkWindow checks a start and end in a zone: a known zone, an end after
// the start.
func checkWindow(zone string, start, end time.Time) error {
	if _, err := Zone(zone); err != nil {
		return err
	}
	if start.IsZero() {
		return &fault.Error{Code: fault.Invalid, Field: "start", MsgID: "error.programme_time", Message: "enter when it starts"}
	}
	if !end.After(start) {
		return &fault.Error{Code: fault.Invalid, Field: "end", MsgID: "error.programme_end", Message: "the end must come after the start"}
	}
	return nil
}

// checkSeats fails unless 1 ≤ seats ≤ MaxSeats.
func checkSeats(seats int) error {
	if seats < 1 || seats > MaxSeats {
		return &fault.Error{Code: fault.Invalid, Field: "seats", MsgID: "error.programme_seats",
			Message: "seats must be 1 to " + strconv.Itoa(MaxSeats)}
	}
	return nil
}
