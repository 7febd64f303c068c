package account_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/account"
	"github.com/cloudmart/cloudmart/fault"
)

func TestNormalEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{" Ann@Example.COM ", "ann@example.com"},
		{"a.b+c@sub.example.cn", "a.b+c@sub.example.cn"},
		{"no-at-sign", ""},
		{"ann@localhost", ""},
		{"Ann <ann@example.com>", ""},
		{"", ""},
	}
	for _, tc := range tests {
		got, err := account.NormalEmail(tc.in)
		if got != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("NormalEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		if err != nil && fault.As(err).Field != "email" {
			t.Errorf("error names field %q", fault.As(err).Field)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		password string
		ok       bool
	}{
		{"cloudmart-demo", true},
		{"correct horse battery staple", true},
		{"short1!", false},
		{"password123", false},
		{"aaaaaaaaaaaaaaaa", false},
		{"ann.lee@example.com", false}, // the email itself
		{"1234567890", false},
	}
	for _, tc := range tests {
		err := account.CheckPassword(tc.password, "ann.lee@example.com", "Ann Lee")
		if (err == nil) != tc.ok {
			t.Errorf("CheckPassword(%q) = %v, want ok=%v", tc.password, err, tc.ok)
		}
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := account.HashPassword("a long good passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if !account.PasswordMatches("a long good passphrase", h) || account.PasswordMatches("a long good passphrasE", h) || account.PasswordMatches("x", "not a hash") {
		t.Fatal("hash check wrong")
	}
	if h2, _ := account.HashPassword("a long good passphrase"); h2 == h {
		t.Fatal("no salt")
	}
}

func TestThrottle(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rule := account.ThrottleRule{Free: 3, Window: 15 * time.Minute, MaxDelay: 8 * time.Second}
	var th account.Throttle
	wants := []time.Duration{0, 0, 0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
	now := t0
	for i, want := range wants {
		th = rule.AfterFailure(th, now)
		if got := th.Wait(now); got != want {
			t.Fatalf("failure %d: wait %v, want %v", i+1, got, want)
		}
		now = now.Add(time.Second + th.Wait(now)) // waits out each block
	}
	// A quiet window resets the count once the block is over.
	later := now.Add(time.Hour)
	if th = rule.AfterFailure(th, later); th.Failures != 1 || th.Wait(later) != 0 {
		t.Fatalf("after a quiet hour: %+v", th)
	}
	// Far past the free tries the delay stays at the maximum (no overflow).
	th = account.Throttle{Failures: 500, FirstFailure: later}
	if th = rule.AfterFailure(th, later); th.Wait(later) != rule.MaxDelay {
		t.Fatalf("many failures: wait %v", th.Wait(later))
	}
}

func TestTokens(t *testing.T) {
	a, b := account.NewTokenSecret(), account.NewTokenSecret()
	if a == b || len(a) < 40 || account.HashToken(a) == account.HashToken(b) || account.HashToken(a) != account.HashToken(a+" ") {
		t.Fatal("token secrets or hashes wrong")
	}
}
