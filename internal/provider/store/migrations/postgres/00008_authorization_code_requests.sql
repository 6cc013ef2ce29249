-- +goose Up
-- Requests for an authorization code (docs/design.md §10): an applicant with no instance names the domain and
-- why; a reviewer issues a code for it (code_id) or declines with a reason. One open request per account and
-- domain.
CREATE TABLE authorization_code_requests (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id     BIGINT NOT NULL REFERENCES accounts(id),
    domain         TEXT NOT NULL,
    reason         TEXT NOT NULL,
    state          TEXT NOT NULL,               -- open | issued | declined
    code_id        BIGINT REFERENCES authorization_codes(id),
    decline_reason TEXT NOT NULL DEFAULT '',
    decided_by     BIGINT NOT NULL DEFAULT 0,
    decided_at     BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX authorization_code_requests_open ON authorization_code_requests(account_id, domain) WHERE state = 'open';
CREATE INDEX authorization_code_requests_account ON authorization_code_requests(account_id, id);
CREATE INDEX authorization_code_requests_state ON authorization_code_requests(state, id);

-- +goose Down
DROP TABLE authorization_code_requests;
