-- A cancellation set updated_at, which the public query shows as the record's approval date (审核通过日期), to the
-- time of the cancellation; it now leaves it alone. The records cancelled before get their last approval back: a
-- service's from the public record its domains kept when it was cancelled (miit_cancelled_domains, written
-- before the cancellation), else its first approval; a subject's, its first approval (the date of a change of
-- the subject before its cancellation was not kept anywhere else).

-- +goose Up
UPDATE miit_services SET updated_at = COALESCE((SELECT MAX(cd.approved_at) FROM miit_cancelled_domains cd
    WHERE cd.service_id = miit_services.id), approved_at)
WHERE cancelled_at > 0 AND updated_at = cancelled_at;
UPDATE miit_subjects SET updated_at = approved_at WHERE cancelled_at > 0 AND updated_at = cancelled_at;

-- +goose Down
