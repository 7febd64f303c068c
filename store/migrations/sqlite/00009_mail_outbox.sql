-- +goose Up
-- Notifications are mailed through an outbox: a change inserts the
-- notification only, and the periodic job mail_dispatch queues mail jobs for
-- those not queued yet, many at once (one queue insert per notification, in
-- every order's transaction, was a third of its cost).
ALTER TABLE notifications ADD COLUMN mail_queued BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE notifications SET mail_queued = TRUE; -- their jobs were queued with them
CREATE INDEX notifications_mail_outbox ON notifications (created_at) WHERE mail_queued = FALSE;

-- +goose Down
DROP INDEX notifications_mail_outbox;
ALTER TABLE notifications DROP COLUMN mail_queued;
