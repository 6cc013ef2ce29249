package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/beian/beian/internal/cleantext"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
)

// statusOf maps a problem kind to its HTTP status: one table for the whole API (wtf's http.Error pattern).
var statusOf = map[problem.Kind]int{
	problem.Internal:        http.StatusInternalServerError,
	problem.Invalid:         http.StatusUnprocessableEntity,
	problem.NotFound:        http.StatusNotFound,
	problem.Conflict:        http.StatusConflict,
	problem.Unauthenticated: http.StatusUnauthorized,
	problem.Forbidden:       http.StatusForbidden,
	problem.TooMany:         http.StatusTooManyRequests,
	problem.TooLarge:        http.StatusRequestEntityTooLarge,
}

// APIError is one error in a response: a stable code, the field it concerns and a translated message.
type APIError struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// ErrorBody is the body of every error response: the first error, and all of them.
type ErrorBody struct {
	Error  APIError   `json:"error"`
	Errors []APIError `json:"errors"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// writeError renders err with messages in the request's language. Internal errors are logged, never shown.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the client went away; there is no one to answer
	}
	list := problem.As(err)
	for _, e := range list {
		if e.Kind == problem.Internal {
			slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "request_id", requestID(r), "err", e)
			internal := APIError{Code: "internal", Message: i18n.T(langOf(r), "common.internal", nil)}
			writeJSON(w, http.StatusInternalServerError, ErrorBody{Error: internal, Errors: []APIError{internal}})
			return
		}
	}
	errs := translate(r, list)
	writeJSON(w, statusOf[list[0].Kind], ErrorBody{Error: errs[0], Errors: errs})
}

// maxBody is the largest JSON body decode reads; maxBodyText states it in the message of a larger one.
const (
	maxBody     = 1 << 20
	maxBodyText = "1 MB"
)

// decode reads a JSON body into v, refusing unknown fields, trailing data and a body over maxBody with a clear
// error.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return problem.Invalidf("common.invalid_json", "", "detail", "trailing data")
	}
	return cleantext.Value("", v).Err()
}

// readBody reads a whole body of at most maxBody bytes; a larger one is a TooLarge problem.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		return nil, jsonProblem(err)
	}
	return body, nil
}

func jsonProblem(err error) error {
	msg := err.Error()
	if field, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		f := strings.Trim(field, `"`)
		return problem.Invalidf("common.unknown_field", f, "field", f)
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return problem.New(problem.TooLarge, "common.body_too_large", "", "max", maxBodyText)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return problem.Invalidf("common.invalid_json", te.Field, "detail", te.Field+": "+te.Value)
	}
	if errors.Is(err, io.EOF) {
		return problem.Invalidf("common.invalid_json", "", "detail", "empty body")
	}
	return problem.Invalidf("common.invalid_json", "", "detail", msg)
}
