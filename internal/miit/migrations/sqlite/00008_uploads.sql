-- +goose Up
-- The provider interface over the network: the answer given to each uploaded sequence, so that a re-upload of a
-- sequence (the provider crashed before it read the answer) is answered as the first upload was.
CREATE TABLE miit_uploads (
    provider_id TEXT NOT NULL,
    sequence    BIGINT NOT NULL,
    digest      TEXT NOT NULL,
    answer      TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (provider_id, sequence)
);

-- +goose Down
DROP TABLE miit_uploads;
