package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/web/ui"
)

func TestSignUpLogOutLogIn(t *testing.T) {
	s := newSite(t)
	b := s.browser(t)
	b.mustSignUp("ann@example.com", "Ann Lee")

	r := b.get("/account?done=welcome")
	want(t, r, http.StatusOK, "Your account", "ann@example.com", "Ann Lee Ltd", "Buyer",
		"Welcome to cloudmart! Your account is ready.", "this browser", "Sign out")

	r = b.post("/logout", url.Values{})
	if r.Status != http.StatusSeeOther || r.Location != "/" {
		t.Fatalf("logout: %d %q", r.Status, r.Location)
	}
	if b.cookie(ui.SessionCookie) != "" {
		t.Fatal("the session cookie survived the logout")
	}
	if r := b.get("/account"); r.Status != http.StatusSeeOther || r.Location != "/login?next=%2Faccount" {
		t.Fatalf("account when signed out: %d %q", r.Status, r.Location)
	}

	r = b.post("/login", url.Values{"email": {"ANN@example.com"}, "password": {password}, "next": {"/account"}})
	if r.Status != http.StatusSeeOther || r.Location != "/account" {
		t.Fatalf("login: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	want(t, b.get("/"), http.StatusOK, "Welcome back, Ann Lee.")
	want(t, b.get("/login"), http.StatusSeeOther) // signed in already
}

func TestSessionCookie(t *testing.T) {
	s := newSite(t)
	b := s.browser(t)
	r := b.post("/signup", url.Values{"email": {"bo@example.com"}, "display_name": {"Bo"},
		"password": {password}, "password_confirm": {password}})
	set := r.Header.Get("Set-Cookie")
	for _, part := range []string{ui.SessionCookie + "=cmt_", "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=1209"} {
		if !strings.Contains(set, part) {
			t.Errorf("Set-Cookie %q lacks %q", set, part)
		}
	}
	if strings.Contains(set, "Secure") {
		t.Errorf("Set-Cookie %q is Secure on plain HTTP", set)
	}

	// A cookie that no longer works makes the visitor anonymous and is cleared.
	u, _ := url.Parse(s.srv.URL)
	b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: ui.SessionCookie, Value: "cmt_forged"}})
	r = b.get("/")
	want(t, r, http.StatusOK, "Create an account")
	if !strings.Contains(r.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("the bad cookie was not cleared: %q", r.Header.Get("Set-Cookie"))
	}
}

func TestLogInErrors(t *testing.T) {
	s := newSite(t)
	s.browser(t).mustSignUp("cy@example.com", "Cy")
	for _, tc := range []struct {
		name, email, password string
		status                int
		alert, field, msg     string
	}{
		{"wrong password", "cy@example.com", "wrong password 123", http.StatusUnauthorized, "The email or the password is wrong.", "", ""},
		{"unknown email", "nobody@example.com", password, http.StatusUnauthorized, "The email or the password is wrong.", "", ""},
		{"empty password", "cy@example.com", "", http.StatusBadRequest, "", "password", "Fill in this field."},
		{"empty email", "", password, http.StatusBadRequest, "", "email", "Fill in this field."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.browser(t).post("/login", url.Values{"email": {tc.email}, "password": {tc.password}})
			want(t, r, tc.status, `<html lang="en">`)
			if tc.alert != "" {
				want(t, r, tc.status, `role="alert">`+tc.alert)
			}
			if tc.field != "" && fieldError(r.Body, tc.field) != tc.msg {
				t.Errorf("error on %s = %q, want %q", tc.field, fieldError(r.Body, tc.field), tc.msg)
			}
			if tc.email != "" {
				want(t, r, tc.status, `value="`+tc.email+`"`) // what was typed stays
			}
			wantNot(t, r, `value="`+password+`"`, `value="wrong password 123"`)
		})
	}
}

