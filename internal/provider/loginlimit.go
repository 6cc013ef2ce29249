package provider

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// LoginLimit is how many failed logins a key (an e-mail address, or a client address) may have before each
// further failure earns a pause during which its logins are refused unchecked: Pause after the Free-th failure,
// doubled for each one after it, up to MaxPause. Failures are forgotten Forget after the last one (Forget
// exceeds MaxPause, so that waiting out a pause does not wipe the count); a successful login forgets an e-mail
// address's failures, never a client address's (an attacker could log in to an account of their own).
type LoginLimit struct {
	Free            int
	Pause, MaxPause time.Duration
	Forget          time.Duration
}

// The limits of every login, applicants' and staff's, by API and by form (README: login limits). An e-mail
// address that has no account is limited the same way, so that the limit tells nothing about which exist.
var (
	AccountLoginLimit = LoginLimit{Free: 5, Pause: time.Minute, MaxPause: 15 * time.Minute, Forget: time.Hour}
	ClientLoginLimit  = LoginLimit{Free: 20, Pause: time.Minute, MaxPause: time.Hour, Forget: 2 * time.Hour}
)

// pauseAfter is the pause the n-th consecutive failure earns (0 while n ≤ Free).
func (l LoginLimit) pauseAfter(n int) time.Duration {
	if n <= l.Free {
		return 0
	}
	p := l.Pause
	for i := l.Free + 1; i < n && p < l.MaxPause; i++ {
		p *= 2
	}
	return min(p, l.MaxPause)
}

// loginKeys are the throttle keys of one attempt: the e-mail address as typed (trimmed, case folded) and the
// client address (none when unknown, as for a call from inside the process).
type loginKeys struct {
	account, client []byte
}

func (s *Service) loginKeys(email, client string) loginKeys {
	k := loginKeys{account: s.st.LoginKey("account", strings.ToLower(strings.TrimSpace(email)))}
	if client != "" {
		k.client = s.st.LoginKey("client", client)
	}
	return k
}

func (k loginKeys) all() [][]byte {
	if k.client == nil {
		return [][]byte{k.account}
	}
	return [][]byte{k.account, k.client}
}

// loginPaused refuses an attempt while either key is paused.
func (s *Service) loginPaused(ctx context.Context, k loginKeys, now time.Time) error {
	until, err := s.st.LoginLockedUntil(ctx, now, k.all()...)
	if err != nil || until.IsZero() {
		return err
	}
	return tooManyLogins(until.Sub(now))
}

// tooManyLogins is the answer during a pause: how long to wait, in minutes for people (rounded up) and in
// seconds for the Retry-After header.
func tooManyLogins(wait time.Duration) *problem.Error {
	secs := int(math.Ceil(wait.Seconds()))
	return problem.New(problem.TooMany, "auth.too_many_attempts", "", "minutes", strconv.Itoa((secs+59)/60),
		"retry_after", strconv.Itoa(secs))
}

// loginFailed counts a failed attempt on both keys, audits it, and starts the pause either key has earned (its
// answer then says how long); a is the account when the address has one.
func (s *Service) loginFailed(ctx context.Context, k loginKeys, a *store.Account, client string, now time.Time) error {
	var pause time.Duration
	var by string
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		pause, by = 0, ""
		for _, c := range []struct {
			name  string
			key   []byte
			limit LoginLimit
		}{{"account", k.account, AccountLoginLimit}, {"client", k.client, ClientLoginLimit}} {
			if c.key == nil {
				continue
			}
			n, err := tx.LoginFailed(ctx, c.key, now, c.limit.Forget)
			if err != nil {
				return err
			}
			if p := c.limit.pauseAfter(n); p > 0 {
				if err := tx.LockLogin(ctx, c.key, now.Add(p)); err != nil {
					return err
				}
				if p > pause {
					pause, by = p, c.name
				}
			}
		}
		actorID, role, object := int64(0), "", "account:unknown"
		if a != nil {
			actorID, role, object = a.ID, a.Role, "account:"+itoaID(a.ID)
		}
		if err := tx.Audit(ctx, now, actorID, role, "login_failed", object, "client="+client); err != nil {
			return err
		}
		if pause == 0 {
			return nil
		}
		return tx.Audit(ctx, now, actorID, role, "login_paused", object,
			fmt.Sprintf("client=%s by=%s until=%s", client, by, now.Add(pause).Format(time.RFC3339)))
	})
	if err != nil {
		return err
	}
	if pause > 0 {
		return tooManyLogins(pause)
	}
	return nil
}
