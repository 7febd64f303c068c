package seller_test

import (
	"testing"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/seller"
)

// mustDate parses a "2006-01-02" date or stops the test.
func mustDate(tb testing.TB, s string) seller.Date {
	tb.Helper()
	d, err := seller.ParseDate(s)
	if err != nil {
		tb.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want seller.Date
		ok   bool
	}{
		{"2024-02-29", seller.Date{Year: 2024, Month: time.February, Day: 29}, true},
		{"0999-12-31", seller.Date{Year: 999, Month: time.December, Day: 31}, true},
		{"2025-02-29", seller.Date{}, false},
		{"2025-13-01", seller.Date{}, false},
		{"2025-1-01", seller.Date{}, false},
		{"2025-01-01T00:00:00Z", seller.Date{}, false},
		{"", seller.Date{}, false},
	}
	for _, tc := range tests {
		got, err := seller.ParseDate(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && fault.As(err).Field != "date" {
			t.Errorf("ParseDate(%q) error names field %q", tc.in, fault.As(err).Field)
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("ParseDate(%q).String() = %q", tc.in, got.String())
		}
	}
}

func TestDateValid(t *testing.T) {
	tests := []struct {
		d    seller.Date
		want bool
	}{
		{seller.Date{Year: 2024, Month: time.February, Day: 29}, true},
		{seller.Date{Year: 2023, Month: time.February, Day: 29}, false},
		{seller.Date{Year: 2023, Month: time.April, Day: 31}, false},
		{seller.Date{Year: 2023, Month: 13, Day: 1}, false},
		{seller.Date{Year: 2023, Month: time.May, Day: 0}, false},
		{seller.Date{}, false},
	}
	for _, tc := range tests {
		if got := tc.d.Valid(); got != tc.want {
			t.Errorf("%v.Valid() = %v, want %v", tc.d, got, tc.want)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	d := mustDate(t, "2024-02-29")
	tests := []struct {
		name string
		got  seller.Date
		want string
	}{
		{"one year after a leap day", d.AddYears(1), "2025-03-01"},
		{"four years after a leap day", d.AddYears(4), "2028-02-29"},
		{"a day after a leap day", d.AddDays(1), "2024-03-01"},
		{"across a year", mustDate(t, "2025-12-31").AddDays(1), "2026-01-01"},
		{"backwards", mustDate(t, "2026-03-01").AddDays(-1), "2026-02-28"},
		{"anniversary of a leap day", seller.Anniversary(d), "2025-03-01"},
		{"anniversary", seller.Anniversary(mustDate(t, "2023-03-15")), "2024-03-15"},
		{"date of an instant in its zone", seller.DateOf(time.Date(2026, 1, 1, 1, 0, 0, 0, time.FixedZone("CST", 8*3600)).UTC()), "2025-12-31"},
	}
	for _, tc := range tests {
		if tc.got.String() != tc.want {
			t.Errorf("%s: got %v, want %s", tc.name, tc.got, tc.want)
		}
	}
	if !d.Before(d.AddDays(1)) || d.After(d) || d.Compare(d) != 0 || !d.AddYears(1).After(d) {
		t.Error("comparisons are wrong")
	}
	if got := mustDate(t, "2026-11-30").Weekday(); got != time.Monday {
		t.Errorf("2026-11-30 is a %v, want Monday", got)
	}
}

func TestValidateEstablished(t *testing.T) {
	today := mustDate(t, "2026-06-15")
	tests := []struct {
		d     seller.Date
		msgID string // "" for valid
	}{
		{mustDate(t, "2020-05-01"), ""},
		{today, ""},
		{mustDate(t, "1800-01-01"), ""},
		{mustDate(t, "2026-06-16"), "error.established_future"},
		{mustDate(t, "1799-12-31"), "error.established_too_early"},
		{seller.Date{Year: 2023, Month: time.February, Day: 29}, "error.date_invalid"},
		{seller.Date{}, "error.date_invalid"},
	}
	for _, tc := range tests {
		err := seller.ValidateEstablished(tc.d, today)
		if tc.msgID == "" {
			if err != nil {
				t.Errorf("ValidateEstablished(%v) = %v, want nil", tc.d, err)
			}
			continue
		}
		e := fault.As(err)
		if e == nil || e.Code != fault.Invalid || e.Field != "established" || e.MsgID != tc.msgID {
			t.Errorf("ValidateEstablished(%v) = %#v, want Invalid on established with %s", tc.d, e, tc.msgID)
		}
	}
}
