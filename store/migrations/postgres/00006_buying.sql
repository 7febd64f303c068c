-- +goose Up
-- Balances: each customer organisation's prepaid money per currency, kept
-- equal to the sum of its ledger account's entries. It may go below zero down
-- to the credit limit an operator set, never further.
CREATE TABLE balances (
    org_id             TEXT NOT NULL REFERENCES orgs (id),
    currency           TEXT NOT NULL,
    balance_minor      BIGINT NOT NULL,
    credit_limit_minor BIGINT NOT NULL DEFAULT 0 CHECK (credit_limit_minor >= 0),
    updated_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, currency),
    CHECK (balance_minor >= -credit_limit_minor)
);

-- The double-entry ledger: postings are only ever added.
CREATE TABLE postings (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    ref        TEXT NOT NULL,
    memo       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT
);
CREATE INDEX postings_ref ON postings (ref);

CREATE TABLE ledger_entries (
    posting_id   TEXT NOT NULL REFERENCES postings (id),
    line         INTEGER NOT NULL,
    account      TEXT NOT NULL,
    currency     TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor <> 0),
    PRIMARY KEY (posting_id, line)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account, currency);

CREATE TABLE orders (
    id              TEXT PRIMARY KEY,
    buyer_org_id    TEXT NOT NULL REFERENCES orgs (id),
    buyer_user_id   TEXT NOT NULL REFERENCES users (id),
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    state           TEXT NOT NULL,
    currency        TEXT NOT NULL,
    list_minor      BIGINT NOT NULL,
    discount_minor  BIGINT NOT NULL,
    paid_minor      BIGINT NOT NULL,
    placed_at       TIMESTAMPTZ NOT NULL,
    paid_at         TIMESTAMPTZ,
    -- The buyer's Idempotency-Key and a hash of its request: the same key
    -- returns the same order, with another request it is refused.
    idempotency_key TEXT,
    request_hash    TEXT
);
CREATE UNIQUE INDEX orders_idempotency ON orders (buyer_org_id, idempotency_key);
CREATE INDEX orders_buyer ON orders (buyer_org_id, placed_at);

CREATE TABLE order_lines (
    order_id      TEXT NOT NULL REFERENCES orders (id),
    line_no       INTEGER NOT NULL,
    product_id    TEXT NOT NULL REFERENCES products (id),
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    content       TEXT NOT NULL, -- the priced line (order.Line) as JSON
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_lines_seller ON order_lines (seller_org_id, order_id);

-- +goose Down
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE ledger_entries;
DROP TABLE postings;
DROP TABLE balances;
