-- miit_domains carries the whole public record of its service, so that the public query by domain is one probe
-- of one B-tree (clustered by domain on SQLite) instead of three. Rebuilt from the registry.

-- +goose Up
CREATE TABLE miit_domains_new (
    domain         TEXT NOT NULL,
    service_id     BIGINT NOT NULL REFERENCES miit_services (id),
    subject_id     BIGINT NOT NULL,
    kind           TEXT NOT NULL,
    subject_name   TEXT NOT NULL,
    nature         TEXT NOT NULL,
    subject_number TEXT NOT NULL,
    service_number TEXT NOT NULL,
    service_name   TEXT NOT NULL,
    domains        TEXT NOT NULL,
    province       TEXT NOT NULL,
    approved_at    BIGINT NOT NULL,
    PRIMARY KEY (domain, service_id)
) WITHOUT ROWID;
INSERT INTO miit_domains_new (domain, service_id, subject_id, kind, subject_name, nature, subject_number,
    service_number, service_name, domains, province, approved_at)
SELECT d.domain, d.service_id, d.subject_id, d.kind, su.name, su.nature, su.number, s.number, s.name, s.domains,
    su.province, s.updated_at
FROM miit_domains d JOIN miit_services s ON s.id = d.service_id JOIN miit_subjects su ON su.id = s.subject_id;
DROP TABLE miit_domains;
ALTER TABLE miit_domains_new RENAME TO miit_domains;
CREATE INDEX miit_domains_service ON miit_domains (service_id);
CREATE INDEX miit_domains_subject ON miit_domains (subject_id);

-- +goose Down
CREATE TABLE miit_domains_old (
    domain     TEXT NOT NULL,
    service_id BIGINT NOT NULL REFERENCES miit_services (id),
    subject_id BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    PRIMARY KEY (domain, service_id)
) WITHOUT ROWID;
INSERT INTO miit_domains_old (domain, service_id, subject_id, kind)
SELECT domain, service_id, subject_id, kind FROM miit_domains;
DROP TABLE miit_domains;
ALTER TABLE miit_domains_old RENAME TO miit_domains;
CREATE INDEX miit_domains_service ON miit_domains (service_id);
