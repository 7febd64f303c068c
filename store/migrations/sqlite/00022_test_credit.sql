-- +goose Up
-- Test credit (docs/benefits-b.md): sellers ask for credit to buy their own
-- products and try delivery end to end; an operator approves (perhaps less)
-- or declines. All of a seller's pending and approved requests together
-- never exceed USD 1,000.00: held_minor counts them and its CHECK holds the
-- cap, raised only by a conditional UPDATE in the transaction that adds the
-- request. The test balance is a ledger account (test_credit:<org>);
-- balance_minor repeats its sum so a payment can never take it below zero.
-- Every amount here is in US cents.
CREATE TABLE test_credit_sellers (
    org_id        TEXT PRIMARY KEY REFERENCES orgs (id),
    held_minor    BIGINT NOT NULL DEFAULT 0 CHECK (held_minor >= 0 AND held_minor <= 100000),
    balance_minor BIGINT NOT NULL DEFAULT 0 CHECK (balance_minor >= 0),
    updated_at    TIMESTAMP NOT NULL
);

-- A request: pending → approved → expired, or pending → declined.
-- approved_minor is what was granted (at most what was asked);
-- remaining_minor what of it test purchases have not spent (they spend the
-- grant that expires first; a refund goes back to the one that expires
-- last); expired_minor what went back to the marketplace when it expired.
CREATE TABLE test_credit_requests (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES test_credit_sellers (org_id),
    state           TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'declined', 'expired')),
    requested_minor BIGINT NOT NULL CHECK (requested_minor > 0 AND requested_minor <= 100000),
    approved_minor  BIGINT NOT NULL DEFAULT 0 CHECK (approved_minor >= 0 AND approved_minor <= requested_minor),
    remaining_minor BIGINT NOT NULL DEFAULT 0 CHECK (remaining_minor >= 0 AND remaining_minor <= approved_minor),
    expired_minor   BIGINT NOT NULL DEFAULT 0 CHECK (expired_minor >= 0),
    purpose         TEXT NOT NULL,
    requested_by    TEXT NOT NULL REFERENCES users (id),
    requested_at    TIMESTAMP NOT NULL,
    idempotency_key TEXT,
    decided_by      TEXT REFERENCES users (id),
    decided_at      TIMESTAMP,
    decline_reason  TEXT NOT NULL DEFAULT '',
    expires_at      TIMESTAMP,
    expired_at      TIMESTAMP,
    CHECK ((state = 'pending') = (decided_at IS NULL)),
    CHECK ((state IN ('approved', 'expired')) = (expires_at IS NOT NULL))
);
CREATE UNIQUE INDEX test_credit_requests_key ON test_credit_requests (org_id, idempotency_key);
CREATE INDEX test_credit_requests_org ON test_credit_requests (org_id, requested_at);
CREATE INDEX test_credit_requests_state ON test_credit_requests (state, expires_at);

-- +goose Down
DROP TABLE test_credit_requests;
DROP TABLE test_credit_sellers;
