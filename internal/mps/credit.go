package mps

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"time"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// Credit verification (信用认证, the platform's user guide §二): a 6-digit code texted to the account's mobile,
// a link mailed to its e-mail address, and the identity check, which passes by itself once one of the user's
// subjects is approved. Codes and link tokens are kept as keyed hashes only. Both the phone and the e-mail must be
// verified before a subject or an application can be submitted.

const (
	codeMobile = "mobile"
	codeEmail  = "email"
)

// SendMobileCode texts a fresh verification code to the account's mobile; earlier codes stop working.
// Error: mps.already_verified (Conflict).
func (s *Simulator) SendMobileCode(ctx context.Context, userID int64) error {
	code := fmt.Sprintf("%06d", randInt(1_000_000))
	return s.startCredit(ctx, userID, codeMobile, code, func(d userData) (string, string, string) {
		return ChannelSMS, d.Mobile, "【" + i18n.T(i18n.ZhCN, "mps.platform", nil) + "】" +
			i18n.T(i18n.ZhCN, "mps.msg.mobile_code", map[string]string{"code": code})
	})
}

// SendEmailLink mails a verification link to the account's e-mail address; earlier links stop working.
// Error: mps.already_verified (Conflict).
func (s *Simulator) SendEmailLink(ctx context.Context, userID int64) error {
	token := randomToken()
	link := strings.TrimRight(s.cfg.BaseURL, "/") + "/mps/verify-email?token=" + url.QueryEscape(token)
	return s.startCredit(ctx, userID, codeEmail, token, func(d userData) (string, string, string) {
		return ChannelEmail, d.Email, i18n.T(i18n.ZhCN, "mps.mail.verify_subject", nil) + "|" +
			i18n.T(i18n.ZhCN, "mps.mail.verify_body", map[string]string{"link": link})
	})
}

func (s *Simulator) startCredit(ctx context.Context, userID int64, purpose, secret string,
	msg func(userData) (channel, to, text string)) error {
	now := s.now()
	ttl := SMSCodeTTL
	if purpose == codeEmail {
		ttl = EmailLinkTTL
	}
	return wrapErr(s.write(ctx, func(tx *sql.Tx) error {
		col := purpose + "_verified_at"
		var at int64
		if err := tx.QueryRowContext(ctx, `SELECT `+col+` FROM mps_users WHERE id = $1`, userID).Scan(&at); err != nil {
			return err
		}
		if at > 0 {
			return problem.New(problem.Conflict, "mps.already_verified", purpose)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE mps_codes SET used_at = $3 WHERE user_id = $1 AND purpose = $2
			AND used_at = 0`, userID, purpose, sqldb.Millis(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO mps_codes (user_id, purpose, code_hash, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5)`, userID, purpose, s.keys.Hash("mps.code."+purpose, secret),
			sqldb.Millis(now.Add(ttl)), sqldb.Millis(now)); err != nil {
			return err
		}
		d, err := s.userData(ctx, tx, userID)
		if err != nil {
			return err
		}
		channel, to, text := msg(d)
		subject, body := "", text
		if channel == ChannelEmail {
			subject, body, _ = strings.Cut(text, "|")
		}
		return s.queue(ctx, tx, channel, to, subject, body)
	}))
}

// VerifyMobile checks the code typed for the account's mobile. Errors: mps.code_format (Invalid),
// mps.code_wrong (Invalid, counted), mps.code_expired (Conflict: send a new one), mps.code_locked (TooMany:
// more than 5 wrong codes, send a new one).
func (s *Simulator) VerifyMobile(ctx context.Context, userID int64, code string) (*User, error) {
	code = strings.TrimSpace(code)
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return nil, problem.Invalidf("mps.code_format", "code")
	}
	now := s.now()
	var perr error
	err := s.write(ctx, func(tx *sql.Tx) error {
		perr = nil
		var id, exp int64
		var hash []byte
		var tries int
		err := tx.QueryRowContext(ctx, `SELECT id, code_hash, tries, expires_at FROM mps_codes WHERE user_id = $1
			AND purpose = 'mobile' AND used_at = 0 ORDER BY id DESC LIMIT 1`, userID).Scan(&id, &hash, &tries, &exp)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			perr = problem.New(problem.Conflict, "mps.code_expired", "code")
			return nil
		case err != nil:
			return err
		case exp <= sqldb.Millis(now):
			perr = problem.New(problem.Conflict, "mps.code_expired", "code")
			return nil
		case tries >= SMSCodeMaxTries:
			perr = problem.New(problem.TooMany, "mps.code_locked", "code")
			return nil
		case string(hash) != string(s.keys.Hash("mps.code.mobile", code)):
			_, err := tx.ExecContext(ctx, `UPDATE mps_codes SET tries = tries + 1 WHERE id = $1`, id)
			perr = problem.Invalidf("mps.code_wrong", "code", "left", itoa(SMSCodeMaxTries-tries-1))
			return err
		}
		return useCode(ctx, tx, id, userID, "mobile_verified_at", now)
	})
	return s.verifiedUser(ctx, userID, err, perr)
}

// VerifyEmail follows the link of the verification e-mail. Errors: mps.link_invalid (NotFound: unknown, used
// or superseded), mps.link_expired (Conflict).
func (s *Simulator) VerifyEmail(ctx context.Context, token string) (*User, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, problem.New(problem.NotFound, "mps.link_invalid", "token")
	}
	now := s.now()
	var userID int64
	var perr error
	err := s.write(ctx, func(tx *sql.Tx) error {
		perr = nil
		var id, exp int64
		err := tx.QueryRowContext(ctx, `SELECT id, user_id, expires_at FROM mps_codes WHERE code_hash = $1
			AND purpose = 'email' AND used_at = 0`, s.keys.Hash("mps.code.email", token)).Scan(&id, &userID, &exp)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			perr = problem.New(problem.NotFound, "mps.link_invalid", "token")
			return nil
		case err != nil:
			return err
		case exp <= sqldb.Millis(now):
			perr = problem.New(problem.Conflict, "mps.link_expired", "token")
			return nil
		}
		return useCode(ctx, tx, id, userID, "email_verified_at", now)
	})
	return s.verifiedUser(ctx, userID, err, perr)
}

// useCode marks code id used and stamps the user's verification column (mobile_verified_at, email_verified_at).
func useCode(ctx context.Context, tx *sql.Tx, id, userID int64, column string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE mps_codes SET used_at = $2 WHERE id = $1`, id, sqldb.Millis(now)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE mps_users SET `+column+` = $2 WHERE id = $1`, userID, sqldb.Millis(now))
	return err
}

// verifiedUser answers a verification: the write's failure err is internal, the code's refusal perr is the
// caller's; otherwise the account as it now stands.
func (s *Simulator) verifiedUser(ctx context.Context, userID int64, err, perr error) (*User, error) {
	if err != nil {
		return nil, internal(err)
	}
	if perr != nil {
		return nil, perr
	}
	return s.User(ctx, userID)
}

func randInt(n int64) int64 {
	v, _ := rand.Int(rand.Reader, big.NewInt(n))
	return v.Int64()
}
