-- SQLite's migration 00012 makes the public query by subject name read only indexes. PostgreSQL keeps its
-- plan (a page of subject ids from the name index, then their rows and services); nothing changes here.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
