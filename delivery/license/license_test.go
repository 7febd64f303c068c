package license_test

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/license"
)

var day = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func document() license.Document {
	return license.Document{ID: "lic_1", ProductID: "prd_1", Plan: "std", Buyer: "org_1", BuyerName: "Acme 有限公司", Unit: "seats", Quantity: 25,
		ValidFrom: day, ValidUntil: day.AddDate(1, 0, 0), IssuedAt: day, Version: 1}
}

// flip changes one byte of the token's part (0 header, 1 claims, 2 signature).
func flip(token string, part int) string {
	parts := strings.Split(token, ".")
	b := []byte(parts[part])
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	parts[part] = string(b)
	return strings.Join(parts, ".")
}

func TestVerify(t *testing.T) {
	oldKid, oldKey := license.NewKey()
	newKid, newKey := license.NewKey()
	strangerKid, strangerKey := license.NewKey()
	_ = strangerKid
	published := license.KeySet{Keys: []license.JWK{
		license.PublicJWK(oldKid, oldKey.Public().(ed25519.PublicKey)),
		license.PublicJWK(newKid, newKey.Public().(ed25519.PublicKey)),
	}}
	sign := func(d license.Document, kid string, key ed25519.PrivateKey) string {
		t.Helper()
		tok, err := license.Sign(d, kid, key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	valid := sign(document(), newKid, newKey)
	perpetual := document()
	perpetual.ValidUntil = time.Time{}
	// A stranger's key under a published key's id: the signature fails.
	impostor := sign(document(), newKid, strangerKey)
	tests := []struct {
		name  string
		token string
		now   time.Time
		want  error
	}{
		{"valid", valid, day.AddDate(0, 6, 0), nil},
		{"valid with surrounding white space", "\n " + valid + "\n", day, nil},
		{"signed by the old key after rotation", sign(document(), oldKid, oldKey), day, nil},
		{"perpetual, decades later", sign(perpetual, newKid, newKey), day.AddDate(50, 0, 0), nil},
		{"one byte of the claims changed", flip(valid, 1), day, license.ErrBadSignature},
		{"one byte of the signature changed", flip(valid, 2), day, license.ErrBadSignature},
		{"one byte of the header changed", flip(valid, 0), day, license.ErrMalformed},
		{"signed by an unknown key", sign(document(), "ed25519-0000000000000000", strangerKey), day, license.ErrUnknownKey},
		{"forged under a published key id", impostor, day, license.ErrBadSignature},
		{"expired", valid, day.AddDate(1, 0, 0), license.ErrExpired},
		{"not yet valid", valid, day.Add(-time.Second), license.ErrNotYetValid},
		{"not a licence", "hello", day, license.ErrMalformed},
		{"empty", "", day, license.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := license.Verify(tt.token, published, tt.now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify: %v, want %v", err, tt.want)
			}
			if tt.want == nil && (d.ID != "lic_1" || d.Quantity != 25 || d.BuyerName != "Acme 有限公司") {
				t.Fatalf("document: %+v", d)
			}
		})
	}
}

func TestDocumentRoundTrip(t *testing.T) {
	kid, key := license.NewKey()
	keys := license.KeySet{Keys: []license.JWK{license.PublicJWK(kid, key.Public().(ed25519.PublicKey))}}
	for _, d := range []license.Document{document(), func() license.Document { d := document(); d.ValidUntil = time.Time{}; return d }()} {
		tok, err := license.Sign(d, kid, key)
		if err != nil {
			t.Fatal(err)
		}
		got, signer, err := license.Parse(tok, keys)
		if err != nil || signer != kid || got != d {
			t.Fatalf("Parse: %+v %q %v, want %+v", got, signer, err, d)
		}
	}
}

func TestParseKeySet(t *testing.T) {
	kid, key := license.NewKey()
	raw, _ := json.Marshal(license.KeySet{Keys: []license.JWK{license.PublicJWK(kid, key.Public().(ed25519.PublicKey))}})
	set, err := license.ParseKeySet(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := set.Key(kid); !ok {
		t.Fatal("the key is not found by its id")
	}
	for _, bad := range []string{`nope`, `{"keys":[]}`, `{"keys":[{"kty":"RSA","kid":"k"}]}`, `{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k","x":"short"}]}`} {
		if _, err := license.ParseKeySet([]byte(bad)); !errors.Is(err, license.ErrMalformed) {
			t.Errorf("ParseKeySet(%s): %v", bad, err)
		}
	}
}
