package seller

import (
	"slices"
	"time"
)

// The support requirement: 8 hours a day, Monday to Friday, over a year of weeks.
const (
	supportPerDay = 8 * time.Hour
	supportWeeks  = 53
)

// shortfall is a weekday of a region that gets less than 8 hours of support: the
// first such date in the checked weeks, and the support found on it.
type shortfall struct {
	first   Date
	covered time.Duration
}

// checkSupport applies the support_capability rule (see Check).
func checkSupport(s Schedule, regions []Region, today Date) Result {
	fail := func(reason Text) Result { return Result{ID: ReqSupportCapability, Reason: reason} }
	switch {
	case len(regions) == 0:
		return fail(Text{"Choose the regions you serve.", "请选择您服务的区域。"})
	case !s.AllDay && s.Zone == "":
		return fail(Text{"State your support hours and their time zone.", "请填写您的支持时间及其时区。"})
	case s.Validate() != nil:
		return fail(Text{
			"Correct your support hours: they must lie within 00:00–24:00, not overlap, and be stated in a known time zone.",
			"请更正您的支持时间：时间须在 00:00–24:00 之内、互不重叠，并使用有效的时区。",
		})
	case s.AllDay:
		return Result{ID: ReqSupportCapability, Passed: true, Reason: Text{"24/7 support covers every region served.", "7×24 小时支持覆盖所服务的全部区域。"}}
	}
	stated, _ := loadZone("support.zone", s.Zone) // Validate loaded it
	zones := map[string]*time.Location{}
	var problems []Text
	for _, r := range regions {
		served, ok := zones[r.Zone]
		if !ok {
			served, _ = loadZone("zone", r.Zone) // nil when unknown
			zones[r.Zone] = served
		}
		if served == nil {
			problems = append(problems, textf(
				"%[1]s: the region's time zone %[2]q is unknown; ask the marketplace to correct it.",
				"%[1]s：该区域的时区“%[2]s”无效，请联系市场运营方更正。", regionName(r), r.Zone))
			continue
		}
		if short := s.shortfalls(stated, served, today); len(short) > 0 {
			problems = append(problems, shortfallText(r, short))
		}
	}
	if len(problems) > 0 {
		return fail(sentences(problems))
	}
	return Result{ID: ReqSupportCapability, Passed: true, Reason: Text{
		"At least 8 hours of support on each weekday, Monday to Friday, in every region served.",
		"在所服务的每个区域，星期一至星期五每天均有至少 8 小时支持。",
	}}
}

// shortfalls returns, for each weekday Monday to Friday that gets less than 8
// hours of support on some date of the 53 weeks from the Monday of today's week
// in the served zone, the first such date and its support; nil when all pass.
func (s Schedule) shortfalls(stated, served *time.Location, today Date) map[time.Weekday]shortfall {
	sinceMonday := (int(today.Weekday()) + 6) % 7
	monday := today.AddDays(-sinceMonday)
	var short map[time.Weekday]shortfall
	for week := range supportWeeks {
		for i := range 5 {
			day := monday.AddDays(7*week + i)
			if _, seen := short[day.Weekday()]; seen {
				continue
			}
			if c := s.coverage(stated, served, day); c < supportPerDay {
				if short == nil {
					short = map[time.Weekday]shortfall{}
				}
				short[day.Weekday()] = shortfall{day, c}
			}
		}
	}
	return short
}

// shortfallText says which weekdays of a region fall short, grouping weekdays
// that get the same support: "cn-north-4 Beijing: Monday and Friday have 7 h 0
// min of support (first on 2026-11-30); at least 8 hours are needed …".
func shortfallText(r Region, short map[time.Weekday]shortfall) Text {
	type group struct {
		days    []Text
		first   Date
		covered time.Duration
	}
	var groups []*group
	for wd := time.Monday; wd <= time.Friday; wd++ {
		sf, ok := short[wd]
		if !ok {
			continue
		}
		i := slices.IndexFunc(groups, func(g *group) bool { return g.covered == sf.covered })
		if i < 0 {
			groups = append(groups, &group{first: sf.first, covered: sf.covered})
			i = len(groups) - 1
		}
		g := groups[i]
		g.days = append(g.days, weekdayName(wd))
		if sf.first.Before(g.first) {
			g.first = sf.first
		}
	}
	var parts []Text
	for _, g := range groups {
		verb := "has"
		if len(g.days) > 1 {
			verb = "have"
		}
		parts = append(parts, textf("%[1]s %[2]s %[3]s of support (first on %[4]s)", "%[1]s只有 %[3]s的支持（首次出现于 %[4]s）",
			list(g.days), verb, hoursText(g.covered), g.first))
	}
	return textf(
		"%[1]s: %[2]s; at least 8 hours are needed on each weekday, Monday to Friday, in %[3]s.",
		"%[1]s：%[2]s；在 %[3]s 时区，星期一至星期五每天至少需要 8 小时支持。",
		regionName(r), join(parts, ", ", "，"), r.Zone)
}
