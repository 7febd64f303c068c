package account

import "time"

// Throttle is the record of failed log-ins under one key: an account
// ("email:…") or a client address ("ip:…"). It lives in the database so every
// server sees the same one.
type Throttle struct {
	Key          string
	Failures     int
	FirstFailure time.Time // start of the current window
	BlockedUntil time.Time // zero when not blocked
}

// ThrottleRule is how many failures are free within a window before each further
// failure blocks the key for a delay that doubles, up to MaxDelay.
type ThrottleRule struct {
	Free     int
	Window   time.Duration
	MaxDelay time.Duration
}

// The rules in force: an account gets 5 free tries per 15 minutes, an address 30
// (an office shares one address), then 1 s, 2 s, 4 s … up to 15 minutes.
var (
	AccountThrottle = ThrottleRule{Free: 5, Window: 15 * time.Minute, MaxDelay: 15 * time.Minute}
	AddressThrottle = ThrottleRule{Free: 30, Window: 15 * time.Minute, MaxDelay: 15 * time.Minute}
)

// Wait returns how long the key must wait before it may try again (0: now).
func (t Throttle) Wait(now time.Time) time.Duration {
	if now.Before(t.BlockedUntil) {
		return t.BlockedUntil.Sub(now)
	}
	return 0
}

// AfterFailure returns the throttle after one more failed log-in at now.
func (r ThrottleRule) AfterFailure(t Throttle, now time.Time) Throttle {
	if t.Failures == 0 || now.Sub(t.FirstFailure) > r.Window && !now.Before(t.BlockedUntil) {
		t.Failures, t.FirstFailure = 0, now
	}
	t.Failures++
	if over := t.Failures - r.Free; over > 0 {
		delay := r.MaxDelay
		if over <= 30 {
			delay = min(time.Second<<(over-1), r.MaxDelay)
		}
		t.BlockedUntil = now.Add(delay)
	}
	return t
}
