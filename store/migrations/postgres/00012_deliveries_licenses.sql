-- +goose Up
-- Deliveries: what the marketplace must do for a bought line — open it,
-- renew, upgrade, freeze or release it — written in the transaction that
-- decides it (a payment, a renewal, a refund …) and queued on the job queue
-- after commit by the periodic delivery dispatcher, many at once, as the mail
-- outbox is (docs/delivery.md). A line's deliveries run in the order they
-- were written.
CREATE TABLE deliveries (
    id            TEXT PRIMARY KEY,
    order_id      TEXT NOT NULL REFERENCES orders (id), -- the order that bought the line
    line_no       INTEGER NOT NULL,
    action        TEXT NOT NULL CHECK (action IN ('open', 'renew', 'upgrade', 'freeze', 'release')),
    -- What asked for it (an order, a refund, a subscription's end): one
    -- cause asks once, so a replayed event adds nothing.
    cause         TEXT NOT NULL,
    product_type  TEXT NOT NULL,
    buyer_org_id  TEXT NOT NULL REFERENCES orgs (id),
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    state         TEXT NOT NULL CHECK (state IN ('waiting', 'done', 'failed')),
    queued        BOOLEAN NOT NULL DEFAULT FALSE,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    give_up_at    TIMESTAMPTZ NOT NULL, -- retried until then, then failed
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (order_id, line_no, action, cause)
);
CREATE INDEX deliveries_outbox ON deliveries (product_type, created_at) WHERE queued = FALSE;
CREATE INDEX deliveries_line ON deliveries (order_id, line_no, created_at);
CREATE INDEX deliveries_seller ON deliveries (seller_org_id, created_at);

-- The marketplace's licence signing keys (Ed25519). The newest not retired
-- signs; all stay published so licences signed before a rotation stay valid.
CREATE TABLE license_keys (
    id          TEXT PRIMARY KEY, -- the key id licences name
    public_key  TEXT NOT NULL,    -- base64url
    private_key TEXT NOT NULL,    -- sealed with the server's secret key
    created_at  TIMESTAMPTZ NOT NULL,
    retired_at  TIMESTAMPTZ
);

-- Licences issued for licence lines: the latest signed document, its state,
-- and the machine it is activated on.
CREATE TABLE licenses (
    id            TEXT PRIMARY KEY,
    order_id      TEXT NOT NULL REFERENCES orders (id),
    line_no       INTEGER NOT NULL,
    product_id    TEXT NOT NULL REFERENCES products (id),
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    buyer_org_id  TEXT NOT NULL REFERENCES orgs (id),
    plan          TEXT NOT NULL,
    unit          TEXT NOT NULL,
    quantity      INTEGER NOT NULL,
    valid_from    TIMESTAMPTZ NOT NULL,
    valid_until   TIMESTAMPTZ, -- NULL: perpetual
    state         TEXT NOT NULL CHECK (state IN ('issued', 'released')),
    version       INTEGER NOT NULL,
    document      TEXT NOT NULL, -- the signed licence (compact JWS)
    key_id        TEXT NOT NULL REFERENCES license_keys (id),
    machine_id    TEXT,          -- where it is activated
    activated_at  TIMESTAMPTZ,
    last_seen_at  TIMESTAMPTZ,     -- the last heartbeat
    issued_at     TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (order_id, line_no)
);
CREATE INDEX licenses_buyer ON licenses (buyer_org_id, issued_at);
CREATE INDEX licenses_seller ON licenses (seller_org_id, issued_at);

-- +goose Down
DROP TABLE licenses;
DROP TABLE license_keys;
DROP TABLE deliveries;
