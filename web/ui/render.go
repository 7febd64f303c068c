package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/web/status"
)

//go:embed templates/*.html
var templateFiles embed.FS

// views are the page templates by name: layout.html and the partials
// (_*.html, blocks several pages share) with one page file each.
type views map[string]*template.Template

var funcs = template.FuncMap{
	"utc":   utc,
	"day":   day,
	"short": short,
	"seq":   seq,
	"kib":   kib,
	"inc":   func(n int) int { return n + 1 },
	"list":  func(s ...string) []string { return s },
	// rfc3339 writes an instant exactly, for a hidden field to send back.
	"rfc3339": func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) },
}

func mustParseViews() views {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	shared := []string{"templates/layout.html"}
	for _, name := range names {
		if strings.HasPrefix(path.Base(name), "_") {
			shared = append(shared, name)
		}
	}
	v := views{}
	for _, name := range names {
		if slices.Contains(shared, name) {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, append(slices.Clone(shared), name)...)
		if err != nil {
			panic(fmt.Sprintf("ui: template %s: %v", name, err))
		}
		v[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return v
}

// timeLayout is how every time is shown: in UTC, and saying so.
const timeLayout = "2006-01-02 15:04 UTC"

// utc shows a time in a <time> element; the zero time shows as a dash.
func utc(t time.Time) template.HTML { return timeElement(t, time.RFC3339, timeLayout) }

// day shows the UTC date of a time; the zero time shows as a dash.
func day(t time.Time) template.HTML { return timeElement(t, time.DateOnly, time.DateOnly) }

// timeElement writes t in UTC in a <time> element, for machines in one
// layout and for people in another.
func timeElement(t time.Time, machine, human string) template.HTML {
	if t.IsZero() {
		return "—"
	}
	t = t.UTC()
	// Only digits and fixed letters come out of Format, so this is safe HTML.
	return template.HTML(`<time datetime="` + t.Format(machine) + `">` + t.Format(human) + `</time>`)
}

// seq returns 0, 1, … n-1, for drawing n rows of a form.
func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// kib writes a file size in kilobytes, or megabytes from one.
func kib(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	}
	return strconv.FormatInt((n+1023)/1024, 10) + " KB"
}

// short cuts a long text (a user agent, a JSON value) to n characters.
func short(n int, s string) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// page is what the layout and every page template see.
type page struct {
	Lang   string // "en" or "zh-CN", for <html lang>
	Title  string // catalogue key of the page's title
	Path   string // the page's local address, for the language switch to return to
	Actor  account.Actor
	Token  account.Token // the session in use; zero when signed out
	Nav    []navItem
	Form   *form
	Notice string // a translated confirmation, after a redirect
	Data   any    // what the page shows

	// TitleText is the page's title itself when it is no message (a
	// product's name); it wins over Title.
	TitleText string

	loc    localizer
	other  language.Tag // the language the switch offers
	assets *assets
	unread int // notifications, counted when the page renders

	canBuy   bool // the visitor buys for a customer organisation
	cartSize int  // units in its cart, counted when the page renders
}

type navItem struct {
	Href, Label string
	Current     bool
}

// newPage starts the page for a request: its language and where it is.
func (s *server) newPage(r *http.Request) *page {
	tag := s.cat.choose(r)
	other := languages[0]
	if tag == languages[0] {
		other = languages[1]
	}
	return &page{Lang: tag.String(), Path: localPath(pageURL(r), "/"), Form: emptyForm(""), loc: s.cat.localizer(tag), other: other, assets: s.assets}
}

// signIn records who is signed in and builds the navigation they may use. The
// policy decides which links show; roles are never looked at here.
func (p *page) signIn(actor account.Actor, tok account.Token) {
	p.Actor, p.Token = actor, tok
	buyer := buyerOrg(actor).OrgID
	// A seller's benefit pages (support, resale, test credit, programmes) are
	// reached from its benefits page, which the header marks while on them.
	within := map[string][]string{ // more pages a link is current on
		"/seller/benefits": {"/seller/support", "/seller/resale", "/seller/test-credit", "/seller/events", "/seller/migrations", "/seller/trainings"},
	}
	links := []struct {
		href, label string
		show        bool
	}{
		{"/", "nav.home", true},
		{"/products", "nav.products", true},
		{"/customers", "nav.customers", account.Can(actor, account.ListCustomers, account.Resource{})},
		{"/ops/applications", "nav.applications", account.Can(actor, account.ListApplications, account.Resource{})},
		{"/ops/products", "nav.review_products", account.Can(actor, account.ReviewProducts, account.Resource{})},
		{"/ops/storefront", "nav.storefront", account.Can(actor, account.ManageStorefront, account.Resource{})},
		{"/ops/audit", "nav.audit", account.Can(actor, account.ReadAudit, account.Resource{})},
		{"/seller/application", "nav.seller", account.Can(actor, account.Apply, account.Resource{})},
		{"/seller/products", "nav.my_products", account.Can(actor, account.ManageProducts, account.Resource{OrgID: sellerOrgOf(actor)})},
		{"/seller/orders", "nav.sales", sellerOrgOf(actor) != "" && account.Can(actor, account.ReadSales, account.Resource{OrgID: sellerOrgOf(actor)})},
		{"/ops/orders", "nav.all_orders", account.Can(actor, account.ReadAllOrders, account.Resource{})},
		{"/orders", "nav.orders", buyer != "" && account.Can(actor, account.ReadPurchases, account.Resource{OrgID: buyer})},
		{"/service-orders", "nav.service_orders", buyer != "" && account.Can(actor, account.ReadPurchases, account.Resource{OrgID: buyer})},
		{"/seller/service-orders", "nav.seller_service_orders", sellerOrgOf(actor) != "" && account.Can(actor, account.ReadSales, account.Resource{OrgID: sellerOrgOf(actor)})},
		{"/ops/service-orders", "nav.disputes", account.Can(actor, account.ReadAllOrders, account.Resource{})},
		{"/ops/support", "sup.nav.ops", account.Can(actor, account.HandleSupport, account.Resource{})},
		{"/campaigns", "camp.nav.campaigns", true},
		{"/account/coupons", "camp.nav.coupons", buyer != ""},
		{"/ops/campaigns", "camp.nav.ops", account.Can(actor, account.ManageCampaigns, account.Resource{})},
		{"/am/campaigns", "camp.nav.admissions", account.Can(actor, account.AdmitCustomers, account.Resource{AccountManagerID: actor.UserID})},
		{"/ops/resale", "resale.nav.ops", account.Can(actor, account.ManageResale, account.Resource{})},
		{"/partner/products", "resale.nav.partner", actor.Has(account.RolePartner)},
		{"/ops/test-credit", "tc.nav.ops", account.Can(actor, account.ReviewTestCredit, account.Resource{})},
		{"/seller/benefits", "ben.nav.benefits", sellerOrgOf(actor) != "" && account.Can(actor, account.ReadBenefits, account.Resource{OrgID: sellerOrgOf(actor)})},
		{"/ops/exchange-rates", "ben.nav.rates", account.Can(actor, account.ManageRates, account.Resource{})},
		{"/ops/events", "prog.nav.ops", account.Can(actor, account.ManageProgrammes, account.Resource{})},
		{"/account", "nav.account", actor.Signed()},
	}
	p.Nav = p.Nav[:0]
	p.canBuy = buyer != ""
	here, _, _ := strings.Cut(p.Path, "?")
	for _, l := range links {
		if l.show {
			current := here == l.href || l.href != "/" && strings.HasPrefix(here, l.href+"/")
			for _, w := range within[l.href] {
				current = current || here == w || strings.HasPrefix(here, w+"/")
			}
			p.Nav = append(p.Nav, navItem{Href: l.href, Label: p.T(l.label), Current: current})
		}
	}
}

// CartSize is the number of units in the buyer's cart, for the header's
// cart link; CanBuy says whether the header shows one.
func (p *page) CartSize() int { return p.cartSize }

// CanBuy reports whether the visitor buys for a customer organisation.
func (p *page) CanBuy() bool { return p.canBuy }

// Unread is the signed-in user's number of unread notifications, for the
// header's bell.
func (p *page) Unread() int { return p.unread }

// OnNotifications reports whether the page is the notifications list.
func (p *page) OnNotifications() bool { return strings.HasPrefix(p.Path, "/notifications") }

// Chinese reports whether the page is in Chinese.
func (p *page) Chinese() bool { return p.Lang == "zh-CN" }

// Choose picks the text in the page's language from a pair that the layers
// below keep in both (a check's reason, a region's name, a notification),
// falling back to the English one when the Chinese one is empty.
func (p *page) Choose(en, zh string) string {
	if p.Chinese() && zh != "" {
		return zh
	}
	return en
}

// T returns the message id in the page's language; args are pairs of names
// and values for the message's placeholders ("Count" picks a plural form). A
// missing message shows as its id, which the tests look for.
func (p *page) T(id string, args ...any) string {
	if s, ok := p.loc.lookup(id, pairs(args)); ok {
		return s
	}
	return id
}

// Has reports whether the catalogues have the message id.
func (p *page) Has(id string) bool {
	_, ok := p.loc.lookup(id, nil)
	return ok
}

// Switch is the language switch: a link to the other language that comes back
// to this page.
func (p *page) Switch() struct{ Lang, Name, Href string } {
	return struct{ Lang, Name, Href string }{
		Lang: p.other.String(),
		Name: p.T("lang.other"),
		Href: "/lang?" + url.Values{"to": {p.other.String()}, "back": {p.Path}}.Encode(),
	}
}

// With pairs the page with a value for a partial template that needs both:
// in it, .V is the value and the page's methods (T, Money …) work as usual.
func (p *page) With(v any) withValue { return withValue{page: p, V: v} }

type withValue struct {
	*page
	V any
}

// Asset returns the address of a static file, versioned by its content.
func (p *page) Asset(name string) string { return p.assets.url(name) }

// faultText translates an error for people: its MsgID if the catalogues have
// it, else "error.<code>", else its English message.
func (p *page) faultText(e *fault.Error) string {
	var data map[string]any
	if e.RetryAfterSeconds > 0 {
		data = map[string]any{"Wait": p.wait(e.RetryAfterSeconds)}
	}
	for _, id := range []string{e.MsgID, "error." + e.Code} {
		if id == "" {
			continue
		}
		if s, ok := p.loc.lookup(id, data); ok {
			return s
		}
	}
	if e.Message != "" {
		return e.Message
	}
	return p.T("error.internal")
}

// wait says how long to wait, in seconds or, from two minutes, in minutes.
func (p *page) wait(secs int) string {
	if secs < 120 {
		return p.T("duration.seconds", "Count", secs)
	}
	return p.T("duration.minutes", "Count", (secs+59)/60)
}

// csp allows only the page's own stylesheet and images, and forms posting to
// this site: the UI has no script and no inline style.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// render writes the page with the view's template. It renders into a buffer
// first so that a template error becomes a clean error page, not half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, p *page, status int, view string) {
	var buf bytes.Buffer
	if p.Actor.Signed() {
		p.unread = s.unread(r, p.Actor)
	}
	if p.canBuy {
		p.cartSize = cartSize(r)
	}
	t, ok := s.views[view]
	if !ok {
		s.log.ErrorContext(r.Context(), "ui: no such view", "view", view)
		s.plainError(w)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.ErrorContext(r.Context(), "ui: render", "view", view, "err", err)
		if view == "error" {
			s.plainError(w)
			return
		}
		s.fail(w, r, p, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.Lang)
	h.Set("Cache-Control", "no-store") // pages show personal data and one-time secrets
	h.Set("Content-Security-Policy", csp)
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// plainError is the last resort when even the error page cannot be rendered.
func (s *server) plainError(w http.ResponseWriter) {
	http.Error(w, "500 internal server error", http.StatusInternalServerError)
}

// fail shows the error page for err with the status of its code. An error that
// is not a fault, or an internal one, is logged and shown only as "something
// went wrong": Go's error text never reaches the visitor.
func (s *server) fail(w http.ResponseWriter, r *http.Request, p *page, err error) {
	e := fault.As(err)
	if e == nil || e.Code == fault.Internal {
		s.log.ErrorContext(r.Context(), "ui: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		e = &fault.Error{Code: fault.Internal}
	}
	if e.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
	}
	p.Title = "errorpage." + e.Code
	p.Data = struct{ Message string }{p.faultText(e)}
	s.render(w, r, p, status.Of(e.Code), "error")
}

// formCodes are the codes a visitor fixes by changing what it typed, or that
// are about the object the form is on (its state, the requirements it does not
// meet yet), which the page with the form shows best; others get an error page.
var formCodes = map[string]bool{
	fault.Invalid: true, fault.Unauthorized: true, fault.Conflict: true, fault.TooManyAttempts: true,
	fault.InvalidState: true, fault.RequirementsNotMet: true,
}

// refill puts err's translated message into the page's form (next to the field
// at fault, or above the form) and calls show to render the form again with
// the error's status. Errors that are not about the form get the error page.
func (s *server) refill(w http.ResponseWriter, r *http.Request, p *page, err error, show func(status int)) {
	e := fault.As(err)
	if e == nil || !formCodes[e.Code] {
		s.fail(w, r, p, err)
		return
	}
	if e.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
	}
	p.Form.fail(e.Field, p.faultText(e))
	show(status.Of(e.Code))
}

// redirect sends the browser on after a successful POST, with a GET.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath returns s if it is a path on this site, else fallback. It stops
// open redirects: "//evil.example" and "/\evil.example" are other sites to a
// browser, and browsers drop tabs and newlines before reading a URL.
func localPath(s, fallback string) string {
	if len(s) == 0 || s[0] != '/' || len(s) > 1 && (s[1] == '/' || s[1] == '\\') {
		return fallback
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\' {
			return fallback
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return fallback
	}
	return s
}
