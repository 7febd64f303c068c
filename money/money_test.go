package money_test

import (
	"math"
	"math/big"
	"testing"

	"github.com/cloudmart/cloudmart/money"
)

func TestParseAndDecimal(t *testing.T) {
	tests := []struct {
		in   string
		cur  money.Currency
		want int64
		err  error
		out  string
	}{
		{"12.34", money.CNY, 1234, nil, "12.34"},
		{"12.3", money.CNY, 1230, nil, "12.30"},
		{"1000", money.USD, 100000, nil, "1000.00"},
		{"-0.5", money.CNY, -50, nil, "-0.50"},
		{"0.05", money.CNY, 5, nil, "0.05"},
		{"500", "JPY", 500, nil, "500"},
		{"1.5", "JPY", 0, money.ErrFormat, ""},
		{"12.345", money.CNY, 0, money.ErrFormat, ""},
		{"1,000", money.CNY, 0, money.ErrFormat, ""},
		{"1e3", money.CNY, 0, money.ErrFormat, ""},
		{".5", money.CNY, 0, money.ErrFormat, ""},
		{"5.", money.CNY, 0, money.ErrFormat, ""},
		{"", money.CNY, 0, money.ErrFormat, ""},
		{"12", "XXX", 0, money.ErrCurrency, ""},
		{"99999999999999999999", money.CNY, 0, money.ErrOverflow, ""},
	}
	for _, tc := range tests {
		a, err := money.Parse(tc.in, tc.cur)
		if err != tc.err || (err == nil && (a.Minor != tc.want || a.Decimal() != tc.out)) {
			t.Errorf("Parse(%q, %s) = %v (%s), %v; want %d, %v", tc.in, tc.cur, a, a.Decimal(), err, tc.want, tc.err)
		}
	}
	if s := money.New(math.MinInt64, money.CNY).Decimal(); s != "-92233720368547758.08" {
		t.Errorf("MinInt64 = %s", s)
	}
	for minor, want := range map[int64]string{3200000: "32,000.00", -123456789: "-1,234,567.89", 99: "0.99", 100000: "1,000.00"} {
		if got := money.New(minor, money.CNY).Grouped(); got != want {
			t.Errorf("Grouped(%d) = %s, want %s", minor, got, want)
		}
	}
	if got := money.New(1234567, "JPY").Grouped(); got != "1,234,567" {
		t.Errorf("Grouped JPY = %s", got)
	}
	if s := money.New(-7, money.USD).String(); s != "USD -0.07" {
		t.Errorf("String = %s", s)
	}
}

func TestArithmetic(t *testing.T) {
	a, b := money.New(1050, money.CNY), money.New(-2000, money.CNY)
	if s, err := a.Add(b); err != nil || s.Minor != -950 {
		t.Errorf("Add = %v %v", s, err)
	}
	if _, err := a.Add(money.New(1, money.USD)); err != money.ErrMismatch {
		t.Errorf("mixed currencies: %v", err)
	}
	if _, err := money.New(math.MaxInt64, money.CNY).Add(money.New(1, money.CNY)); err != money.ErrOverflow {
		t.Errorf("overflow: %v", err)
	}
	if _, err := money.New(0, money.CNY).Sub(money.New(math.MinInt64, money.CNY)); err != money.ErrOverflow {
		t.Errorf("sub overflow: %v", err)
	}
	if p, err := a.Times(12); err != nil || p.Minor != 12600 {
		t.Errorf("Times = %v %v", p, err)
	}
	if _, err := money.New(math.MaxInt64/2+1, money.CNY).Times(2); err != money.ErrOverflow {
		t.Errorf("times overflow: %v", err)
	}
	if s, err := money.Sum(money.CNY, a, a, b); err != nil || s.Minor != 100 {
		t.Errorf("Sum = %v %v", s, err)
	}
	if c, _ := a.Cmp(b); c != 1 {
		t.Errorf("Cmp = %d", c)
	}
}

