package saas_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/delivery/saas"
	"github.com/cloudmart/cloudmart/money"
)

// vectors is testdata/vectors.json, computed by an independent
// implementation so that sellers in other languages can trust it.
type vectors struct {
	RequestSignatures []struct {
		Key, AccessKey, Nonce, Body, Signature string
		Timestamp                              int64
	}
	BodySigns []struct{ Key, Body, BodySign string }
	Passwords []struct{ Key, NonceHex, Password, Sealed string }
}

func loadVectors(t *testing.T) vectors {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.RequestSignatures) == 0 || len(v.BodySigns) == 0 || len(v.Passwords) == 0 {
		t.Fatal("vectors.json holds no vectors")
	}
	return v
}

func TestRequestSignatureVectors(t *testing.T) {
	for _, v := range loadVectors(t).RequestSignatures {
		if got := saas.Signature(v.Key, v.AccessKey, v.Nonce, v.Timestamp, []byte(v.Body)); got != v.Signature {
			t.Errorf("Signature(%.40s…) = %s, want %s", v.Body, got, v.Signature)
		}
		tests := []struct {
			name string
			ok   bool
			key  string
			ts   int64
			body string
			sig  string
		}{
			{"as given", true, v.Key, v.Timestamp, v.Body, v.Signature},
			{"upper-case hex", true, v.Key, v.Timestamp, v.Body, hexUpper(v.Signature)},
			{"another key", false, v.Key + "x", v.Timestamp, v.Body, v.Signature},
			{"another timestamp", false, v.Key, v.Timestamp + 1, v.Body, v.Signature},
			{"another body", false, v.Key, v.Timestamp, v.Body + " ", v.Signature},
			{"not hex", false, v.Key, v.Timestamp, v.Body, "zz" + v.Signature[2:]},
			{"empty", false, v.Key, v.Timestamp, v.Body, ""},
		}
		for _, tt := range tests {
			if got := saas.ValidSignature(tt.key, v.AccessKey, v.Nonce, tt.ts, []byte(tt.body), tt.sig); got != tt.ok {
				t.Errorf("%s: ValidSignature = %v, want %v", tt.name, got, tt.ok)
			}
		}
	}
}

func hexUpper(s string) string {
	b, _ := hex.DecodeString(s)
	out := []byte(hex.EncodeToString(b))
	for i, c := range out {
		if c >= 'a' && c <= 'f' {
			out[i] = c - 'a' + 'A'
		}
	}
	return string(out)
}

// The first vector's body is what Marshal makes of this request, so the
// vectors show sellers cloudmart's real bodies.
func TestMarshalMatchesVector(t *testing.T) {
	body, err := saas.Marshal(saas.NewInstanceRequest{
		OrderID: "ord_01JH8Z3K4M5N6P7Q8R9S0T1V2W", OrderLineID: "oln_01JH8Z3K4M5N6P7Q8R9S0T1V2X", BusinessID: "dlv_01JH8Z3K4M5N6P7Q8R9S0T1V2Y",
		CustomerID: "org_01JH8Z3K4M5N6P7Q8R9S0T1V2Z", CustomerName: "示例科技有限公司", MobilePhone: "+8613800000000", Email: "buyer@example.com",
		ProductID: "prd_01HZX4Q9T0V8K2M6N3P5R7S9W1", SKUCode: "pln_01HZX4Q9T0V8K2M6N3P5R7S9W2", ChargingMode: saas.ChargingPeriod,
		PeriodType: saas.PeriodMonth, PeriodNumber: 3, ProvisionType: saas.ProvisionFormal,
		ExpireTime: saas.At(time.Date(2026, 4, 1, 20, 0, 0, 0, time.FixedZone("CST", 8*3600))), Amount: money.New(29700, money.CNY), TestFlag: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := loadVectors(t).RequestSignatures[0].Body; string(body) != want {
		t.Errorf("Marshal =\n%s\nwant\n%s", body, want)
	}
	var back saas.NewInstanceRequest
	if err := json.Unmarshal(body, &back); err != nil || !back.ExpireTime.Equal(time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("expireTime read back as %v (%v)", back.ExpireTime, err)
	}
}

func TestBodySignVectors(t *testing.T) {
	for _, v := range loadVectors(t).BodySigns {
		if got := saas.BodySign(v.Key, []byte(v.Body)); got != v.BodySign {
			t.Errorf("BodySign = %s, want %s", got, v.BodySign)
		}
		tests := []struct {
			name, key, body, header string
			want                    error
		}{
			{"as given", v.Key, v.Body, v.BodySign, nil},
			{"no spaces, other order", v.Key, v.Body, `signature="` + v.BodySign[len(`sign_type="HMAC-SHA256", signature="`):len(v.BodySign)-1] + `",sign_type="HMAC-SHA256"`, nil},
			{"missing", v.Key, v.Body, "", saas.ErrUnsigned},
			{"another key", v.Key + "x", v.Body, v.BodySign, saas.ErrBadSign},
			{"body changed", v.Key, v.Body + "\n", v.BodySign, saas.ErrBadSign},
			{"other sign type", v.Key, v.Body, `sign_type="HMAC-SHA1", signature="x"`, saas.ErrBadSign},
			{"garbage", v.Key, v.Body, "nonsense", saas.ErrBadSign},
		}
		for _, tt := range tests {
			if err := saas.VerifyBodySign(tt.key, []byte(tt.body), tt.header); !errors.Is(err, tt.want) {
				t.Errorf("%s: VerifyBodySign = %v, want %v", tt.name, err, tt.want)
			}
		}
	}
}

func TestPasswordVectors(t *testing.T) {
	for _, v := range loadVectors(t).Passwords {
		nonce, _ := hex.DecodeString(v.NonceHex)
		got, err := saas.SealPasswordWithNonce(v.Key, v.Password, nonce)
		if err != nil || got != v.Sealed {
			t.Errorf("seal = %s, %v; want %s", got, err, v.Sealed)
		}
		if plain, err := saas.OpenPassword(v.Key, v.Sealed); err != nil || plain != v.Password {
			t.Errorf("OpenPassword = %q, %v; want %q", plain, err, v.Password)
		}
		if _, err := saas.OpenPassword(v.Key+"x", v.Sealed); !errors.Is(err, saas.ErrSealedPassword) {
			t.Errorf("OpenPassword with another key = %v, want ErrSealedPassword", err)
		}
	}
}

func TestSealPasswordRoundTrip(t *testing.T) {
	const key = "CzBVep_E6Q4zWH2ix-wRNluApcrvFDleg6jN8hc8YYY"
	a, err := saas.SealPassword(key, "密码 with ü")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := saas.SealPassword(key, "密码 with ü")
	if a == b {
		t.Error("two seals of one password are equal: the nonce is not fresh")
	}
	for _, sealed := range []string{a, b} {
		if got, err := saas.OpenPassword(key, sealed); err != nil || got != "密码 with ü" {
			t.Errorf("OpenPassword = %q, %v", got, err)
		}
	}
	for _, bad := range []string{"", "not base64!", "AAAA", a[:len(a)-4] + "AAAA"} {
		if _, err := saas.OpenPassword(key, bad); !errors.Is(err, saas.ErrSealedPassword) {
			t.Errorf("OpenPassword(%q) = %v, want ErrSealedPassword", bad, err)
		}
	}
}
