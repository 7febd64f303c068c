package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/catalog"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/programme"
	"github.com/cloudmart/cloudmart/subscription"
)

// What the programme pages share: times shown in the zone of the event or
// session they belong to (saying which), and the choices of their forms.

// progZone is the named zone and its name, UTC for one that is unknown.
func progZone(name string) (*time.Location, string) {
	loc := subscription.LoadZone(name)
	if loc == time.UTC {
		name = "UTC"
	}
	return loc, name
}

// progWhen shows an instant in a zone, naming the zone.
func progWhen(t time.Time, zone string) string {
	loc, zone := progZone(zone)
	return t.In(loc).Format("2006-01-02 15:04") + " (" + zone + ")"
}

// progSpan shows a start and end in a zone: the end's date only when it
// differs from the start's.
func progSpan(start, end time.Time, zone string) string {
	loc, zone := progZone(zone)
	s, e := start.In(loc), end.In(loc)
	to := e.Format("15:04")
	if s.Format(time.DateOnly) != e.Format(time.DateOnly) {
		to = e.Format("2006-01-02 15:04")
	}
	return s.Format("2006-01-02 15:04") + " – " + to + " (" + zone + ")"
}

// progZones are the zones the forms offer: the marketplace's regions' and UTC.
var progZones = []string{"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Europe/Dublin", "Africa/Johannesburg", "America/Santiago", "UTC"}

func (p *page) progZoneOptions() []option {
	out := make([]option, 0, len(progZones))
	for _, z := range progZones {
		out = append(out, option{Value: z, Label: z})
	}
	return out
}

func (p *page) progKindOptions() []option {
	out := make([]option, 0, len(programme.EventKinds))
	for _, k := range programme.EventKinds {
		out = append(out, option{Value: string(k), Label: p.T("prog.kind." + string(k))})
	}
	return out
}

func (p *page) progTypeOptions() []option {
	out := []option{{Value: "", Label: p.T("prog.requires.none")}}
	for _, t := range catalog.Types {
		out = append(out, option{Value: string(t), Label: p.TypeName(t)})
	}
	return out
}

// progText shows a bilingual text in the page's language.
func (p *page) progText(t catalog.Text) string { return p.Choose(t.EN, t.ZH) }

// progRefusal is the translated reason a seller may not do something, "" for none.
func (p *page) progRefusal(err error) string {
	if err == nil {
		return ""
	}
	if e := fault.As(err); e != nil {
		return p.faultText(e)
	}
	return p.T("error.internal")
}

// progSeats reads a number of seats typed into a form.
//
// Errors: Invalid on "seats" (error.programme_seats).
func progSeats(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > programme.MaxSeats {
		return 0, &fault.Error{Code: fault.Invalid, Field: "seats", MsgID: "error.programme_seats", Message: "enter a number of seats"}
	}
	return n, nil
}
