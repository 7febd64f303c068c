-- +goose Up
-- Subscriptions: the monthly and yearly lines of orders, kept running by the
-- scheduler (docs/buying.md).
CREATE TABLE subscriptions (
    id            TEXT PRIMARY KEY,
    order_id      TEXT NOT NULL REFERENCES orders (id),
    line_no       INTEGER NOT NULL,
    buyer_org_id  TEXT NOT NULL REFERENCES orgs (id),
    product_id    TEXT NOT NULL REFERENCES products (id),
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    plan          TEXT NOT NULL,
    mode          TEXT NOT NULL CHECK (mode IN ('monthly', 'yearly')),
    quantity      INTEGER NOT NULL,
    region        TEXT NOT NULL,
    zone          TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('trial', 'active', 'frozen', 'released')),
    auto_renew    BOOLEAN NOT NULL,
    anchor_day    INTEGER NOT NULL,
    periods       INTEGER NOT NULL,
    period_start  TIMESTAMP NOT NULL,
    period_end    TIMESTAMP NOT NULL,
    renewed_at    TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (order_id, line_no)
);
CREATE INDEX subscriptions_due ON subscriptions (state, period_end);
CREATE INDEX subscriptions_buyer ON subscriptions (buyer_org_id, created_at);

-- Renewal and upgrade orders name the subscription they extend or change.
ALTER TABLE orders ADD COLUMN subscription_id TEXT REFERENCES subscriptions (id);
ALTER TABLE orders ADD COLUMN refunded_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN refunded_minor BIGINT NOT NULL DEFAULT 0;

CREATE TABLE refunds (
    id           TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    currency     TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    lines        TEXT NOT NULL, -- [{"no": line number, "amount": minor units}] as JSON
    reason       TEXT NOT NULL,
    posting_id   TEXT NOT NULL REFERENCES postings (id),
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT
);
CREATE INDEX refunds_order ON refunds (order_id);

-- +goose Down
DROP TABLE refunds;
ALTER TABLE order_lines DROP COLUMN refunded_minor;
ALTER TABLE orders DROP COLUMN refunded_minor;
ALTER TABLE orders DROP COLUMN subscription_id;
DROP TABLE subscriptions;
