-- +goose Up
-- SaaS instances: one per SaaS line of a paid order, as the seller's
-- production endpoint opened it (docs/saas-protocol.md). The initial password
-- is kept sealed with the server's secret key and shown to the buyer once.
CREATE TABLE saas_instances (
    order_id          TEXT NOT NULL REFERENCES orders (id),
    line_no           INTEGER NOT NULL,
    product_id        TEXT NOT NULL REFERENCES products (id),
    buyer_org_id      TEXT NOT NULL REFERENCES orgs (id),
    seller_org_id     TEXT NOT NULL REFERENCES orgs (id),
    instance_id       TEXT NOT NULL, -- the seller's id of it
    plan              TEXT NOT NULL, -- the plan (skuCode) it runs now
    trial             BOOLEAN NOT NULL, -- opened as a trial, not converted yet
    front_end_url     TEXT NOT NULL,
    admin_url         TEXT NOT NULL,
    user_name         TEXT NOT NULL,
    password          TEXT NOT NULL, -- sealed; '' when the seller gave none
    password_shown_at TIMESTAMPTZ,
    state             TEXT NOT NULL CHECK (state IN ('opening', 'normal', 'frozen', 'released', 'failed')),
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (order_id, line_no),
    -- Usage records name an instance by the seller's id alone.
    CONSTRAINT saas_instances_seller_instance UNIQUE (seller_org_id, instance_id)
);
CREATE INDEX saas_instances_buyer ON saas_instances (buyer_org_id, created_at);

-- Every call made to a production endpoint and its answer (no signature, no
-- key), for the seller's page of production interface messages.
CREATE TABLE saas_exchanges (
    id                 TEXT PRIMARY KEY,
    delivery_id        TEXT NOT NULL, -- '' for a seller's test order
    order_id           TEXT NOT NULL, -- '' for a seller's test order
    line_no            INTEGER NOT NULL,
    product_id         TEXT NOT NULL REFERENCES products (id),
    seller_org_id      TEXT NOT NULL REFERENCES orgs (id),
    activity           TEXT NOT NULL,
    url                TEXT NOT NULL,
    request_body       TEXT NOT NULL,
    http_status        INTEGER NOT NULL, -- 0: no answer came
    response_body      TEXT NOT NULL,
    response_truncated BOOLEAN NOT NULL,
    result_code        TEXT NOT NULL,
    error              TEXT NOT NULL,
    test               BOOLEAN NOT NULL,
    started_at         TIMESTAMPTZ NOT NULL,
    duration_us        BIGINT NOT NULL
);
CREATE INDEX saas_exchanges_seller ON saas_exchanges (seller_org_id, started_at);
CREATE INDEX saas_exchanges_delivery ON saas_exchanges (delivery_id, started_at);

-- Usage reported by sellers for pay-per-use instances (docs/usage.md). A
-- record id is the seller's, unique within the seller: sent again, it is the
-- same record.
CREATE TABLE usage_records (
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    record_id     TEXT NOT NULL,
    order_id      TEXT NOT NULL,
    line_no       INTEGER NOT NULL,
    product_id    TEXT NOT NULL REFERENCES products (id),
    buyer_org_id  TEXT NOT NULL REFERENCES orgs (id),
    instance_id   TEXT NOT NULL,
    unit          TEXT NOT NULL,
    begin_at      TIMESTAMPTZ NOT NULL,
    end_at        TIMESTAMPTZ NOT NULL,
    quantity      BIGINT NOT NULL, -- an adjustment's may be negative
    adjusts       TEXT NOT NULL,   -- the record an adjustment corrects, '' for none
    period        TEXT NOT NULL,   -- the billing month (UTC) of begin_at, YYYY-MM
    rated         BOOLEAN NOT NULL DEFAULT FALSE,
    received_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (seller_org_id, record_id),
    FOREIGN KEY (order_id, line_no) REFERENCES saas_instances (order_id, line_no)
);
CREATE INDEX usage_records_unrated ON usage_records (order_id, line_no, period) WHERE rated = FALSE;
CREATE INDEX usage_records_instance ON usage_records (order_id, line_no, begin_at);

-- What rating charged: one row per rating of an instance's billing month,
-- the month's total so far and what it cost, and the difference posted.
CREATE TABLE usage_charges (
    id            TEXT PRIMARY KEY,
    order_id      TEXT NOT NULL,
    line_no       INTEGER NOT NULL,
    product_id    TEXT NOT NULL REFERENCES products (id),
    buyer_org_id  TEXT NOT NULL REFERENCES orgs (id),
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    period        TEXT NOT NULL,
    quantity      BIGINT NOT NULL, -- the month's usage so far
    cost_minor    BIGINT NOT NULL, -- what that usage costs
    amount_minor  BIGINT NOT NULL, -- charged now: the cost less what was charged before
    currency      TEXT NOT NULL,
    posting_id    TEXT NOT NULL,   -- '' when nothing was charged
    rated_at      TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (order_id, line_no) REFERENCES saas_instances (order_id, line_no)
);
CREATE INDEX usage_charges_instance ON usage_charges (order_id, line_no, period, rated_at);
CREATE INDEX usage_charges_seller ON usage_charges (seller_org_id, rated_at);

-- +goose Down
DROP TABLE usage_charges;
DROP TABLE usage_records;
DROP TABLE saas_exchanges;
DROP TABLE saas_instances;
