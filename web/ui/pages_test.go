package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/market"
	"github.com/cloudmart/cloudmart/web/ui"
)

func TestLanguage(t *testing.T) {
	s := newSite(t)
	s.browser(t).mustSignUp("ivy@example.com", "Ivy")

	b := s.browser(t)
	want(t, b.get("/login"), http.StatusOK, `<html lang="en">`, "Sign in to cloudmart", ">中文</a>")

	b.lang = "zh-CN,zh;q=0.9,en;q=0.5"
	want(t, b.get("/login"), http.StatusOK, `<html lang="zh-CN">`, "登录 cloudmart", ">English</a>")

	// The switch wins over the browser's preference, and comes back.
	r := b.get("/lang?to=en&back=" + url.QueryEscape("/login?next=/account"))
	if r.Status != http.StatusSeeOther || r.Location != "/login?next=/account" {
		t.Fatalf("switch: %d %q", r.Status, r.Location)
	}
	want(t, b.get("/login"), http.StatusOK, `<html lang="en">`)

	b = s.browser(t)
	b.get("/lang?to=zh-CN&back=/")
	if b.cookie(ui.LangCookie) != "zh-CN" {
		t.Fatalf("lang cookie = %q", b.cookie(ui.LangCookie))
	}
	r = b.post("/login", url.Values{"email": {"ivy@example.com"}, "password": {"wrong password 1"}})
	want(t, r, http.StatusUnauthorized, `<html lang="zh-CN">`, "电子邮箱或密码错误。")
	b.mustLogIn("ivy@example.com", password)
	want(t, b.get("/account"), http.StatusOK, "我的账户", "买家", "浏览器会话", "UTC")
	want(t, b.get("/nope"), http.StatusNotFound, "页面不存在")
}

func TestAcceptLanguage(t *testing.T) {
	s := newSite(t)
	for _, tc := range []struct{ header, lang string }{
		{"", "en"},
		{"zh-CN", "zh-CN"},
		{"zh", "zh-CN"},
		{"zh-Hans-SG", "zh-CN"},
		{"en-GB,zh-CN;q=0.5", "en"},
		{"fr-FR,zh-CN;q=0.8", "zh-CN"},
		{"fr-FR", "en"},
		{"not a header", "en"},
	} {
		b := s.browser(t)
		b.lang = tc.header
		if r := b.get("/"); !strings.Contains(r.Body, `<html lang="`+tc.lang+`">`) {
			t.Errorf("Accept-Language %q: want %s, got %.80s", tc.header, tc.lang, r.Body)
		}
	}
}

// After a form is shown again with an error, the switch goes back to the page
// with the form, not to the address it posts to.
func TestSwitchAfterPost(t *testing.T) {
	s := newSite(t)
	b := s.browser(t)
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/login", strings.NewReader("email=a%40b.example&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", s.srv.URL+"/login?next=/account")
	res, err := b.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if want := `href="/lang?back=%2Flogin%3Fnext%3D%2Faccount&amp;to=zh-CN"`; !strings.Contains(string(body), want) {
		t.Errorf("switch link after a post: want %s in\n%s", want, body)
	}
}

func TestLanguageSwitchStaysLocal(t *testing.T) {
	s := newSite(t)
	for _, tc := range []struct{ back, want string }{
		{"/account", "/account"},
		{"/ops/audit?action=user.signup", "/ops/audit?action=user.signup"},
		{"", "/"},
		{"https://evil.example/", "/"},
		{"//evil.example/", "/"},
		{"/\\evil.example/", "/"},
		{"/\t/evil.example/", "/"},
		{"account", "/"},
	} {
		r := s.browser(t).get("/lang?to=zh-CN&back=" + url.QueryEscape(tc.back))
		if r.Status != http.StatusSeeOther || r.Location != tc.want {
			t.Errorf("back %q: %d %q, want %q", tc.back, r.Status, r.Location, tc.want)
		}
	}
	// next after sign-in is held to the same rule.
	s.browser(t).mustSignUp("jo@example.com", "Jo")
	r := s.browser(t).post("/login", url.Values{"email": {"jo@example.com"}, "password": {password}, "next": {"//evil.example/"}})
	if r.Location != "/" {
		t.Errorf("next //evil.example/: went to %q", r.Location)
	}
}

// staff makes an operator, an account manager with one customer, and a
// second customer with no manager.
func staff(t *testing.T, s *site) (operator, manager string) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.svc.CreateOperator(ctx, "op@example.com", password, "Olga Operator"); err != nil {
		t.Fatal(err)
	}
	ops, err := s.svc.EnsureOrg(ctx, account.Org{Kind: account.KindOperator, Name: market.OperatorOrgName})
	if err != nil {
		t.Fatal(err)
	}
	am, err := s.svc.EnsureUser(ctx, market.NewUser{Email: "am@example.com", Password: password, DisplayName: "Amir Manager",
		Roles: []market.OrgRole{{OrgID: ops.ID, Role: account.RoleAccountManager}}}, "system")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []account.Org{
		{Kind: account.KindCustomer, Name: "Kite Telesales Co", Segment: account.SegmentTelesales, AccountManagerID: am.ID},
		{Kind: account.KindCustomer, Name: "Lark Direct Co", Segment: account.SegmentDirect},
	} {
		if _, err := s.svc.EnsureOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	return "op@example.com", "am@example.com"
}

