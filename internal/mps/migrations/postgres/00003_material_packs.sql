-- On SQLite the sealed files of new materials are appended to pack files in a directory beside the database
-- rather than kept in the row: file_ref names the pack, the offset and the length ("NAME@OFFSET+LENGTH"); ''
-- when the row holds its file in data (every row on PostgreSQL, rows written before on SQLite).

-- +goose Up
ALTER TABLE mps_materials ADD COLUMN file_ref TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE mps_materials DROP COLUMN file_ref;
