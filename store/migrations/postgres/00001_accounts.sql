-- +goose Up
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE orgs (
    id                 TEXT PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('customer', 'seller', 'operator', 'partner')),
    name               TEXT NOT NULL,
    segment            TEXT CHECK (segment IN ('telesales', 'channel_partner', 'direct', 'other')),
    account_manager_id TEXT REFERENCES users (id),
    partner_org_id     TEXT REFERENCES orgs (id),
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'customer') = (segment IS NOT NULL))
);
CREATE INDEX orgs_kind ON orgs (kind, name);
CREATE INDEX orgs_account_manager ON orgs (account_manager_id);
CREATE INDEX orgs_partner ON orgs (partner_org_id);

CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES orgs (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL CHECK (role IN ('buyer', 'seller_admin', 'seller_member', 'operator', 'account_manager', 'partner')),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, user_id, role)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL CHECK (kind IN ('session', 'api', 'personal')),
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX tokens_hash_key ON tokens (hash);
CREATE INDEX tokens_user ON tokens (user_id, created_at);

CREATE TABLE login_throttles (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    first_failure TIMESTAMPTZ NOT NULL,
    blocked_until TIMESTAMPTZ
);

CREATE TABLE audit_log (
    id            TEXT PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor_user_id TEXT,
    actor_email   TEXT NOT NULL,
    actor_role    TEXT NOT NULL,
    org_id        TEXT,
    action        TEXT NOT NULL,
    object_type   TEXT NOT NULL,
    object_id     TEXT NOT NULL,
    summary       TEXT NOT NULL,
    before_json   TEXT,
    after_json    TEXT
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id);
CREATE INDEX audit_log_action ON audit_log (action);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE login_throttles;
DROP TABLE tokens;
DROP TABLE memberships;
DROP TABLE orgs;
DROP TABLE users;
