// Package secret seals small secrets (bank details, tax ids) for storage with
// AES-256-GCM from the standard library. A sealed value names the key that
// sealed it, so keys can be rotated: the newest key seals, older ones still
// open. Each value is bound to the row it belongs to (the associated data), so
// a sealed value copied to another row does not open.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of a key in bytes (AES-256).
const KeySize = 32

// Box seals and opens values.
type Box struct {
	current string                 // id of the key that seals
	keys    map[string]cipher.AEAD // every key that opens, by id
}

// ErrOpen is returned for a value that does not open: tampered, sealed for
// another row, or sealed with a key the box does not have.
var ErrOpen = errors.New("secret: the value cannot be opened with the configured keys")

// NewBox returns a box that seals with the first key and opens with any.
func NewBox(keys ...[]byte) (*Box, error) {
	if len(keys) == 0 {
		return nil, errors.New("secret: no key")
	}
	b := &Box{keys: map[string]cipher.AEAD{}}
	for i, k := range keys {
		if len(k) != KeySize {
			return nil, fmt.Errorf("secret: key %d has %d bytes, want %d", i+1, len(k), KeySize)
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		id := KeyID(k)
		if i == 0 {
			b.current = id
		}
		b.keys[id] = aead
	}
	return b, nil
}

// KeyID names a key without revealing it: the first 8 hex digits of its SHA-256.
func KeyID(key []byte) string {
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:4])
}

// NewKey returns a fresh random key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	_, _ = rand.Read(k)
	return k
}

// ParseKey decodes a key written in standard base64.
func ParseKey(s string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(k) != KeySize {
		return nil, fmt.Errorf("secret: a key is %d bytes in base64 (e.g. from `openssl rand -base64 32`)", KeySize)
	}
	return k, nil
}

// Seal encrypts plaintext bound to row (e.g. the owning record's id) and
// returns "keyid:base64(nonce‖ciphertext)".
func (b *Box) Seal(plaintext []byte, row string) string {
	aead := b.keys[b.current]
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	sealed := aead.Seal(nonce, nonce, plaintext, []byte(row))
	return b.current + ":" + base64.RawStdEncoding.EncodeToString(sealed)
}

// Open decrypts a sealed value of the row.
//
// Errors: ErrOpen.
func (b *Box) Open(sealed, row string) ([]byte, error) {
	id, data, ok := strings.Cut(sealed, ":")
	aead := b.keys[id]
	if !ok || aead == nil {
		return nil, ErrOpen
	}
	raw, err := base64.RawStdEncoding.DecodeString(data)
	if err != nil || len(raw) < aead.NonceSize() {
		return nil, ErrOpen
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(row))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
