package mps

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/mask"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// Accounts of the platform (用户注册、登录, the platform's user guide §一): every registration field is required;
// the mobile and the e-mail address feed the credit verification (§二), so they are checked with care. Login is
// username, password and the captcha; five wrong passwords in a row lock the account for 15 minutes.

// Roles.
const (
	RoleApplicant = "applicant" // a person or an organisation's staff filing websites
	RoleStaff     = "staff"     // police staff of a local public security organ (属地公安机关)
)

// Registration is the registration form.
type Registration struct {
	Username         string `json:"username"`
	Password         string `json:"password"`
	PasswordConfirm  string `json:"password_confirm"`
	Name             string `json:"name"`
	CredentialType   string `json:"credential_type"`
	CredentialNumber string `json:"credential_number"`
	Mobile           string `json:"mobile"`
	Email            string `json:"email"`
}

// User is an account as its owner and the pages see it (personal data masked).
type User struct {
	ID               int64     `json:"id"`
	Username         string    `json:"username"`
	Role             string    `json:"role"`
	Name             string    `json:"name"`
	Mobile           string    `json:"mobile"` // masked
	Email            string    `json:"email"`  // masked
	UnitCode         string    `json:"unit_code,omitempty"`
	UnitName         string    `json:"unit_name,omitempty"`
	MobileVerified   bool      `json:"mobile_verified"`
	EmailVerified    bool      `json:"email_verified"`
	IdentityVerified bool      `json:"identity_verified"`
	CreatedAt        time.Time `json:"created_at"`
}

// CreditVerified reports whether the phone and the e-mail are verified (both needed to file).
func (u *User) CreditVerified() bool { return u.MobileVerified && u.EmailVerified }

// userData is the sealed part of an account.
type userData struct {
	CredentialType   string `json:"credential_type,omitempty"`
	CredentialNumber string `json:"credential_number,omitempty"`
	Mobile           string `json:"mobile,omitempty"`
	Email            string `json:"email,omitempty"`
}

const purposeUser = "mps.user"

// Register creates an applicant account. Errors: every field's problem at once (Invalid), mps.username_taken
// and mps.credential_registered (Conflict).
func (s *Simulator) Register(ctx context.Context, r Registration) (*User, error) {
	var f form
	username := checkUsername(&f, r.Username)
	checkPassword(&f, r.Password, r.PasswordConfirm, username)
	name, _ := f.text("name", r.Name, 30)
	credType, credNumber := "", ""
	if ct, ok := f.text("credential_type", r.CredentialType, 40); ok {
		if !personCredential(ct) {
			f.fail("credential_type", "mps.credential_type_invalid")
		} else {
			credType = ct
			credNumber, _ = f.ident("credential_number", ident.Credential(ct, r.CredentialNumber, s.now()))
		}
	}
	mobile, _ := f.ident("mobile", ident.Mobile(r.Mobile))
	email, _ := f.ident("email", ident.Email(r.Email))
	if err := f.err(); err != nil {
		return nil, err
	}
	data, _ := json.Marshal(userData{CredentialType: credType, CredentialNumber: credNumber, Mobile: mobile, Email: email})
	hash := password.Hash(r.Password, s.cfg.Password)
	now := s.now()
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := usernameFree(ctx, tx, username); err != nil {
			return err
		}
		idHash := s.keys.Hash("mps.person", credNumber)
		if taken, err := exists(ctx, tx, `SELECT 1 FROM mps_users WHERE id_hash = $1`, idHash); err != nil || taken {
			if taken {
				return problem.New(problem.Conflict, "mps.credential_registered", "credential_number")
			}
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO mps_users (username, password_hash, role, name, data, id_hash,
			mobile_masked, email_masked, created_at) VALUES ($1, $2, 'applicant', $3, $4, $5, $6, $7, $8) RETURNING id`,
			username, hash, name, s.keys.Seal(data, purposeUser), idHash, mask.Mobile(mobile), mask.Email(email),
			sqldb.Millis(now)).Scan(&id)
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	return s.User(ctx, id)
}

// StaffAccount is a police staff account of one unit.
type StaffAccount struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Name     string `json:"name"`
	UnitCode string `json:"unit_code"` // the unit's area code, 6 digits: xx0000 province, xxxx00 city, else county
	UnitName string `json:"unit_name"` // e.g. 北京市公安局朝阳分局网安大队
}

// CreateStaff creates a police staff account (operator setting, demo seed).
func (s *Simulator) CreateStaff(ctx context.Context, a StaffAccount) (*User, error) {
	var f form
	username := checkUsername(&f, a.Username)
	checkPassword(&f, a.Password, a.Password, username)
	name, _ := f.text("name", a.Name, 30)
	unitName, _ := f.text("unit_name", a.UnitName, 60)
	if !validArea(a.UnitCode) {
		f.fail("unit_code", "mps.area_code_invalid")
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := usernameFree(ctx, tx, username); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO mps_users (username, password_hash, role, name, data, unit_code,
			unit_name, created_at) VALUES ($1, $2, 'staff', $3, $4, $5, $6, $7) RETURNING id`,
			username, password.Hash(a.Password, s.cfg.Password), name, s.keys.Seal([]byte("{}"), purposeUser),
			a.UnitCode, unitName, sqldb.Millis(s.now())).Scan(&id)
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	return s.User(ctx, id)
}

