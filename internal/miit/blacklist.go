package miit

import (
	"context"
	"database/sql"
	"strings"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// The administrations' blacklists (docs/design.md §5 download HMDLB): blacklisted domains cannot be filed (1064) and a
// blacklisted subject cannot file (1065). A domain on the list also blocks its subdomains. Subjects are listed
// by a keyed hash of their credential number only.

// BlacklistDomain puts a domain on the blacklist (again: updates the reason).
func (s *Simulator) BlacklistDomain(ctx context.Context, domain, reason string) error {
	d, ok := normDomain(domain)
	if !ok {
		return problem.Invalidf("miit.query_domain_invalid", "domain")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO miit_blacklist_domains (domain, reason, added_at) VALUES ($1, $2, $3)
			ON CONFLICT (domain) DO UPDATE SET reason = excluded.reason`, d, strings.TrimSpace(reason),
			sqldb.Millis(s.clk.Now()))
		return err
	})
}

// UnblacklistDomain takes a domain off the blacklist.
func (s *Simulator) UnblacklistDomain(ctx context.Context, domain string) error {
	d, ok := normDomain(domain)
	if !ok {
		return problem.Invalidf("miit.query_domain_invalid", "domain")
	}
	_, err := s.db.Exec(ctx, `DELETE FROM miit_blacklist_domains WHERE domain = $1`, d)
	return err
}

// BlacklistSubject puts a subject, named by its credential number, on the blacklist.
func (s *Simulator) BlacklistSubject(ctx context.Context, credentialNumber, reason string) error {
	if NormCredential(credentialNumber) == "" {
		return problem.Invalidf("miit.credential_required", "credential_number")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO miit_blacklist_subjects (credential_hash, reason, added_at)
			VALUES ($1, $2, $3) ON CONFLICT (credential_hash) DO UPDATE SET reason = excluded.reason`,
			s.credentialHash(credentialNumber), strings.TrimSpace(reason), sqldb.Millis(s.clk.Now()))
		return err
	})
}
