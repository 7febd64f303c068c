-- +goose Up
-- Sellers hear of new orders through an outbox: the paying transaction adds
-- the order here, and the order_notices job tells each seller company of its
-- new orders together, every few seconds (docs/buying.md). A notification
-- (and its email) per order cost a fifth of checkout's time, and under load
-- it would bury a seller in messages.
CREATE TABLE order_notices (
    order_id   TEXT PRIMARY KEY REFERENCES orders (id),
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE order_notices;
