-- The public query answers for cancelled filings too, and searches subject names by prefix, page by page.
-- miit_cancelled_domains keeps the public record of a domain whose service was cancelled (miit_domains holds
-- the filed ones only); subject names are indexed with the subject number, the key of a page.

-- +goose Up
CREATE TABLE miit_cancelled_domains (
    domain         TEXT NOT NULL,
    service_id     BIGINT NOT NULL REFERENCES miit_services (id),
    kind           TEXT NOT NULL,
    subject_name   TEXT NOT NULL,
    nature         TEXT NOT NULL,
    subject_number TEXT NOT NULL,
    service_number TEXT NOT NULL,
    service_name   TEXT NOT NULL,
    domains        TEXT NOT NULL,
    province       TEXT NOT NULL,
    approved_at    BIGINT NOT NULL,
    cancelled_at   BIGINT NOT NULL,
    PRIMARY KEY (domain, service_id)
) WITHOUT ROWID;
WITH RECURSIVE split (service_id, domain, rest) AS (
    SELECT id, '', domains || ' ' FROM miit_services WHERE cancelled_at > 0
    UNION ALL
    SELECT service_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO miit_cancelled_domains (domain, service_id, kind, subject_name, nature, subject_number,
    service_number, service_name, domains, province, approved_at, cancelled_at)
SELECT sp.domain, s.id, s.kind, su.name, su.nature, su.number, s.number, s.name, s.domains, su.province,
    s.approved_at, s.cancelled_at
FROM split sp JOIN miit_services s ON s.id = sp.service_id JOIN miit_subjects su ON su.id = s.subject_id
WHERE sp.domain <> '';
DROP INDEX miit_subjects_name;
CREATE INDEX miit_subjects_name ON miit_subjects (name, number);

-- +goose Down
DROP INDEX miit_subjects_name;
CREATE INDEX miit_subjects_name ON miit_subjects (name, cancelled_at);
DROP TABLE miit_cancelled_domains;
