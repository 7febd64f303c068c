package api

import (
	"errors"
	"fmt"

	"github.com/cloudmart/cloudmart/fault"
	"github.com/cloudmart/cloudmart/money"
)

// Money is an amount in JSON: a decimal string in its currency, never a
// floating-point number, so no price is ever rounded on the way. Answers give
// the same amount in minor units too; a request may send minor back (a view
// edited and sent again) but it is ignored: amount decides.
type Money struct {
	Amount   string `json:"amount" maxLength:"32" doc:"A decimal with at most the currency's decimals (2 for CNY and USD); no exponent, no thousands separators" example:"199.00"`
	Currency string `json:"currency" maxLength:"3" doc:"ISO 4217 code" example:"CNY"`
	Minor    int64  `json:"minor" required:"false" readOnly:"true" doc:"The amount in the currency's minor unit (fen, cents); in answers only, ignored in requests" example:"19900"`
}

// moneyOf writes an amount for an answer.
func moneyOf(a money.Amount) Money {
	return Money{Amount: a.Decimal(), Currency: string(a.Currency), Minor: a.Minor}
}

// amount reads the amount given at field ("plans[0].price"). Whether it may be
// zero or negative is for the use case to say.
//
// Errors: Invalid on field.currency (error.currency_unsupported) or
// field.amount (error.amount_format).
func (m Money) amount(field string) (money.Amount, error) {
	return parseAmount(field+".amount", field+".currency", m.Amount, money.Currency(m.Currency))
}

// parseAmount reads a decimal amount in a currency, naming the field at fault.
func parseAmount(amountField, currencyField, s string, c money.Currency) (money.Amount, error) {
	a, err := money.Parse(s, c)
	switch {
	case errors.Is(err, money.ErrCurrency):
		return a, fault.Field(currencyField, "error.currency_unsupported",
			fmt.Sprintf("the marketplace does not price in %q: choose CNY or USD", c))
	case errors.Is(err, money.ErrOverflow):
		return a, fault.Field(amountField, "error.amount_format", "the amount is too large")
	case err != nil:
		return a, fault.Field(amountField, "error.amount_format",
			fmt.Sprintf("enter an amount such as 199.00, with at most %d decimals and no separators", c.Exponent()))
	}
	return a, nil
}
