// Package money holds amounts of money: integer minor units (cents, fen) with
// an ISO 4217 currency code, never floating point. Arithmetic refuses to mix
// currencies and to overflow; splitting an amount over lines is exact (the
// parts always sum to the whole).
package money

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Currency is an ISO 4217 code.
type Currency string

// The currencies cloudmart prices in, with the number of digits of their minor
// unit.
var exponents = map[Currency]int{
	"CNY": 2, "USD": 2, "EUR": 2, "HKD": 2, "SGD": 2, "JPY": 0,
}

const (
	CNY Currency = "CNY"
	USD Currency = "USD"
)

// Supported reports whether cloudmart prices in c.
func (c Currency) Supported() bool { _, ok := exponents[c]; return ok }

// Exponent is the number of digits after the decimal point of c's minor unit.
func (c Currency) Exponent() int { return exponents[c] }

// Amount is a sum of money.
type Amount struct {
	Minor    int64    `json:"minor"`    // in the currency's minor unit: 1234 CNY is ¥12.34
	Currency Currency `json:"currency"` // ISO 4217
}

// Errors.
var (
	ErrCurrency = errors.New("money: unsupported currency")
	ErrMismatch = errors.New("money: amounts in different currencies")
	ErrOverflow = errors.New("money: amount out of range")
	ErrFormat   = errors.New("money: not an amount")
)

// New returns an amount of minor units.
func New(minor int64, c Currency) Amount { return Amount{Minor: minor, Currency: c} }

// Parse reads a decimal amount such as "12.34", "-0.5" or "1000" in c. It
// refuses more fractional digits than c has, exponents, and thousands
// separators, so a typo never silently becomes a different price.
//
// Errors: ErrCurrency, ErrFormat, ErrOverflow.
func Parse(s string, c Currency) (Amount, error) {
	exp, ok := exponents[c]
	if !ok {
		return Amount{}, ErrCurrency
	}
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" || !digits(whole) || (hasPoint && (frac == "" || !digits(frac))) || len(frac) > exp {
		return Amount{}, ErrFormat
	}
	frac += strings.Repeat("0", exp-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return Amount{}, ErrOverflow
	}
	if neg {
		n = -n
	}
	return Amount{Minor: n, Currency: c}, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Decimal writes the amount as a plain decimal: "12.34", "-0.50", "1000".
func (a Amount) Decimal() string {
	exp := exponents[a.Currency]
	n := a.Minor
	sign := ""
	if n < 0 {
		sign = "-"
	}
	u := uint64(n)
	if n < 0 {
		u = uint64(-(n + 1)) + 1 // math.MinInt64 has no positive int64
	}
	s := strconv.FormatUint(u, 10)
	if exp == 0 {
		return sign + s
	}
	if len(s) <= exp {
		s = strings.Repeat("0", exp-len(s)+1) + s
	}
	return sign + s[:len(s)-exp] + "." + s[len(s)-exp:]
}

// Grouped writes the amount as Decimal does, with its whole part in groups of
// three digits: "32,000.00", "-1,234,567.89".
func (a Amount) Grouped() string {
	d := a.Decimal()
	sign := ""
	if strings.HasPrefix(d, "-") {
		sign, d = "-", d[1:]
	}
	whole, frac, hasFrac := strings.Cut(d, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

// String is "CNY 12.34".
func (a Amount) String() string { return string(a.Currency) + " " + a.Decimal() }

// IsZero reports whether the amount is nothing.
func (a Amount) IsZero() bool { return a.Minor == 0 }

// IsNegative reports whether the amount is below zero.
func (a Amount) IsNegative() bool { return a.Minor < 0 }

// Add returns a+b.
//
// Errors: ErrMismatch, ErrOverflow.
func (a Amount) Add(b Amount) (Amount, error) {
	if a.Currency != b.Currency {
		return Amount{}, ErrMismatch
	}
	s := a.Minor + b.Minor
	if (b.Minor > 0 && s < a.Minor) || (b.Minor < 0 && s > a.Minor) {
		return Amount{}, ErrOverflow
	}
	return Amount{Minor: s, Currency: a.Currency}, nil
}

// Sub returns a-b.
//
// Errors: ErrMismatch, ErrOverflow.
func (a Amount) Sub(b Amount) (Amount, error) {
	if b.Minor == math.MinInt64 {
		return Amount{}, ErrOverflow
	}
	return a.Add(Amount{Minor: -b.Minor, Currency: b.Currency})
}

// Neg returns -a.
func (a Amount) Neg() Amount { return Amount{Minor: -a.Minor, Currency: a.Currency} }

// Times returns a×n.
//
// Errors: ErrOverflow.
func (a Amount) Times(n int64) (Amount, error) {
	p := new(big.Int).Mul(big.NewInt(a.Minor), big.NewInt(n))
	if !p.IsInt64() {
		return Amount{}, ErrOverflow
	}
	return Amount{Minor: p.Int64(), Currency: a.Currency}, nil
}

// Cmp compares a with b: -1, 0 or +1.
//
// Errors: ErrMismatch.
func (a Amount) Cmp(b Amount) (int, error) {
	if a.Currency != b.Currency {
		return 0, ErrMismatch
	}
	switch {
	case a.Minor < b.Minor:
		return -1, nil
	case a.Minor > b.Minor:
		return 1, nil
	}
	return 0, nil
}

// Sum adds amounts of one currency; the sum of none is zero in c.
//
// Errors: ErrMismatch, ErrOverflow.
func Sum(c Currency, amounts ...Amount) (Amount, error) {
	total := Amount{Currency: c}
	for _, a := range amounts {
		var err error
		if total, err = total.Add(a); err != nil {
			return Amount{}, err
		}
	}
	return total, nil
}

// Ratio returns a×num/den rounded half away from zero (so 12.345 → 12.35 and
// -12.345 → -12.35): the rule for a percentage discount on one price.
//
// Errors: ErrOverflow; den must not be zero.
func (a Amount) Ratio(num, den int64) (Amount, error) {
	if den == 0 {
		return Amount{}, fmt.Errorf("money: ratio over zero")
	}
	p := new(big.Int).Mul(big.NewInt(a.Minor), big.NewInt(num))
	d := big.NewInt(den)
	q, r := new(big.Int).QuoRem(p, d, new(big.Int))
	// Round half away from zero: compare 2|r| with |den|.
	twice := new(big.Int).Abs(r)
	twice.Lsh(twice, 1)
	if twice.Cmp(new(big.Int).Abs(d)) >= 0 {
		if (p.Sign() < 0) != (d.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if !q.IsInt64() {
		return Amount{}, ErrOverflow
	}
	return Amount{Minor: q.Int64(), Currency: a.Currency}, nil
}
