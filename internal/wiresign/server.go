package wiresign

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// Server is the serving side of a signed interface: it authenticates every request before its operation sees it.
type Server struct {
	name    string // for the log, e.g. "police interface"
	secrets map[string][]byte
	certs   bool // a verified client certificate is required
	maxBody int64
	now     func() time.Time
	mux     *http.ServeMux
}

// NewServer returns a server for the providers holding secrets (provider id → shared secret; an empty secret
// authenticates nobody unless client certificates are required); now is the serving side's clock for the
// timestamp window (nil: the system clock).
func NewServer(name string, secrets map[string][]byte, maxBody int64, now func() time.Time) *Server {
	if now == nil {
		now = time.Now
	}
	return &Server{name: name, secrets: secrets, maxBody: maxBody, now: now, mux: http.NewServeMux()}
}

// RequireClientCertificates makes the server authenticate providers by their verified client certificates
// (mutual TLS; the listener must ask for them): the certificate's common name is the provider, which must be a
// key of the secrets; a provider whose secret is empty is authenticated by its certificate alone, one with a
// secret by both. Call it before serving.
func (s *Server) RequireClientCertificates() { s.certs = true }

// authenticate returns the provider a request comes from.
func (s *Server) authenticate(r *http.Request, body []byte) (string, error) {
	if !s.certs {
		return Verify(r, s.secrets, body, s.now())
	}
	provider, err := CertificateProvider(r)
	if err != nil {
		return "", ErrUnauthenticated
	}
	secret, known := s.secrets[provider]
	if claimed := r.Header.Get(HeaderProvider); !known || (claimed != "" && claimed != provider) {
		return "", ErrUnauthenticated
	}
	if len(secret) == 0 {
		return provider, nil
	}
	return Verify(r, s.secrets, body, s.now())
}

// ServeHTTP answers the operations at their paths (POST only).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Op is an operation: the authenticated provider and the request body; it writes the answer.
type Op func(w http.ResponseWriter, r *http.Request, provider string, body []byte)

// Handle serves op at path once the request is authenticated.
func (s *Server) Handle(path string, op Op) {
	s.mux.HandleFunc("POST "+path, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
		if err != nil {
			Reply(w, Answer{Code: CodeMalformed, Message: "请求过大或不完整"})
			return
		}
		provider, err := s.authenticate(r, body)
		switch {
		case errors.Is(err, ErrStale):
			Reply(w, Answer{Code: CodeStale, Message: "时间戳无效"})
			return
		case err != nil:
			Reply(w, Answer{Code: CodeUnauthenticated, Message: "认证失败"})
			return
		}
		op(w, r, provider, body)
	})
}

// Call adapts a typed operation of s: the body is decoded strictly, the result or the error becomes the answer.
func Call[In any](s *Server, fn func(ctx context.Context, provider string, in In) (any, error)) Op {
	return func(w http.ResponseWriter, r *http.Request, provider string, body []byte) {
		var in In
		if err := DecodeStrict(body, &in); err != nil {
			Reply(w, Answer{Code: CodeMalformed, Message: err.Error()})
			return
		}
		out, err := fn(r.Context(), provider, in)
		s.LogRefusal(r.URL.Path, provider, err)
		Reply(w, AnswerOf(err, out))
	}
}

// DecodeStrict decodes one JSON value with no unknown fields and nothing after it.
func DecodeStrict(body []byte, v any) error {
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

// LogRefusal logs a call that ended with err (none: nothing).
func (s *Server) LogRefusal(path, provider string, err error) {
	if err != nil {
		slog.Info(s.name+": call refused", "path", path, "provider", provider, "err", err)
	}
}
