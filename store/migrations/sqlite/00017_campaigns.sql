-- +goose Up
-- Campaigns and coupons (docs/campaigns.md, package promo). The rules are
-- promo's; this schema holds what they decided and enforces every limit in
-- the transaction that uses it: a gift's stock, one gift per customer, the
-- packs, one use of a coupon, the budget, and the campaign ledger's keys.

-- A campaign: its rules (promo.Campaign, with its tiers, gifts and coupon
-- templates) as JSON in content; its state and the counters the database
-- limits in columns. pack_limit and budget_minor repeat the content's, so a
-- conditional UPDATE and the CHECKs can hold the limits.
CREATE TABLE campaigns (
    id                TEXT PRIMARY KEY,
    state             TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'active', 'ended')),
    currency          TEXT NOT NULL,
    content           TEXT NOT NULL,
    window_from       TIMESTAMP NOT NULL, -- the window, from the content's days and zone
    window_until      TIMESTAMP NOT NULL,
    pack_limit        INTEGER NOT NULL CHECK (pack_limit >= 0),
    packs_claimed     INTEGER NOT NULL DEFAULT 0,
    budget_minor      BIGINT NOT NULL CHECK (budget_minor >= 0),
    budget_used_minor BIGINT NOT NULL DEFAULT 0,
    -- Each edit or move adds one and is made only from the version read.
    version           INTEGER NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    CHECK (packs_claimed >= 0 AND packs_claimed <= pack_limit),
    CHECK (budget_used_minor >= 0 AND budget_used_minor <= budget_minor)
);
CREATE INDEX campaigns_state ON campaigns (state, window_from);

-- Each gift's stock: units on offer in all, and units left. A redemption
-- takes one with UPDATE … SET units_left = units_left - 1 WHERE units_left > 0.
CREATE TABLE campaign_gifts (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    gift_id     TEXT NOT NULL,
    tier        INTEGER NOT NULL CHECK (tier >= 0),
    stock       INTEGER NOT NULL CHECK (stock >= 0),
    units_left  INTEGER NOT NULL CHECK (units_left >= 0 AND units_left <= stock),
    PRIMARY KEY (campaign_id, gift_id)
);

-- Pack claims: claim_no counts a customer's claims from 1, so the unique key
-- lets each number be taken once however many claims arrive at once.
CREATE TABLE campaign_pack_claims (
    campaign_id     TEXT NOT NULL REFERENCES campaigns (id),
    customer_org_id TEXT NOT NULL REFERENCES orgs (id),
    claim_no        INTEGER NOT NULL CHECK (claim_no >= 1),
    claimed_by      TEXT REFERENCES users (id),
    claimed_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (campaign_id, customer_org_id, claim_no)
);

-- Coupons: a template of a pack claimed by a customer, its terms copied
-- (promo.Template as JSON). Used once: order_id is set only while it is NULL.
CREATE TABLE coupons (
    id           TEXT PRIMARY KEY,
    campaign_id  TEXT NOT NULL REFERENCES campaigns (id),
    owner_org_id TEXT NOT NULL REFERENCES orgs (id),
    template_id  TEXT NOT NULL,
    template     TEXT NOT NULL,
    claim_no     INTEGER NOT NULL,
    claimed_at   TIMESTAMP NOT NULL,
    valid_from   TIMESTAMP NOT NULL,
    valid_until  TIMESTAMP NOT NULL,
    order_id     TEXT REFERENCES orders (id),
    used_at      TIMESTAMP,
    CHECK ((order_id IS NULL) = (used_at IS NULL)),
    FOREIGN KEY (campaign_id, owner_org_id, claim_no) REFERENCES campaign_pack_claims (campaign_id, customer_org_id, claim_no)
);
CREATE INDEX coupons_owner ON coupons (owner_org_id, campaign_id);
CREATE UNIQUE INDEX coupons_order ON coupons (order_id);

-- One coupon per order.
ALTER TABLE orders ADD COLUMN coupon_id TEXT REFERENCES coupons (id);

-- The campaign ledger: append-only, one entry per campaign and counted order
-- (+paid) and per campaign and refund of one (−refunded). Its key makes a
-- replayed payment or refund add nothing.
CREATE TABLE campaign_entries (
    campaign_id     TEXT NOT NULL REFERENCES campaigns (id),
    kind            TEXT NOT NULL CHECK (kind IN ('order', 'refund')),
    ref             TEXT NOT NULL,
    customer_org_id TEXT NOT NULL REFERENCES orgs (id),
    order_id        TEXT NOT NULL REFERENCES orders (id),
    currency        TEXT NOT NULL,
    amount_minor    BIGINT NOT NULL CHECK ((kind = 'order' AND amount_minor > 0) OR (kind = 'refund' AND amount_minor < 0)),
    at              TIMESTAMP NOT NULL,
    PRIMARY KEY (campaign_id, kind, ref)
);
CREATE INDEX campaign_entries_customer ON campaign_entries (campaign_id, customer_org_id);
CREATE INDEX campaign_entries_order ON campaign_entries (order_id);
-- An order counts toward at most one campaign.
CREATE UNIQUE INDEX campaign_entries_one_campaign ON campaign_entries (order_id) WHERE kind = 'order';

