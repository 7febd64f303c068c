-- +goose Up
-- Files sellers upload for their products: logos, screenshots, a licence's
-- terms. The bytes are in the blob store under key, which never changes (a new
-- upload is a new file), so a file is never deleted: a revision on sale may
-- show it. live marks the files the published revision refers to, which
-- anyone may read while the product is on the storefront.
CREATE TABLE product_files (
    id           TEXT PRIMARY KEY,
    product_id   TEXT NOT NULL REFERENCES products (id),
    kind         TEXT NOT NULL CHECK (kind IN ('logo', 'screenshot', 'terms')),
    key          TEXT NOT NULL UNIQUE,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    live         BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX product_files_product ON product_files (product_id, kind, created_at);

-- How many files a product has, so that the limit is kept by one conditional
-- update in the transaction that adds a file.
ALTER TABLE products ADD COLUMN file_count INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE products DROP COLUMN file_count;
DROP TABLE product_files;