func checkUsername(f *form, v string) string {
	u, ok := f.text("username", v, 32)
	if !ok {
		return ""
	}
	if len(u) < 4 || !isASCIILetter(rune(u[0])) || strings.IndexFunc(u, func(r rune) bool {
		return !isASCIILetter(r) && !(r >= '0' && r <= '9') && r != '_' && r != '-'
	}) >= 0 {
		f.fail("username", "mps.username_format")
		return ""
	}
	return strings.ToLower(u)
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// checkPassword: 8 to 64 characters with letters and digits, not containing the username, typed twice alike.
func checkPassword(f *form, pw, confirm, username string) {
	n := len([]rune(pw))
	switch {
	case pw == "":
		f.fail("password", "mps.required")
	case n < 8 || n > 64:
		f.fail("password", "mps.password_length")
	case strings.IndexFunc(pw, unicode.IsLetter) < 0 || strings.IndexFunc(pw, unicode.IsDigit) < 0:
		f.fail("password", "mps.password_weak")
	case username != "" && strings.Contains(strings.ToLower(pw), username):
		f.fail("password", "mps.password_has_username")
	case pw != confirm:
		f.fail("password_confirm", "mps.password_mismatch")
	}
}

// Login checks username, password and captcha and opens a session, returning its token. The captcha is checked
// and spent first. Errors: mps.captcha_wrong (Invalid), mps.wrong_credentials (Unauthenticated), mps.locked
// (TooMany, with the minutes left).
func (s *Simulator) Login(ctx context.Context, username, pw, captchaID, captchaAnswer string) (string, *User, error) {
	if err := s.checkCaptcha(ctx, captchaID, captchaAnswer); err != nil {
		return "", nil, err
	}
	fail := problem.New(problem.Unauthenticated, "mps.wrong_credentials", "password")
	var id int64
	var hash string
	var failures int
	var lockedUntil int64
	err := s.db.R.QueryRowContext(ctx, `SELECT id, password_hash, failed_logins, locked_until FROM mps_users
		WHERE username = $1`, strings.ToLower(strings.TrimSpace(username))).Scan(&id, &hash, &failures, &lockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		password.Verify(pw, password.Hash("timing", s.cfg.Password)) // same cost whether or not the account exists
		return "", nil, fail
	}
	if err != nil {
		return "", nil, internal(err)
	}
	now := s.now()
	if left := sqldb.Time(lockedUntil).Sub(now); left > 0 {
		return "", nil, lockedErr(left)
	}
	if ok, err := password.Verify(pw, hash); err != nil || !ok {
		var n int
		var until int64
		err := s.write(ctx, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(ctx, `UPDATE mps_users SET failed_logins = failed_logins + 1 WHERE id = $1
				RETURNING failed_logins`, id).Scan(&n); err != nil {
				return err
			}
			if n < MaxLoginFailures {
				return nil
			}
			until = sqldb.Millis(now.Add(LockoutDuration))
			_, err := tx.ExecContext(ctx, `UPDATE mps_users SET failed_logins = 0, locked_until = $2 WHERE id = $1`, id, until)
			return err
		})
		if err != nil {
			return "", nil, internal(err)
		}
		if until > 0 {
			return "", nil, lockedErr(LockoutDuration)
		}
		fail.Params = map[string]string{"left": itoa(MaxLoginFailures - n)}
		return "", nil, fail
	}
	token := randomToken()
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE mps_users SET failed_logins = 0 WHERE id = $1`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO mps_sessions (token_hash, user_id, expires_at, created_at)
			VALUES ($1, $2, $3, $4)`, s.keys.Hash("mps.session", token), id, sqldb.Millis(wallClock().Add(SessionTTL)),
			sqldb.Millis(wallClock()))
		return err
	})
	if err != nil {
		return "", nil, internal(err)
	}
	u, err := s.User(ctx, id)
	return token, u, err
}

