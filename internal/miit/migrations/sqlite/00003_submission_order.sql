-- +goose Up
-- Officers find a submission by the provider's order reference.
CREATE INDEX miit_submissions_order ON miit_submissions (provider_order_id);

-- +goose Down
DROP INDEX miit_submissions_order;
