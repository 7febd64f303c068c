package api

import (
	"golang.org/x/text/language"

	"github.com/cloudmart/cloudmart/seller"
)

// Lang is embedded in the input of operations whose answers hold texts in
// both languages (the checks' reasons, notifications): the caller's
// Accept-Language picks the one in the plain fields. It is exported because
// huma reads parameters only from exported embedded structs.
type Lang struct {
	AcceptLanguage string `header:"Accept-Language" doc:"Chinese (zh, zh-CN …) when the most preferred language is Chinese; English otherwise" example:"zh-CN"`
}

// chinese reports whether the caller's most preferred language is Chinese.
func (l Lang) chinese() bool {
	tags, _, err := language.ParseAcceptLanguage(l.AcceptLanguage)
	if err != nil || len(tags) == 0 {
		return false
	}
	base, _ := tags[0].Base()
	return base.String() == "zh"
}

// pick returns the text in the caller's language.
func (l Lang) pick(en, zh string) string {
	if l.chinese() {
		return zh
	}
	return en
}

// say returns a domain text in the caller's language.
func (l Lang) say(t seller.Text) string { return l.pick(t.EN, t.ZH) }
