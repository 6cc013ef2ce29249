package notify

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/beian/beian/internal/problem"
)

func TestRecorderRecordsBothChannels(t *testing.T) {
	sink := NewMemorySink(0)
	r := NewRecorder(sink)
	ctx := context.Background()
	if err := r.SendSMS(ctx, verificationSMS()); err != nil {
		t.Fatal(err)
	}
	if err := r.SendMail(ctx, chineseMail()); err != nil {
		t.Fatal(err)
	}
	mail2 := chineseMail()
	mail2.To = "ZhangSan@Example.com"
	if err := r.SendMail(ctx, mail2); err != nil {
		t.Fatal(err)
	}
	all := sink.All()
	if len(all) != 3 || all[0].Channel != ChannelSMS || all[1].Channel != ChannelEmail {
		t.Fatalf("recorded %+v", all)
	}
	if got := sink.To("13800138000"); len(got) != 1 || got[0].Body != verificationSMS().Body || got[0].Sender != "12381" {
		t.Errorf("To(mobile) = %+v", got)
	}
	if got := sink.To("zhangsan@example.com"); len(got) != 2 {
		t.Errorf("To(e-mail) = %d messages, want 2 (addresses compared without case)", len(got))
	}
	if last, ok := sink.Last("zhangsan@example.com"); !ok || last.To != "ZhangSan@Example.com" {
		t.Errorf("Last = %+v, %v", last, ok)
	}
	if _, ok := sink.Last("13900139000"); ok {
		t.Error("Last found a message to nobody")
	}
}

func TestRecorderValidatesLikeRealGateways(t *testing.T) {
	sink := NewMemorySink(0)
	r := NewRecorder(sink)
	cases := []struct {
		send func(context.Context, Message) error
		m    Message
		code string
	}{
		{r.SendSMS, Message{To: "12345", Body: "x"}, "notify.to_invalid"},
		{r.SendSMS, Message{Channel: ChannelEmail, To: "13800138000", Body: "x"}, "notify.channel_invalid"},
		{r.SendSMS, Message{To: "13800138000", Subject: "s", Body: "x"}, "notify.subject_invalid"},
		{r.SendSMS, Message{To: "13800138000"}, "notify.body_invalid"},
		{r.SendMail, Message{To: "张三 <a@example.com>", Subject: "s", Body: "x"}, "notify.to_invalid"},
		{r.SendMail, Message{To: "a@example.com", Body: "x"}, "notify.subject_invalid"},
		{r.SendMail, Message{To: "a@example.com", Subject: "s", Body: "\xff"}, "notify.body_invalid"},
		{r.SendMail, Message{ID: "a b", To: "a@example.com", Subject: "s", Body: "x"}, "notify.id_invalid"},
	}
	for _, tc := range cases {
		err := tc.send(context.Background(), tc.m)
		if !IsPermanent(err) || !problem.Is(err, tc.code) || problem.KindOf(err) != problem.Invalid {
			t.Errorf("%+v: err = %v, want permanent %s", tc.m, err, tc.code)
		}
	}
	if n := len(sink.All()); n != 0 {
		t.Errorf("%d invalid messages recorded", n)
	}
}

type failingSink struct{ err error }

func (s failingSink) Record(context.Context, Message) error { return s.err }

func TestRecorderSinkErrorsAreTemporary(t *testing.T) {
	err := NewRecorder(failingSink{errors.New("database is locked")}).SendSMS(context.Background(), verificationSMS())
	if err == nil || IsPermanent(err) {
		t.Errorf("err = %v; want temporary", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := NewRecorder(NewMemorySink(0)).SendSMS(ctx, verificationSMS()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestMemorySinkLimit(t *testing.T) {
	sink := NewMemorySink(3)
	for i := range 5 {
		m := verificationSMS()
		m.ID = fmt.Sprint(i)
		if err := sink.Record(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	all := sink.All()
	if len(all) != 3 || all[0].ID != "2" || all[2].ID != "4" {
		t.Errorf("kept %+v, want the last 3", all)
	}
}

func TestMemorySinkConcurrent(t *testing.T) {
	sink := NewMemorySink(0)
	r := NewRecorder(sink)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 25 {
				m := verificationSMS()
				m.To = fmt.Sprintf("139%08d", i)
				m.ID = fmt.Sprintf("%d-%d", i, j)
				if err := r.SendSMS(context.Background(), m); err != nil {
					t.Error(err)
				}
				sink.To(m.To)
			}
		})
	}
	wg.Wait()
	if n := len(sink.All()); n != 200 {
		t.Errorf("%d messages recorded, want 200", n)
	}
	if n := len(sink.To("13900000003")); n != 25 {
		t.Errorf("%d messages to one recipient, want 25", n)
	}
}
