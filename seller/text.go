package seller

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Text is a message in each language of the marketplace.
type Text struct {
	EN, ZH string
}

// textf formats the arguments into the English and the Chinese pattern; a Text
// argument gives each language its own words. A pattern may use explicit
// indexes (%[2]s) when the languages order the arguments differently.
func textf(en, zh string, args ...any) Text {
	enArgs, zhArgs := slices.Clone(args), slices.Clone(args)
	for i, a := range args {
		if t, ok := a.(Text); ok {
			enArgs[i], zhArgs[i] = t.EN, t.ZH
		}
	}
	return Text{fmt.Sprintf(en, enArgs...), fmt.Sprintf(zh, zhArgs...)}
}

// join joins texts with a separator for each language.
func join(texts []Text, sepEN, sepZH string) Text {
	var en, zh []string
	for _, t := range texts {
		en, zh = append(en, t.EN), append(zh, t.ZH)
	}
	return Text{strings.Join(en, sepEN), strings.Join(zh, sepZH)}
}

// sentences joins sentences: with a space in English, directly in Chinese,
// whose sentences end in full-width punctuation.
func sentences(texts []Text) Text { return join(texts, " ", "") }

// list joins items as a list: "a, b and c" in English, "a、b、c" in Chinese.
func list(items []Text) Text {
	t := join(items, ", ", "、")
	if n := len(items); n > 1 {
		t.EN = join(items[:n-1], ", ", "").EN + " and " + items[n-1].EN
	}
	return t
}

var weekdaysZH = [7]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func weekdayName(wd time.Weekday) Text { return Text{wd.String(), weekdaysZH[wd]} }

// hoursText writes a duration as "7 h 30 min" / "7 小时 30 分钟".
func hoursText(d time.Duration) Text {
	m := int(d / time.Minute)
	return textf("%d h %d min", "%d 小时 %d 分钟", m/60, m%60)
}

var offeringNames = map[Offering]Text{
	OfferingImage:               {"image", "镜像"},
	OfferingSaaS:                {"SaaS", "SaaS"},
	OfferingAPI:                 {"API", "API"},
	OfferingLicense:             {"licence", "许可证"},
	OfferingProfessionalService: {"professional service", "专业服务"},
}

// regionName names a region in each language: "cn-north-4 Beijing".
func regionName(r Region) Text {
	return Text{strings.TrimSpace(r.Code + " " + r.NameEN), strings.TrimSpace(r.Code + " " + r.NameZH)}
}
