package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"strings"
	"testing"
)

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestValidate(t *testing.T) {
	cases := []struct {
		m    Message
		want bool
	}{
		{Message{Channel: ChannelSMS, To: "13800138000", Sender: "12381", Body: "核验码 482913"}, true},
		{chineseMail(), false}, // no channel given: Validate needs one
		{Message{Channel: ChannelEmail, To: "zhangsan@example.com", Subject: testSubject, Body: testBody}, true},
		{Message{Channel: "wechat", To: "x", Body: "x"}, false},
		{Message{Channel: ChannelSMS, To: "13800138000", Body: "x", Sender: "\u2028"}, false},
		{Message{Channel: ChannelEmail, To: "a@b@example.com", Subject: "s", Body: "x"}, false},
		{Message{Channel: ChannelEmail, To: "张三@例子.中国", Subject: "s", Body: "x"}, false},
		{Message{Channel: ChannelEmail, To: "a@example.com", Subject: strings.Repeat("长", MaxSubjectRunes), Body: "x"}, true},
		{Message{Channel: ChannelEmail, To: "a@example.com", Subject: strings.Repeat("长", MaxSubjectRunes+1), Body: "x"}, false},
		{Message{Channel: ChannelEmail, To: "a@example.com", Subject: "s\tt", Body: "x"}, false},
		{Message{Channel: ChannelSMS, To: "13800138000", Body: strings.Repeat("x", MaxBodyBytes+1)}, false},
	}
	for _, tc := range cases {
		if err := tc.m.Validate(); (err == nil) != tc.want {
			t.Errorf("Validate(%+.60v) = %v, want ok=%v", tc.m, err, tc.want)
		}
	}
}

func TestIsPermanent(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("boom"), false},
		{context.DeadlineExceeded, false},
		{&textproto.Error{Code: 550, Msg: "no"}, false}, // only this package's classification counts
		{&Error{Permanent: true, Stage: "rcpt", Code: 550}, true},
		{fmt.Errorf("outbox 42: %w", &Error{Permanent: true, Stage: "http", Code: 400, Err: errors.New("x")}), true},
		{&Error{Stage: "http", Code: 503, Err: errors.New("x")}, false},
	}
	for _, tc := range cases {
		if got := IsPermanent(tc.err); got != tc.want {
			t.Errorf("IsPermanent(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestMaskIn(t *testing.T) {
	cases := []struct{ s, to, want string }{
		{"<zhangsan@example.com>: unknown", "zhangsan@example.com", "<z***@example.com>: unknown"},
		{"ZHANGSAN@EXAMPLE.COM and zhangsan@example.com", "zhangsan@example.com", "z***@example.com and z***@example.com"},
		{"nothing here", "zhangsan@example.com", "nothing here"},
		{"İ zhangsan@example.com", "zhangsan@example.com", "İ z***@example.com"},
	}
	for _, tc := range cases {
		if got := maskIn(tc.s, tc.to); got != tc.want {
			t.Errorf("maskIn(%q) = %q, want %q", tc.s, got, tc.want)
		}
	}
}
