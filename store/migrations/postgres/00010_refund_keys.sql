-- +goose Up
-- A refund asked with an Idempotency-Key is made once: the same key on the
-- same order returns it (a double click, a retried request, two servers).
ALTER TABLE refunds ADD COLUMN idempotency_key TEXT;
ALTER TABLE refunds ADD COLUMN request_hash TEXT;
CREATE UNIQUE INDEX refunds_idempotency ON refunds (order_id, idempotency_key);

-- +goose Down
DROP INDEX refunds_idempotency;
ALTER TABLE refunds DROP COLUMN request_hash;
ALTER TABLE refunds DROP COLUMN idempotency_key;
