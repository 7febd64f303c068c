-- +goose Up
-- Engagements: one per professional-service line of a paid order, from the
-- seller's acceptance to the buyer's confirmation or an operator's ruling
-- (docs/services.md, package engagement).
CREATE TABLE engagements (
    id             TEXT PRIMARY KEY,
    order_id       TEXT NOT NULL,
    line_no        INTEGER NOT NULL,
    product_id     TEXT NOT NULL REFERENCES products (id),
    seller_org_id  TEXT NOT NULL REFERENCES orgs (id),
    buyer_org_id   TEXT NOT NULL REFERENCES orgs (id),
    state          TEXT NOT NULL CHECK (state IN ('awaiting_acceptance', 'in_progress', 'delivered', 'disputed',
                                                  'confirmed', 'refunded', 'partially_refunded')),
    cause          TEXT NOT NULL, -- the action that led to the state ('' at first)
    currency       TEXT NOT NULL,
    paid_minor     BIGINT NOT NULL CHECK (paid_minor >= 0),
    refunded_minor BIGINT NOT NULL CHECK (refunded_minor >= 0 AND refunded_minor <= paid_minor),
    zone           TEXT NOT NULL, -- the IANA zone whose working days accept_by counts
    paid_at        TIMESTAMP NOT NULL,
    accept_by      TIMESTAMP NOT NULL,
    accepted_at    TIMESTAMP,
    delivered_at   TIMESTAMP,
    confirm_by     TIMESTAMP,
    disputed_at    TIMESTAMP,
    closed_at      TIMESTAMP,
    -- The deadline of the current state (accept_by, then confirm_by), NULL
    -- when none runs: the scheduler's one indexed question.
    due_at         TIMESTAMP,
    reason         TEXT NOT NULL, -- the seller's for declining, the buyer's for cancelling
    dispute_reason TEXT NOT NULL,
    resolution     TEXT NOT NULL,
    message_count  INTEGER NOT NULL DEFAULT 0,
    -- Each change adds one and is made only from the version read, so two
    -- transitions at once cannot both apply.
    version        INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CONSTRAINT engagements_line UNIQUE (order_id, line_no),
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no)
);
CREATE INDEX engagements_buyer ON engagements (buyer_org_id, created_at);
CREATE INDEX engagements_seller ON engagements (seller_org_id, created_at);
CREATE INDEX engagements_state ON engagements (state, created_at);
CREATE INDEX engagements_due ON engagements (due_at) WHERE due_at IS NOT NULL;

-- The thread between buyer and seller; steps taken with a text are in it too.
CREATE TABLE engagement_messages (
    id             TEXT PRIMARY KEY,
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    author_role    TEXT NOT NULL CHECK (author_role IN ('buyer', 'seller', 'operator')),
    author_user_id TEXT REFERENCES users (id),
    action         TEXT NOT NULL, -- the step the message records, '' for none
    body           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX engagement_messages_thread ON engagement_messages (engagement_id, created_at);

-- Files on messages; their bytes are in the blob store.
CREATE TABLE engagement_attachments (
    message_id   TEXT NOT NULL REFERENCES engagement_messages (id),
    position     INTEGER NOT NULL,
    blob_key     TEXT NOT NULL,
    name         TEXT NOT NULL,
    size         BIGINT NOT NULL CHECK (size > 0),
    content_type TEXT NOT NULL,
    deliverable  BOOLEAN NOT NULL,
    PRIMARY KEY (message_id, position)
);

-- +goose Down
DROP TABLE engagement_attachments;
DROP TABLE engagement_messages;
DROP TABLE engagements;
