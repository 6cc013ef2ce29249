-- +goose Up
-- The simulator's writers no longer take one lock row, and nothing read the registry counter (locks.go).
DROP TABLE miit_meta;

-- +goose Down
CREATE TABLE miit_meta (
    k TEXT PRIMARY KEY,
    v BIGINT NOT NULL
);
INSERT INTO miit_meta (k, v) VALUES ('lock', 0);
INSERT INTO miit_meta (k, v) VALUES ('registry', 0);
