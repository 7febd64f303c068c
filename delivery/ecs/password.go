package ecs

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"
)

// Characters of a login password, by kind. The special characters are the
// ones Huawei Cloud ECS accepts.
const (
	upper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lower   = "abcdefghijklmnopqrstuvwxyz"
	digits  = "0123456789"
	special = "!@$%^-_=+[{}]:,./?"
	// generated passwords leave out the special characters that a shell or
	// a copy from a web page is likely to mangle ($ ^ and brackets).
	generatedSpecial = "!@%-_=+:,./?"
)

// PasswordLength is the length of a generated password: about 125 bits.
const PasswordLength = 20

// NewPassword returns a strong random login password of PasswordLength
// characters with at least one capital, small letter, digit and special
// character, so every cloud's complexity rules accept it.
func NewPassword() string {
	kinds := []string{upper, lower, digits, generatedSpecial}
	all := strings.Join(kinds, "")
	pw := make([]byte, PasswordLength)
	for i := range pw {
		set := all
		if i < len(kinds) {
			set = kinds[i] // one of each kind, then shuffled below
		}
		pw[i] = set[randomInt(len(set))]
	}
	for i := len(pw) - 1; i > 0; i-- { // Fisher–Yates
		j := randomInt(i + 1)
		pw[i], pw[j] = pw[j], pw[i]
	}
	return string(pw)
}

func randomInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	return int(v.Int64())
}

// CheckPassword applies Huawei Cloud ECS's rules for a login password: 8 to
// 26 characters, only letters, digits and the special characters
// !@$%^-_=+[{}]:,./? and at least three of the four kinds.
//
// Errors: ErrRejected, saying which rule the password breaks.
func CheckPassword(pw string) error {
	if n := utf8.RuneCountInString(pw); n < 8 || n > 26 {
		return fmt.Errorf("%w: the password must have 8 to 26 characters", ErrRejected)
	}
	kinds := map[string]bool{}
	for _, r := range pw {
		found := false
		for _, set := range []string{upper, lower, digits, special} {
			if strings.ContainsRune(set, r) {
				kinds[set], found = true, true
			}
		}
		if !found {
			return fmt.Errorf("%w: the password may not contain %q", ErrRejected, r)
		}
	}
	if len(kinds) < 3 {
		return fmt.Errorf("%w: the password needs three of capitals, small letters, digits and special characters", ErrRejected)
	}
	return nil
}
