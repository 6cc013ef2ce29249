-- The public query by subject name reads only indexes: a page of subjects is a range of the name index, which
-- carries what the answer shows of a subject, and each subject's services are a range of an index that carries
-- what it shows of a service. Before, every subject and service of a page was a look-up of its table row (with
-- its sealed record) at a random place. Both are secondary indexes: a bulk load into a small registry drops
-- them and builds them after the load.

-- +goose Up
DROP INDEX miit_subjects_name;
CREATE INDEX miit_subjects_name ON miit_subjects (name, number, nature, province, updated_at, cancelled_at);
CREATE INDEX miit_services_public ON miit_services (subject_id, seq, number, kind, name, domains, updated_at,
    cancelled_at);

-- +goose Down
DROP INDEX miit_services_public;
DROP INDEX miit_subjects_name;
CREATE INDEX miit_subjects_name ON miit_subjects (name, number);
