package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// Account is a person who logs in: an applicant or a member of staff.
type Account struct {
	ID           int64     `json:"id"`
	Role         string    `json:"role"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Mobile       string    `json:"mobile,omitempty"`
	PasswordHash string    `json:"-"`
	Provinces    []string  `json:"provinces,omitempty"`
	Lang         string    `json:"lang,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

const (
	purposeEmail  = "accounts.email"
	purposeMobile = "accounts.mobile"
)

// ErrEmailTaken is CreateAccount's answer for an e-mail address that already has an account. It is not a
// problem with a message: registration must not tell anyone which addresses have accounts, and staff creation
// words it for the operator.
var ErrEmailTaken = errors.New("store: e-mail address already has an account")

// CreateAccount inserts a; a taken e-mail address is ErrEmailTaken.
func (t *Tx) CreateAccount(ctx context.Context, a *Account) error {
	k := t.s.Keys
	id, err := insertID(ctx, t.tx, `INSERT INTO accounts (role, email_hash, email_enc, name, mobile_enc, password_hash,
		provinces, lang, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		a.Role, k.Hash("email", strings.ToLower(a.Email)), k.SealString(a.Email, purposeEmail), a.Name,
		k.SealString(a.Mobile, purposeMobile), a.PasswordHash, strings.Join(a.Provinces, ","), a.Lang, sqldb.Millis(a.CreatedAt))
	if sqldb.IsUniqueViolation(err) {
		return ErrEmailTaken
	}
	a.ID = id
	return err
}

const accountColumns = `id, role, email_enc, name, mobile_enc, password_hash, provinces, lang, created_at`

// scanAccount scans accountColumns, after any leading destinations the query selects first.
func (s *Store) scanAccount(row interface{ Scan(...any) error }, lead ...any) (*Account, error) {
	var a Account
	var emailEnc, mobileEnc []byte
	var provinces string
	var created int64
	dst := append(lead, &a.ID, &a.Role, &emailEnc, &a.Name, &mobileEnc, &a.PasswordHash, &provinces, &a.Lang, &created)
	if err := row.Scan(dst...); err != nil {
		return nil, err
	}
	var err error
	if a.Email, err = s.Keys.OpenString(emailEnc, purposeEmail); err != nil {
		return nil, err
	}
	if a.Mobile, err = s.Keys.OpenString(mobileEnc, purposeMobile); err != nil {
		return nil, err
	}
	if provinces != "" {
		a.Provinces = strings.Split(provinces, ",")
	}
	a.CreatedAt = sqldb.Time(created)
	return &a, nil
}

// AccountByEmail finds an enabled account by login e-mail.
func (s *Store) AccountByEmail(ctx context.Context, email string) (*Account, error) {
	a, err := s.scanAccount(s.R.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE email_hash = $1 AND disabled = 0`, s.Keys.Hash("email", strings.ToLower(email))))
	return a, notFound(err, "account.not_found")
}

// Account loads an account by id.
func (s *Store) Account(ctx context.Context, id int64) (*Account, error) {
	a, err := s.scanAccount(s.R.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	return a, notFound(err, "account.not_found")
}

// CountAccounts returns how many accounts exist (zero means a first start).
func (s *Store) CountAccounts(ctx context.Context) (int, error) {
	var n int
	err := s.R.QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&n)
	return n, err
}

// Account loads an account inside the transaction (never take a second connection while holding one: on
// PostgreSQL both pools are the same, and a busy pool would deadlock). The applicant of the order the
// transaction locked was read with it.
func (t *Tx) Account(ctx context.Context, id int64) (*Account, error) {
	if a := t.applicant; a != nil && a.ID == id {
		c := *a
		return &c, nil
	}
	a, err := t.s.scanAccount(t.tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	return a, notFound(err, "account.not_found")
}
