package mps

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/beian/beian/internal/captcha"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// The login captcha (验证码, the platform's user guide §一.4): digits drawn by the server as a noisy PNG image (the
// project's internal/captcha picture), kept in the platform's database so that every node can check it. The page
// shows only the image; the answer is kept as a keyed hash for the check and sealed for the demo hook
// (CaptchaAnswer), which tests and demos use instead of reading the picture. A captcha is good for one login
// attempt and five minutes.

const purposeCaptcha = "mps.captcha"

// Captcha is a new captcha: its id and its picture as a data: URL (image/png).
type Captcha struct {
	ID    string `json:"id"`
	Image string `json:"image"`
}

// NewCaptcha draws a captcha and remembers its answer.
func (s *Simulator) NewCaptcha(ctx context.Context) (Captcha, error) {
	answer := make([]byte, captcha.Digits)
	for i := range answer {
		answer[i] = byte('0' + randInt(10))
	}
	id := randomToken()
	now := s.now()
	_, err := s.db.Exec(ctx, `INSERT INTO mps_captchas (id, answer_hash, answer, expires_at) VALUES ($1, $2, $3, $4)`,
		id, s.keys.Hash(purposeCaptcha, id+":"+string(answer)), s.keys.Seal(answer, purposeCaptcha),
		sqldb.Millis(wallClock().Add(CaptchaTTL)))
	if err != nil {
		return Captcha{}, internal(err)
	}
	if now.Unix()%64 == 0 { // now and then, forget the expired ones
		s.db.Exec(ctx, `DELETE FROM mps_captchas WHERE expires_at < $1`, sqldb.Millis(wallClock()))
	}
	return Captcha{ID: id, Image: "data:image/png;base64," + base64.StdEncoding.EncodeToString(captcha.Image(string(answer)))}, nil
}

// CaptchaAnswer returns a captcha's answer: the demo hook for tests and demonstrations. It refuses outside demo
// mode (mps.captcha_hook_disabled, Forbidden).
func (s *Simulator) CaptchaAnswer(ctx context.Context, id string) (string, error) {
	if !s.cfg.Demo {
		return "", problem.New(problem.Forbidden, "mps.captcha_hook_disabled", "")
	}
	var sealed []byte
	err := s.db.R.QueryRowContext(ctx, `SELECT answer FROM mps_captchas WHERE id = $1 AND used_at = 0`, id).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", problem.New(problem.NotFound, "mps.captcha_unknown", "captcha_id")
	}
	if err != nil {
		return "", internal(err)
	}
	b, err := s.keys.Open(sealed, purposeCaptcha)
	if err != nil {
		return "", internal(err)
	}
	return string(b), nil
}

// checkCaptcha spends a captcha and checks the typed answer (spaces ignored). Errors:
// mps.captcha_required, mps.captcha_wrong (Invalid; a new captcha is needed either way).
func (s *Simulator) checkCaptcha(ctx context.Context, id, answer string) error {
	answer = strings.Join(strings.Fields(answer), "")
	if id == "" || answer == "" {
		return problem.Invalidf("mps.captcha_required", "captcha")
	}
	var hash []byte
	var exp int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE mps_captchas SET used_at = $2 WHERE id = $1 AND used_at = 0
			RETURNING answer_hash, expires_at`, id, sqldb.Millis(wallClock())).Scan(&hash, &exp)
		if errors.Is(err, sql.ErrNoRows) {
			hash = nil
			return nil
		}
		return err
	})
	if err != nil {
		return internal(err)
	}
	if hash == nil || exp <= sqldb.Millis(wallClock()) || !bytes.Equal(hash, s.keys.Hash(purposeCaptcha, id+":"+answer)) {
		return problem.Invalidf("mps.captcha_wrong", "captcha")
	}
	return nil
}
