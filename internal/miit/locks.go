package miit

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/sqldb"
)

// What keeps the simulator's decisions race-free when several transactions (or several nodes) run at once. On
// SQLite every write transaction holds the database's write lock, so none of this is needed there. On PostgreSQL
// (READ COMMITTED) three things do it, each on the rows concerned only, so that unrelated filings never wait for
// each other:
//
//   - a submission's row is locked (SELECT … FOR UPDATE) before anything about it or its codes is read to be
//     changed, and every change is made under a state condition: a verification, a wrong try, an expiry, a
//     withdrawal, a decision and a superseding upload of the same order take their turns, and "every phone
//     verified" is counted by the last of them, which sees the others' committed changes;
//   - the checks against the registry run under key locks (lockKeys): the subject's, so that a subject has one
//     submission in flight and one decision at a time, and each domain's, so that two subjects cannot both be
//     approved for one domain;
//   - unique constraints back the registry's identities (numbers, credentials of filed subjects, one upload per
//     order and attempt) and counters are incremented in place (UPDATE … RETURNING, INSERT … ON CONFLICT DO
//     UPDATE), which locks their row until commit.

// lockClass is the first half of the simulator's advisory lock keys, apart from other users of advisory locks
// (the migrations' session lock).
const lockClass = 0x6d696974 // "miit"

func subjectLockKey(hash []byte) string { return "subject:" + hex.EncodeToString(hash) }
func domainLockKey(d string) string     { return "domain:" + d }

// lockKeys takes transaction-scoped locks on keys (released at commit or rollback), in one round trip and in a
// fixed order, so that two transactions taking overlapping sets cannot deadlock. A collision of two keys' 32-bit
// hashes only makes unrelated transactions take turns.
func (s *Simulator) lockKeys(ctx context.Context, tx *sql.Tx, keys ...string) error {
	if s.db.Dialect != sqldb.Postgres || len(keys) == 0 {
		return nil
	}
	ids := make([]int32, 0, len(keys))
	for _, k := range keys {
		h := fnv.New32a()
		h.Write([]byte(k))
		ids = append(ids, int32(h.Sum32()))
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var q strings.Builder
	q.WriteString("SELECT 1")
	for i := range ids {
		fmt.Fprintf(&q, ", pg_advisory_xact_lock(%d, $%d)", lockClass, i+1)
	}
	_, err := tx.ExecContext(ctx, q.String(), sqldb.Args(ids)...)
	return err
}

// decisionKeys are the keys an approval of o locks: the subject's (as uploaded, and the credential the order
// names, which a subject change may replace) and every domain the order files.
func (s *Simulator) decisionKeys(subjectKey []byte, o *filing.Order) []string {
	var keys []string
	if subjectKey != nil {
		keys = append(keys, subjectLockKey(subjectKey))
	}
	if o.Subject.CredentialNumber != "" {
		keys = append(keys, subjectLockKey(s.credentialHash(o.Subject.CredentialNumber)))
	}
	for _, svc := range o.Services {
		for _, d := range svc.Domains {
			keys = append(keys, domainLockKey(d))
		}
	}
	return keys
}
