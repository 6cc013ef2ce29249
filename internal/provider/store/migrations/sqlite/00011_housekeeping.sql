-- +goose Up
-- The response kept for an Idempotency-Key is what the request answered: often an order with its principals'
-- ID numbers and phones. It is sealed like the order (body_enc) and kept for IdempotencyTTL, after which the
-- housekeeping deletes the record. body held it in plaintext before this version; records written then are
-- still replayed from it until they expire, and no record is written there any more. The housekeeping also
-- deletes the sessions past their expiry (tokens_expiry).
ALTER TABLE idempotency ADD COLUMN body_enc BLOB;
CREATE INDEX idempotency_created ON idempotency (created_at);
CREATE INDEX tokens_expiry ON tokens (expires_at) WHERE expires_at > 0;

-- +goose Down
DROP INDEX tokens_expiry;
DROP INDEX idempotency_created;
ALTER TABLE idempotency DROP COLUMN body_enc;
