-- +goose Up
-- Technical support tickets (docs/benefits.md, package support): a seller
-- company's consulting or enablement request, its thread with the
-- operators' internal notes, and the files on its messages (their bytes are
-- in the blob store). support decides the moves; the version column makes
-- two changes at once apply one after the other, never both from one read.
CREATE TABLE support_tickets (
    id            TEXT PRIMARY KEY,
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    opened_by     TEXT NOT NULL REFERENCES users (id),
    kind          TEXT NOT NULL CHECK (kind IN ('consulting', 'enablement')),
    subject       TEXT NOT NULL,
    product_id    TEXT REFERENCES products (id),
    state         TEXT NOT NULL CHECK (state IN ('open', 'in_progress', 'waiting_on_seller', 'resolved', 'closed')),
    assignee_id   TEXT REFERENCES users (id),
    resolved_at   TIMESTAMP,
    message_count INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX support_tickets_seller ON support_tickets (seller_org_id, created_at);
CREATE INDEX support_tickets_queue ON support_tickets (state, created_at);
CREATE INDEX support_tickets_assignee ON support_tickets (assignee_id, created_at);

CREATE TABLE support_messages (
    id             TEXT PRIMARY KEY,
    ticket_id      TEXT NOT NULL REFERENCES support_tickets (id),
    author_role    TEXT NOT NULL CHECK (author_role IN ('seller', 'operator')),
    author_user_id TEXT NOT NULL REFERENCES users (id),
    internal       BOOLEAN NOT NULL, -- an operators' note sellers never see
    body           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    CHECK (NOT internal OR author_role = 'operator')
);
CREATE INDEX support_messages_thread ON support_messages (ticket_id, created_at);

CREATE TABLE support_attachments (
    message_id   TEXT NOT NULL REFERENCES support_messages (id),
    position     INTEGER NOT NULL,
    blob_key     TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    size         BIGINT NOT NULL CHECK (size > 0),
    content_type TEXT NOT NULL,
    PRIMARY KEY (message_id, position)
);

-- +goose Down
DROP TABLE support_attachments;
DROP TABLE support_messages;
DROP TABLE support_tickets;
