-- +goose Up
-- Working-day schedules an operator entered, each a holiday-cn {year}.json as published, applied over the
-- embedded ones: the State Council publishes next year's schedule in November, before a release can ship it.
CREATE TABLE calendar_years (
    year       INTEGER PRIMARY KEY,
    file       TEXT NOT NULL,
    entered_by BIGINT NOT NULL REFERENCES accounts(id),
    entered_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE calendar_years;
