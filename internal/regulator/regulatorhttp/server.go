package regulatorhttp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/wiresign"
)

// Ledger keeps the answer given to each uploaded sequence, so that a re-upload of a sequence is answered as the
// first upload was (the MIIT simulator keeps it in its database).
type Ledger interface {
	// RecallUpload returns the digest of the submission uploaded under (provider, sequence) and the answer it
	// got; found is false when the sequence is new.
	RecallUpload(ctx context.Context, provider string, sequence int64) (digest string, answer []byte, found bool, err error)
	// RecordUpload keeps the answer; a sequence already recorded keeps its first answer.
	RecordUpload(ctx context.Context, provider string, sequence int64, digest string, answer []byte) error
}

// Handler serves the regulator interface of reg to the providers that hold secrets (provider id → shared secret).
type Handler struct {
	reg    regulator.Regulator
	ledger Ledger
	*wiresign.Server
}

// NewHandler returns the network side of reg; now is the regulator's clock for the timestamp window (nil: the
// system clock).
func NewHandler(reg regulator.Regulator, ledger Ledger, secrets map[string][]byte, now func() time.Time) *Handler {
	s := wiresign.NewServer("regulator interface", secrets, MaxBody, now)
	h := &Handler{reg: reg, ledger: ledger, Server: s}
	s.Handle(PathUpload, h.upload)
	s.Handle(PathWithdraw, wiresign.Call(s, func(ctx context.Context, p string, in withdrawRequest) (any, error) {
		return nil, h.reg.Withdraw(ctx, p, in.ProviderOrderID)
	}))
	s.Handle(PathDownload, wiresign.Call(s, func(ctx context.Context, p string, in downloadRequest) (any, error) {
		rs, err := h.reg.Results(ctx, p, min(max(in.Limit, 1), 1000))
		return downloadAnswer{Results: nonNil(rs)}, err
	}))
	s.Handle(PathAck, wiresign.Call(s, func(ctx context.Context, p string, in ackRequest) (any, error) {
		return nil, h.reg.Ack(ctx, p, in.IDs)
	}))
	s.Handle(PathSubject, wiresign.Call(s, func(ctx context.Context, _ string, in subjectRequest) (any, error) {
		return h.reg.LookupSubject(ctx, in.CredentialType, in.CredentialNumber)
	}))
	s.Handle(PathDomain, wiresign.Call(s, func(ctx context.Context, _ string, in domainRequest) (any, error) {
		return h.reg.LookupDomain(ctx, in.Domain)
	}))
	s.Handle(PathFiling, wiresign.Call(s, func(ctx context.Context, p string, in filingRequest) (any, error) {
		return h.reg.LookupFiling(ctx, p, in.SubjectNumber)
	}))
	return h
}

func nonNil(rs []regulator.Result) []regulator.Result {
	if rs == nil {
		return []regulator.Result{}
	}
	return rs
}

// upload receives a submission under its sequence: a sequence seen before gets the answer it got then (or
// CodeSequenceConflict when the submission differs); an answer that says "try again" is not kept.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request, provider string, body []byte) {
	var in struct {
		Sequence   int64           `json:"sequence"`
		Submission json.RawMessage `json:"submission"`
	}
	var sub regulator.Submission
	if err := wiresign.DecodeStrict(body, &in); err != nil || in.Sequence <= 0 || wiresign.DecodeStrict(in.Submission, &sub) != nil {
		wiresign.Reply(w, wiresign.Answer{Code: wiresign.CodeMalformed, Message: "upload takes a positive sequence and a submission"})
		return
	}
	sum := sha256.Sum256(in.Submission)
	digest := hex.EncodeToString(sum[:])
	ctx := r.Context()
	prev, answer, found, err := h.ledger.RecallUpload(ctx, provider, in.Sequence)
	if err != nil {
		slog.Error("regulator interface: recall upload", "provider", provider, "sequence", in.Sequence, "err", err)
		wiresign.Reply(w, wiresign.Busy())
		return
	}
	if found {
		if prev != digest {
			wiresign.Reply(w, wiresign.Answer{Code: wiresign.CodeSequenceConflict, Message: "序列号已用于另一份数据"})
			return
		}
		writeRaw(w, answer)
		return
	}
	sub.ProviderID, sub.Sequence = provider, in.Sequence // a provider uploads as itself only
	serr := h.reg.Submit(ctx, sub)
	h.LogRefusal(r.URL.Path, provider, serr)
	a := wiresign.AnswerOf(serr, nil)
	if a.Code != wiresign.CodeUnavailable {
		b, _ := json.Marshal(a)
		if err := h.ledger.RecordUpload(ctx, provider, in.Sequence, digest, b); err != nil {
			slog.Error("regulator interface: record upload", "provider", provider, "sequence", in.Sequence, "err", err)
		}
	}
	wiresign.Reply(w, a)
}

// writeRaw replays a kept answer.
func writeRaw(w http.ResponseWriter, b []byte) {
	var a wiresign.Answer
	if err := json.Unmarshal(b, &a); err != nil {
		a = wiresign.Busy()
	}
	wiresign.Reply(w, a)
}
