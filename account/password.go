package account

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"github.com/trustelem/zxcvbn"

	"github.com/cloudmart/cloudmart/fault"
)

// Password rules: at least MinPasswordLength characters, at most
// MaxPasswordLength, and a zxcvbn strength score of at least MinPasswordScore
// (0–4; 3 means "safely unguessable: moderate protection from offline attacks"),
// with the user's email and name counted as known words.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 256
	MinPasswordScore  = 3
)

// CheckPassword tells whether a new password is strong enough for the user.
//
// Errors: Invalid on field "password".
func CheckPassword(password, email, name string) error {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLength {
		return fault.Field("password", "error.password_short", "use at least 10 characters")
	}
	if n > MaxPasswordLength {
		return fault.Field("password", "error.password_long", "use at most 256 characters")
	}
	known := append(strings.FieldsFunc(email, func(r rune) bool { return r == '@' || r == '.' }), strings.Fields(name)...)
	known = append(known, email)
	if zxcvbn.PasswordStrength(password, known).Score < MinPasswordScore {
		return fault.Field("password", "error.password_weak", "this password is too easy to guess: add more words or characters")
	}
	return nil
}

// argon2id parameters: RFC 9106's second recommended option scaled to a web
// login (64 MiB, 1 pass, 2 lanes takes about 40 ms on one core here).
var hashParams = &argon2id.Params{Memory: 64 * 1024, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// HashPassword returns the argon2id hash of a password in PHC string form.
func HashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, hashParams)
}

// PasswordMatches reports whether password is the one hashed.
func PasswordMatches(password, hash string) bool {
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}

// dummyHash is compared against when no user has the email, so that an unknown
// email takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("no user has this password 7d1f")
	return h
})

// SpendLikeACheck takes as long as PasswordMatches with a real hash.
func SpendLikeACheck(password string) { PasswordMatches(password, dummyHash()) }
