-- +goose Up
CREATE TABLE regions (
    code       TEXT PRIMARY KEY,
    name_en    TEXT NOT NULL,
    name_zh    TEXT NOT NULL,
    zone       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE agreements (
    version      TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    published_by TEXT REFERENCES users (id)
);
CREATE INDEX agreements_published ON agreements (published_at);

CREATE TABLE seller_applications (
    id                    TEXT PRIMARY KEY,
    org_id                TEXT NOT NULL REFERENCES orgs (id),
    applicant_id          TEXT NOT NULL REFERENCES users (id),
    state                 TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'changes_requested', 'approved', 'rejected', 'suspended')),
    legal_name            TEXT NOT NULL,
    registration_number   TEXT NOT NULL,
    country               TEXT NOT NULL,
    established           TEXT NOT NULL,
    offerings             TEXT NOT NULL,
    presales              TEXT NOT NULL,
    postsales             TEXT NOT NULL,
    support               TEXT NOT NULL,
    tax_bank_sealed       TEXT,
    tax_bank_masked       TEXT,
    tax_bank_updated_at   TIMESTAMP,
    tax_bank_certified_at TIMESTAMP,
    tax_bank_certified_by TEXT REFERENCES users (id),
    submitted_at          TIMESTAMP,
    decided_at            TIMESTAMP,
    decided_by            TEXT REFERENCES users (id),
    reason                TEXT NOT NULL,
    revision              INTEGER NOT NULL,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX seller_applications_org_key ON seller_applications (org_id);
CREATE INDEX seller_applications_state ON seller_applications (state, submitted_at);

CREATE TABLE application_regions (
    application_id TEXT NOT NULL REFERENCES seller_applications (id),
    region_code    TEXT NOT NULL REFERENCES regions (code),
    PRIMARY KEY (application_id, region_code)
);
CREATE INDEX application_regions_region ON application_regions (region_code);

CREATE TABLE agreement_signatures (
    org_id    TEXT NOT NULL REFERENCES orgs (id),
    version   TEXT NOT NULL REFERENCES agreements (version),
    signed_by TEXT NOT NULL REFERENCES users (id),
    signed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, version)
);

CREATE TABLE application_documents (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES seller_applications (id),
    kind           TEXT NOT NULL CHECK (kind IN ('business_license', 'tax_registration', 'bank_proof', 'other')),
    filename       TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    blob_key       TEXT NOT NULL,
    uploaded_by    TEXT NOT NULL REFERENCES users (id),
    uploaded_at    TIMESTAMP NOT NULL,
    deleted_at     TIMESTAMP
);
CREATE INDEX application_documents_app ON application_documents (application_id, uploaded_at);

CREATE TABLE application_events (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES seller_applications (id),
    at             TIMESTAMP NOT NULL,
    actor_id       TEXT REFERENCES users (id),
    from_state     TEXT NOT NULL,
    to_state       TEXT NOT NULL,
    reason         TEXT NOT NULL
);
CREATE INDEX application_events_app ON application_events (application_id, at);

CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    title_zh   TEXT NOT NULL,
    body_en    TEXT NOT NULL,
    body_zh    TEXT NOT NULL,
    link       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

-- +goose Down
DROP TABLE notifications;
DROP TABLE application_events;
DROP TABLE application_documents;
DROP TABLE agreement_signatures;
DROP TABLE application_regions;
DROP TABLE seller_applications;
DROP TABLE agreements;
DROP TABLE regions;
