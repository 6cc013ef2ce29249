package miit

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// A bulk load keeps the registry's rule on domains, as an approval does (checkServices): a domain belongs to
// one subject, and one subject's websites do not share one (an APP may use its own subject's website domain).
// checkBatchDomains holds a batch to it before anything is written; filedDomainTaken holds the batch's new
// subjects to it against the registry, in the writer's transaction.

// domainOwner is who lists a domain first in a batch.
type domainOwner struct {
	hash    string // the subject's credential hash
	website bool
}

// checkBatchDomains refuses the first record that lists a domain another subject of the batch lists, or that
// one of its websites lists again.
func checkBatchDomains(preps []*seedPrep) error {
	owners := map[string]domainOwner{}
	for _, p := range preps {
		for k, ss := range p.services {
			website := ss.svc.Kind == filing.Website
			for j, d := range ss.svc.Domains {
				o, seen := owners[d]
				if seen && (o.hash != string(p.hash) || website && o.website) {
					return domainTaken(p, k, j, d)
				}
				if !seen || website {
					owners[d] = domainOwner{string(p.hash), website || o.website}
				}
			}
		}
	}
	return nil
}

// filedDomainTaken refuses the batch when a service of refs (those of the subjects just inserted, which are
// new) lists a domain the registry holds: any filed service using it is another subject's.
func filedDomainTaken(ctx context.Context, tx *sql.Tx, refs []svcRef) error {
	type use struct {
		r    svcRef
		k, j int
	}
	uses := map[string]use{}
	var domains []any
	for _, r := range refs {
		k := r.ss.index
		for j, d := range r.ss.svc.Domains {
			if _, ok := uses[d]; !ok {
				uses[d] = use{r, k, j}
				domains = append(domains, d)
			}
		}
	}
	for start := 0; start < len(domains); start += loadStmtRecords {
		chunk := domains[start:min(start+loadStmtRecords, len(domains))]
		var taken string
		err := tx.QueryRowContext(ctx, `SELECT domain FROM miit_domains WHERE domain IN (`+
			sqldb.Placeholders(1, len(chunk))+`) LIMIT 1`, chunk...).Scan(&taken)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return err
		}
		u := uses[taken]
		return domainTaken(u.r.p, u.k, u.j, taken)
	}
	return nil
}

// checkBatchNumbers refuses the first record that gives a service a number an earlier record of the batch (or
// another of its own services) gives: the registry would take one and, the file having two, report the other as
// a number already filed.
func checkBatchNumbers(preps []*seedPrep) error {
	seen := map[string]bool{}
	for _, p := range preps {
		for k, ss := range p.services {
			if ss.number == "" {
				continue
			}
			if seen[ss.number] {
				return problem.Invalidf("miit.seed_number_repeated", fmt.Sprintf("services[%d].number", k),
					"number", ss.number, "index", strconv.Itoa(p.index))
			}
			seen[ss.number] = true
		}
	}
	return nil
}

func domainTaken(p *seedPrep, service, domain int, d string) error {
	return problem.New(problem.Conflict, "miit.seed_domain_taken", fmt.Sprintf("services[%d].domains[%d]", service, domain),
		"domain", d, "index", strconv.Itoa(p.index))
}
