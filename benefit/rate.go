package benefit

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
	"github.com/cloudmart/cloudmart/seller"
)

// RateScale is the fixed scale of a rate: a rate is stored as the integer
// number of USD per unit of the currency times 10^8 (0.14085 is 14,085,000),
// so it is exact and never a float.
const RateScale = 100_000_000

const rateDigits = 8 // of RateScale

// Rate is an operator-maintained exchange rate: what one unit of Currency is
// worth in USD, from the day EffectiveFrom (UTC) until the next rate of the
// currency takes over.
type Rate struct {
	Currency      money.Currency
	EffectiveFrom seller.Date
	Scaled        int64 // USD per unit × RateScale
	SetBy         string
	SetAt         time.Time
}

// ParseRate reads a rate written as a decimal ("0.14085"), with at most 8
// digits after the point.
//
// Errors: Invalid on "rate".
func ParseRate(s string) (int64, error) {
	bad := fault.Field("rate", "error.rate", "enter the rate as a positive decimal with at most 8 digits after the point, e.g. 0.14085")
	whole, frac, hasPoint := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || !digits(whole) || (hasPoint && (frac == "" || !digits(frac))) || len(frac) > rateDigits || len(whole) > 9 {
		return 0, bad
	}
	n, err := strconv.ParseInt(whole+frac+strings.Repeat("0", rateDigits-len(frac)), 10, 64)
	if err != nil || n <= 0 {
		return 0, bad
	}
	return n, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Decimal writes the rate as ParseRate reads it, without trailing zeros:
// "0.14085", "1".
func (r Rate) Decimal() string { return FormatRate(r.Scaled) }

// FormatRate writes a scaled rate as a decimal without trailing zeros.
func FormatRate(scaled int64) string {
	s := fmt.Sprintf("%d.%08d", scaled/RateScale, scaled%RateScale)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// Validate checks a rate an operator enters.
//
// Errors: Invalid on "currency" (unsupported, or USD itself), "effective_from"
// or "rate".
func (r Rate) Validate() error {
	if !r.Currency.Supported() {
		return fault.Field("currency", "error.rate_currency", "choose a currency cloudmart prices in")
	}
	if r.Currency == money.USD {
		return fault.Field("currency", "error.rate_usd", "USD is the currency rates convert to: it needs no rate")
	}
	if !r.EffectiveFrom.Valid() {
		return fault.Field("effective_from", "error.rate_date", "enter the day the rate takes effect, as YYYY-MM-DD")
	}
	if r.Scaled <= 0 {
		return fault.Field("rate", "error.rate", "enter the rate as a positive decimal with at most 8 digits after the point, e.g. 0.14085")
	}
	return nil
}

// Convert returns a in USD at the rate, rounded half away from zero to the
// cent.
//
// Errors: money.ErrMismatch when the rate is of another currency;
// money.ErrOverflow.
func (r Rate) Convert(a money.Amount) (money.Amount, error) {
	if a.Currency != r.Currency {
		return money.Amount{}, money.ErrMismatch
	}
	// minor × scaled × 10^(USD exponent − a's) / RateScale, exactly.
	num := new(big.Int).Mul(big.NewInt(r.Scaled), pow10(max(0, money.USD.Exponent()-a.Currency.Exponent())))
	den := new(big.Int).Mul(big.NewInt(RateScale), pow10(max(0, a.Currency.Exponent()-money.USD.Exponent())))
	if !num.IsInt64() || !den.IsInt64() {
		return money.Amount{}, money.ErrOverflow
	}
	usd, err := a.Ratio(num.Int64(), den.Int64())
	if err != nil {
		return money.Amount{}, err
	}
	return money.New(usd.Minor, money.USD), nil
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// Rates is the operators' table of rates.
type Rates []Rate

// On returns the rate of the currency on the day: the latest rate effective on
// or before it. USD is its own rate, 1. ok is false when the currency has no
// rate effective by then.
func (rs Rates) On(c money.Currency, day seller.Date) (Rate, bool) {
	if c == money.USD {
		return Rate{Currency: money.USD, Scaled: RateScale}, true
	}
	var best Rate
	found := false
	for _, r := range rs {
		if r.Currency == c && !r.EffectiveFrom.After(day) && (!found || r.EffectiveFrom.After(best.EffectiveFrom)) {
			best, found = r, true
		}
	}
	return best, found
}

// Sale is what one paid order brought a seller: the paid amount of its lines
// for the seller's products net of their refunds, and when it was paid.
type Sale struct {
	Net    money.Amount
	PaidAt time.Time
}

// Transactions converts each sale to USD at the rate of its payment date (the
// day of PaidAt in UTC; a refund is netted into its order, so it is converted
// at the order's rate) and sums them. Sales of a day with no rate are summed
// per currency in unconverted, in currency order.
//
// Errors: money.ErrOverflow.
func (rs Rates) Transactions(sales []Sale) (usd money.Amount, unconverted []money.Amount, err error) {
	usd = money.New(0, money.USD)
	left := map[money.Currency]money.Amount{}
	for _, s := range sales {
		if s.Net.IsZero() {
			continue
		}
		r, ok := rs.On(s.Net.Currency, seller.DateOf(s.PaidAt.UTC()))
		if !ok {
			sum, ok := left[s.Net.Currency]
			if !ok {
				sum = money.New(0, s.Net.Currency)
			}
			if left[s.Net.Currency], err = sum.Add(s.Net); err != nil {
				return usd, nil, err
			}
			continue
		}
		v, err := r.Convert(s.Net)
		if err != nil {
			return usd, nil, err
		}
		if usd, err = usd.Add(v); err != nil {
			return usd, nil, err
		}
	}
	for _, a := range left {
		if !a.IsZero() {
			unconverted = append(unconverted, a)
		}
	}
	slices.SortFunc(unconverted, func(a, b money.Amount) int { return strings.Compare(string(a.Currency), string(b.Currency)) })
	return usd, unconverted, nil
}
