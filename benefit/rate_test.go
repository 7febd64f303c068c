package benefit_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/benefit"
	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
)

func date(s string) seller.Date {
	d, err := seller.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func yuan(minor int64) money.Amount { return money.New(minor, money.CNY) }

var rates = benefit.Rates{
	{Currency: money.CNY, EffectiveFrom: date("2020-01-01"), Scaled: 14_200_000},
	{Currency: money.CNY, EffectiveFrom: date("2026-01-01"), Scaled: 14_085_000},
	{Currency: money.CNY, EffectiveFrom: date("2025-01-01"), Scaled: 13_700_000},
	{Currency: "JPY", EffectiveFrom: date("2025-01-01"), Scaled: 670_000},
}

func TestParseRate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64 // 0: refused
	}{
		{"0.14085", 14_085_000}, {"1", 100_000_000}, {"7.1", 710_000_000}, {" 0.00000001 ", 1}, {"0.123456789", 0},
		{"0", 0}, {"-0.14", 0}, {"1e-2", 0}, {".5", 0}, {"5.", 0}, {"", 0}, {"1,5", 0}, {"0.0000000", 0},
	} {
		got, err := benefit.ParseRate(tt.in)
		if got != tt.want || (err == nil) != (tt.want != 0) {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
		if err == nil && benefit.FormatRate(got) != trimmed(tt.in) {
			t.Errorf("FormatRate(%d) = %q", got, benefit.FormatRate(got))
		}
	}
}

func trimmed(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

// TestRateOn: the rate of a day is the latest effective on or before it.
func TestRateOn(t *testing.T) {
	for _, tt := range []struct {
		currency money.Currency
		day      string
		want     int64 // 0: none
	}{
		{money.CNY, "2019-12-31", 0},
		{money.CNY, "2020-01-01", 14_200_000},
		{money.CNY, "2024-12-31", 14_200_000},
		{money.CNY, "2025-01-01", 13_700_000},
		{money.CNY, "2025-12-31", 13_700_000},
		{money.CNY, "2026-01-01", 14_085_000},
		{money.CNY, "2030-06-01", 14_085_000},
		{money.USD, "1999-01-01", benefit.RateScale},
		{"EUR", "2026-01-01", 0},
	} {
		r, ok := rates.On(tt.currency, date(tt.day))
		if ok != (tt.want != 0) || r.Scaled != tt.want {
			t.Errorf("%s on %s: %d %v, want %d", tt.currency, tt.day, r.Scaled, ok, tt.want)
		}
	}
}

// TestConvert: exact, rounded half away from zero to the cent.
func TestConvert(t *testing.T) {
	for _, tt := range []struct {
		rate int64
		in   money.Amount
		want int64
	}{
		{14_085_000, yuan(100_00), 14_09},   // 14.085 → 14.09
		{14_085_000, yuan(-100_00), -14_09}, // -14.085 → -14.09
		{14_085_000, yuan(1), 0},            // 0.0014085 → 0.00
		{14_000_000, yuan(710_000_00), 99_400_00},
		{50_000_000, yuan(1), 1}, // 0.005 → 0.01
		{670_000, money.New(1000, "JPY"), 6_70},
	} {
		r := benefit.Rate{Currency: tt.in.Currency, Scaled: tt.rate}
		got, err := r.Convert(tt.in)
		if err != nil || got != usd(tt.want) {
			t.Errorf("%v at %s: %v %v, want %d", tt.in, r.Decimal(), got, err, tt.want)
		}
	}
	if _, err := (benefit.Rate{Currency: money.CNY, Scaled: 1}).Convert(usd(1)); err != money.ErrMismatch {
		t.Errorf("a CNY rate converted USD: %v", err)
	}
}

// TestTransactions: each order at the rate of its payment day in UTC; a
// refund nets into its order; days without a rate are named.
func TestTransactions(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	sales := []benefit.Sale{
		{Net: usd(1_000_00), PaidAt: time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)},
		// 2026-01-01 01:00 in Shanghai is 2025-12-31 in UTC: the 2025 rate.
		{Net: yuan(10_000_00), PaidAt: time.Date(2026, 1, 1, 1, 0, 0, 0, shanghai)},
		{Net: yuan(10_000_00), PaidAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Net: yuan(3_00), PaidAt: time.Date(2019, 12, 31, 23, 59, 0, 0, time.UTC)}, // before any CNY rate
		{Net: yuan(0), PaidAt: time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC)},      // refunded whole
		{Net: money.New(500, "EUR"), PaidAt: now},
	}
	got, left, err := rates.Transactions(sales)
	// 1,000.00 + 1,370.00 + 1,408.50
	if err != nil || got != usd(3_778_50) {
		t.Fatalf("transactions %v %v", got, err)
	}
	if len(left) != 2 || left[0] != yuan(3_00) || left[1] != money.New(500, "EUR") {
		t.Fatalf("unconverted %v", left)
	}
	// A refund that drops a seller below the line: USD 100,000.00 less 0.01.
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	whole, _, _ := rates.Transactions([]benefit.Sale{{Net: usd(100_000_00), PaidAt: at}})
	refunded, _, _ := rates.Transactions([]benefit.Sale{{Net: usd(100_000_00 - 1), PaidAt: at}})
	f := approved()
	if f.Transactions = whole; !benefit.Banner(f).Has {
		t.Error("USD 100,000.00 is not eligible")
	}
	if f.Transactions = refunded; benefit.Banner(f).Has {
		t.Error("a refund of one cent kept the banner")
	}
}

func TestRateValidate(t *testing.T) {
	ok := benefit.Rate{Currency: money.CNY, EffectiveFrom: date("2026-01-01"), Scaled: 1}
	for _, tt := range []struct {
		r     benefit.Rate
		field string
	}{
		{ok, ""},
		{benefit.Rate{Currency: "XXX", EffectiveFrom: ok.EffectiveFrom, Scaled: 1}, "currency"},
		{benefit.Rate{Currency: money.USD, EffectiveFrom: ok.EffectiveFrom, Scaled: 1}, "currency"},
		{benefit.Rate{Currency: money.CNY, Scaled: 1}, "effective_from"},
		{benefit.Rate{Currency: money.CNY, EffectiveFrom: ok.EffectiveFrom}, "rate"},
	} {
		err := tt.r.Validate()
		if got := fieldOf(err); got != tt.field {
			t.Errorf("%+v: %v", tt.r, err)
		}
	}
}

func fieldOf(err error) string {
	if e := fault.As(err); e != nil {
		return e.Field
	}
	return ""
}
