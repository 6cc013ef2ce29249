-- +goose Up
-- The police filing (公安联网备案) of each website an approved order filed, as the provider follows it: the
-- 30-day deadline told to the applicant (公安部令第33号 第十一条), the reminder before it, and the applicant's
-- consent to push the ICP data with the data code the police platform returned (docs/police.md).
CREATE TABLE police_filings (
    order_id           BIGINT NOT NULL,
    service_index      INTEGER NOT NULL,
    applicant_id       BIGINT NOT NULL,
    domain             TEXT NOT NULL,
    approved_at        BIGINT NOT NULL,
    due_by             BIGINT NOT NULL,
    remind_at          BIGINT NOT NULL,
    reminded_at        BIGINT NOT NULL DEFAULT 0,
    consent_by         BIGINT NOT NULL DEFAULT 0,
    consent_at         BIGINT NOT NULL DEFAULT 0,
    data_code          TEXT NOT NULL DEFAULT '',
    data_code_expires  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, service_index)
);
CREATE INDEX police_filings_remind ON police_filings (remind_at) WHERE reminded_at = 0;

-- +goose Down
DROP TABLE police_filings;
