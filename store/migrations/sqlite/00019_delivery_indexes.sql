-- +goose Up
-- Every order line writes a delivery in the paying transaction: keep that
-- insert cheap. A line's and an order's deliveries are found through the
-- unique key (order_id, line_no, action, cause), and nothing lists them by
-- seller, so these two indexes only cost writes.
DROP INDEX deliveries_line;
DROP INDEX deliveries_seller;

-- +goose Down
CREATE INDEX deliveries_line ON deliveries (order_id, line_no, created_at);
CREATE INDEX deliveries_seller ON deliveries (seller_org_id, created_at);
