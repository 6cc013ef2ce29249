-- +goose Up
-- The worker delivers each topic of the outbox in its own lane (regulator uploads, SMS, e-mail), so that an
-- upload never waits behind a backlog of messages: claims look undelivered items up by topic. The index holds
-- only undelivered items, so it stays small however long the history of delivered ones grows.
CREATE INDEX outbox_pending ON outbox(topic, due_at) WHERE done_at = 0;
DROP INDEX outbox_due;

-- +goose Down
CREATE INDEX outbox_due ON outbox(done_at, due_at);
DROP INDEX outbox_pending;
