package ui

import (
	"net/http"
	"strings"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
)

// readSupport reads the support step: 24/7, or the hours of each weekday in a
// time zone. A time input cannot hold 24:00, so an interval that ends at
// 00:00 ends at midnight, the end of its day.
//
// Errors: Invalid on a start or end time, an interval whose start is not
// before its end, or a missing zone.
func readSupport(r *http.Request, f *form, in *market.ApplicationInput) error {
	f.read(r, "support.all_day", "support.zone")
	sched := seller.Schedule{AllDay: f.Values["support.all_day"] != "", Zone: strings.TrimSpace(f.Values["support.zone"])}
	hours := false
	for _, wd := range week {
		group := strings.TrimSuffix(intervalField(wd, 0), "[0]")
		var kept []int
		for i := range postedRows(r, group, ".start") {
			row := intervalField(wd, i)
			f.read(r, row, row+".start", row+".end")
			from, to := strings.TrimSpace(f.Values[row+".start"]), strings.TrimSpace(f.Values[row+".end"])
			if blank(from, to) {
				continue
			}
			if err := required(row+".start", from, row+".end", to); err != nil {
				return err
			}
			if to == "00:00" {
				to = "24:00"
			}
			iv, err := seller.ParseInterval(row, from, to)
			if err != nil {
				return err
			}
			sched.Days[wd] = append(sched.Days[wd], iv)
			kept = append(kept, i)
			hours = true
		}
		f.keep(group, kept)
	}
	if hours && !sched.AllDay && sched.Zone == "" {
		return required("support.zone", "")
	}
	in.Support = sched
	return nil
}
