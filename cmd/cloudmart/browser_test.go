package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// browser is one headless Chromium driven through the real server's pages.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots []string // folders that receive screenshots
}

// newBrowser starts Debian's Chromium for the test (skipped loudly without it,
// failed under CI=true). The whole browser session ends after limit.
func newBrowser(t *testing.T, base string, limit time.Duration) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing under CI=true: install Debian's chromium package (%v)", chromiumPath, err)
		}
		t.Skipf("SKIPPING BROWSER TEST: %s is missing (%v); install Debian's chromium package to run it", chromiumPath, err)
	}
	shots := []string{t.TempDir()}
	if dir := os.Getenv("CLOUDMART_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		shots = append(shots, dir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Headless,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(profileDir(t)),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	return &browser{t: t, ctx: bctx, base: base, shots: shots}
}

// do runs the steps, failing the test with what was being done.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a path of the site.
func (b *browser) open(path string) chromedp.Action[chromedp.Void] {
	return chromedp.Navigate(b.base + path)
}

// text returns the trimmed text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(sel))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(v)
}

// location is the current path and query.
func (b *browser) location() string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return strings.TrimPrefix(v, b.base)
}

// submit clicks and waits for the page that the click loads.
func (b *browser) submit(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(sel))(ctx, tg)
		return err
	})
}

// fill types values into the fields with the ids.
func (b *browser) fill(fields map[string]string) chromedp.Action[chromedp.Void] {
	var steps []chromedp.Action[chromedp.Void]
	for id, v := range fields {
		steps = append(steps, chromedp.Clear(chromedp.ID(id)), chromedp.SendKeys(chromedp.ID(id), v))
	}
	return chromedp.Steps(steps...)
}

// shot saves a screenshot of the whole page as name.png.
func (b *browser) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	for _, dir := range b.shots {
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
}

// signIn signs in through the login form and lands on next.
func (b *browser) signIn(email, password, next string) {
	b.t.Helper()
	b.do("sign in as "+email, b.open("/login?next="+next), chromedp.WaitVisible(chromedp.ID("f-email")),
		b.fill(map[string]string{"f-email": email, "f-password": password}), b.submit("#login-submit"))
	if loc := b.location(); loc != next {
		b.t.Fatalf("after signing in as %s at %s, want %s", email, loc, next)
	}
}

// signOut uses the header's sign-out button.
func (b *browser) signOut() {
	b.t.Helper()
	b.do("sign out", b.submit(".site-header form[action='/logout'] button"))
}

// TestBrowserAccounts drives the real server in Chromium: sign up (after a
// mistake), make a token, sign out, sign in, switch to Chinese and see Chinese.
func TestBrowserAccounts(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	b := newBrowser(t, s.url, 60*time.Second)
	const password = "correct horse battery staple 42"

	b.do("home", b.open("/"))
	b.shot("home-en")

	// A mistake first: the form comes back with the message by the field.
	signup := map[string]string{"f-email": "rui@example.com", "f-display_name": "Rui Costa", "f-org_name": "Costa Cloud Ltd",
		"f-password": password, "f-password_confirm": password + "?"}
	b.do("sign up wrong", b.open("/signup"), b.fill(signup), b.submit("#signup-submit"))
	if got := b.text("#f-password_confirm-error"); !strings.Contains(got, "The two passwords are not the same.") {
		t.Fatalf("sign-up error = %q", got)
	}
	b.shot("signup-error-en")
	signup["f-password_confirm"] = password
	delete(signup, "f-display_name") // kept from the first try
	b.do("sign up", b.fill(signup), b.submit("#signup-submit"))
	if loc := b.location(); loc != "/account?done=welcome" {
		t.Fatalf("after sign-up at %s", loc)
	}
	if got := b.text("#account-heading"); got != "Your account" {
		t.Fatalf("account heading = %q", got)
	}

	b.do("make a token", b.fill(map[string]string{"f-name": "nightly build"}), b.submit("#token-submit"))
	if got := b.text("#secret-heading"); !strings.Contains(got, "nightly build") {
		t.Fatalf("token heading = %q", got)
	}
	b.shot("account-token-en")

	b.signOut()
	if loc := b.location(); loc != "/" {
		t.Fatalf("after sign-out at %s", loc)
	}
	b.signIn("rui@example.com", password, "/account")
	b.shot("account-en")

	b.do("switch to Chinese", b.submit("a.lang"))
	zh := messages(t, "zh-CN")
	if got := b.text("#account-heading"); got != zh["account.heading"] {
		t.Fatalf("account heading in Chinese = %q, want %q", got, zh["account.heading"])
	}
	if got := b.text(".main-nav"); !strings.Contains(got, zh["nav.home"]) {
		t.Fatalf("nav in Chinese = %q", got)
	}
	if lang, err := chromedp.Run(b.ctx, chromedp.Evaluate[string]("document.documentElement.lang")); err != nil || lang != "zh-CN" {
		t.Fatalf("<html lang> = %q, %v", lang, err)
	}
	b.shot("account-zh-CN")

	b.do("home in Chinese", b.open("/"))
	b.shot("home-zh-CN")
	b.signOut()
	b.do("sign up wrong in Chinese", b.open("/signup"),
		b.fill(map[string]string{"f-email": "rui@example", "f-display_name": "Rui", "f-password": password, "f-password_confirm": password}),
		b.submit("#signup-submit"))
	if got := b.text("#f-email-error"); !strings.Contains(got, zh["error.email_invalid"]) {
		t.Fatalf("sign-up error in Chinese = %q", got)
	}
	b.shot("signup-error-zh-CN")
}

// profileDir is a fresh Chromium profile, removed after the browser has quit.
func profileDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "cloudmart-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Chromium's helpers may still write for a moment after it quits.
		for range 50 {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return dir
}

// messages reads the plain messages of a UI catalogue.
func messages(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "web", "ui", "locales", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range raw {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}
