// Package license is cloudmart's signed licence document: how the marketplace
// signs one and how a seller's software verifies one offline.
//
// A licence is a JWS in compact serialisation (RFC 7515) signed with Ed25519
// ("alg":"EdDSA", RFC 8037), so sellers may verify it with any JOSE library as
// well as with this package:
//
//	base64url(header) "." base64url(claims) "." base64url(signature)
//
// The header names the key ("kid"); the marketplace publishes its public keys
// as a JWK set at /api/v1/license/keys, old keys included, so keys can rotate
// without invalidating licences already issued. This package imports only the
// standard library, so a seller's program can depend on it cheaply.
package license

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Document is what a licence grants. Times are UTC, to the second.
type Document struct {
	ID         string    `json:"id"`                   // the licence id, e.g. lic_01J…
	ProductID  string    `json:"product_id"`           // the product licensed
	Plan       string    `json:"plan"`                 // the plan bought
	Buyer      string    `json:"buyer_org_id"`         // the buyer organisation's id
	BuyerName  string    `json:"buyer_name"`           // its name, as it was when issued
	Unit       string    `json:"unit"`                 // seats or cores
	Quantity   int       `json:"quantity"`             // how many seats or cores
	ValidFrom  time.Time `json:"valid_from"`           // not valid before
	ValidUntil time.Time `json:"valid_until,omitzero"` // not valid from then on; zero: perpetual
	IssuedAt   time.Time `json:"issued_at"`            // when this document was signed (a renewal signs a new one)
	Version    int       `json:"version"`              // 1 for the first document, +1 for each renewal
}

// Perpetual reports whether the licence never expires.
func (d Document) Perpetual() bool { return d.ValidUntil.IsZero() }

// Claims are written with seconds since the epoch, as JWT's registered claims
// (nbf, exp, iat) are.
type claims struct {
	ID         string `json:"lic"`
	ProductID  string `json:"product"`
	Plan       string `json:"plan"`
	Buyer      string `json:"buyer"`
	BuyerName  string `json:"buyer_name"`
	Unit       string `json:"unit"`
	Quantity   int    `json:"quantity"`
	ValidFrom  int64  `json:"nbf"`
	ValidUntil int64  `json:"exp,omitempty"`
	IssuedAt   int64  `json:"iat"`
	Version    int    `json:"ver,omitempty"`
}

func (d Document) claims() claims {
	c := claims{ID: d.ID, ProductID: d.ProductID, Plan: d.Plan, Buyer: d.Buyer, BuyerName: d.BuyerName, Unit: d.Unit,
		Quantity: d.Quantity, ValidFrom: d.ValidFrom.Unix(), IssuedAt: d.IssuedAt.Unix(), Version: d.Version}
	if !d.ValidUntil.IsZero() {
		c.ValidUntil = d.ValidUntil.Unix()
	}
	return c
}

func (c claims) document() Document {
	d := Document{ID: c.ID, ProductID: c.ProductID, Plan: c.Plan, Buyer: c.Buyer, BuyerName: c.BuyerName, Unit: c.Unit,
		Quantity: c.Quantity, ValidFrom: time.Unix(c.ValidFrom, 0).UTC(), IssuedAt: time.Unix(c.IssuedAt, 0).UTC(), Version: c.Version}
	if c.ValidUntil != 0 {
		d.ValidUntil = time.Unix(c.ValidUntil, 0).UTC()
	}
	return d
}

type header struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
	Kid string `json:"kid"`
}

// Typ is the header's type: a cloudmart licence, version 1.
const Typ = "cloudmart-license+jws"

var b64 = base64.RawURLEncoding

// Sign signs the document with the key named kid.
func Sign(d Document, kid string, key ed25519.PrivateKey) (string, error) {
	h, err := json.Marshal(header{Alg: "EdDSA", Typ: Typ, Kid: kid})
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(d.claims())
	if err != nil {
		return "", err
	}
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(c)
	return input + "." + b64.EncodeToString(ed25519.Sign(key, []byte(input))), nil
}

// The reasons a licence fails to verify. Verify wraps them with detail; test
// with errors.Is.
var (
	ErrMalformed    = errors.New("not a cloudmart licence")
	ErrUnknownKey   = errors.New("signed by a key the marketplace does not publish")
	ErrBadSignature = errors.New("the signature does not match: the licence was changed or forged")
	ErrNotYetValid  = errors.New("the licence is not valid yet")
	ErrExpired      = errors.New("the licence has expired")
)

// Parse checks a licence's form and signature against the keys and returns
// its document and the id of the key that signed it, whatever its dates.
//
// Errors: ErrMalformed, ErrUnknownKey, ErrBadSignature.
func Parse(token string, keys KeySet) (Document, string, error) {
	token = strings.TrimSpace(token)
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Document{}, "", fmt.Errorf("%w: expected three dot-separated parts", ErrMalformed)
	}
	var h header
	if err := decodePart(parts[0], &h); err != nil || h.Alg != "EdDSA" || h.Typ != Typ {
		return Document{}, "", fmt.Errorf("%w: the header is not that of a cloudmart licence", ErrMalformed)
	}
	key, ok := keys.Key(h.Kid)
	if !ok {
		return Document{}, h.Kid, fmt.Errorf("%w (key id %q)", ErrUnknownKey, h.Kid)
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || !ed25519.Verify(key, []byte(parts[0]+"."+parts[1]), sig) {
		return Document{}, h.Kid, ErrBadSignature
	}
	var c claims
	if err := decodePart(parts[1], &c); err != nil || c.ID == "" {
		return Document{}, h.Kid, fmt.Errorf("%w: the claims cannot be read", ErrMalformed)
	}
	return c.document(), h.Kid, nil
}

// Verify checks a licence offline: its form, its signature by one of the keys,
// and that it is valid at now.
//
// Errors: those of Parse; ErrNotYetValid; ErrExpired.
func Verify(token string, keys KeySet, now time.Time) (Document, error) {
	d, _, err := Parse(token, keys)
	if err != nil {
		return d, err
	}
	switch {
	case now.Before(d.ValidFrom):
		return d, fmt.Errorf("%w: valid from %s", ErrNotYetValid, d.ValidFrom.Format(time.RFC3339))
	case !d.Perpetual() && !now.Before(d.ValidUntil):
		return d, fmt.Errorf("%w: valid until %s", ErrExpired, d.ValidUntil.Format(time.RFC3339))
	}
	return d, nil
}

func decodePart(s string, v any) error {
	raw, err := b64.DecodeString(s)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	return dec.Decode(v)
}

// Status is what the marketplace answers a licence's heartbeat.
type Status string

const (
	Alive    Status = "ALIVE"    // valid now
	Expired  Status = "EXPIRED"  // its term ended (a renewal brings a new document)
	Released Status = "RELEASED" // refunded or ended for good: stop using it
)

// StatusAt is a licence's status at now: released when the marketplace
// released it, expired past its end, alive otherwise.
func StatusAt(released bool, d Document, now time.Time) Status {
	switch {
	case released:
		return Released
	case !d.Perpetual() && !now.Before(d.ValidUntil):
		return Expired
	}
	return Alive
}

// Decode reads a licence's document without checking its signature: for
// licences read back from the marketplace's own store, never for one a
// client sent (use Verify).
//
// Errors: ErrMalformed.
func Decode(token string) (Document, error) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	var c claims
	if len(parts) != 3 || decodePart(parts[1], &c) != nil || c.ID == "" {
		return Document{}, ErrMalformed
	}
	return c.document(), nil
}
