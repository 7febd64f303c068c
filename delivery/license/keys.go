package license

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
)

// JWK is one public key as RFC 8037 writes an Ed25519 key.
type JWK struct {
	Kty string `json:"kty"` // OKP
	Crv string `json:"crv"` // Ed25519
	X   string `json:"x"`   // the public key, base64url
	Kid string `json:"kid"`
	Use string `json:"use"` // sig
	Alg string `json:"alg"` // EdDSA
}

// KeySet is the marketplace's published keys: a JWK set.
type KeySet struct {
	Keys []JWK `json:"keys"`
}

// PublicJWK is the published form of a public key.
func PublicJWK(kid string, pub ed25519.PublicKey) JWK {
	return JWK{Kty: "OKP", Crv: "Ed25519", X: b64.EncodeToString(pub), Kid: kid, Use: "sig", Alg: "EdDSA"}
}

// Key returns the Ed25519 public key named kid.
func (s KeySet) Key(kid string) (ed25519.PublicKey, bool) {
	for _, k := range s.Keys {
		if k.Kid != kid || k.Kty != "OKP" || k.Crv != "Ed25519" {
			continue
		}
		if x, err := b64.DecodeString(k.X); err == nil && len(x) == ed25519.PublicKeySize {
			return ed25519.PublicKey(x), true
		}
	}
	return nil, false
}

// ParseKeySet reads a JWK set, as served at /api/v1/license/keys.
//
// Errors: ErrMalformed when it is not a JWK set with an Ed25519 key.
func ParseKeySet(raw []byte) (KeySet, error) {
	var s KeySet
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("%w: the key set is not JSON: %v", ErrMalformed, err)
	}
	for _, k := range s.Keys {
		if _, ok := s.Key(k.Kid); ok {
			return s, nil
		}
	}
	return s, fmt.Errorf("%w: the key set holds no Ed25519 key", ErrMalformed)
}

// NewKey makes a signing key and its id: the first 8 bytes of the public
// key's SHA-256, in hex, so the id says which key it is wherever it is seen.
func NewKey() (kid string, key ed25519.PrivateKey) {
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return KeyID(pub), key
}

// KeyID names a public key.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return fmt.Sprintf("ed25519-%x", sum[:8])
}
