-- +goose Up
CREATE TABLE products (
    id               TEXT PRIMARY KEY,
    seller_org_id    TEXT NOT NULL REFERENCES orgs (id),
    type             TEXT NOT NULL CHECK (type IN ('image', 'saas', 'license', 'professional_service')),
    live_revision    INTEGER,
    live_state       TEXT CHECK (live_state IN ('published', 'delisted')),
    live_reason      TEXT NOT NULL,
    signing_key      TEXT,
    pending_revision INTEGER,
    pending_state    TEXT CHECK (pending_state IN ('draft', 'in_review', 'rejected')),
    pending_reason   TEXT NOT NULL,
    version          INTEGER NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX products_seller ON products (seller_org_id, updated_at);
CREATE INDEX products_pending ON products (pending_state, updated_at);

CREATE TABLE product_revisions (
    product_id   TEXT NOT NULL REFERENCES products (id),
    number       INTEGER NOT NULL,
    state        TEXT NOT NULL,
    content      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    decided_at   TIMESTAMP,
    decided_by   TEXT REFERENCES users (id),
    PRIMARY KEY (product_id, number)
);

-- The storefront: what buyers see of each product on sale, the live published
-- revision, flattened for browsing and search.
CREATE TABLE storefront (
    product_id    TEXT PRIMARY KEY REFERENCES products (id),
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    type          TEXT NOT NULL,
    category      TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    name_zh       TEXT NOT NULL,
    summary_en    TEXT NOT NULL,
    summary_zh    TEXT NOT NULL,
    name_tokens   TEXT NOT NULL,
    search_text   TEXT NOT NULL,
    published_at  TIMESTAMP NOT NULL,
    -- The rowid of the product's row in storefront_fts. FTS5 finds rows fast
    -- only by MATCH or by rowid: a match yields keys checked against this
    -- column's index, and a product leaves the full-text index by rowid (a
    -- DELETE … WHERE product_id = … reads the whole index).
    search_key    INTEGER UNIQUE
);
CREATE INDEX storefront_category ON storefront (category, published_at);
CREATE INDEX storefront_type ON storefront (type, published_at);
CREATE INDEX storefront_seller ON storefront (seller_org_id);
CREATE INDEX storefront_published ON storefront (published_at, product_id);

CREATE TABLE storefront_regions (
    product_id TEXT NOT NULL REFERENCES storefront (product_id) ON DELETE CASCADE,
    region     TEXT NOT NULL,
    PRIMARY KEY (product_id, region)
);
CREATE INDEX storefront_regions_region ON storefront_regions (region, product_id);

CREATE TABLE storefront_plans (
    product_id  TEXT NOT NULL REFERENCES storefront (product_id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    mode        TEXT NOT NULL,
    currency    TEXT NOT NULL,
    price_minor BIGINT NOT NULL,
    unit        TEXT NOT NULL,
    PRIMARY KEY (product_id, code)
);
CREATE INDEX storefront_plans_mode ON storefront_plans (mode, product_id);
-- (product_id, currency, price_minor): the lowest price of a product in a currency is one index seek.
CREATE INDEX storefront_plans_product ON storefront_plans (product_id, currency, price_minor);

-- Full text: the tokens of package search, split again by unicode61 exactly.
CREATE VIRTUAL TABLE storefront_fts USING fts5 (product_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 0');

CREATE TABLE zones (
    slug       TEXT PRIMARY KEY,
    name_en    TEXT NOT NULL,
    name_zh    TEXT NOT NULL,
    position   INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE zone_products (
    zone_slug  TEXT NOT NULL REFERENCES zones (slug) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (zone_slug, product_id)
);

CREATE TABLE banners (
    id         TEXT PRIMARY KEY,
    title_en   TEXT NOT NULL,
    title_zh   TEXT NOT NULL,
    text_en    TEXT NOT NULL,
    text_zh    TEXT NOT NULL,
    link       TEXT NOT NULL,
    product_id TEXT REFERENCES products (id),
    starts_at  TIMESTAMP NOT NULL,
    ends_at    TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX banners_window ON banners (starts_at, ends_at);

-- +goose Down
DROP TABLE banners;
DROP TABLE zone_products;
DROP TABLE zones;
DROP TABLE storefront_fts;
DROP TABLE storefront_plans;
DROP TABLE storefront_regions;
DROP TABLE storefront;
DROP TABLE product_revisions;
DROP TABLE products;
