package miitweb

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/beian/beian/internal/access"
	"github.com/beian/beian/internal/captcha"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/ratelimit"
	"github.com/beian/beian/internal/web"
)

// The SMS verification page needs no login, as the real one: anyone who knows a phone number may try codes, and
// more than 5 wrong ones return the filing. So, as on beian.miit.gov.cn, each attempt needs a fresh image
// challenge (captcha), and each client address may make VerifyLimit attempts per VerifyWindow.
const (
	VerifyLimit  = 10
	VerifyWindow = 10 * time.Minute
	captchaTTL   = 10 * time.Minute
	maxCaptchas  = 10_000
)

// humanCheck is what stands before every verification attempt, page or API.
type humanCheck struct {
	captchas *captcha.Store
	limiter  *ratelimit.Limiter
}

func newHumanCheck() humanCheck {
	return humanCheck{captchas: captcha.New(captchaTTL, maxCaptchas), limiter: verifyLimiter(VerifyLimit)}
}

// SetVerifyLimit allows n verification attempts per client address per VerifyWindow instead of VerifyLimit
// (BEIAN_MIIT_VERIFY_LIMIT; load runs send every attempt from one address).
func (s *Server) SetVerifyLimit(n int) { s.human.limiter = verifyLimiter(n) }

// verifyLimiter allows n attempts at once per client address, refilled at n per VerifyWindow.
func verifyLimiter(n int) *ratelimit.Limiter {
	return ratelimit.New(float64(n)/VerifyWindow.Seconds(), n, nil)
}

// check counts the attempt against the client's address, then consumes the challenge: miit.verify_rate_limited
// (TooMany, with minutes and retry_after) or miit.captcha_wrong (Invalid, field captcha).
func (h humanCheck) check(r *http.Request, captchaID, answer string) error {
	if ok, wait := h.limiter.Allow(ratelimit.Client(web.ClientAddr(r))); !ok {
		secs := ratelimit.RetryAfter(wait)
		return problem.New(problem.TooMany, "miit.verify_rate_limited", "", "minutes", strconv.Itoa((secs+59)/60),
			"retry_after", strconv.Itoa(secs))
	}
	if !h.captchas.Check(captchaID, answer) {
		return problem.Invalidf("miit.captcha_wrong", "captcha")
	}
	return nil
}

// captchaOut is a challenge as the API gives it: the id to send back and the image as a data URL.
type captchaOut struct {
	ID    string `json:"id"`
	Image string `json:"image"`
}

func newCaptcha(h humanCheck) captchaOut {
	c := h.captchas.New()
	return captchaOut{ID: c.ID, Image: "data:image/png;base64," + base64.StdEncoding.EncodeToString(c.Image)}
}

// imageURL is the challenge image for a page's <img src>.
func (c captchaOut) imageURL() template.URL { return template.URL(c.Image) }

func (s *Server) createCaptcha(w http.ResponseWriter, r *http.Request) {
	web.WriteJSON(w, http.StatusCreated, newCaptcha(s.human))
}

// captchaAnswer tells an operator a challenge's answer in demo mode, so that tests and load runs can verify
// codes over HTTP; pages never show it, and production has no such route answer.
func (s *Server) captchaAnswer(w http.ResponseWriter, r *http.Request, _ access.Actor) {
	answer, ok := s.human.captchas.Answer(r.PathValue("id"))
	if !s.Demo || !ok {
		web.WriteError(w, r, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]string{"answer": answer})
}
