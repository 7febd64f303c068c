package saas

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
)

// The key is the product's signing key exactly as cloudmart showed it to the
// seller (43 characters of base64url): its UTF-8 bytes are the HMAC key, so a
// seller never has to decode it.

func mac(key string, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, []byte(key))
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// Signature is a request's signature query parameter:
// hex(HMAC-SHA256(key, accessKey + nonce + timestamp + hex(HMAC-SHA256(key, body)))),
// lower-case hex, the timestamp in decimal milliseconds.
func Signature(key, accessKey, nonce string, timestampMillis int64, body []byte) string {
	bodyMAC := hex.EncodeToString(mac(key, body))
	return hex.EncodeToString(mac(key, []byte(accessKey), []byte(nonce), []byte(strconv.FormatInt(timestampMillis, 10)), []byte(bodyMAC)))
}

// ValidSignature reports whether signature (hex, any case) is body's.
func ValidSignature(key, accessKey, nonce string, timestampMillis int64, body []byte, signature string) bool {
	got, err := hex.DecodeString(signature)
	if err != nil {
		return false
	}
	want, _ := hex.DecodeString(Signature(key, accessKey, nonce, timestampMillis, body))
	return hmac.Equal(got, want)
}

// BodySignHeader is the header that carries an answer's signature.
const BodySignHeader = "Body-Sign"

// BodySign is the Body-Sign header value of an answer body:
// sign_type="HMAC-SHA256", signature="<base64(HMAC-SHA256(key, body))>".
func BodySign(key string, body []byte) string {
	return `sign_type="HMAC-SHA256", signature="` + base64.StdEncoding.EncodeToString(mac(key, body)) + `"`
}

// Errors of VerifyBodySign.
var (
	ErrUnsigned = errors.New("saas: answer has no Body-Sign header")
	ErrBadSign  = errors.New("saas: answer's Body-Sign does not match its body")
)

// VerifyBodySign checks a Body-Sign header value against the exact body.
//
// Errors: ErrUnsigned (empty header), ErrBadSign (malformed, another sign
// type, or a signature that does not match).
func VerifyBodySign(key string, body []byte, header string) error {
	if strings.TrimSpace(header) == "" {
		return ErrUnsigned
	}
	params := map[string]string{}
	for part := range strings.SplitSeq(header, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return ErrBadSign
		}
		params[strings.ToLower(strings.TrimSpace(name))] = strings.Trim(strings.TrimSpace(value), `"`)
	}
	if params["sign_type"] != "HMAC-SHA256" {
		return ErrBadSign
	}
	got, err := base64.StdEncoding.DecodeString(params["signature"])
	if err != nil || !hmac.Equal(got, mac(key, body)) {
		return ErrBadSign
	}
	return nil
}

// The password key is HKDF-SHA256 of the signing key's UTF-8 bytes with this
// salt and info, 32 bytes, for AES-256-GCM. A sealed password is
// base64(nonce(12) || ciphertext || tag(16)), standard alphabet with padding,
// and no additional data.
const (
	passwordSalt  = "cloudmart-saas-v1"
	passwordInfo  = "initial-password aes-256-gcm"
	passwordNonce = 12
)

func passwordAEAD(key string) (cipher.AEAD, error) {
	k, err := hkdf.Key(sha256.New, []byte(key), []byte(passwordSalt), passwordInfo, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// SealPassword encrypts an instance's initial password for cloudmart under
// the product's signing key, with a fresh random nonce.
func SealPassword(key, password string) (string, error) {
	nonce := make([]byte, passwordNonce)
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return sealPassword(key, password, nonce)
}

func sealPassword(key, password string, nonce []byte) (string, error) {
	aead, err := passwordAEAD(key)
	if err != nil {
		return "", err
	}
	sealed := aead.Seal(append([]byte(nil), nonce...), nonce, []byte(password), nil)
	return base64.StdEncoding.EncodeToString(sealed), nil
}

// ErrSealedPassword is a sealed password that does not open.
var ErrSealedPassword = errors.New("saas: the sealed password does not open with the product's key")

// OpenPassword decrypts a password sealed by SealPassword.
//
// Errors: ErrSealedPassword.
func OpenPassword(key, sealed string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < passwordNonce+16 {
		return "", ErrSealedPassword
	}
	aead, err := passwordAEAD(key)
	if err != nil {
		return "", err
	}
	plain, err := aead.Open(nil, raw[:passwordNonce], raw[passwordNonce:], nil)
	if err != nil {
		return "", ErrSealedPassword
	}
	return string(plain), nil
}
