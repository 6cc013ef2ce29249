-- MIIT simulator (bounded context "miit"): submissions from providers, SMS verification codes, the download
-- queue of results, and the national registry (subjects, services, domains, accesses) with its number counters.
-- Personal data is sealed (BLOB) with keyed hashes (BLOB) for look-ups; instants are BIGINT milliseconds.

-- +goose Up
CREATE TABLE miit_meta (
    k TEXT PRIMARY KEY,
    v BIGINT NOT NULL
);
INSERT INTO miit_meta (k, v) VALUES ('lock', 0);
INSERT INTO miit_meta (k, v) VALUES ('registry', 0);

CREATE TABLE miit_submissions (
    id                INTEGER PRIMARY KEY,
    provider_id       TEXT NOT NULL,
    provider_order_id BIGINT NOT NULL,
    attempt           INTEGER NOT NULL,
    order_type        TEXT NOT NULL,
    province          TEXT NOT NULL,
    subject_key       BLOB,
    subject_name      TEXT NOT NULL,
    summary           TEXT NOT NULL,
    order_data        BLOB NOT NULL,
    state             TEXT NOT NULL,
    outcome           TEXT NOT NULL DEFAULT '',
    code              INTEGER NOT NULL DEFAULT 0,
    reason            TEXT NOT NULL DEFAULT '',
    wrong_tries       INTEGER NOT NULL DEFAULT 0,
    submitted_at      BIGINT NOT NULL,
    sms_deadline      BIGINT NOT NULL DEFAULT 0,
    review_started_at BIGINT NOT NULL DEFAULT 0,
    review_deadline   BIGINT NOT NULL DEFAULT 0,
    auto_decide_at    BIGINT NOT NULL DEFAULT 0,
    deadline          BIGINT NOT NULL DEFAULT 0,
    decided_at        BIGINT NOT NULL DEFAULT 0,
    decided_by        BIGINT NOT NULL DEFAULT 0,
    updated_at        BIGINT NOT NULL,
    UNIQUE (provider_id, provider_order_id, attempt)
);
CREATE INDEX miit_submissions_queue ON miit_submissions (state, deadline, id);
CREATE INDEX miit_submissions_province ON miit_submissions (province, state, deadline, id);
CREATE INDEX miit_submissions_subject ON miit_submissions (subject_key, state);

CREATE TABLE miit_sms_codes (
    id            INTEGER PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES miit_submissions (id),
    phone_hash    BLOB NOT NULL,
    phone         BLOB NOT NULL,
    phone_masked  TEXT NOT NULL,
    code_hash     BLOB NOT NULL,
    last6_hashes  BLOB NOT NULL,
    roles         TEXT NOT NULL,
    state         TEXT NOT NULL,
    sent_at       BIGINT NOT NULL DEFAULT 0,
    send_after    BIGINT NOT NULL DEFAULT 0,
    send_tries    INTEGER NOT NULL DEFAULT 0,
    verified_at   BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    UNIQUE (submission_id, phone_hash)
);
CREATE INDEX miit_sms_codes_phone ON miit_sms_codes (phone_hash);
CREATE INDEX miit_sms_codes_unsent ON miit_sms_codes (state, sent_at, send_after);

CREATE TABLE miit_results (
    id                INTEGER PRIMARY KEY,
    provider_id       TEXT NOT NULL,
    submission_id     BIGINT NOT NULL REFERENCES miit_submissions (id),
    provider_order_id BIGINT NOT NULL,
    attempt           INTEGER NOT NULL,
    action            TEXT NOT NULL,
    code              INTEGER NOT NULL DEFAULT 0,
    reason            TEXT NOT NULL DEFAULT '',
    sms_deadline      BIGINT NOT NULL DEFAULT 0,
    subject_number    TEXT NOT NULL DEFAULT '',
    services          TEXT NOT NULL DEFAULT '',
    at                BIGINT NOT NULL,
    acked_at          BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX miit_results_queue ON miit_results (provider_id, acked_at, id);

CREATE TABLE miit_serials (
    province TEXT NOT NULL,
    year     INTEGER NOT NULL,
    last     BIGINT NOT NULL,
    PRIMARY KEY (province, year)
);

CREATE TABLE miit_subjects (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    province        TEXT NOT NULL,
    name            TEXT NOT NULL,
    nature          TEXT NOT NULL,
    credential_type TEXT NOT NULL,
    credential_hash BLOB NOT NULL,
    data            BLOB NOT NULL,
    service_seq     INTEGER NOT NULL DEFAULT 0,
    approved_at     BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    cancelled_at    BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX miit_subjects_credential ON miit_subjects (credential_hash) WHERE cancelled_at = 0;
CREATE INDEX miit_subjects_name ON miit_subjects (name, cancelled_at);

CREATE TABLE miit_services (
    id           INTEGER PRIMARY KEY,
    subject_id   BIGINT NOT NULL REFERENCES miit_subjects (id),
    seq          INTEGER NOT NULL,
    number       TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    domains      TEXT NOT NULL,
    data         BLOB NOT NULL,
    approved_at  BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    cancelled_at BIGINT NOT NULL DEFAULT 0,
    UNIQUE (subject_id, seq)
);

CREATE TABLE miit_domains (
    domain     TEXT NOT NULL,
    service_id BIGINT NOT NULL REFERENCES miit_services (id),
    subject_id BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    PRIMARY KEY (domain, service_id)
) WITHOUT ROWID;
CREATE INDEX miit_domains_service ON miit_domains (service_id);

CREATE TABLE miit_accesses (
    service_id  BIGINT NOT NULL REFERENCES miit_services (id),
    provider_id TEXT NOT NULL,
    ips         TEXT NOT NULL DEFAULT '',
    added_at    BIGINT NOT NULL,
    PRIMARY KEY (service_id, provider_id)
) WITHOUT ROWID;
CREATE INDEX miit_accesses_provider ON miit_accesses (provider_id);

CREATE TABLE miit_blacklist_domains (
    domain   TEXT PRIMARY KEY,
    reason   TEXT NOT NULL,
    added_at BIGINT NOT NULL
) WITHOUT ROWID;

CREATE TABLE miit_blacklist_subjects (
    credential_hash BLOB PRIMARY KEY,
    reason          TEXT NOT NULL,
    added_at        BIGINT NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE miit_blacklist_subjects;
DROP TABLE miit_blacklist_domains;
DROP TABLE miit_accesses;
DROP TABLE miit_domains;
DROP TABLE miit_services;
DROP TABLE miit_subjects;
DROP TABLE miit_serials;
DROP TABLE miit_results;
DROP TABLE miit_sms_codes;
DROP TABLE miit_submissions;
DROP TABLE miit_meta;