func lockedErr(left time.Duration) error {
	return problem.New(problem.TooMany, "mps.locked", "username", "minutes", itoa(int(left.Minutes())+1))
}

// Authenticate returns the user of a session token. Error: mps.unauthenticated.
func (s *Simulator) Authenticate(ctx context.Context, token string) (*User, error) {
	if token == "" {
		return nil, problem.New(problem.Unauthenticated, "mps.unauthenticated", "")
	}
	// One query for the session and its user: every request of a signed-in user passes here.
	var exp int64
	var u *User
	var err error
	hash := s.keys.Hash("mps.session", token)
	if s.sessions != nil {
		err = s.sessions.Query(0, string(hash), func(r sqldb.Row) error {
			u, err = scanUser(r.Scan, &exp)
			return err
		})
		if err == nil && u == nil {
			err = problem.New(problem.NotFound, "mps.not_found", "")
		}
	} else {
		u, err = scanUser(s.db.R.QueryRowContext(ctx, sessionQuery, hash).Scan, &exp)
	}
	if problem.Is(err, "mps.not_found") || err == nil && exp <= sqldb.Millis(wallClock()) {
		return nil, problem.New(problem.Unauthenticated, "mps.unauthenticated", "")
	}
	return u, err
}

type userKey struct{}

// WithUser returns ctx carrying the account its request authenticated as (Authenticate read it a moment ago),
// which the use cases then check instead of reading it again.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// Logout ends a session.
func (s *Simulator) Logout(ctx context.Context, token string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM mps_sessions WHERE token_hash = $1`, s.keys.Hash("mps.session", token))
	return wrapErr(err)
}

// sessionQuery reads the account of a session, by the keyed hash of its token, and the session's end. The
// probe binds the hash as text: sessionProbeQuery compares it as the BLOB the column holds.
const (
	sessionFrom = `SELECT ` + userColumns + `, s.expires_at FROM mps_sessions s JOIN mps_users u ON u.id = s.user_id
	WHERE s.token_hash = `
	sessionQuery      = sessionFrom + `$1`
	sessionProbeQuery = sessionFrom + `CAST($1 AS BLOB)`
)

// userColumns are the columns of mps_users (as u) that scanUser reads.
const userColumns = `u.id, u.username, u.role, u.name, u.mobile_masked, u.email_masked, u.unit_code, u.unit_name,
	u.mobile_verified_at, u.email_verified_at, u.identity_verified_at, u.created_at`

// User returns an account by id.
func (s *Simulator) User(ctx context.Context, id int64) (*User, error) {
	return scanUser(s.db.R.QueryRowContext(ctx, `SELECT `+userColumns+` FROM mps_users u WHERE u.id = $1`, id).Scan)
}

// scanUser reads userColumns, then extra, with scan (a row's Scan).
func scanUser(scan func(dest ...any) error, extra ...any) (*User, error) {
	var u User
	var mv, ev, iv, created int64
	err := scan(append([]any{&u.ID, &u.Username, &u.Role, &u.Name, &u.Mobile, &u.Email, &u.UnitCode, &u.UnitName,
		&mv, &ev, &iv, &created}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.New(problem.NotFound, "mps.not_found", "")
	}
	if err != nil {
		return nil, internal(err)
	}
	u.MobileVerified, u.EmailVerified, u.IdentityVerified = mv > 0, ev > 0, iv > 0
	u.CreatedAt = sqldb.Time(created)
	return &u, nil
}

func (s *Simulator) userData(ctx context.Context, q querier, id int64) (userData, error) {
	var sealed []byte
	var d userData
	if err := q.QueryRowContext(ctx, `SELECT data FROM mps_users WHERE id = $1`, id).Scan(&sealed); err != nil {
		return d, err
	}
	raw, err := s.keys.Open(sealed, purposeUser)
	if err != nil {
		return d, err
	}
	return d, json.Unmarshal(raw, &d)
}

// wallClock is the real time: sessions expire by it even in demo mode, where the simulated clock may jump.
func wallClock() time.Time { return time.Now().UTC() }

func randomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// querier is a transaction or a pool.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// usernameFree refuses a username an account already has (mps.username_taken).
func usernameFree(ctx context.Context, q querier, username string) error {
	taken, err := exists(ctx, q, `SELECT 1 FROM mps_users WHERE username = $1`, username)
	if err == nil && taken {
		return problem.New(problem.Conflict, "mps.username_taken", "username")
	}
	return err
}

func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// wrapErr passes problems through and marks anything else internal.
func wrapErr(err error) error {
	if err == nil {
		return nil
	}
	var p *problem.Error
	var l problem.List
	if errors.As(err, &p) || errors.As(err, &l) {
		return err
	}
	return internal(err)
}
