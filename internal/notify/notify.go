// Package notify delivers SMS and e-mail through gateways behind two small interfaces (docs/design.md §9). The
// transactional outbox and its worker live elsewhere; they hand one Message at a time to a gateway here and use
// IsPermanent to decide between retrying and giving up.
//
// Gateways: SMTPMailer (a real SMTP conversation), HTTPSMSGateway (a JSON POST to an SMS provider) and
// Recorder (development and demo: hands each message to a Sink, e.g. a table operators read). There is
// deliberately no logging gateway: message bodies and recipients are personal data and must not reach logs.
// For the same reason, errors from this package never carry a message body, and a recipient echoed by a
// server is masked.
package notify

import (
	"context"
	"net/mail"
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/beian/beian/internal/problem"
)

// Channels.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// Limits checked before anything is sent.
const (
	MaxSubjectRunes = 200
	MaxSenderRunes  = 64
	MaxBodyBytes    = 64 << 10
)

// Message is one notification to one recipient.
type Message struct {
	// ID optionally identifies the message for idempotency, e.g. the outbox row ID: the HTTP SMS gateway sends
	// it as Idempotency-Key and the SMTP mailer derives the Message-ID from it, so a retry after a lost reply
	// can be recognised downstream. 1-64 characters of [A-Za-z0-9._-].
	ID      string
	Channel string // ChannelSMS or ChannelEmail; empty means the channel of the method called
	To      string // an 11-digit mainland mobile number, or a plain ASCII e-mail address (no display name)
	// Sender: for SMS the sender shown to the recipient (e.g. "12381" for MIIT); for e-mail the display name
	// of the From header (the address is always the configured one, so mail is never spoofed). Empty means
	// the configured default.
	Sender  string
	Subject string // e-mail only; required there
	Body    string // plain UTF-8 text; "\n" line breaks
}

// SMSGateway sends text messages.
type SMSGateway interface {
	SendSMS(ctx context.Context, m Message) error
}

// Mailer sends e-mail.
type Mailer interface {
	SendMail(ctx context.Context, m Message) error
}

var (
	mobileRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	idRE     = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
)

// Validate checks m as it would be sent on its channel (ChannelSMS or ChannelEmail). The error is a permanent
// *Error wrapping a problem.Error whose code names the field ("notify.to_invalid", …).
func (m Message) Validate() error {
	_, err := m.prepare(m.Channel)
	return err
}

// prepare fills in the channel of the method called and validates m for it.
func (m Message) prepare(channel string) (Message, error) {
	if m.Channel == "" {
		m.Channel = channel
	}
	if m.Channel != channel || (channel != ChannelSMS && channel != ChannelEmail) {
		return m, invalid("notify.channel_invalid", "channel")
	}
	if m.ID != "" && !idRE.MatchString(m.ID) {
		return m, invalid("notify.id_invalid", "id")
	}
	if !oneLine(m.Sender, MaxSenderRunes) {
		return m, invalid("notify.sender_invalid", "sender")
	}
	if m.Body == "" || len(m.Body) > MaxBodyBytes || !utf8.ValidString(m.Body) {
		return m, invalid("notify.body_invalid", "body")
	}
	switch channel {
	case ChannelSMS:
		if !mobileRE.MatchString(m.To) {
			return m, invalid("notify.to_invalid", "to")
		}
		if m.Subject != "" {
			return m, invalid("notify.subject_invalid", "subject")
		}
	case ChannelEmail:
		if !plainAddress(m.To) {
			return m, invalid("notify.to_invalid", "to")
		}
		if m.Subject == "" || !oneLine(m.Subject, MaxSubjectRunes) {
			return m, invalid("notify.subject_invalid", "subject")
		}
	}
	return m, nil
}

func invalid(code, field string) error {
	return &Error{Permanent: true, Stage: "validate", Err: problem.Invalidf(code, field)}
}

// oneLine reports whether s is valid UTF-8 of at most max runes without control characters (so no CR or LF
// can reach a header).
func oneLine(s string, max int) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// plainAddress reports whether s is a bare ASCII addr-spec: "user@example.com", no display name, no angle
// brackets, no whitespace. Internationalised addresses would need SMTPUTF8 and are refused.
func plainAddress(s string) bool {
	if s == "" || len(s) > 254 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}
