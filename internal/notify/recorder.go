package notify

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// Sink receives the messages a Recorder "sends": in the demo a table operators read through the API, in tests
// a MemorySink. An error from Record is temporary unless it is a permanent *Error.
type Sink interface {
	Record(ctx context.Context, m Message) error
}

// Recorder is the development gateway for both channels: it validates each message exactly as the real
// gateways do, then hands it to a Sink instead of delivering it.
type Recorder struct {
	Sink Sink
}

var (
	_ SMSGateway = (*Recorder)(nil)
	_ Mailer     = (*Recorder)(nil)
	_ SMSGateway = (*HTTPSMSGateway)(nil)
	_ Mailer     = (*SMTPMailer)(nil)
)

// NewRecorder returns a Recorder writing to sink.
func NewRecorder(sink Sink) *Recorder { return &Recorder{Sink: sink} }

// SendSMS records m as a text message.
func (r *Recorder) SendSMS(ctx context.Context, m Message) error { return r.record(ctx, m, ChannelSMS) }

// SendMail records m as an e-mail.
func (r *Recorder) SendMail(ctx context.Context, m Message) error {
	return r.record(ctx, m, ChannelEmail)
}

func (r *Recorder) record(ctx context.Context, m Message, channel string) error {
	m, err := m.prepare(channel)
	if err != nil {
		return err
	}
	if r.Sink == nil {
		return &Error{Stage: "record", Err: errors.New("the recorder has no sink")}
	}
	return r.Sink.Record(ctx, m)
}

// MemorySink keeps recorded messages in memory, oldest first. It is safe for concurrent use. The zero value
// keeps everything; NewMemorySink bounds it.
type MemorySink struct {
	mu    sync.Mutex
	limit int
	msgs  []Message
}

// NewMemorySink returns a sink keeping the last limit messages (all of them when limit <= 0), so a long-running
// demo does not grow without bound.
func NewMemorySink(limit int) *MemorySink { return &MemorySink{limit: limit} }

// Record stores m. It fails only when ctx is done.
func (s *MemorySink) Record(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	if s.limit > 0 && len(s.msgs) > s.limit {
		s.msgs = append(s.msgs[:0:0], s.msgs[len(s.msgs)-s.limit:]...)
	}
	return nil
}

// All returns a copy of the stored messages, oldest first.
func (s *MemorySink) All() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// To returns the stored messages to recipient (a mobile number, or an e-mail address compared without regard to
// case), oldest first.
func (s *MemorySink) To(recipient string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.msgs {
		if strings.EqualFold(m.To, recipient) {
			out = append(out, m)
		}
	}
	return out
}

// Last returns the latest message to recipient, e.g. to read a verification code in a test or the demo.
func (s *MemorySink) Last(recipient string) (Message, bool) {
	msgs := s.To(recipient)
	if len(msgs) == 0 {
		return Message{}, false
	}
	return msgs[len(msgs)-1], true
}
