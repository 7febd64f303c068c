package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/seller"
)

// applicationPage is an application as the applicant's and the operators'
// pages show it, in the page's language.
type applicationPage struct {
	market.ApplicationView
	Requirements []requirement // the seven, in their order
	Failed       []requirement // those that do not pass
	Passed       int           // how many pass
	// Why the operator sent it back, rejected or suspended it, while that
	// is where it stands.
	OperatorReason string
	Week           []weekRow // the support hours, Monday to Sunday
	SignedByYou    bool      // the viewer signed the agreement on file
	DocBase        string    // the address the documents are under
	Wizard         bool      // shown to the applicant, whose steps fix what fails
}

// requirement is one of the seven checks, its reason in the page's language.
type requirement struct {
	ID     string
	Passed bool
	Reason string
	Fix    string // the wizard step whose page fixes it
}

// weekRow is a day of the support hours: "09:00–18:00, 19:00–21:00", or ""
// when there is none.
type weekRow struct {
	Day   string // "monday", for the catalogue
	Hours string
}

// describe readies an application for a page: the applicant's wizard, or an
// operator's review.
func describe(p *page, v market.ApplicationView, wizard bool) applicationPage {
	a := applicationPage{ApplicationView: v, SignedByYou: v.Signature != nil && v.Signature.SignedBy == p.Actor.UserID,
		DocBase: "/ops/applications/" + v.ID + "/documents/", Wizard: wizard}
	if wizard {
		a.DocBase = "/seller/application/documents/"
	}
	for _, c := range v.Checks {
		req := requirement{ID: c.ID, Passed: c.Passed, Reason: p.Choose(c.Reason.EN, c.Reason.ZH), Fix: fixedBy(c.ID, v)}
		a.Requirements = append(a.Requirements, req)
		if c.Passed {
			a.Passed++
		} else {
			a.Failed = append(a.Failed, req)
		}
	}
	switch v.State {
	case seller.ChangesRequested, seller.Rejected, seller.Suspended:
		a.OperatorReason = v.Reason
	}
	for _, wd := range week {
		var hours []string
		for _, iv := range v.Support.Days[wd] {
			hours = append(hours, seller.FormatClock(iv.Start)+"–"+seller.FormatClock(iv.End))
		}
		a.Week = append(a.Week, weekRow{Day: strings.ToLower(wd.String()), Hours: strings.Join(hours, ", ")})
	}
	return a
}

// intervalField names the inputs of a day's i-th support interval:
// "support.days.monday[0]", with ".start" and ".end".
func intervalField(wd time.Weekday, i int) string {
	return "support.days." + strings.ToLower(wd.String()) + "[" + strconv.Itoa(i) + "]"
}
