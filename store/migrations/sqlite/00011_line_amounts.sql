-- +goose Up
-- What each order line paid, as a column: a seller's sales are summed from it
-- (the homepage banner's eligibility) without reading every line's JSON.
ALTER TABLE order_lines ADD COLUMN paid_minor BIGINT NOT NULL DEFAULT 0;
UPDATE order_lines SET paid_minor = COALESCE(json_extract(content, '$.paid.minor'), 0);
CREATE INDEX order_lines_seller_sales ON order_lines (seller_org_id, paid_minor, refunded_minor);

-- +goose Down
DROP INDEX order_lines_seller_sales;
ALTER TABLE order_lines DROP COLUMN paid_minor;
