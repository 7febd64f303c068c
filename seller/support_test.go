package seller_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/seller"
)

var (
	beijing  = seller.Region{Code: "cn-north-4", NameEN: "Beijing", NameZH: "北京", Zone: "Asia/Shanghai"}
	dublin   = seller.Region{Code: "eu-west-101", NameEN: "Dublin", NameZH: "都柏林", Zone: "Europe/Dublin"}
	santiago = seller.Region{Code: "la-south-2", NameEN: "Santiago", NameZH: "圣地亚哥", Zone: "America/Santiago"}
	telAviv  = seller.Region{Code: "il-central-1", NameEN: "Tel Aviv", NameZH: "特拉维夫", Zone: "Asia/Jerusalem"}
)

// supportResult returns the support_capability result of an application that
// states only its support and regions.
func supportResult(s seller.Schedule, regions []seller.Region, today seller.Date) seller.Result {
	for _, r := range seller.Check(seller.Application{Support: s, Regions: regions}, seller.Agreement{}, today) {
		if r.ID == seller.ReqSupportCapability {
			return r
		}
	}
	panic("no support_capability result")
}

func TestSupportCapability(t *testing.T) {
	const needed = "; at least 8 hours are needed on each weekday, Monday to Friday, in "
	nineToFive := hours(t, "09:00", "17:00")
	dublinOffice := seller.Schedule{Zone: "Europe/Dublin", Days: weekdays(nineToFive)}

	oneShortDay := weekdays(nineToFive)
	oneShortDay[time.Wednesday] = []seller.Interval{hours(t, "09:00", "16:59")}

	// 20:00–04:00 UTC, stated as two intervals either side of UTC midnight, is
	// 04:00–12:00 in Beijing.
	var overnight [7][]seller.Interval
	for wd := time.Sunday; wd <= time.Thursday; wd++ {
		overnight[wd] = append(overnight[wd], hours(t, "20:00", "24:00"))
	}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		overnight[wd] = append(overnight[wd], hours(t, "00:00", "04:00"))
	}
	mondayMorningOnly := overnight
	mondayMorningOnly[time.Sunday] = nil

	// 02:00–06:00 and 18:00–22:00 UTC every day: 8 hours of each Jerusalem day,
	// whether it is UTC+2 (04:00–08:00 and 20:00–24:00) or UTC+3 (00:00–01:00,
	// 05:00–09:00, 21:00–24:00). Friday 27 March 2026 begins at UTC+2 and ends at
	// UTC+3: 23 hours that end before the evening block does, and begin just as
	// the block of the evening before ends, so the day gets only 7 hours.
	var utcTwoBlocks [7][]seller.Interval
	for wd := range utcTwoBlocks {
		utcTwoBlocks[wd] = []seller.Interval{hours(t, "02:00", "06:00"), hours(t, "18:00", "22:00")}
	}

	tests := []struct {
		name    string
		s       seller.Schedule
		regions []seller.Region
		today   string
		passed  bool
		en      string // the whole English reason
	}{
		{
			name:    "exactly 8 hours in the region's zone",
			s:       seller.Schedule{Zone: "Asia/Shanghai", Days: weekdays(nineToFive)},
			regions: []seller.Region{beijing},
			today:   "2026-11-30",
			passed:  true,
			en:      "At least 8 hours of support on each weekday, Monday to Friday, in every region served.",
		},
		{
			name:    "one minute short on Wednesday",
			s:       seller.Schedule{Zone: "Asia/Shanghai", Days: oneShortDay},
			regions: []seller.Region{beijing},
			today:   "2026-11-30",
			en:      "cn-north-4 Beijing: Wednesday has 7 h 59 min of support (first on 2026-12-02)" + needed + "Asia/Shanghai.",
		},
		{
			// Dublin 09:00–17:00 is 17:00–01:00 in Beijing in winter (GMT), so
			// Monday gets 17:00–24:00 and nothing from Sunday; Tuesday to Friday
			// also get 00:00–01:00 from the day before.
			name:    "Dublin office hours for Beijing in winter",
			s:       dublinOffice,
			regions: []seller.Region{beijing},
			today:   "2026-11-30",
			en:      "cn-north-4 Beijing: Monday has 7 h 0 min of support (first on 2026-11-30)" + needed + "Asia/Shanghai.",
		},
		{
			// In Irish summer time they are 16:00–24:00 in Beijing, so the first
			// short Monday is the one after the clocks go back on 25 October.
			name:    "Dublin office hours for Beijing, checked in summer",
			s:       dublinOffice,
			regions: []seller.Region{beijing},
			today:   "2026-06-17",
			en:      "cn-north-4 Beijing: Monday has 7 h 0 min of support (first on 2026-10-26)" + needed + "Asia/Shanghai.",
		},
		{
			name:    "Dublin office hours for Dublin",
			s:       dublinOffice,
			regions: []seller.Region{dublin},
			today:   "2026-11-30",
			passed:  true,
			en:      "At least 8 hours of support on each weekday, Monday to Friday, in every region served.",
		},
		{
			name:    "Dublin office hours for Dublin and Beijing",
			s:       dublinOffice,
			regions: []seller.Region{dublin, beijing},
			today:   "2026-11-30",
			en:      "cn-north-4 Beijing: Monday has 7 h 0 min of support (first on 2026-11-30)" + needed + "Asia/Shanghai.",
		},
		{
			// Shanghai's Monday to Friday is Sunday 12:00 or 13:00 to Friday 12:00
			// or 13:00 in Santiago: 24 hours Monday to Thursday, 12 or 13 on Friday.
			// Santiago's clocks change at weekends, so no weekday is affected.
			name:    "Shanghai weekdays around the clock for Santiago",
			s:       seller.Schedule{Zone: "Asia/Shanghai", Days: weekdays(hours(t, "00:00", "24:00"))},
			regions: []seller.Region{santiago},
			today:   "2026-01-15",
			passed:  true,
			en:      "At least 8 hours of support on each weekday, Monday to Friday, in every region served.",
		},
		{
			name:    "a daylight-saving change makes one Friday short",
			s:       seller.Schedule{Zone: "UTC", Days: utcTwoBlocks},
			regions: []seller.Region{telAviv},
			today:   "2026-01-15",
			en:      "il-central-1 Tel Aviv: Friday has 7 h 0 min of support (first on 2026-03-27)" + needed + "Asia/Jerusalem.",
		},
		{
			// 53 weeks from Monday 30 March 2026 reach Friday 2 April 2027.
			name:    "checked just after the change, the next one is in the window",
			s:       seller.Schedule{Zone: "UTC", Days: utcTwoBlocks},
			regions: []seller.Region{telAviv},
			today:   "2026-04-01",
			en:      "il-central-1 Tel Aviv: Friday has 7 h 0 min of support (first on 2027-03-26)" + needed + "Asia/Jerusalem.",
		},
		{
			name:    "two intervals summing to 8 hours",
			s:       seller.Schedule{Zone: "Asia/Shanghai", Days: weekdays(hours(t, "09:00", "12:00"), hours(t, "13:00", "18:00"))},
			regions: []seller.Region{beijing},
			today:   "2026-11-30",
			passed:  true,
			en:      "At least 8 hours of support on each weekday, Monday to Friday, in every region served.",
		},
		{
			name:    "support across midnight counts as one block",
			s:       seller.Schedule{Zone: "UTC", Days: overnight},
			regions: []seller.Region{beijing},
			today:   "2026-11-30",
			passed:  true,
			en:      "At least 8 hours of support on each weekday, Monday to Friday, in every region served.",
		},
		{
			name:    "without Sunday evening, Monday gets half",
			s:       seller.Schedule{Zone: "UTC", Days: mondayMorningOnly},
			regions: []seller.Region{beijing},
			today:   "2026-11-30",
			en:      "cn-north-4 Beijing: Monday has 4 h 0 min of support (first on 2026-11-30)" + needed + "Asia/Shanghai.",
		},
		{
			name:    "24/7",
			s:       seller.Schedule{AllDay: true},
			regions: []seller.Region{beijing, santiago, telAviv},
			today:   "2026-01-15",
			passed:  true,
			en:      "24/7 support covers every region served.",
		},
		{
			name:    "several days short, grouped by the hours found",
			s:       seller.Schedule{Zone: "Asia/Shanghai", Days: [7][]seller.Interval{time.Tuesday: {nineToFive}, time.Wednesday: {hours(t, "09:00", "13:00")}, time.Thursday: {nineToFive}}},
			regions: []seller.Region{beijing},
			today:   "2026-11-30",
			en:      "cn-north-4 Beijing: Monday and Friday have 0 h 0 min of support (first on 2026-11-30), Wednesday has 4 h 0 min of support (first on 2026-12-02)" + needed + "Asia/Shanghai.",
		},
		{
			name:    "several regions short",
			s:       seller.Schedule{Zone: "Europe/Dublin", Days: weekdays(hours(t, "09:00", "12:00"))},
			regions: []seller.Region{dublin, beijing},
			today:   "2026-11-30",
			en: "eu-west-101 Dublin: Monday, Tuesday, Wednesday, Thursday and Friday have 3 h 0 min of support (first on 2026-11-30)" + needed + "Europe/Dublin. " +
				"cn-north-4 Beijing: Monday, Tuesday, Wednesday, Thursday and Friday have 3 h 0 min of support (first on 2026-11-30)" + needed + "Asia/Shanghai.",
		},
		{
			name:  "no regions",
			s:     seller.Schedule{AllDay: true},
			today: "2026-11-30",
			en:    "Choose the regions you serve.",
		},
		{
			name:    "no hours stated",
			s:       seller.Schedule{},
			regions: []seller.Region{beijing},
			today:   "2026-11-30",
			en:      "State your support hours and their time zone.",
		},
		{
			name:    "invalid hours",
			s:       seller.Schedule{Zone: "UTC", Days: weekdays(hours(t, "09:00", "17:00"), hours(t, "16:00", "18:00"))},
			regions: []seller.Region{beijing},
			today:   "2026-11-30",
			en:      "Correct your support hours: they must lie within 00:00–24:00, not overlap, and be stated in a known time zone.",
		},
		{
			name:    "region with an unknown zone",
			s:       seller.Schedule{Zone: "Asia/Shanghai", Days: weekdays(nineToFive)},
			regions: []seller.Region{{Code: "xx-1", NameEN: "Nowhere", NameZH: "无处", Zone: "Nowhere/Land"}},
			today:   "2026-11-30",
			en:      `xx-1 Nowhere: the region's time zone "Nowhere/Land" is unknown; ask the marketplace to correct it.`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := supportResult(tc.s, tc.regions, mustDate(t, tc.today))
			if r.Passed != tc.passed || r.Reason.EN != tc.en {
				t.Errorf("passed=%v, reason:\n%s\nwant passed=%v, reason:\n%s", r.Passed, r.Reason.EN, tc.passed, tc.en)
			}
			if r.Reason.ZH == "" {
				t.Error("no Chinese reason")
			}
		})
	}
}

func TestSupportReasonInChinese(t *testing.T) {
	s := seller.Schedule{Zone: "Europe/Dublin", Days: weekdays(hours(t, "09:00", "17:00"))}
	s.Days[time.Friday] = nil
	r := supportResult(s, []seller.Region{beijing}, mustDate(t, "2026-11-30"))
	want := "cn-north-4 北京：星期一只有 7 小时 0 分钟的支持（首次出现于 2026-11-30），星期五只有 1 小时 0 分钟的支持（首次出现于 2026-12-04）；" +
		"在 Asia/Shanghai 时区，星期一至星期五每天至少需要 8 小时支持。"
	if r.Passed || r.Reason.ZH != want {
		t.Errorf("passed=%v, reason:\n%s\nwant:\n%s", r.Passed, r.Reason.ZH, want)
	}
}
