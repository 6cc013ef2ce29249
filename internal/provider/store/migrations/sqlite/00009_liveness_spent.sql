-- +goose Up
-- What the live face check has used up (docs/verification.md, "Liveness"): challenge nonces and the hashes of
-- frames already sent, each as a keyed hash, kept until its time (milliseconds) so that no node accepts one
-- twice.
CREATE TABLE liveness_spent (
    key   BLOB PRIMARY KEY,
    until BIGINT NOT NULL
);
CREATE INDEX liveness_spent_until ON liveness_spent (until);

-- +goose Down
DROP TABLE liveness_spent;
