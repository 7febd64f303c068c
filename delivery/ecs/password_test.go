package ecs_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/delivery/ecs"
)

func TestNewPasswordIsLongMixedAndFresh(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		pw := ecs.NewPassword()
		if len(pw) != ecs.PasswordLength {
			t.Fatalf("%q has %d characters", pw, len(pw))
		}
		for _, kind := range []string{"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "0123456789", "!@%-_=+:,./?"} {
			if !strings.ContainsAny(pw, kind) {
				t.Fatalf("%q has none of %s", pw, kind)
			}
		}
		if strings.ContainsAny(pw, "$^[]{} '\"\\`") {
			t.Fatalf("%q has a character a shell would mangle", pw)
		}
		if err := ecs.CheckPassword(pw); err != nil {
			t.Fatalf("CheckPassword(%q) = %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("%q twice", pw)
		}
		seen[pw] = true
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"Abcdef12", true},
		{"abcdef1!", true},  // three kinds without capitals
		{"ABCDEFG!", false}, // two kinds
		{"abcdefgh", false},
		{"Ab1!", false},                              // too short
		{strings.Repeat("Ab1!", 7), false},           // 28: too long
		{"Abcdef1!" + strings.Repeat("x", 18), true}, // 26
		{"Abcdef12 ", false},                         // a space
		{"Abcdef12é", false},
		{"Ab1{}[]:,./?", true},
	}
	for _, tt := range tests {
		err := ecs.CheckPassword(tt.pw)
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, ecs.ErrRejected)) {
			t.Errorf("CheckPassword(%q) = %v; want ok %v", tt.pw, err, tt.ok)
		}
	}
}