func TestRolePages(t *testing.T) {
	s := newSite(t)
	op, am := staff(t, s)
	buyer := s.browser(t)
	buyer.mustSignUp("kim@example.com", "Kim")

	// The navigation shows what the policy allows.
	want(t, buyer.get("/"), http.StatusOK, `href="/account"`)
	wantNot(t, buyer.get("/"), `href="/ops/audit"`, `href="/customers"`)
	want(t, buyer.get("/ops/audit"), http.StatusForbidden, "You may not see this page", "Your account may not do this.")
	want(t, buyer.get("/customers"), http.StatusForbidden, "You may not see this page")
	buyer.lang = "zh-CN"
	want(t, buyer.get("/ops/audit"), http.StatusForbidden, "您无权查看此页面")

	anon := s.browser(t)
	if r := anon.get("/ops/audit?action=x"); r.Status != http.StatusSeeOther || r.Location != "/login?next=%2Fops%2Faudit%3Faction%3Dx" {
		t.Errorf("anonymous audit: %d %q", r.Status, r.Location)
	}

	o := s.browser(t)
	o.mustLogIn(op, password)
	r := o.get("/")
	want(t, r, http.StatusOK, `href="/ops/audit"`, `href="/customers"`)
	want(t, o.get("/customers"), http.StatusOK, "Kite Telesales Co", "Telesales", "Lark Direct Co", "Direct", "Kim Ltd")

	m := s.browser(t)
	m.mustLogIn(am, password)
	r = m.get("/customers")
	want(t, r, http.StatusOK, "Kite Telesales Co", "<td>you</td>")
	wantNot(t, r, "Lark Direct Co", "Kim Ltd")
	want(t, m.get("/ops/audit"), http.StatusForbidden)
}

func TestAudit(t *testing.T) {
	s := newSite(t)
	op, _ := staff(t, s)
	b := s.browser(t)
	b.mustSignUp("lu@example.com", "Lu")
	b.post("/account/profile", url.Values{"display_name": {"Lu Xun"}})
	o := s.browser(t)
	o.mustLogIn(op, password)

	r := o.get("/ops/audit")
	want(t, r, http.StatusOK, "user.signup", "lu@example.com", "user.update", "own account",
		"<del>Lu</del> → <ins>Lu Xun</ins>", " UTC</time>")
	if strings.Index(r.Body, "user.update") > strings.Index(r.Body, "user.signup") {
		t.Error("the audit log is not newest first")
	}
	r = o.get("/ops/audit?action=user.update")
	want(t, r, http.StatusOK, "user.update", `value="user.update"`)
	wantNot(t, r, "<code>user.signup</code>")
	want(t, o.get("/ops/audit?since=2000-01-01&until=2000-01-02"), http.StatusOK, "No entries match.")
	r = o.get("/ops/audit?since=yesterday")
	want(t, r, http.StatusBadRequest)
	if got := fieldError(r.Body, "since"); got != "Enter a valid date, such as 2026-01-31." {
		t.Errorf("bad date: %q", got)
	}
}

func TestAuditPages(t *testing.T) {
	s := newSite(t)
	op, _ := staff(t, s)
	b := s.browser(t)
	b.mustSignUp("mo@example.com", "Mo")
	for i := range 55 { // a page holds 50
		b.post("/account/profile", url.Values{"display_name": {"Mo " + strings.Repeat("x", i+1)}})
	}
	o := s.browser(t)
	o.mustLogIn(op, password)
	r := o.get("/ops/audit?action=user.update")
	want(t, r, http.StatusOK, `rel="next"`, "Older →")
	older := regexpFind(t, r.Body, `href="(/ops/audit\?[^"]*)" rel="next"`)
	r = o.get(strings.ReplaceAll(older, "&amp;", "&"))
	want(t, r, http.StatusOK, "← Newest")
	wantNot(t, r, `rel="next"`)
	if n := strings.Count(r.Body, "<code>user.update</code>"); n != 5 {
		t.Errorf("second page has %d entries, want 5", n)
	}
}

func TestErrorPages(t *testing.T) {
	s := newSite(t)
	b := s.browser(t)
	r := b.get("/no/such/page")
	want(t, r, http.StatusNotFound, "Page not found", "There is no page at this address.")

	r = b.get("/static/style.css?v=old")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") || r.Header.Get("Cache-Control") != "public, max-age=3600" {
		t.Errorf("style.css: %d %q %q", r.Status, r.Header.Get("Content-Type"), r.Header.Get("Cache-Control"))
	}
	home := b.get("/")
	href := regexpFind(t, home.Body, `<link rel="stylesheet" href="([^"]+)"`)
	if r := b.get(href); r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("%s: %d %q", href, r.Status, r.Header.Get("Cache-Control"))
	}
	want(t, b.get("/static/"), http.StatusNotFound, "Page not found")
	want(t, b.get("/static/nope.css"), http.StatusNotFound)

	// A broken database is an internal error: logged, and shown only as that.
	b.mustSignUp("ned@example.com", "Ned")
	s.st.Close()
	r = b.get("/account")
	want(t, r, http.StatusInternalServerError, "Something went wrong", "It has been logged")
	wantNot(t, r, "sql", "database")
	if !strings.Contains(s.log.String(), "ui: internal error") {
		t.Errorf("the internal error was not logged:\n%s", s.log.String())
	}
}

func TestHomeIsHonest(t *testing.T) {
	s := newSite(t)
	r := s.browser(t).get("/")
	want(t, r, http.StatusOK, "The cloud software marketplace", "Images", "SaaS", "Licences", "Professional services",
		"No products are on sale yet.", `action="/products"`, `href="/categories/security"`, `<html lang="en">`)
	if r.Header.Get("Content-Security-Policy") == "" {
		t.Error("no Content-Security-Policy header") // the rest come from web's middleware
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", r.Header.Get("Cache-Control"))
	}
}
