-- +goose Up
-- Seller programmes (docs/benefits-c.md, package programme): joint marketing
-- events sellers apply to, declarations of workloads migrated to the cloud,
-- and trainings with sessions people are enrolled in. The rules are
-- programme's; the seats are the database's: accepted and taken are raised
-- only by a conditional UPDATE … WHERE accepted < seats, and the CHECKs hold
-- them there whatever runs at once.

CREATE TABLE programme_events (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('online_joint_promotion', 'annual_conference', 'co_branding_campaign',
                                                 'technology_forum')),
    title_en       TEXT NOT NULL,
    title_zh       TEXT NOT NULL,
    description_en TEXT NOT NULL,
    description_zh TEXT NOT NULL,
    zone           TEXT NOT NULL, -- the IANA zone of the event, to show its times in
    starts_at      TIMESTAMP NOT NULL,
    ends_at        TIMESTAMP NOT NULL,
    apply_by       TIMESTAMP NOT NULL,
    seats          INTEGER NOT NULL CHECK (seats >= 1),
    accepted       INTEGER NOT NULL DEFAULT 0,
    requires_type  TEXT NOT NULL, -- a product type the seller must have published, '' for none
    state          TEXT NOT NULL CHECK (state IN ('draft', 'published', 'closed')),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CHECK (accepted >= 0 AND accepted <= seats)
);
CREATE INDEX programme_events_state ON programme_events (state, starts_at);

-- One application per seller and event.
CREATE TABLE event_applications (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL REFERENCES programme_events (id),
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    pitch         TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'declined')),
    reason        TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    decided_at    TIMESTAMP,
    decided_by    TEXT REFERENCES users (id),
    CONSTRAINT event_applications_seller UNIQUE (event_id, seller_org_id)
);
CREATE INDEX event_applications_org ON event_applications (seller_org_id, created_at);

CREATE TABLE migration_declarations (
    id            TEXT PRIMARY KEY,
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    kind          TEXT NOT NULL CHECK (kind IN ('saas', 'independently_deployed_application')),
    region        TEXT NOT NULL REFERENCES regions (code),
    workload      TEXT NOT NULL,
    evidence      TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'verified', 'rejected')),
    reason        TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    decided_at    TIMESTAMP,
    decided_by    TEXT REFERENCES users (id)
);
CREATE INDEX migration_declarations_org ON migration_declarations (seller_org_id, state);
CREATE INDEX migration_declarations_state ON migration_declarations (state, created_at);

CREATE TABLE training_courses (
    id             TEXT PRIMARY KEY,
    title_en       TEXT NOT NULL,
    title_zh       TEXT NOT NULL,
    description_en TEXT NOT NULL,
    description_zh TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('online', 'onsite')),
    audience       TEXT NOT NULL CHECK (audience IN ('marketplace', 'sales')),
    created_at     TIMESTAMP NOT NULL
);

CREATE TABLE training_sessions (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES training_courses (id),
    starts_at  TIMESTAMP NOT NULL,
    ends_at    TIMESTAMP NOT NULL,
    zone       TEXT NOT NULL,
    place      TEXT NOT NULL, -- an address, or the link of an online session
    seats      INTEGER NOT NULL CHECK (seats >= 1),
    taken      INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    CHECK (taken >= 0 AND taken <= seats)
);
CREATE INDEX training_sessions_course ON training_sessions (course_id, starts_at);

-- A person enrolled holds a seat of the session until the enrolment is
-- cancelled; the same address is enrolled once at a time.
CREATE TABLE training_enrolments (
    id            TEXT PRIMARY KEY,
    session_id    TEXT NOT NULL REFERENCES training_sessions (id),
    seller_org_id TEXT NOT NULL REFERENCES orgs (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('enrolled', 'cancelled')),
    attendance    TEXT NOT NULL CHECK (attendance IN ('', 'attended', 'absent')),
    created_at    TIMESTAMP NOT NULL,
    cancelled_at  TIMESTAMP
);
CREATE UNIQUE INDEX training_enrolments_person ON training_enrolments (session_id, email) WHERE state = 'enrolled';
CREATE INDEX training_enrolments_org ON training_enrolments (seller_org_id, created_at);

-- +goose Down
DROP TABLE training_enrolments;
DROP TABLE training_sessions;
DROP TABLE training_courses;
DROP TABLE migration_declarations;
DROP TABLE event_applications;
DROP TABLE programme_events;
