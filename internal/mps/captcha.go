package mps

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math/big"
	mrand "math/rand/v2"
	"strings"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// The login captcha (验证码, the platform's user guide §一.4): four characters drawn by the server as a noisy PNG
// image. The page shows only the image; the answer is kept as a keyed hash for the check and sealed for the
// demo hook (CaptchaAnswer), which tests and demos use instead of reading the picture. A captcha is good for
// one login attempt and five minutes.

// captchaAlphabet leaves out characters that look alike (0/O, 1/I/L, …).
const captchaAlphabet = "23456789ACEFHKMNPRTUWXY"

const purposeCaptcha = "mps.captcha"

// Captcha is a new captcha: its id and its picture as a data: URL (image/png).
type Captcha struct {
	ID    string `json:"id"`
	Image string `json:"image"`
}

// NewCaptcha draws a captcha and remembers its answer.
func (s *Simulator) NewCaptcha(ctx context.Context) (Captcha, error) {
	answer := make([]byte, 4)
	for i := range answer {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(captchaAlphabet))))
		answer[i] = captchaAlphabet[n.Int64()]
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
	var buf bytes.Buffer
	if err := png.Encode(&buf, drawCaptcha(string(answer))); err != nil {
		return Captcha{}, internal(err)
	}
	return Captcha{ID: id, Image: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
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

// checkCaptcha spends a captcha and checks the typed answer (case and spaces ignored). Errors:
// mps.captcha_required, mps.captcha_wrong (Invalid; a new captcha is needed either way).
func (s *Simulator) checkCaptcha(ctx context.Context, id, answer string) error {
	answer = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(answer), " ", ""))
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

// glyphs is a 5×7 bitmap font of captchaAlphabet, one string of 7 rows of 5 bits per character.
var glyphs = map[byte][7]string{
	'2': {"01110", "10001", "00001", "00110", "01000", "10000", "11111"},
	'3': {"11110", "00001", "00001", "01110", "00001", "00001", "11110"},
	'4': {"00010", "00110", "01010", "10010", "11111", "00010", "00010"},
	'5': {"11111", "10000", "11110", "00001", "00001", "10001", "01110"},
	'6': {"00110", "01000", "10000", "11110", "10001", "10001", "01110"},
	'7': {"11111", "00001", "00010", "00100", "01000", "01000", "01000"},
	'8': {"01110", "10001", "10001", "01110", "10001", "10001", "01110"},
	'9': {"01110", "10001", "10001", "01111", "00001", "00010", "01100"},
	'A': {"01110", "10001", "10001", "11111", "10001", "10001", "10001"},
	'C': {"01110", "10001", "10000", "10000", "10000", "10001", "01110"},
	'E': {"11111", "10000", "10000", "11110", "10000", "10000", "11111"},
	'F': {"11111", "10000", "10000", "11110", "10000", "10000", "10000"},
	'H': {"10001", "10001", "10001", "11111", "10001", "10001", "10001"},
	'K': {"10001", "10010", "10100", "11000", "10100", "10010", "10001"},
	'M': {"10001", "11011", "10101", "10101", "10001", "10001", "10001"},
	'N': {"10001", "11001", "10101", "10011", "10001", "10001", "10001"},
	'P': {"11110", "10001", "10001", "11110", "10000", "10000", "10000"},
	'R': {"11110", "10001", "10001", "11110", "10100", "10010", "10001"},
	'T': {"11111", "00100", "00100", "00100", "00100", "00100", "00100"},
	'U': {"10001", "10001", "10001", "10001", "10001", "10001", "01110"},
	'W': {"10001", "10001", "10001", "10101", "10101", "11011", "10001"},
	'X': {"10001", "10001", "01010", "00100", "01010", "10001", "10001"},
	'Y': {"10001", "10001", "01010", "00100", "00100", "00100", "00100"},
}

// drawCaptcha renders text at 4 px per font pixel, each character shifted and tinted at random, over noise dots
// and lines.
func drawCaptcha(text string) *image.RGBA {
	const scale, w, h = 4, 130, 44
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	bg := color.RGBA{0xf4, 0xf1, 0xe8, 0xff}
	for i := range img.Pix {
		img.Pix[i] = []uint8{bg.R, bg.G, bg.B, bg.A}[i%4]
	}
	for i := 0; i < 160; i++ {
		img.Set(mrand.IntN(w), mrand.IntN(h), color.RGBA{uint8(120 + mrand.IntN(100)), uint8(120 + mrand.IntN(100)), uint8(120 + mrand.IntN(100)), 0xff})
	}
	for i, c := range []byte(text) {
		ink := color.RGBA{uint8(mrand.IntN(90)), uint8(mrand.IntN(90)), uint8(60 + mrand.IntN(100)), 0xff}
		x0, y0 := 8+i*30+mrand.IntN(5), 4+mrand.IntN(8)
		for row, bits := range glyphs[c] {
			for col, b := range bits {
				if b != '1' {
					continue
				}
				for dy := 0; dy < scale; dy++ {
					for dx := 0; dx < scale; dx++ {
						img.Set(x0+col*scale+dx+row/3, y0+row*scale+dy, ink)
					}
				}
			}
		}
	}
	for i := 0; i < 3; i++ {
		y, dy := float64(mrand.IntN(h)), (mrand.Float64()-0.5)*0.6
		ink := color.RGBA{uint8(mrand.IntN(160)), uint8(mrand.IntN(160)), uint8(mrand.IntN(160)), 0xff}
		for x := 0; x < w; x++ {
			img.Set(x, int(y), ink)
			y += dy
		}
	}
	return img
}
