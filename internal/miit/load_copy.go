package miit

import (
	"context"
	"database/sql"

	"github.com/beian/beian/internal/sqldb"
)

// copyBatch is loadBatch on PostgreSQL: the batch's subjects, services, domains and accesses written with COPY
// (sqldb.CopyFrom), one statement a table, with ids drawn from the tables' sequences first. Before, each was a
// multi-row INSERT of 500 rows, every value a parameter: encoding them was most of the client's CPU and parsing
// them much of the server's (docs/benchmarks.md). COPY skips nothing, so the subjects whose credentials are
// filed are found first and left out with their services; the table lock keeps anyone from filing one
// meanwhile (decisions wait until the batch is done rather than take a key lock each, as SQLite's write lock
// makes them). A subject or service number already filed fails the batch, as a plain INSERT did.
func (s *Simulator) copyBatch(ctx context.Context, tx *sql.Tx, preps []*seedPrep) error {
	if _, err := tx.ExecContext(ctx, `LOCK TABLE miit_subjects, miit_domains IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return err
	}
	if err := s.numberSubjects(ctx, tx, preps); err != nil {
		return err
	}
	filed, err := filedCredentials(ctx, tx, preps)
	if err != nil {
		return err
	}
	subjects := make([]*seedPrep, 0, len(preps))
	for _, p := range preps {
		if p.id = 0; !filed[string(p.hash)] {
			subjects = append(subjects, p)
		}
	}
	ids, err := nextIDs(ctx, tx, "miit_subjects", len(subjects))
	if err != nil {
		return err
	}
	rows := make([][]any, len(subjects))
	for i, p := range subjects {
		p.id = ids[i]
		sub := p.rec.Subject
		rows[i] = []any{p.id, p.number, p.rec.Province, sub.Name, sub.Nature, sub.CredentialType, p.hash, p.data,
			int64(p.seq), p.at, p.at}
	}
	if _, err := s.db.CopyFrom(ctx, tx, "miit_subjects", []string{"id", "number", "province", "name", "nature",
		"credential_type", "credential_hash", "data", "service_seq", "approved_at", "updated_at"}, rows); err != nil {
		return err
	}
	refs := serviceRefs(preps)
	if err := filedDomainTaken(ctx, tx, refs); err != nil {
		return err
	}
	if ids, err = nextIDs(ctx, tx, "miit_services", len(refs)); err != nil {
		return err
	}
	rows = make([][]any, len(refs))
	for i, r := range refs {
		r.ss.id = ids[i]
		rows[i] = []any{r.ss.id, r.p.id, int64(r.ss.seq), r.ss.number, string(r.ss.svc.Kind), r.ss.svc.Name,
			joinDomains(r.ss.svc.Domains), r.ss.data, r.p.at, r.p.at}
	}
	if _, err := s.db.CopyFrom(ctx, tx, "miit_services", []string{"id", "subject_id", "seq", "number", "kind", "name",
		"domains", "data", "approved_at", "updated_at"}, rows); err != nil {
		return err
	}
	domains, accesses := domainsAccesses(refs)
	rows = make([][]any, len(domains))
	for i, d := range domains {
		rows[i] = d.values(make([]any, 0, len(loadDomainCols)))
	}
	if _, err := s.db.CopyFrom(ctx, tx, "miit_domains", loadDomainCols, rows); err != nil {
		return err
	}
	rows = make([][]any, len(accesses))
	for i, a := range accesses {
		rows[i] = a.values(make([]any, 0, len(loadAccessCols)))
	}
	_, err = s.db.CopyFrom(ctx, tx, "miit_accesses", loadAccessCols, rows)
	return err
}

// filedCredentials returns the credential hashes of preps that filed subjects (not cancelled) hold.
func filedCredentials(ctx context.Context, tx *sql.Tx, preps []*seedPrep) (map[string]bool, error) {
	hashes := make([][]byte, len(preps))
	for i, p := range preps {
		hashes[i] = p.hash
	}
	rows, err := tx.QueryContext(ctx, `SELECT credential_hash FROM miit_subjects
		WHERE credential_hash = ANY($1) AND cancelled_at = 0`, hashes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	filed := map[string]bool{}
	for rows.Next() {
		var h []byte
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		filed[string(h)] = true
	}
	return filed, rows.Err()
}

// nextIDs draws n ids from the sequence of table's id column.
func nextIDs(ctx context.Context, tx *sql.Tx, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	return sqldb.IDs(ctx, tx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, n)
}
