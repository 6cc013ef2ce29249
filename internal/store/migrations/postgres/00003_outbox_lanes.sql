-- +goose Up
-- The worker delivers each topic of the outbox in its own lane (regulator uploads, SMS, e-mail), so that an
-- upload never waits behind a backlog of messages: claims look items up by topic.
CREATE INDEX outbox_lane ON outbox(topic, done_at, due_at);
DROP INDEX outbox_due;

-- +goose Down
CREATE INDEX outbox_due ON outbox(done_at, due_at);
DROP INDEX outbox_lane;
