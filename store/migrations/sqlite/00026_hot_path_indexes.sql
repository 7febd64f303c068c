-- +goose Up
-- Checkout writes every index of the tables it inserts into; two of them
-- serve no query. campaign_entries_one_campaign (order_id, for kind 'order')
-- answers the lookup of an order's entry; a seller's sales read its lines
-- through order_lines_seller and join their orders for the currency anyway.
DROP INDEX campaign_entries_order;
DROP INDEX order_lines_seller_sales;

-- +goose Down
CREATE INDEX order_lines_seller_sales ON order_lines (seller_org_id, paid_minor, refunded_minor);
CREATE INDEX campaign_entries_order ON campaign_entries (order_id);