func TestRatioRoundsHalfAwayFromZero(t *testing.T) {
	tests := []struct{ minor, num, den, want int64 }{
		{1000, 15, 100, 150},       // 15% of 10.00
		{1234, 50, 100, 617},       // half of 12.34
		{1235, 50, 100, 618},       // 617.5 → 618
		{-1235, 50, 100, -618},     // -617.5 → -618
		{999, 1, 3, 333},           // 333.0
		{1000, 1, 3, 333},          // 333.33 → 333
		{1001, 2, 3, 667},          // 667.33 → 667
		{100, 2, 3, 67},            // 66.67 → 67
		{12000, 8300, 10000, 9960}, // a 17% yearly discount on 120.00
	}
	for _, tc := range tests {
		got, err := money.New(tc.minor, money.CNY).Ratio(tc.num, tc.den)
		if err != nil || got.Minor != tc.want {
			t.Errorf("%d×%d/%d = %v %v, want %d", tc.minor, tc.num, tc.den, got.Minor, err, tc.want)
		}
	}
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		total   int64
		weights []int64
		want    []int64
	}{
		{100, []int64{1, 1, 1}, []int64{34, 33, 33}},              // tie: the earlier line gets the cent
		{-100, []int64{1, 1, 1}, []int64{-34, -33, -33}},          // the same for a negative total
		{1000, []int64{5000, 3000, 2000}, []int64{500, 300, 200}}, // exact
		{1001, []int64{5000, 3000, 2000}, []int64{501, 300, 200}}, // 500.5, 300.3, 200.2
		{7, []int64{0, 10, 0, 10}, []int64{0, 4, 0, 3}},           // zero weight gets nothing
		{2, []int64{1, 1, 1}, []int64{1, 1, 0}},
		{10, []int64{3, 3, 4}, []int64{3, 3, 4}},
		{5, []int64{1, 2}, []int64{2, 3}}, // 1 r2 and 3 r1: the left-over unit goes to line 0
	}
	for _, tc := range tests {
		parts, err := money.Allocate(money.New(tc.total, money.CNY), tc.weights)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for i, p := range parts {
			sum += p.Minor
			if p.Minor != tc.want[i] || p.Currency != money.CNY {
				t.Errorf("Allocate(%d, %v) = %v, want %v", tc.total, tc.weights, parts, tc.want)
				break
			}
		}
		if sum != tc.total {
			t.Errorf("parts of %d sum to %d", tc.total, sum)
		}
	}
	if _, err := money.Allocate(money.New(1, money.CNY), []int64{0, 0}); err == nil {
		t.Error("zero weights accepted")
	}
	if _, err := money.Allocate(money.New(1, money.CNY), []int64{1, -1}); err == nil {
		t.Error("negative weight accepted")
	}
}

// FuzzAllocate checks the promises of Allocate on any input: the parts sum to
// the total and each is within one minor unit of its exact share.
func FuzzAllocate(f *testing.F) {
	f.Add(int64(100), int64(1), int64(1), int64(1))
	f.Add(int64(-99999), int64(7), int64(0), int64(13))
	f.Fuzz(func(t *testing.T, total, w1, w2, w3 int64) {
		ws := []int64{abs(w1) % 1e12, abs(w2) % 1e12, abs(w3) % 1e12}
		if ws[0]+ws[1]+ws[2] == 0 {
			return
		}
		parts, err := money.Allocate(money.New(total, money.USD), ws)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, p := range parts {
			sum += p.Minor
		}
		if sum != total {
			t.Fatalf("sum %d != %d", sum, total)
		}
		var wsum big.Int
		for _, w := range ws {
			wsum.Add(&wsum, big.NewInt(w))
		}
		for i, p := range parts {
			// |part×Σw − total×w| < Σw: within one unit of the exact share.
			diff := new(big.Int).Sub(new(big.Int).Mul(big.NewInt(p.Minor), &wsum), new(big.Int).Mul(big.NewInt(total), big.NewInt(ws[i])))
			if diff.Abs(diff).Cmp(&wsum) >= 0 {
				t.Fatalf("part %d = %d is a unit or more from its share", i, p.Minor)
			}
		}
	})
}

func abs(n int64) int64 {
	if n < 0 {
		if n == math.MinInt64 {
			return math.MaxInt64
		}
		return -n
	}
	return n
}
