-- +goose Up
-- The cloud servers (ECS instances) delivered for image lines: one row per
-- unit bought, made before the server is asked for, so a retried delivery
-- finds it and sends the same client token and password. provider names the
-- compute service that holds server_id ("sim", "openstack").
CREATE TABLE instances (
    id                TEXT PRIMARY KEY,
    order_id          TEXT NOT NULL REFERENCES orders (id),
    line_no           INTEGER NOT NULL,
    unit_no           INTEGER NOT NULL,
    buyer_org_id      TEXT NOT NULL REFERENCES orgs (id),
    seller_org_id     TEXT NOT NULL REFERENCES orgs (id),
    product_id        TEXT NOT NULL REFERENCES products (id),
    provider          TEXT NOT NULL,
    server_id         TEXT NOT NULL,  -- '' until the provider made one
    attempt           INTEGER NOT NULL, -- servers asked for so far: the client token's suffix
    name              TEXT NOT NULL,
    flavor            TEXT NOT NULL,
    region            TEXT NOT NULL,
    image_ref         TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('creating', 'running', 'stopped', 'deleted', 'failed')),
    address           TEXT NOT NULL,
    login_user        TEXT NOT NULL,
    password          TEXT NOT NULL,  -- sealed with the server's secret key; '' once shown
    password_shown_at TIMESTAMPTZ,    -- the buyer saw it: never shown again
    last_error        TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (order_id, line_no, unit_no)
);
CREATE INDEX instances_buyer ON instances (buyer_org_id, created_at);
CREATE INDEX instances_seller ON instances (seller_org_id, created_at);

-- +goose Down
DROP TABLE instances;