func TestLogInThrottled(t *testing.T) {
	s := newSite(t)
	s.browser(t).mustSignUp("di@example.com", "Di")
	b := s.browser(t)
	var r response
	for range 6 { // five free failures, and the sixth blocks for a second
		r = b.post("/login", url.Values{"email": {"di@example.com"}, "password": {"not the password 1"}})
	}
	want(t, r, http.StatusTooManyRequests, "Too many failed sign-ins. Try again in 1 second.")
	if r.Header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After = %q", r.Header.Get("Retry-After"))
	}
}

func TestSignUpErrors(t *testing.T) {
	s := newSite(t)
	s.browser(t).mustSignUp("taken@example.com", "Taken")
	form := func(email, pw, again string) url.Values {
		return url.Values{"email": {email}, "display_name": {"Eve Example"}, "org_name": {"Eve Ltd"}, "password": {pw}, "password_confirm": {again}}
	}
	for _, tc := range []struct {
		name        string
		form        url.Values
		status      int
		field, want string
	}{
		{"bad email", form("not-an-email", password, password), http.StatusBadRequest, "email", "Enter an email address like name@example.com."},
		{"short password", form("eve@example.com", "short", "short"), http.StatusBadRequest, "password", "Use at least 10 characters."},
		{"weak password", form("eve@example.com", "aaaaaaaaaaaa", "aaaaaaaaaaaa"), http.StatusBadRequest, "password", "This password is too easy to guess. Add more words or characters."},
		{"mismatch", form("eve@example.com", password, password+"!"), http.StatusBadRequest, "password_confirm", "The two passwords are not the same."},
		{"taken", form("taken@example.com", password, password), http.StatusConflict, "email", "An account with this email exists already. Sign in instead?"},
		{"no name", url.Values{"email": {"eve@example.com"}, "password": {password}, "password_confirm": {password}}, http.StatusBadRequest, "display_name", "Enter a name of 1 to 120 characters."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.browser(t).post("/signup", tc.form)
			want(t, r, tc.status, `value="`+tc.form.Get("email")+`"`, `aria-invalid="true"`)
			if got := fieldError(r.Body, tc.field); got != tc.want {
				t.Errorf("error on %s = %q, want %q", tc.field, got, tc.want)
			}
			if tc.form.Get("display_name") != "" {
				want(t, r, tc.status, `value="Eve Example"`, `value="Eve Ltd"`)
			}
			wantNot(t, r, `value="`+tc.form.Get("password")+`"`)
		})
	}
}

