package provider

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// The live face check on the phone (docs/verification.md, "Liveness": 根据屏幕指示做出相应动作): the phone asks
// for a challenge of two actions, films the person doing them and sends the frames; the server checks them
// (face.CheckLiveness) and keeps the best frame as the photo waiting for confirmation, as a single photo is.
//
// The challenge travels to the phone and back with a token, a keyed hash binding it to the phone's link, so
// that the server keeps no state for it; its nonce is spent on the first attempt (Config.Spent).

// LivenessStart is a challenge for the phone, with the token to send back with the frames.
type LivenessStart struct {
	face.Challenge
	Token string `json:"token"`
	// Steps are the actions as the phone shows them, in the applicant's language order zh-CN, zh-TW, en.
	Steps map[string][]string `json:"steps"`
}

// livenessHint is what the kept photo records of the live check, for the reviewer.
type livenessHint struct {
	Actions []face.Action `json:"actions"`
	Frames  int           `json:"frames"`
	Seen    []int         `json:"seen"`
	Best    int           `json:"best"`
}

// StartLiveness issues a challenge to the phone's session. The curtain photo (a still of the upper body) has
// no live check: liveness.curtain_mode.
func (s *Service) StartLiveness(ctx context.Context, secret string) (*LivenessStart, error) {
	ss, err := s.phoneSession(ctx, secret)
	if err != nil {
		return nil, err
	}
	if ss.person.mode() != face.WhiteBackground {
		return nil, problem.New(problem.Conflict, "liveness.curtain_mode", "")
	}
	c := s.cfg.Challenge(s.now())
	out := &LivenessStart{Challenge: c, Token: s.livenessToken(ss.link.ID, c), Steps: map[string][]string{}}
	for _, l := range i18n.Langs {
		for _, a := range c.Actions {
			out.Steps[string(l)] = append(out.Steps[string(l)], i18n.T(l, "liveness.action."+string(a), nil))
		}
	}
	return out, nil
}

// livenessToken binds a challenge to a link under the index key.
func (s *Service) livenessToken(linkID int64, c face.Challenge) string {
	parts := []string{strconv.FormatInt(linkID, 10), c.Nonce, strconv.FormatInt(c.IssuedAt.UnixMilli(), 10),
		strconv.FormatInt(c.ExpiresAt.UnixMilli(), 10)}
	for _, a := range c.Actions {
		parts = append(parts, string(a))
	}
	return base64.RawURLEncoding.EncodeToString(s.st.Keys.Hash("liveness_challenge", strings.Join(parts, "\x00")))
}

// SubmitLiveness checks the frames filmed for challenge c (as StartLiveness issued it, with its token) and,
// when they pass, keeps the best frame as the session's capture. A refusal lists what was wrong and what to
// do (liveness.* and, for the kept frame, face.*), with the actions named in each language.
func (s *Service) SubmitLiveness(ctx context.Context, secret, token string, c face.Challenge, frames []face.Frame) (*store.Verification, error) {
	ss, err := s.phoneSession(ctx, secret)
	if err != nil {
		return nil, err
	}
	want := s.livenessToken(ss.link.ID, c)
	if subtle.ConstantTimeCompare([]byte(want), []byte(token)) != 1 {
		return nil, problem.Invalidf("liveness.challenge_unknown", "token")
	}
	res, err := face.CheckLiveness(ctx, s.cfg.Spent, c, frames, s.now())
	if err != nil {
		return nil, err
	}
	if !res.OK {
		return nil, livenessErr(res.Findings)
	}
	return s.capturePhoto(ctx, secret, frames[res.Best].Image, &livenessHint{Actions: c.Actions, Frames: len(frames),
		Seen: res.Seen, Best: res.Best})
}

// livenessErr renders the findings with their action parameters translated.
func livenessErr(fs []face.Finding) error {
	var l problem.List
	for _, f := range fs {
		e := problem.Invalidf(f.Code, "frames")
		l = append(l, localized(e, func(lang i18n.Lang) map[string]string {
			p := map[string]string{}
			for k, v := range f.Params {
				if k == "action" || k == "first" || k == "second" {
					v = i18n.T(lang, "liveness.action."+v, nil)
				}
				p[k] = v
			}
			return p
		}))
	}
	return l.Err()
}
