package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/license"
)

func TestLicenseVerify(t *testing.T) {
	dir := t.TempDir()
	kid, key := license.NewKey()
	_, stranger := license.NewKey()
	keys, _ := json.Marshal(license.KeySet{Keys: []license.JWK{license.PublicJWK(kid, key.Public().(ed25519.PublicKey))}})
	keysFile := filepath.Join(dir, "keys.json")
	if err := os.WriteFile(keysFile, keys, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(keys) }))
	defer srv.Close()

	now := time.Now().UTC().Truncate(time.Second)
	doc := license.Document{ID: "lic_cli", ProductID: "prd_1", Plan: "one-year", Buyer: "org_1", BuyerName: "Acme", Unit: "cores", Quantity: 8,
		ValidFrom: now.Add(-time.Hour), ValidUntil: now.AddDate(1, 0, 0), IssuedAt: now, Version: 1}
	write := func(name string, d license.Document, k ed25519.PrivateKey, keyID string) string {
		tok, err := license.Sign(d, keyID, k)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(tok+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	valid := write("valid.lic", doc, key, kid)
	expired := doc
	expired.ValidUntil = now.Add(-time.Minute)
	raw, _ := os.ReadFile(valid)
	raw[len(raw)/2] ^= 1
	changed := filepath.Join(dir, "changed.lic")
	_ = os.WriteFile(changed, raw, 0o600)

	tests := []struct {
		name   string
		args   []string
		want   string
		reason error
	}{
		{"valid, keys from a file", []string{valid, "--keys", keysFile}, "VALID: licence lic_cli for 8 cores", nil},
		{"valid, keys from the server, flags first", []string{"--keys", srv.URL, valid}, "VALID", nil},
		{"one byte changed", []string{changed, "--keys", keysFile}, "INVALID", license.ErrBadSignature},
		{"unknown key", []string{write("stranger.lic", doc, stranger, "ed25519-0000000000000000"), "--keys", keysFile}, "INVALID", license.ErrUnknownKey},
		{"expired", []string{write("expired.lic", expired, key, kid), "--keys", keysFile}, "INVALID", license.ErrExpired},
		{"at a time before it is valid", []string{valid, "--keys", keysFile, "--at", now.Add(-2 * time.Hour).Format(time.RFC3339)}, "INVALID", license.ErrNotYetValid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"license", "verify"}, tt.args...), func(string) string { return "" }, &out, &errOut)
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("output %q, want %q", out.String(), tt.want)
			}
			if tt.reason == nil && err != nil || tt.reason != nil && (!errors.Is(err, errInvalidLicense) || !strings.Contains(out.String(), tt.reason.Error())) {
				t.Errorf("error %v, output %q, want reason %v", err, out.String(), tt.reason)
			}
			if tt.reason != nil && exitCode(err) != 1 {
				t.Errorf("exit status %d", exitCode(err))
			}
		})
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"license", "verify", valid}, func(string) string { return "" }, &out, &out); exitCode(err) != 2 {
		t.Errorf("without keys: %v", err)
	}
	if err := run(context.Background(), []string{"license", "verify", "--keys", keysFile}, func(string) string { return "" }, &out, &out); exitCode(err) != 2 {
		t.Errorf("without a file: %v", err)
	}
}
