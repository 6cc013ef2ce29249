package regulatorhttp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/beian/beian/internal/regulator"
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
	reg     regulator.Regulator
	ledger  Ledger
	secrets map[string][]byte
	now     func() time.Time
	mux     *http.ServeMux
}

// NewHandler returns the network side of reg; now is the regulator's clock for the timestamp window (nil: the
// system clock).
func NewHandler(reg regulator.Regulator, ledger Ledger, secrets map[string][]byte, now func() time.Time) *Handler {
	if now == nil {
		now = time.Now
	}
	h := &Handler{reg: reg, ledger: ledger, secrets: secrets, now: now, mux: http.NewServeMux()}
	h.handle(PathUpload, h.upload)
	h.handle(PathWithdraw, call(func(ctx context.Context, p string, in withdrawRequest) (any, error) {
		return nil, h.reg.Withdraw(ctx, p, in.ProviderOrderID)
	}))
	h.handle(PathDownload, call(func(ctx context.Context, p string, in downloadRequest) (any, error) {
		rs, err := h.reg.Results(ctx, p, min(max(in.Limit, 1), 1000))
		return downloadAnswer{Results: nonNil(rs)}, err
	}))
	h.handle(PathAck, call(func(ctx context.Context, p string, in ackRequest) (any, error) {
		return nil, h.reg.Ack(ctx, p, in.IDs)
	}))
	h.handle(PathSubject, call(func(ctx context.Context, _ string, in subjectRequest) (any, error) {
		return h.reg.LookupSubject(ctx, in.CredentialType, in.CredentialNumber)
	}))
	h.handle(PathDomain, call(func(ctx context.Context, _ string, in domainRequest) (any, error) {
		return h.reg.LookupDomain(ctx, in.Domain)
	}))
	h.handle(PathFiling, call(func(ctx context.Context, p string, in filingRequest) (any, error) {
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

// ServeHTTP answers the operations at their paths (POST only).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// op is an operation: the authenticated provider and the request body; it writes the answer.
type op func(w http.ResponseWriter, r *http.Request, provider string, body []byte)

// handle authenticates every request to path before op sees it.
func (h *Handler) handle(path string, fn op) {
	h.mux.HandleFunc("POST "+path, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
		if err != nil {
			reply(w, Answer{Code: CodeMalformed, Message: "请求过大或不完整"})
			return
		}
		provider, err := verify(r, h.secrets, body, h.now())
		switch {
		case errors.Is(err, errStale):
			reply(w, Answer{Code: CodeStale, Message: "时间戳无效"})
			return
		case err != nil:
			reply(w, Answer{Code: CodeUnauthenticated, Message: "认证失败"})
			return
		}
		fn(w, r, provider, body)
	})
}

// call adapts a typed operation: the body is decoded strictly, the result or the error becomes the answer.
func call[In any](fn func(ctx context.Context, provider string, in In) (any, error)) op {
	return func(w http.ResponseWriter, r *http.Request, provider string, body []byte) {
		var in In
		if err := decodeStrict(body, &in); err != nil {
			reply(w, Answer{Code: CodeMalformed, Message: err.Error()})
			return
		}
		out, err := fn(r.Context(), provider, in)
		logRefusal(r.URL.Path, provider, err)
		reply(w, answerOf(err, out))
	}
}

func decodeStrict(body []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data")
	}
	return nil
}

// upload receives a submission under its sequence: a sequence seen before gets the answer it got then (or
// CodeSequenceConflict when the submission differs); an answer that says "try again" is not kept.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request, provider string, body []byte) {
	var in struct {
		Sequence   int64           `json:"sequence"`
		Submission json.RawMessage `json:"submission"`
	}
	var sub regulator.Submission
	if err := decodeStrict(body, &in); err != nil || in.Sequence <= 0 || decodeStrict(in.Submission, &sub) != nil {
		reply(w, Answer{Code: CodeMalformed, Message: "upload takes a positive sequence and a submission"})
		return
	}
	sum := sha256.Sum256(in.Submission)
	digest := hex.EncodeToString(sum[:])
	ctx := r.Context()
	prev, answer, found, err := h.ledger.RecallUpload(ctx, provider, in.Sequence)
	if err != nil {
		slog.Error("regulator interface: recall upload", "provider", provider, "sequence", in.Sequence, "err", err)
		reply(w, Answer{Code: CodeUnavailable, Message: "系统繁忙"})
		return
	}
	if found {
		if prev != digest {
			reply(w, Answer{Code: CodeSequenceConflict, Message: "序列号已用于另一份数据"})
			return
		}
		writeRaw(w, answer)
		return
	}
	sub.ProviderID, sub.Sequence = provider, in.Sequence // a provider uploads as itself only
	serr := h.reg.Submit(ctx, sub)
	logRefusal(r.URL.Path, provider, serr)
	a := answerOf(serr, nil)
	if a.Code != CodeUnavailable {
		b, _ := json.Marshal(a)
		if err := h.ledger.RecordUpload(ctx, provider, in.Sequence, digest, b); err != nil {
			slog.Error("regulator interface: record upload", "provider", provider, "sequence", in.Sequence, "err", err)
		}
	}
	reply(w, a)
}

// writeRaw replays a kept answer.
func writeRaw(w http.ResponseWriter, b []byte) {
	var a Answer
	if err := json.Unmarshal(b, &a); err != nil {
		a = Answer{Code: CodeUnavailable, Message: "系统繁忙"}
	}
	reply(w, a)
}

func reply(w http.ResponseWriter, a Answer) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(statusOf(a.Code))
	json.NewEncoder(w).Encode(a)
}

func logRefusal(path, provider string, err error) {
	if err != nil {
		slog.Info("regulator interface: call refused", "path", path, "provider", provider, "err", err)
	}
}
