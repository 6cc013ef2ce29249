-- Materials that stayed unattached past their retention are forgotten by the sweep (retention.go). It finds the
-- materials sharing a file by data_from. mps_freed_files lists the pack files' byte ranges ("NAME@OFFSET+LENGTH")
-- of forgotten materials whose bytes are still to be released: written in the transaction that deletes the rows,
-- emptied once the bytes are released, so that a sweep stopped in between is finished by the next. The sweep
-- also deletes the sessions past their expiry and empties the data codes past theirs (the pushed ICP data they
-- carried): mps_sessions_expiry and mps_data_codes_expiry find them.

-- +goose Up
CREATE INDEX mps_materials_shared ON mps_materials (data_from) WHERE data_from <> 0;
CREATE INDEX mps_sessions_expiry ON mps_sessions (expires_at);
CREATE INDEX mps_data_codes_expiry ON mps_data_codes (expires_at) WHERE length(data) > 0;
CREATE TABLE mps_freed_files (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_ref TEXT NOT NULL
);

-- +goose Down
DROP TABLE mps_freed_files;
DROP INDEX mps_data_codes_expiry;
DROP INDEX mps_sessions_expiry;
DROP INDEX mps_materials_shared;
