-- +goose Up
-- Scheduled jobs run by one node at a time: whoever holds a job's lease until it ends (sweep.go).
CREATE TABLE miit_leases (
    name   TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  BIGINT NOT NULL
);

-- +goose Down
DROP TABLE miit_leases;
