-- +goose Up
-- The provider side's tables (the access provider's filing system). Personal data is sealed (secret package):
-- columns ending in _enc hold ciphertext, columns ending in _hash hold keyed hashes for look-ups.

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    role          TEXT NOT NULL,            -- applicant | reviewer | officer | operator
    email_hash    BLOB NOT NULL UNIQUE,    -- login
    email_enc     BLOB NOT NULL,
    name          TEXT NOT NULL,
    mobile_enc    BLOB,
    password_hash TEXT NOT NULL,            -- argon2id, PHC string
    provinces     TEXT NOT NULL DEFAULT '', -- officers: comma-separated province codes
    lang          TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

-- Sessions (browser cookies) and API tokens (integrators); only a hash of the token is stored.
CREATE TABLE tokens (
    hash         BLOB PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts(id),
    kind         TEXT NOT NULL,             -- session | api
    name         TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,           -- 0 = never (API tokens until revoked)
    last_used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX tokens_account ON tokens(account_id);

-- Hosting instances with filing quota (Huawei Cloud's first-filing guide: prepaid for 3 months or more; pay-as-you-go refused).
CREATE TABLE resources (
    id          INTEGER PRIMARY KEY,
    owner_id    BIGINT NOT NULL REFERENCES accounts(id),
    name        TEXT NOT NULL,
    region      TEXT NOT NULL DEFAULT '',
    ips         TEXT NOT NULL,               -- JSON array of public IPs
    billing     TEXT NOT NULL,               -- prepaid | pay_as_you_go
    starts_at   BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    quota_total INTEGER NOT NULL,
    quota_used  INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    CHECK (quota_used >= 0 AND quota_used <= quota_total)
);
CREATE INDEX resources_owner ON resources(owner_id);

-- Authorization codes (备案授权码/服务号, the providers' filing guides (docs/design.md §10)): one code per domain, issued by staff.
CREATE TABLE authorization_codes (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    domain      TEXT NOT NULL,
    ips         TEXT NOT NULL,
    issued_by   BIGINT NOT NULL REFERENCES accounts(id),
    issued_at   BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    order_id    BIGINT,                      -- the order that used it
    used_at     BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX authorization_codes_domain ON authorization_codes(domain) WHERE used_at = 0;

CREATE TABLE orders (
    id              INTEGER PRIMARY KEY,
    applicant_id    BIGINT NOT NULL REFERENCES accounts(id),
    type            TEXT NOT NULL,
    state           TEXT NOT NULL,
    province        TEXT NOT NULL,
    nature          TEXT NOT NULL,
    subject_name    TEXT NOT NULL DEFAULT '',
    subject_hash    BLOB NOT NULL,         -- keyed hash of credential type + number
    in_flight       INTEGER NOT NULL,       -- 1 until approved or withdrawn
    idempotency_key TEXT,
    resource_id     BIGINT REFERENCES resources(id),
    attempt         INTEGER NOT NULL DEFAULT 0, -- uploads to the regulator so far
    deadline_at     BIGINT NOT NULL DEFAULT 0,  -- when the current step is due
    submitted_at    BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    payload_enc     BLOB NOT NULL          -- the order document (filing.Order JSON), sealed
);
-- One order in flight per subject (Alibaba Cloud's materials guide; docs/design.md §4.2), enforced by the database so concurrent requests cannot both pass.
CREATE UNIQUE INDEX orders_one_in_flight ON orders(subject_hash) WHERE in_flight = 1;
CREATE UNIQUE INDEX orders_idempotency ON orders(applicant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX orders_applicant ON orders(applicant_id, id);
CREATE INDEX orders_queue ON orders(state, deadline_at);

-- Every transition, with actor, time, reason and the fields concerned (docs/design.md §4.2).
CREATE TABLE order_events (
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    seq         INTEGER NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    action      TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    actor_id    BIGINT NOT NULL DEFAULT 0,
    reason      TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',   -- JSON array of {field, message}
    at          BIGINT NOT NULL,
    deadline_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, seq)
);

-- Contacts of subjects with orders here, for the uniqueness rules across subjects (Huawei Cloud's first-filing guide).
CREATE TABLE subject_contacts (
    order_id     BIGINT NOT NULL REFERENCES orders(id),
    subject_hash BLOB NOT NULL,
    kind         TEXT NOT NULL,             -- emergency_mobile | email | legal_representative
    value_hash   BLOB NOT NULL,
    extra_enc    BLOB,                      -- legal representative: sealed {mobile, email}
    PRIMARY KEY (order_id, kind, value_hash)
);
CREATE INDEX subject_contacts_value ON subject_contacts(kind, value_hash);

-- Filed subjects and services accessed through this provider (what changes and new services start from).
CREATE TABLE filed_subjects (
    id           INTEGER PRIMARY KEY,
    subject_hash BLOB NOT NULL UNIQUE,
    applicant_id BIGINT NOT NULL REFERENCES accounts(id),
    number       TEXT NOT NULL UNIQUE,
    province     TEXT NOT NULL,
    name         TEXT NOT NULL,
    nature       TEXT NOT NULL,
    payload_enc  BLOB NOT NULL,            -- filing.Subject JSON, sealed
    updated_at   BIGINT NOT NULL
);
CREATE TABLE filed_services (
    id          INTEGER PRIMARY KEY,
    subject_id  BIGINT NOT NULL REFERENCES filed_subjects(id),
    number      TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    domain      TEXT NOT NULL DEFAULT '',
    resource_id BIGINT REFERENCES resources(id),
    payload_enc BLOB NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX filed_services_subject ON filed_services(subject_id);
CREATE INDEX filed_services_domain ON filed_services(domain);

-- Transactional outbox: written in the same transaction as the state change, delivered by a worker.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    topic       TEXT NOT NULL,             -- sms | email | regulator.submit | regulator.withdraw
    payload_enc BLOB NOT NULL,
    created_at  BIGINT NOT NULL,
    due_at      BIGINT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    done_at     BIGINT NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(done_at, due_at);

-- In-app messages for applicants.
CREATE TABLE inbox (
    id         INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    order_id   BIGINT,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX inbox_account ON inbox(account_id, id);

-- The development gateway's sent messages (SMS and e-mail), readable by operators in demo mode.
CREATE TABLE dev_messages (
    id         INTEGER PRIMARY KEY,
    channel    TEXT NOT NULL,
    to_hash    BLOB NOT NULL,
    to_enc     BLOB NOT NULL,
    sender     TEXT NOT NULL DEFAULT '',
    subject    TEXT NOT NULL DEFAULT '',
    body_enc   BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX dev_messages_to ON dev_messages(to_hash, id);

-- Responses of requests made with an Idempotency-Key, replayed on retry.
CREATE TABLE idempotency (
    account_id  BIGINT NOT NULL,
    idem_key    TEXT NOT NULL,
    fingerprint TEXT NOT NULL,             -- method, path and body hash
    status      INTEGER NOT NULL,          -- 0 while in progress
    body        BLOB,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (account_id, idem_key)
);

-- Who saw or changed personal data, and when (docs/design.md §9).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_id   BIGINT NOT NULL,
    actor_role TEXT NOT NULL,
    action     TEXT NOT NULL,
    object     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_object ON audit_log(object, id);

-- Uploaded files, content-addressed by a keyed hash and sealed at rest (several nodes share them).
CREATE TABLE blobs (
    hash       BLOB PRIMARY KEY,
    size       INTEGER NOT NULL,
    data_enc   BLOB NOT NULL,
    created_at BIGINT NOT NULL
);

-- Materials (docs/rules.md): an applicant's uploaded document with its detected type.
CREATE TABLE materials (
    id         INTEGER PRIMARY KEY,
    owner_id   BIGINT NOT NULL REFERENCES accounts(id),
    code       TEXT NOT NULL,              -- material code (docs/rules.md) or app_icon
    type       TEXT NOT NULL,              -- jpeg | png | pdf, detected from the content
    blob_hash  BLOB NOT NULL REFERENCES blobs(hash),
    size       INTEGER NOT NULL,
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX materials_owner ON materials(owner_id, id);

-- +goose Down
DROP TABLE materials;
DROP TABLE blobs;
DROP TABLE audit_log;
DROP TABLE idempotency;
DROP TABLE dev_messages;
DROP TABLE inbox;
DROP TABLE outbox;
DROP TABLE filed_services;
DROP TABLE filed_subjects;
DROP TABLE subject_contacts;
DROP TABLE order_events;
DROP TABLE orders;
DROP TABLE authorization_codes;
DROP TABLE resources;
DROP TABLE tokens;
DROP TABLE accounts;
