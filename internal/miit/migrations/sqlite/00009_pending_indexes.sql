-- +goose Up
-- Secondary indexes of the registry that a bulk load into an empty registry dropped (SQLite, `beian import`) and
-- has not built again yet. The load builds them at its end; when it stopped before, the next start of the
-- simulator or of a load builds them.
CREATE TABLE miit_pending_indexes (
    name TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
);

-- +goose Down
DROP TABLE miit_pending_indexes;
