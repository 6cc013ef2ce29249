-- +goose Up
-- The homepage compliance checker on the console (docs/compliance.md): sweeps of every filed website of this
-- provider, one result per website, and the recurring schedule.

-- One sweep: who started it (0: the schedule), how far it got, and the node running it (lease).
CREATE TABLE compliance_sweeps (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_by   BIGINT NOT NULL DEFAULT 0,
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT NOT NULL DEFAULT 0,
    total        INTEGER NOT NULL,
    done         INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 0,
    lease_until  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX compliance_sweeps_open ON compliance_sweeps (lease_until) WHERE finished_at = 0;

-- One website of a sweep: the filed service and its domain, its applicant, and the report (sealed JSON).
CREATE TABLE compliance_results (
    sweep_id        BIGINT NOT NULL REFERENCES compliance_sweeps(id),
    seq             INTEGER NOT NULL,
    service_number  TEXT NOT NULL,
    domain          TEXT NOT NULL,
    applicant_id    BIGINT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending', -- pending | pass | fail
    errors          INTEGER NOT NULL DEFAULT 0,
    report_enc      BYTEA,
    checked_at      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (sweep_id, seq)
);
CREATE INDEX compliance_results_service ON compliance_results (service_number, sweep_id);
CREATE INDEX compliance_results_applicant ON compliance_results (applicant_id, sweep_id);

-- The recurring sweep (one row): every is off, daily or weekly; next_at is claimed by one node.
CREATE TABLE compliance_schedule (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    every       TEXT NOT NULL,
    next_at     BIGINT NOT NULL DEFAULT 0,
    updated_by  BIGINT NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE compliance_schedule;
DROP TABLE compliance_results;
DROP TABLE compliance_sweeps;