-- A customer in a campaign: its total cached from the entries (the check
-- recomputes it), and the gift it redeemed with what the refund rule needs.
-- A refund or a redemption changes the row, so each waits for the other.
CREATE TABLE campaign_participants (
    campaign_id      TEXT NOT NULL REFERENCES campaigns (id),
    customer_org_id  TEXT NOT NULL REFERENCES orgs (id),
    currency         TEXT NOT NULL,
    total_minor      BIGINT NOT NULL CHECK (total_minor >= 0),
    gift_id          TEXT,
    gift_tier        INTEGER,
    threshold_minor  BIGINT,
    gift_value_minor BIGINT,
    deducted_minor   BIGINT NOT NULL DEFAULT 0,
    updated_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (campaign_id, customer_org_id),
    CHECK ((gift_id IS NULL) = (threshold_minor IS NULL) AND (gift_id IS NULL) = (gift_value_minor IS NULL)),
    CHECK (deducted_minor >= 0 AND deducted_minor <= COALESCE(gift_value_minor, 0))
);

-- Redemptions: one per customer and campaign, with where the gift goes and
-- how far it has got.
CREATE TABLE campaign_redemptions (
    id              TEXT PRIMARY KEY,
    campaign_id     TEXT NOT NULL REFERENCES campaigns (id),
    customer_org_id TEXT NOT NULL REFERENCES orgs (id),
    gift_id         TEXT NOT NULL,
    tier            INTEGER NOT NULL,
    currency        TEXT NOT NULL,
    threshold_minor BIGINT NOT NULL,
    value_minor     BIGINT NOT NULL,
    address         TEXT NOT NULL, -- the shipping address as JSON
    state           TEXT NOT NULL CHECK (state IN ('awaiting_shipment', 'shipped', 'delivered')),
    carrier         TEXT NOT NULL,
    tracking        TEXT NOT NULL,
    redeemed_by     TEXT REFERENCES users (id),
    redeemed_at     TIMESTAMP NOT NULL,
    shipped_at      TIMESTAMP,
    delivered_at    TIMESTAMP,
    CONSTRAINT campaign_redemptions_one UNIQUE (campaign_id, customer_org_id),
    FOREIGN KEY (campaign_id, gift_id) REFERENCES campaign_gifts (campaign_id, gift_id)
);
CREATE INDEX campaign_redemptions_state ON campaign_redemptions (campaign_id, state);

-- Admissions by account managers, revoked by setting revoked_at: at most one
-- in force per customer and campaign.
CREATE TABLE campaign_admissions (
    id              TEXT PRIMARY KEY,
    campaign_id     TEXT NOT NULL REFERENCES campaigns (id),
    customer_org_id TEXT NOT NULL REFERENCES orgs (id),
    admitted_by     TEXT NOT NULL REFERENCES users (id),
    note            TEXT NOT NULL,
    admitted_at     TIMESTAMP NOT NULL,
    revoked_by      TEXT REFERENCES users (id),
    revoke_note     TEXT NOT NULL DEFAULT '',
    revoked_at      TIMESTAMP
);
CREATE INDEX campaign_admissions_customer ON campaign_admissions (campaign_id, customer_org_id);
CREATE UNIQUE INDEX campaign_admissions_open ON campaign_admissions (campaign_id, customer_org_id) WHERE revoked_at IS NULL;

-- Customers' segments over time, so the segment an order was paid under is
-- known later (promo.SegmentAt). Existing customers have had their segment
-- since they were created.
CREATE TABLE segment_changes (
    org_id     TEXT NOT NULL REFERENCES orgs (id),
    segment    TEXT NOT NULL CHECK (segment IN ('telesales', 'channel_partner', 'direct', 'other')),
    at         TIMESTAMP NOT NULL,
    changed_by TEXT REFERENCES users (id)
);
CREATE INDEX segment_changes_org ON segment_changes (org_id, at);
INSERT INTO segment_changes (org_id, segment, at) SELECT id, segment, created_at FROM orgs WHERE kind = 'customer';

-- +goose Down
DROP TABLE segment_changes;
DROP TABLE campaign_admissions;
DROP TABLE campaign_redemptions;
DROP TABLE campaign_participants;
DROP TABLE campaign_entries;
ALTER TABLE orders DROP COLUMN coupon_id;
DROP TABLE coupons;
DROP TABLE campaign_pack_claims;
DROP TABLE campaign_gifts;
DROP TABLE campaigns;
