-- +goose Up
-- Exchange rates to USD, maintained by operators (docs/benefits.md, package
-- benefit): a seller's transactions in other currencies count toward the
-- homepage banner at the rate of each order's payment date, the latest rate
-- effective on or before that day (UTC). A rate is exact: USD per unit of the
-- currency times 10^8, an integer. Setting a rate for a day that has one
-- replaces it; a rate is never deleted, so an old order's rate stays.
CREATE TABLE exchange_rates (
    currency       TEXT NOT NULL CHECK (currency <> 'USD'),
    effective_from TEXT NOT NULL, -- YYYY-MM-DD, in UTC
    rate_scaled    BIGINT NOT NULL CHECK (rate_scaled > 0),
    set_by         TEXT NOT NULL,
    set_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (currency, effective_from)
);

-- +goose Down
DROP TABLE exchange_rates;
