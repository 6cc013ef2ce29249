package miit

import (
	"context"
	"database/sql"
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// Subject name search pages through the subjects whose filed name starts with a prefix, in name order, and
// answers with their services. A page's key is the (name, subject number) of its last subject, so that every
// page is one range of the index on (name, number) however deep it is.

const (
	defaultNameLimit = 20
	maxNameLimit     = 100
)

// queryName answers one page of a subject name search.
func (s *Simulator) queryName(ctx context.Context, q Query) (Answer, error) {
	prefix := strings.TrimSpace(q.SubjectName)
	if !utf8.ValidString(prefix) || strings.ContainsFunc(prefix, isControl) {
		return Answer{}, problem.Invalidf("miit.query_name_invalid", "subject_name")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultNameLimit
	}
	limit = min(limit, maxNameLimit)
	afterName, afterNumber := prefix, ""
	if q.After != "" {
		var ok bool
		if afterName, afterNumber, ok = decodeAfter(q.After); !ok || !strings.HasPrefix(afterName, prefix) {
			return Answer{}, problem.Invalidf("miit.query_after_invalid", "after")
		}
	}
	query, args := queryText.subjectName, []any{afterName, afterNumber, prefix + "\U0010FFFF"}
	if s.db.Dialect == sqldb.Postgres {
		query, args = queryText.subjectNamePG, append(args, limit)
	}
	rows, err := s.rquery(ctx, query, args...)
	recs, err := scanSubjects(rows, err, limit)
	if err != nil {
		return Answer{}, problem.Wrap(err, "miit.internal")
	}
	a := Answer{Records: recs}
	if subjects(recs) == limit {
		last := recs[len(recs)-1]
		a.Next = encodeAfter(last.SubjectName, last.SubjectNumber)
	}
	return a, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// subjects counts the distinct subjects of records in subject order.
func subjects(recs []Record) int {
	n := 0
	for i, r := range recs {
		if i == 0 || r.SubjectNumber != recs[i-1].SubjectNumber {
			n++
		}
	}
	return n
}

func encodeAfter(name, number string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(name + "\x00" + number))
}

func decodeAfter(s string) (name, number string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !utf8.Valid(b) {
		return "", "", false
	}
	name, number, ok = strings.Cut(string(b), "\x00")
	return name, number, ok && number != ""
}

// keepCancelledDomains copies the public record of a service's domains to miit_cancelled_domains before the
// service is cancelled, so that the public query answers "cancelled" for them.
func keepCancelledDomains(ctx context.Context, tx *sql.Tx, serviceID int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO miit_cancelled_domains (domain, service_id, kind, subject_name, nature,
		subject_number, service_number, service_name, domains, province, approved_at, cancelled_at)
		SELECT domain, service_id, kind, subject_name, nature, subject_number, service_number, service_name, domains,
		province, approved_at, $2 FROM miit_domains WHERE service_id = $1 ON CONFLICT DO NOTHING`,
		serviceID, sqldb.Millis(now))
	return err
}
