-- A file a user sends again (the legal representative's ID card attached again as the website principal's) is
-- stored once: a material holds the keyed hash of its file (digest), and a material whose file another of the
-- same user's materials already holds keeps an empty data and the id of that material (data_from; 0: its own).

-- +goose Up
ALTER TABLE mps_materials ADD COLUMN digest BLOB;
ALTER TABLE mps_materials ADD COLUMN data_from BIGINT NOT NULL DEFAULT 0;
CREATE INDEX mps_materials_digest ON mps_materials (user_id, digest);

-- +goose Down
DROP INDEX mps_materials_digest;
ALTER TABLE mps_materials DROP COLUMN data_from;
ALTER TABLE mps_materials DROP COLUMN digest;
