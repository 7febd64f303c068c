-- +goose Up
-- A coupon is used once by the conditional update of its order_id, and an
-- order names its one coupon (orders.coupon_id); a coupon's order is found
-- through the order. This unique index only cost checkout an update per
-- coupon used.
DROP INDEX coupons_order;

-- +goose Down
CREATE UNIQUE INDEX coupons_order ON coupons (order_id);
