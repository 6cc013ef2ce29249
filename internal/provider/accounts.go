package provider

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/notify"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// Registration is what an applicant gives to open an account.
type Registration struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Mobile   string `json:"mobile"`
	Password string `json:"password"`
	Lang     string `json:"lang,omitempty"`
}

// Register opens an applicant account. It answers alike whether or not the e-mail address already has one, so
// that registration tells no one which addresses have accounts: a new address gets its account and a welcome
// mail; an address that has one gets only a mail saying that someone tried to register with it, and the
// account returned is nil (callers answer as for a new one).
func (s *Service) Register(ctx context.Context, r Registration) (*store.Account, error) {
	a, err := s.newAccount(r, RoleApplicant)
	if err != nil {
		return nil, err
	}
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateAccount(ctx, a); err != nil {
			return err
		}
		return s.accountMail(ctx, tx, a, "welcome")
	})
	if errors.Is(err, store.ErrEmailTaken) {
		a, err = nil, s.st.Update(ctx, func(tx *store.Tx) error { return s.accountMail(ctx, tx, a, "exists") })
	}
	if err != nil {
		return nil, err
	}
	s.cfg.Kick()
	return a, nil
}

// accountMail queues the registration mail of kind (welcome or exists) to a's address, in a's language.
func (s *Service) accountMail(ctx context.Context, tx *store.Tx, a *store.Account, kind string) error {
	lang := i18n.Parse(a.Lang)
	params := map[string]string{"email": a.Email}
	b, err := json.Marshal(notify.Message{Channel: notify.ChannelEmail, To: a.Email,
		Subject: i18n.T(lang, "account.mail."+kind+".subject", params), Body: i18n.T(lang, "account.mail."+kind+".body", params)})
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, TopicEmail, b, s.now())
}

// CreateStaff opens a staff account (operators only; the demo seed uses it directly).
func (s *Service) CreateStaff(ctx context.Context, by Actor, r Registration, role string, provinces []string) (*store.Account, error) {
	if err := requireRole(by, RoleOperator); err != nil {
		return nil, err
	}
	return s.CreateStaffUnchecked(ctx, r, role, provinces)
}

// CreateStaffUnchecked opens a staff account without checking who asks: for the demo seed and the
// `beian` command line, which run with the operator's authority.
func (s *Service) CreateStaffUnchecked(ctx context.Context, r Registration, role string, provinces []string) (*store.Account, error) {
	if role != RoleReviewer && role != RoleOfficer && role != RoleOperator {
		return nil, problem.Invalidf("account.unknown_role", "role", "role", role)
	}
	a, err := s.newAccount(r, role)
	if err != nil {
		return nil, err
	}
	a.Provinces = provinces
	err = s.st.Update(ctx, func(tx *store.Tx) error { return tx.CreateAccount(ctx, a) })
	if errors.Is(err, store.ErrEmailTaken) {
		return nil, problem.New(problem.Conflict, "staff.email_taken", "email")
	}
	return a, err
}

func (s *Service) newAccount(r Registration, role string) (*store.Account, error) {
	email, name, mobile, err := checkRegistration(r)
	if err != nil {
		return nil, err
	}
	return &store.Account{Role: role, Email: email, Name: name, Mobile: mobile,
		PasswordHash: password.Hash(r.Password, s.cfg.Password), Lang: r.Lang, CreatedAt: s.now()}, nil
}

// CheckRegistration returns every problem of a registration without opening the account (a page that finds a
// problem of its own, such as a mistyped confirmation of the password, shows them all at once).
func (s *Service) CheckRegistration(r Registration) error {
	_, _, _, err := checkRegistration(r)
	return err
}

