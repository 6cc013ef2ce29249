-- +goose Up
-- After the ICP number (docs/after-filing.md): what a reviewer compares, the calls they make, the curtains the
-- desk mails, the codes that prove a claim, and which provinces each channel takes.

-- Each submission of an order as the reviewer saw it (the filing.Order JSON, sealed), so that a resubmission
-- can be compared with the one before.
CREATE TABLE order_submissions (
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    seq         INTEGER NOT NULL,
    payload_enc BYTEA NOT NULL,
    at          BIGINT NOT NULL,
    PRIMARY KEY (order_id, seq)
);

-- The code texted to the filed subject principal to prove control of a claimed subject.
CREATE TABLE claim_codes (
    order_id     BIGINT PRIMARY KEY REFERENCES orders(id),
    code_hash    BYTEA NOT NULL,
    phone_masked TEXT NOT NULL,
    tries        INTEGER NOT NULL DEFAULT 0,
    sent_at      BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);

-- Calls a reviewer made to principals during review.
CREATE TABLE review_calls (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES orders(id),
    reviewer_id  BIGINT NOT NULL REFERENCES accounts(id),
    person       TEXT NOT NULL,            -- subject_principal | services[i].principal | other
    phone_enc    BYTEA NOT NULL,
    phone_masked TEXT NOT NULL,
    outcome      TEXT NOT NULL,            -- reached | no_answer | busy | wrong_number | declined
    note         TEXT NOT NULL DEFAULT '',
    at           BIGINT NOT NULL
);
CREATE INDEX review_calls_order ON review_calls(order_id, id);

-- Curtains mailed to applicants for the curtain photo (a mainland address only).
CREATE TABLE curtain_mailings (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id      BIGINT NOT NULL REFERENCES orders(id),
    applicant_id  BIGINT NOT NULL REFERENCES accounts(id),
    province      TEXT NOT NULL,
    address_enc   BYTEA NOT NULL,            -- sealed {recipient, mobile, address}
    state         TEXT NOT NULL,            -- requested | dispatched
    carrier       TEXT NOT NULL DEFAULT '',
    tracking      TEXT NOT NULL DEFAULT '',
    requested_at  BIGINT NOT NULL,
    dispatched_at BIGINT NOT NULL DEFAULT 0,
    dispatched_by BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX curtain_mailings_state ON curtain_mailings(state, id);
CREATE UNIQUE INDEX curtain_mailings_one_open ON curtain_mailings(order_id) WHERE state = 'requested';

-- Which provinces each channel (pc, phone) takes; a channel without a row takes every province.
CREATE TABLE channel_provinces (
    channel    TEXT PRIMARY KEY,
    provinces  TEXT NOT NULL,              -- comma-separated GB/T 2260 codes
    updated_by BIGINT NOT NULL REFERENCES accounts(id),
    updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE channel_provinces;
DROP TABLE curtain_mailings;
DROP TABLE review_calls;
DROP TABLE claim_codes;
DROP TABLE order_submissions;
