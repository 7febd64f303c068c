-- +goose Up
-- Resale through channel partners (docs/benefits-d.md, package resale). The
-- rules are resale's; this schema keeps the operators' requirements, the
-- sellers' authorisations and the partners' sales.

-- The resale requirements: one row, the operators' (resale.Requirements).
-- No row: resale.Defaults.
CREATE TABLE resale_requirements (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    min_approved_days     INTEGER NOT NULL CHECK (min_approved_days >= 0),
    refund_policy         BOOLEAN NOT NULL,
    max_failed_deliveries INTEGER NOT NULL CHECK (max_failed_deliveries >= 0),
    standard_discount_bps INTEGER NOT NULL CHECK (standard_discount_bps >= 0 AND standard_discount_bps <= 9000),
    updated_at            TIMESTAMPTZ NOT NULL,
    updated_by            TEXT REFERENCES users (id)
);

-- A seller's authorisation of one product for one partner, with its partner
-- discount. At most one pending or active per product and partner: the
-- unique index decides between two made at once.
CREATE TABLE resale_authorisations (
    id             TEXT PRIMARY KEY,
    product_id     TEXT NOT NULL REFERENCES products (id),
    seller_org_id  TEXT NOT NULL REFERENCES orgs (id),
    partner_org_id TEXT NOT NULL REFERENCES orgs (id),
    discount_bps   INTEGER NOT NULL CHECK (discount_bps >= 0 AND discount_bps <= 9000),
    state          TEXT NOT NULL CHECK (state IN ('pending', 'active', 'declined', 'revoked')),
    note           TEXT NOT NULL,
    reason         TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     TEXT NOT NULL REFERENCES users (id),
    decided_at     TIMESTAMPTZ,
    decided_by     TEXT REFERENCES users (id),
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX resale_authorisations_live ON resale_authorisations (product_id, partner_org_id) WHERE state IN ('pending', 'active');
CREATE INDEX resale_authorisations_partner ON resale_authorisations (partner_org_id, state);
CREATE INDEX resale_authorisations_seller ON resale_authorisations (seller_org_id, created_at);
CREATE INDEX resale_authorisations_state ON resale_authorisations (state, created_at);

-- One row per order a partner placed for its customer: the partner's margin
-- (the sum of the lines' order.Line.PartnerMargin, kept in their content)
-- and how much of it refunds took back. Plain orders write nothing here.
CREATE TABLE partner_sales (
    order_id              TEXT PRIMARY KEY REFERENCES orders (id),
    partner_org_id        TEXT NOT NULL REFERENCES orgs (id),
    customer_org_id       TEXT NOT NULL REFERENCES orgs (id),
    currency              TEXT NOT NULL,
    margin_minor          BIGINT NOT NULL CHECK (margin_minor >= 0),
    margin_refunded_minor BIGINT NOT NULL DEFAULT 0,
    placed_at             TIMESTAMPTZ NOT NULL,
    CHECK (margin_refunded_minor >= 0 AND margin_refunded_minor <= margin_minor)
);
CREATE INDEX partner_sales_partner ON partner_sales (partner_org_id, order_id);

-- +goose Down
DROP TABLE partner_sales;
DROP TABLE resale_authorisations;
DROP TABLE resale_requirements;
