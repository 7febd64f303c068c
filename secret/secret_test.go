package secret_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/cloudmart/cloudmart/secret"
)

func TestSealOpen(t *testing.T) {
	k1, k2 := secret.NewKey(), secret.NewKey()
	box, err := secret.NewBox(k1)
	if err != nil {
		t.Fatal(err)
	}
	sealed := box.Seal([]byte("6222 0000 1234 5678"), "app_1")
	if strings.Contains(sealed, "5678") || !strings.HasPrefix(sealed, secret.KeyID(k1)+":") {
		t.Fatalf("sealed = %q", sealed)
	}
	if again := box.Seal([]byte("6222 0000 1234 5678"), "app_1"); again == sealed {
		t.Fatal("the same plaintext sealed twice gives the same value: no fresh nonce")
	}
	if got, err := box.Open(sealed, "app_1"); err != nil || string(got) != "6222 0000 1234 5678" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := box.Open(sealed, "app_2"); err != secret.ErrOpen {
		t.Fatalf("opened for another row: %v", err)
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	if _, err := box.Open(tampered, "app_1"); err != secret.ErrOpen {
		t.Fatalf("opened a tampered value: %v", err)
	}
	// Rotation: a box with a new key first still opens the old values.
	rotated, _ := secret.NewBox(k2, k1)
	if got, err := rotated.Open(sealed, "app_1"); err != nil || string(got) != "6222 0000 1234 5678" {
		t.Fatalf("rotated Open = %q, %v", got, err)
	}
	if !strings.HasPrefix(rotated.Seal([]byte("x"), "r"), secret.KeyID(k2)+":") {
		t.Fatal("rotated box does not seal with the new key")
	}
	other, _ := secret.NewBox(k2)
	if _, err := other.Open(sealed, "app_1"); err != secret.ErrOpen {
		t.Fatalf("opened without the key: %v", err)
	}
}

func TestKeys(t *testing.T) {
	if _, err := secret.NewBox([]byte("short")); err == nil {
		t.Fatal("short key accepted")
	}
	k := secret.NewKey()
	got, err := secret.ParseKey(base64.StdEncoding.EncodeToString(k))
	if err != nil || string(got) != string(k) {
		t.Fatal("ParseKey round trip failed")
	}
	if _, err := secret.ParseKey("bm90IGEga2V5"); err == nil {
		t.Fatal("bad key parsed")
	}
}
