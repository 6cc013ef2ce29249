package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/cleantext"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/problem"
)

// statusOf maps a problem kind to its HTTP status: one table for the whole API (wtf's http.Error pattern).
var StatusOf = map[problem.Kind]int{
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

func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// writeError renders err with messages in the request's language. Internal errors are logged, never shown.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the client went away; there is no one to answer
	}
	list := problem.As(err)
	for _, e := range list {
		if e.Kind == problem.Internal {
			slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "request_id", RequestID(r), "err", e)
			internal := APIError{Code: "internal", Message: i18n.T(LangOf(r), "common.internal", nil)}
			WriteJSON(w, http.StatusInternalServerError, ErrorBody{Error: internal, Errors: []APIError{internal}})
			return
		}
	}
	errs := Translate(r, list)
	SetRetryAfter(w, err)
	WriteJSON(w, StatusOf[list[0].Kind], ErrorBody{Error: errs[0], Errors: errs})
}

// SetRetryAfter sets the Retry-After header from a TooMany problem that says when to retry (its parameter
// retry_after, in seconds).
func SetRetryAfter(w http.ResponseWriter, err error) {
	for _, e := range problem.As(err) {
		if s := e.Params["retry_after"]; e.Kind == problem.TooMany && s != "" {
			w.Header().Set("Retry-After", s)
			return
		}
	}
}

// MaxBody is the largest JSON body Decode and ReadBody read; maxBodyText states it in the message of a larger one.
const (
	MaxBody     = 1 << 20
	maxBodyText = "1 MB"
)

// Decode reads a JSON body into v, refusing unknown fields, trailing data, a body over MaxBody and text that
// package cleantext refuses, each with a clear error.
func Decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return problem.Invalidf("common.invalid_json", "", "detail", "trailing data")
	}
	return cleantext.Value("", v).Err()
}

// ReadBody reads a whole body of at most MaxBody bytes; a larger one is a TooLarge problem.
func ReadBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBody))
	if err != nil {
		return nil, jsonProblem(err)
	}
	return body, nil
}

func jsonProblem(err error) error {
	msg := err.Error()
	if field, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		f := strings.Trim(field, `"`)
		return problem.Invalidf("common.unknown_field", f, "name", f) // the name as sent, not a label
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

// Respond writes v as JSON with status, or err as a problem response.
func Respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		WriteError(w, r, err)
		return
	}
	WriteJSON(w, status, v)
}

// Translate renders problems as API errors in the request's language, worded as a page words them
// (ProblemText: a field is named by the catalog's label of its path, FieldLabel, not by its form name); Code and
// Field stay the machine-readable parts.
func Translate(r *http.Request, list []*problem.Error) []APIError {
	out := make([]APIError, 0, len(list))
	lang := LangOf(r)
	for _, e := range list {
		out = append(out, APIError{Code: e.Code, Field: e.Field, Message: ProblemText(lang, e)})
	}
	return out
}

// NonNil turns a nil slice into an empty one, so that JSON shows [] rather than null.
func NonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// PathID reads the {id} path value.
func PathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, problem.New(problem.NotFound, "common.not_found", "id")
	}
	return id, nil
}

// QueryInt reads an integer query parameter with a default.
func QueryInt(r *http.Request, name string, def int) int {
	if v, err := strconv.Atoi(r.URL.Query().Get(name)); err == nil && v >= 0 {
		return v
	}
	return def
}

// StatusFor is the HTTP status of err.
func StatusFor(err error) int {
	if st, ok := StatusOf[problem.KindOf(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// MaxUpload bounds an uploaded file: phone photos of several MB are accepted (imaging.Upload).
const MaxUpload = imaging.MaxUploadBytes

// TooLarge is the refusal of a file over MaxUpload, stating the limit, on field.
func TooLarge(field string) *problem.Error {
	return problem.Invalidf("material.too_large", field, "max", imaging.SizeLabel(MaxUpload))
}

// ReadPhoto reads a photo sent as multipart field "photo" (or "file") or as the raw body.
func ReadPhoto(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxUpload+1<<20) // the multipart envelope around the file
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		f, _, err := r.FormFile("photo")
		if err != nil {
			if f, _, err = r.FormFile("file"); err != nil {
				if strings.Contains(err.Error(), "too large") {
					return nil, TooLarge("photo")
				}
				return nil, problem.Invalidf("verification.no_photo", "photo")
			}
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, TooLarge("photo")
		}
		return b, nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, TooLarge("photo")
	}
	return b, nil
}
