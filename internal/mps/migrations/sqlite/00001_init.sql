-- Police filing platform simulator (bounded context "mps"): the platform's own accounts and sessions, login
-- captchas, credit-verification codes, filing subjects (开办主体), website applications, their materials, the
-- one event log of every state change, police-number serials, system messages, the notification outbox, data
-- codes pushed by providers and the staff access audit. Personal data is sealed (BLOB) with keyed hashes (BLOB)
-- for look-ups; instants are BIGINT milliseconds.

-- +goose Up
CREATE TABLE mps_users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    data                 BLOB NOT NULL,
    id_hash              BLOB,
    mobile_masked        TEXT NOT NULL DEFAULT '',
    email_masked         TEXT NOT NULL DEFAULT '',
    unit_code            TEXT NOT NULL DEFAULT '',
    unit_name            TEXT NOT NULL DEFAULT '',
    mobile_verified_at   BIGINT NOT NULL DEFAULT 0,
    email_verified_at    BIGINT NOT NULL DEFAULT 0,
    identity_verified_at BIGINT NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         BIGINT NOT NULL DEFAULT 0,
    created_at           BIGINT NOT NULL
);
CREATE UNIQUE INDEX mps_users_id_hash ON mps_users (id_hash) WHERE id_hash IS NOT NULL;

CREATE TABLE mps_sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES mps_users (id),
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE mps_captchas (
    id          TEXT PRIMARY KEY,
    answer_hash BLOB NOT NULL,
    answer      BLOB NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX mps_captchas_expiry ON mps_captchas (expires_at);

CREATE TABLE mps_codes (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES mps_users (id),
    purpose    TEXT NOT NULL,
    code_hash  BLOB NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX mps_codes_user ON mps_codes (user_id, purpose, id);
CREATE INDEX mps_codes_hash ON mps_codes (code_hash);

CREATE TABLE mps_subjects (
    id              INTEGER PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES mps_users (id),
    state           TEXT NOT NULL,
    nature          TEXT NOT NULL,
    name            TEXT NOT NULL,
    credential_hash BLOB NOT NULL,
    area_code       TEXT NOT NULL,
    data            BLOB NOT NULL,
    pending         BLOB,
    notes           TEXT NOT NULL DEFAULT '',
    review_deadline BIGINT NOT NULL DEFAULT 0,
    auto_at         BIGINT NOT NULL DEFAULT 0,
    approved_at     BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX mps_subjects_credential ON mps_subjects (credential_hash) WHERE state <> 'cancelled';
CREATE INDEX mps_subjects_user ON mps_subjects (user_id, id);
CREATE INDEX mps_subjects_queue ON mps_subjects (state, area_code, review_deadline);
CREATE INDEX mps_subjects_auto ON mps_subjects (auto_at) WHERE auto_at > 0;

CREATE TABLE mps_websites (
    id              INTEGER PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES mps_users (id),
    subject_id      BIGINT NOT NULL REFERENCES mps_subjects (id),
    state           TEXT NOT NULL,
    domain          TEXT NOT NULL,
    name            TEXT NOT NULL,
    interactive     INTEGER NOT NULL,
    area_code       TEXT NOT NULL,
    unit_code       TEXT NOT NULL DEFAULT '',
    opened_on       BIGINT NOT NULL,
    overdue         INTEGER NOT NULL DEFAULT 0,
    data            BLOB NOT NULL,
    pending         BLOB,
    notes           TEXT NOT NULL DEFAULT '',
    appointment     TEXT NOT NULL DEFAULT '',
    police_number   TEXT UNIQUE,
    review_deadline BIGINT NOT NULL DEFAULT 0,
    auto_at         BIGINT NOT NULL DEFAULT 0,
    approved_at     BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX mps_websites_user ON mps_websites (user_id, id);
CREATE INDEX mps_websites_domain ON mps_websites (domain, id);
CREATE INDEX mps_websites_queue ON mps_websites (state, area_code, review_deadline);
CREATE INDEX mps_websites_auto ON mps_websites (auto_at) WHERE auto_at > 0;

-- One row per domain of a website that is not cancelled: one filing per domain, at most one in flight.
CREATE TABLE mps_domains (
    domain     TEXT PRIMARY KEY,
    website_id BIGINT NOT NULL REFERENCES mps_websites (id)
);

CREATE TABLE mps_materials (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES mps_users (id),
    purpose      TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    owner_kind   TEXT NOT NULL DEFAULT '',
    owner_id     BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL
);
CREATE INDEX mps_materials_owner ON mps_materials (owner_kind, owner_id);

CREATE TABLE mps_serials (
    unit_code TEXT PRIMARY KEY,
    next      BIGINT NOT NULL
);

CREATE TABLE mps_events (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    record_id  BIGINT NOT NULL,
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    actor      TEXT NOT NULL,
    actor_id   BIGINT NOT NULL DEFAULT 0,
    reason     TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
CREATE INDEX mps_events_record ON mps_events (kind, record_id, id);

CREATE TABLE mps_messages (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES mps_users (id),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX mps_messages_user ON mps_messages (user_id, id);

CREATE TABLE mps_outbox (
    id         INTEGER PRIMARY KEY,
    channel    TEXT NOT NULL,
    recipient  BLOB NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    body       BLOB NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0,
    next_at    BIGINT NOT NULL,
    sent_at    BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX mps_outbox_pending ON mps_outbox (next_at) WHERE sent_at = 0;

CREATE TABLE mps_data_codes (
    code        TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL,
    domain      TEXT NOT NULL,
    data        BLOB NOT NULL,
    mobile_hash BLOB NOT NULL,
    id_hash     BLOB NOT NULL,
    consent_by  TEXT NOT NULL,
    consent_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    redeemed_by BIGINT NOT NULL DEFAULT 0,
    redeemed_at BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE INDEX mps_data_codes_domain ON mps_data_codes (domain, expires_at);

CREATE TABLE mps_audit (
    id        INTEGER PRIMARY KEY,
    actor_id  BIGINT NOT NULL,
    action    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    at        BIGINT NOT NULL
);

-- +goose Down
DROP TABLE mps_audit;
DROP TABLE mps_data_codes;
DROP TABLE mps_outbox;
DROP TABLE mps_messages;
DROP TABLE mps_events;
DROP TABLE mps_serials;
DROP TABLE mps_materials;
DROP TABLE mps_domains;
DROP TABLE mps_websites;
DROP TABLE mps_subjects;
DROP TABLE mps_codes;
DROP TABLE mps_captchas;
DROP TABLE mps_sessions;
DROP TABLE mps_users;
