package notify

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"strings"

	"github.com/beian/beian/internal/mask"
)

// Error is a failed delivery, classified for the outbox worker.
//
// Permanent means that sending the same message again cannot succeed: it is invalid, the recipient was refused
// (SMTP 5xx to RCPT), its content was refused (SMTP 5xx after DATA), or the SMS provider answered 4xx. Failures
// of the service or of its configuration (network, TLS, authentication, a refused MAIL FROM, SMTP 4xx, HTTP 5xx,
// 401, 403, 408 and 429, a cancelled context) are temporary: they are retried, and succeed once the operator
// fixes the configuration. The worker still bounds retries.
type Error struct {
	Permanent bool
	Stage     string // validate, connect, hello, tls, auth, mail, rcpt, data, http, record
	Code      int    // SMTP reply code or HTTP status; 0 when there was no reply
	Err       error
	text      string // Err's text with the recipient masked; empty = Err.Error()
}

func (e *Error) Error() string {
	text := e.text
	if text == "" && e.Err != nil {
		text = e.Err.Error()
	}
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("notify: %s: %s failure: %s", e.Stage, kind, text)
}

func (e *Error) Unwrap() error { return e.Err }

// IsPermanent reports whether err says that retrying the same message cannot succeed. Errors not made by this
// package (a Sink's database error, say) are temporary.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// smtpError classifies an error of an SMTP stage. A 5xx reply is permanent only where it concerns this message
// (stage rcpt or data); 552 to RCPT is temporary as RFC 5321 §4.5.3.1.10 asks. The recipient, which servers
// like to echo, is masked in the text.
func smtpError(ctx context.Context, stage string, err error, to string) *Error {
	e := &Error{Stage: stage, Err: err}
	if ctxErr := ctx.Err(); ctxErr != nil {
		e.Err = fmt.Errorf("%w (%v)", ctxErr, err)
	}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		e.Code = tp.Code
		switch {
		case tp.Code < 500 || tp.Code > 599:
		case stage == "data":
			e.Permanent = true
		case stage == "rcpt":
			e.Permanent = tp.Code != 552
		}
	}
	e.text = maskIn(e.Err.Error(), to)
	return e
}

// maskIn replaces each occurrence of the ASCII address to in s, in any case, by its masked form.
func maskIn(s, to string) string {
	if to == "" {
		return s
	}
	lower, needle, masked := strings.ToLower(s), strings.ToLower(to), mask.Email(to)
	if len(lower) != len(s) {
		return strings.ReplaceAll(s, to, masked) // folding changed the length: positions do not map back
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, needle)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(masked)
		s, lower = s[i+len(needle):], lower[i+len(needle):]
	}
}
