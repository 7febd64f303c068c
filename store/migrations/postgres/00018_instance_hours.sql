-- +goose Up
-- Billing pay-per-use images by the hour (docs/compute.md, "Billing
-- pay-per-use images").
--
-- When each image instance ran: one row per run, from the moment the
-- marketplace saw it running to the moment it stopped or was deleted
-- (stopped_at NULL while it runs). SaveInstance writes it with every change
-- of state, in the same transaction, so the hours are counted right however
-- long the metering job did not run. Times are whole seconds.
CREATE TABLE instance_runs (
    instance_id TEXT NOT NULL REFERENCES instances (id),
    started_at  TIMESTAMPTZ NOT NULL,
    stopped_at  TIMESTAMPTZ,
    -- every hour of the run is in instance_hours (or its line is not
    -- metered): the job looks at it no more
    metered     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (instance_id, started_at)
);
CREATE UNIQUE INDEX instance_runs_open ON instance_runs (instance_id) WHERE stopped_at IS NULL;
CREATE INDEX instance_runs_unmetered ON instance_runs (instance_id) WHERE metered = FALSE;

-- The seconds an instance of a pay-per-use line ran in each clock hour
-- (UTC), written by the metering job once the hour has ended, once.
CREATE TABLE instance_hours (
    instance_id TEXT NOT NULL REFERENCES instances (id),
    hour_at     TIMESTAMPTZ NOT NULL, -- the clock hour's first instant
    period      TEXT NOT NULL,      -- its billing month, YYYY-MM
    seconds     INTEGER NOT NULL CHECK (seconds BETWEEN 1 AND 3600),
    rated       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (instance_id, hour_at)
);
CREATE INDEX instance_hours_unrated ON instance_hours (instance_id, period) WHERE rated = FALSE;

-- What rating charged: one row per rating of an instance's billing month,
-- the month's running time so far, the hours billed for it (rounded up),
-- what they cost, and the difference posted. seq numbers the ratings of a
-- month, so two ratings at once never both charge the same hours.
CREATE TABLE instance_charges (
    id            TEXT PRIMARY KEY,
    instance_id   TEXT NOT NULL REFERENCES instances (id),
    order_id      TEXT NOT NULL REFERENCES orders (id),
    line_no       INTEGER NOT NULL,
    product_id    TEXT NOT NULL REFERENCES products (id),
    buyer_org_id  TEXT NOT NULL REFERENCES orgs (id),
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    period        TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    seconds       BIGINT NOT NULL, -- the month's running time so far
    quantity      BIGINT NOT NULL, -- hours billed: seconds / 3600 rounded up
    cost_minor    BIGINT NOT NULL, -- what those hours cost
    amount_minor  BIGINT NOT NULL, -- charged now: the cost less what was charged before
    currency      TEXT NOT NULL,
    posting_id    TEXT NOT NULL,   -- '' when nothing was charged
    rated_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT instance_charges_seq UNIQUE (instance_id, period, seq)
);
CREATE INDEX instance_charges_seller ON instance_charges (seller_org_id, period);
CREATE INDEX instance_charges_rated ON instance_charges (instance_id, rated_at);

-- +goose Down
DROP TABLE instance_charges;
DROP TABLE instance_hours;
DROP TABLE instance_runs;
