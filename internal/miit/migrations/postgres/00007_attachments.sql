-- +goose Up
-- The files a submission carried (materials, verification photos), sealed, for the officer who reviews it.
CREATE TABLE miit_attachments (
    submission_id BIGINT NOT NULL REFERENCES miit_submissions (id),
    n             INTEGER NOT NULL,
    purpose       TEXT NOT NULL,
    service       INTEGER NOT NULL DEFAULT -1,
    person        TEXT NOT NULL DEFAULT '',
    media_type    TEXT NOT NULL,
    data          BYTEA NOT NULL,
    PRIMARY KEY (submission_id, n)
);

-- +goose Down
DROP TABLE miit_attachments;