// checkRegistration checks a registration's fields and returns them normalised.
func checkRegistration(r Registration) (string, string, string, error) {
	var errs problem.List
	email := ident.Email(r.Email)
	if !email.Valid() {
		errs = append(errs, problem.Invalidf(email.Errors[0].Code, "email"))
	}
	name := strings.TrimSpace(r.Name)
	if name == "" || len([]rune(name)) > 64 {
		errs = append(errs, problem.Invalidf("account.name_length", "name"))
	}
	mobile := ""
	if strings.TrimSpace(r.Mobile) != "" {
		m := ident.Mobile(r.Mobile)
		if !m.Valid() {
			errs = append(errs, problem.Invalidf(m.Errors[0].Code, "mobile"))
		}
		mobile = m.Normalized
	}
	if n := len([]rune(r.Password)); n < 8 || n > 128 {
		errs = append(errs, problem.Invalidf("account.password_length", "password"))
	}
	return email.Normalized, name, mobile, errs.Err()
}

// Login checks an e-mail and password and opens a session, returning its token. client is the address the
// attempt came from ("" when unknown): failures are counted per e-mail address and per client address, audited,
// and past LoginLimit's free attempts pause further logins (auth.too_many_attempts says for how long).
func (s *Service) Login(ctx context.Context, email, pw, client string) (string, *store.Account, error) {
	now := wallClock()
	keys := s.loginKeys(email, client)
	if err := s.loginPaused(ctx, keys, now); err != nil {
		return "", nil, err
	}
	a, err := s.st.AccountByEmail(ctx, strings.TrimSpace(email))
	ok := false
	switch {
	case problem.KindOf(err) == problem.NotFound:
		a = nil
		password.Verify(pw, password.Hash("timing", s.cfg.Password)) // same cost whether or not the account exists
	case err != nil:
		return "", nil, err
	default:
		ok, err = password.Verify(pw, a.PasswordHash)
		ok = ok && err == nil
	}
	if !ok {
		if err := s.loginFailed(ctx, keys, a, client, now); err != nil {
			return "", nil, err
		}
		return "", nil, problem.New(problem.Unauthenticated, "auth.wrong_credentials", "password")
	}
	if err := s.st.ClearLogin(ctx, keys.account); err != nil {
		return "", nil, err
	}
	token, err := s.openToken(ctx, a.ID, store.TokenSession, "", now.Add(s.cfg.SessionTTL))
	return token, a, err
}

// CreateAPIToken gives an integrator a long-lived token for the caller's account.
func (s *Service) CreateAPIToken(ctx context.Context, by Actor, name string) (string, error) {
	if strings.TrimSpace(name) == "" {
		return "", problem.Invalidf("common.required", "name", "label", "web.field.token_name")
	}
	return s.openToken(ctx, by.ID, store.TokenAPI, name, time.Time{})
}

func (s *Service) openToken(ctx context.Context, accountID int64, kind, name string, expires time.Time) (string, error) {
	token, hash := store.NewToken()
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		return tx.CreateToken(ctx, hash, accountID, kind, name, wallClock(), expires)
	})
	return token, err
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	s.auth.forget(token)
	err := s.st.Update(ctx, func(tx *store.Tx) error { return tx.DeleteToken(ctx, token) })
	if err == nil && s.peers != nil {
		s.peers.SessionEnded(SessionKey(token))
	}
	return err
}

// Authenticate resolves a token to the actor.
func (s *Service) Authenticate(ctx context.Context, token string) (Actor, *store.Account, error) {
	now := wallClock()
	if e, ok := s.auth.get(token, now); ok {
		return e.actor, e.account, nil
	}
	a, _, err := s.st.AccountByToken(ctx, token, now)
	if err != nil {
		return Actor{}, nil, err
	}
	actor := Actor{ID: a.ID, Role: a.Role, Provinces: a.Provinces}
	s.auth.put(token, authEntry{actor: actor, account: a, until: now.Add(authTTL)})
	return actor, a, nil
}

// wallClock is the real time. Sessions expire by it even in demo mode, where the simulated clock may be
// advanced by days to show the regulator's deadlines; logging everyone out then would help no one.
func wallClock() time.Time { return time.Now().UTC() }
