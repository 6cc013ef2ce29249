// Package problem defines the errors every layer of beian returns: a kind (which maps to an HTTP status or
// an exit code), a stable code (which names the rule and is the key of the translated message), the field it
// concerns and the parameters of the message. The domain returns them; adapters only translate them.
package problem

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says what sort of failure an Error is; adapters map it to a status.
type Kind int

const (
	Internal        Kind = iota // a bug or an unavailable dependency; details are logged, not shown
	Invalid                     // the input breaks a rule; the caller can fix it
	NotFound                    // nothing there, or nothing the caller may see
	Conflict                    // the state of things forbids it now (wrong state, duplicate, in flight)
	Unauthenticated             // no valid session or token
	Forbidden                   // authenticated, but this role may not do it
	TooMany                     // rate or attempt limit reached
	TooLarge                    // the request is larger than the limit the message states
)

func (k Kind) String() string {
	return [...]string{"internal", "invalid", "not_found", "conflict", "unauthenticated", "forbidden", "too_many",
		"too_large"}[k]
}

// Error is one problem with a stable code, e.g. "resident_id.checksum" on field "subject.principal.credential_number".
type Error struct {
	Kind   Kind
	Code   string
	Field  string
	Params map[string]string
	// Text holds messages already rendered per language ("zh-CN", "zh-TW", "en"), for rules whose parameters are
	// themselves translated; when set it takes precedence over the catalog message of Code.
	Text map[string]string
	Err  error // the cause, for logs; never shown to users
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	if e.Field != "" {
		b.WriteString(" (" + e.Field + ")")
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an Error of kind k with code and field; params alternate key, value.
func New(k Kind, code, field string, params ...string) *Error {
	e := &Error{Kind: k, Code: code, Field: field}
	if len(params) > 0 {
		e.Params = make(map[string]string, len(params)/2)
		for i := 0; i+1 < len(params); i += 2 {
			e.Params[params[i]] = params[i+1]
		}
	}
	return e
}

// Invalidf is New(Invalid, …).
func Invalidf(code, field string, params ...string) *Error {
	return New(Invalid, code, field, params...)
}

// Wrap marks err as internal with code, keeping it as the cause.
func Wrap(err error, code string) *Error {
	if err == nil {
		return nil
	}
	return &Error{Kind: Internal, Code: code, Err: err}
}

// Internalf builds an internal error from a format, for invariants that should never break.
func Internalf(format string, args ...any) *Error {
	return &Error{Kind: Internal, Code: "internal", Err: fmt.Errorf(format, args...)}
}

// List is several problems found at once (all the invalid fields of a form). It is an error itself.
type List []*Error

func (l List) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Err returns nil when the list is empty, so `return list.Err()` reads naturally.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// As returns the problems in err: the list, the single Error, or an internal error wrapping anything else.
func As(err error) List {
	if err == nil {
		return nil
	}
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return List{e}
	}
	return List{{Kind: Internal, Code: "internal", Err: err}}
}

// KindOf returns the kind of err (Internal for foreign errors); for a list, the kind of its first entry.
func KindOf(err error) Kind {
	l := As(err)
	if len(l) == 0 {
		return Internal
	}
	return l[0].Kind
}

// Is reports whether err carries the given code.
func Is(err error, code string) bool {
	for _, e := range As(err) {
		if e.Code == code {
			return true
		}
	}
	return false
}