func TestTokens(t *testing.T) {
	s := newSite(t)
	b := s.browser(t)
	b.mustSignUp("fa@example.com", "Fa")

	r := b.post("/account/tokens", url.Values{"name": {"nightly build"}, "expires_in_days": {"30"}})
	want(t, r, http.StatusOK, "Copy the secret now: it will not be shown again.", "nightly build", "Personal token")
	m := regexp.MustCompile(`id="new-secret"[^>]*value="(cmt_[A-Za-z0-9_-]+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no secret shown:\n%s", r.Body)
	}
	secret := m[1]
	actor, tok, err := s.svc.Authenticate(context.Background(), secret)
	if err != nil || actor.Email != "fa@example.com" {
		t.Fatalf("the secret shown does not work: %v", err)
	}

	r = b.get("/account")
	want(t, r, http.StatusOK, "nightly build")
	wantNot(t, r, secret, "Copy the secret now")

	for _, tc := range []struct {
		days, name, field, msg string
	}{
		{"0", "x", "expires_in_days", "Choose between 1 and 366 days."},
		{"soon", "x", "expires_in_days", "Choose between 1 and 366 days."},
		{"30", " ", "name", "Enter a name of 1 to 120 characters."},
	} {
		r := b.post("/account/tokens", url.Values{"name": {tc.name}, "expires_in_days": {tc.days}})
		want(t, r, http.StatusBadRequest)
		if got := fieldError(r.Body, tc.field); got != tc.msg {
			t.Errorf("days %q name %q: error on %s = %q, want %q", tc.days, tc.name, tc.field, got, tc.msg)
		}
	}

	r = b.post("/account/tokens/"+tok.ID+"/revoke", url.Values{})
	if r.Status != http.StatusSeeOther || r.Location != "/account?done=revoked" {
		t.Fatalf("revoke: %d %q", r.Status, r.Location)
	}
	if _, _, err := s.svc.Authenticate(context.Background(), secret); err == nil {
		t.Fatal("the revoked token still works")
	}
	r = b.get("/account?done=revoked")
	want(t, r, http.StatusOK, "The session or token was revoked.")
	wantNot(t, r, "nightly build")

	want(t, b.post("/account/tokens/tok_nosuch/revoke", url.Values{}), http.StatusNotFound, "We could not find what you asked for.")
}

func TestRevokeOwnSessionSignsOut(t *testing.T) {
	s := newSite(t)
	b := s.browser(t)
	b.mustSignUp("gu@example.com", "Gu")
	_, tok, err := s.svc.Authenticate(context.Background(), b.cookie(ui.SessionCookie))
	if err != nil {
		t.Fatal(err)
	}
	r := b.post("/account/tokens/"+tok.ID+"/revoke", url.Values{})
	if r.Status != http.StatusSeeOther || r.Location != "/" || b.cookie(ui.SessionCookie) != "" {
		t.Fatalf("revoking this session: %d %q, cookie %q", r.Status, r.Location, b.cookie(ui.SessionCookie))
	}
}

func TestProfileAndPassword(t *testing.T) {
	s := newSite(t)
	b := s.browser(t)
	b.mustSignUp("ha@example.com", "Ha")
	other := s.browser(t)
	other.mustLogIn("ha@example.com", password)

	r := b.post("/account/profile", url.Values{"display_name": {"  Ha   Nguyen "}})
	if r.Status != http.StatusSeeOther || r.Location != "/account?done=profile" {
		t.Fatalf("profile: %d %q", r.Status, r.Location)
	}
	want(t, b.get("/account?done=profile"), http.StatusOK, `value="Ha Nguyen"`, "Your name was saved.")
	r = b.post("/account/profile", url.Values{"display_name": {""}})
	want(t, r, http.StatusBadRequest)
	if got := fieldError(r.Body, "display_name"); got != "Enter a name of 1 to 120 characters." {
		t.Errorf("empty name: %q", got)
	}

	newPassword := "a brand new passphrase 77"
	for _, tc := range []struct {
		name, current, next, again string
		status                     int
		field, msg                 string
	}{
		{"wrong current", "wrong", newPassword, newPassword, http.StatusUnauthorized, "current_password", "The current password is wrong."},
		{"mismatch", password, newPassword, "other", http.StatusBadRequest, "password_confirm", "The two passwords are not the same."},
		{"weak", password, "short", "short", http.StatusBadRequest, "password", "Use at least 10 characters."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.post("/account/password", url.Values{"current_password": {tc.current}, "password": {tc.next}, "password_confirm": {tc.again}})
			want(t, r, tc.status)
			if got := fieldError(r.Body, tc.field); got != tc.msg {
				t.Errorf("error on %s = %q, want %q", tc.field, got, tc.msg)
			}
		})
	}

	r = b.post("/account/password", url.Values{"current_password": {password}, "password": {newPassword}, "password_confirm": {newPassword}})
	if r.Status != http.StatusSeeOther || r.Location != "/account?done=password" {
		t.Fatalf("password: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	want(t, b.get("/account"), http.StatusOK, "Your account") // this session stays
	if r := other.get("/account"); r.Status != http.StatusSeeOther {
		t.Errorf("the other session survived the password change: %d", r.Status)
	}
	other.mustLogIn("ha@example.com", newPassword)
}
