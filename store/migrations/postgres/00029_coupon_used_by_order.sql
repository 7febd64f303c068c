-- +goose Up
-- A coupon is used by the order that names it (orders.coupon_id), once: this
-- unique index holds that, in the statement that writes the order. Checkout
-- no longer updates the coupon's own row, a random page of a large table for
-- every order with a coupon. The coupon's order_id and used_at said the same
-- (its order, and when that was paid); they are cleared and no longer
-- written, so that nothing reads a second answer.
UPDATE orders SET coupon_id = (SELECT c.id FROM coupons c WHERE c.order_id = orders.id)
WHERE coupon_id IS NULL AND id IN (SELECT order_id FROM coupons WHERE order_id IS NOT NULL);
UPDATE coupons SET order_id = NULL, used_at = NULL WHERE order_id IS NOT NULL;
CREATE UNIQUE INDEX orders_coupon ON orders (coupon_id) WHERE coupon_id IS NOT NULL;

-- +goose Down
DROP INDEX orders_coupon;
UPDATE coupons SET order_id = (SELECT o.id FROM orders o WHERE o.coupon_id = coupons.id),
    used_at = (SELECT o.paid_at FROM orders o WHERE o.coupon_id = coupons.id)
WHERE id IN (SELECT coupon_id FROM orders WHERE coupon_id IS NOT NULL);
