package ui

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var localeFiles embed.FS

// languages are the languages the UI speaks; the first is the default. Each
// has a catalogue: locales/<tag>.json and, for areas added later, files
// locales/<area>.<tag>.json (go-i18n reads the language from the name), all
// of a language together with exactly the keys of the others.
var languages = []language.Tag{language.English, language.MustParse("zh-CN")}

// LangCookie names the cookie that keeps the language a visitor chose.
const LangCookie = "lang"

// catalogue holds the messages of every language.
type catalogue struct {
	bundle  *i18n.Bundle
	matcher language.Matcher
}

func mustLoadCatalog() *catalogue {
	b := i18n.NewBundle(languages[0])
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(localeFiles, "locales/*.json")
	if err != nil {
		panic(err)
	}
	count := map[language.Tag]int{}
	for _, name := range files {
		f, err := b.LoadMessageFileFS(localeFiles, name)
		if err != nil {
			panic(fmt.Sprintf("ui: catalogue %s: %v", name, err))
		}
		count[f.Tag] += len(f.Messages)
	}
	for _, tag := range languages {
		if count[tag] == 0 {
			panic("ui: catalogue " + tag.String() + " is empty")
		}
	}
	return &catalogue{bundle: b, matcher: language.NewMatcher(languages)}
}

// choose picks the language of a page: the one chosen with the switch (the
// lang cookie), else the browser's Accept-Language, else English.
func (c *catalogue) choose(r *http.Request) language.Tag {
	if ck, err := r.Cookie(LangCookie); err == nil {
		if t, ok := c.supported(ck.Value); ok {
			return t
		}
	}
	prefs, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if _, i, conf := c.matcher.Match(prefs...); conf != language.No {
		return languages[i]
	}
	return languages[0]
}

// supported returns the UI language named exactly by s ("en", "zh-CN").
func (c *catalogue) supported(s string) (language.Tag, bool) {
	for _, t := range languages {
		if t.String() == s {
			return t, true
		}
	}
	return language.Und, false
}

// localizer says messages in one language.
type localizer struct{ *i18n.Localizer }

func (c *catalogue) localizer(t language.Tag) localizer {
	return localizer{i18n.NewLocalizer(c.bundle, t.String())}
}

// lookup returns the message id with the data filled in, and whether the
// catalogues have it. A "Count" in data picks the plural form.
func (l localizer) lookup(id string, data map[string]any) (string, bool) {
	lc := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["Count"]; ok {
		lc.PluralCount = n
	}
	s, err := l.Localize(lc)
	return s, s != "" || err == nil
}

// pairs turns template arguments "Name", value, … into template data.
func pairs(args []any) map[string]any {
	data := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			data[k] = args[i+1]
		}
	}
	return data
}
