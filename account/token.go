package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
)

// TokenKind says how a token was made.
type TokenKind string

const (
	TokenSession  TokenKind = "session"  // a browser's cookie session
	TokenAPI      TokenKind = "api"      // from POST /api/v1/sessions
	TokenPersonal TokenKind = "personal" // made by the user on its account page
)

// Lifetimes of tokens that the user does not choose.
const (
	SessionLifetime     = 14 * 24 * time.Hour
	APITokenLifetime    = 30 * 24 * time.Hour
	MaxPersonalLifetime = 366 * 24 * time.Hour
)

// Token is a credential: a browser session or an API bearer token. Only its
// hash is stored; the secret is shown once, when it is made.
type Token struct {
	ID         string
	UserID     string
	Kind       TokenKind
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time // zero if never used
	RevokedAt  time.Time // zero if in force
}

// tokenPrefix marks cloudmart's secrets so secret scanners can find leaked ones.
const tokenPrefix = "cmt_"

// NewTokenSecret returns a fresh random secret (256 bits).
func NewTokenSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails on Linux (crypto/rand's doc)
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns what is stored for a secret: its SHA-256 in hex. A fast hash
// is right here, unlike for passwords: the secret is 256 random bits.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	return hex.EncodeToString(sum[:])
}
