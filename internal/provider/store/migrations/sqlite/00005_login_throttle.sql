-- +goose Up
-- Failed logins, counted per e-mail address and per client address (each an HMAC with the index key, so
-- neither is stored in the clear), and the pause each has earned (README, "Login limits").
CREATE TABLE login_throttle (
    key          BLOB PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_failure BIGINT NOT NULL,
    locked_until BIGINT NOT NULL
);

-- +goose Down
DROP TABLE login_throttle;
