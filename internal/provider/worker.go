package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/beian/beian/internal/notify"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/store"
)

// Worker delivers the outbox (SMS, e-mail, uploads to the regulator) and pulls the regulator's results. Items
// are leased before delivery, so several nodes can run workers; delivery is at least once, and the receivers
// are idempotent (uploads by order and attempt, messages by outbox id).
type Worker struct {
	svc  *Service
	SMS  notify.SMSGateway
	Mail notify.Mailer
	kick chan struct{}
	// Interval is how often the worker looks without being kicked.
	Interval time.Duration
}

// NewWorker returns a worker for svc; call Kick after commits to deliver at once.
func NewWorker(svc *Service, sms notify.SMSGateway, mail notify.Mailer) *Worker {
	return &Worker{svc: svc, SMS: sms, Mail: mail, kick: make(chan struct{}, 1), Interval: time.Second}
}

// Kick wakes the worker without blocking.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run works until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			slog.Error("outbox worker", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-w.kick:
		case <-t.C:
		}
	}
}

// RunOnce delivers what is due and pulls results until nothing is left; it returns how much it did.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := w.deliverDue(ctx)
		if err != nil {
			return total, err
		}
		m, err := w.svc.PullResults(ctx)
		if err != nil {
			return total, err
		}
		total += n + m
		if n+m == 0 {
			return total, nil
		}
	}
}

const lease = 2 * time.Minute

// deliveries is how many outbox items are delivered at once: gateways are network services whose round trips
// (an SMTP conversation, an HTTP call) would otherwise cap delivery at a few messages per second.
const deliveries = 16

func (w *Worker) deliverDue(ctx context.Context) (int, error) {
	st := w.svc.st
	items, err := st.ClaimOutbox(ctx, w.svc.now(), lease, 100)
	if err != nil || len(items) == 0 {
		return 0, err
	}
	var (
		mu    sync.Mutex
		done  []int64
		first error
		wg    sync.WaitGroup
		slots = make(chan struct{}, deliveries)
	)
	for _, it := range items {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			derr := w.deliver(ctx, it)
			var ferr error
			if derr != nil {
				ferr = w.failed(ctx, it, derr) // due again later, or given up
			}
			mu.Lock()
			defer mu.Unlock()
			if derr == nil {
				done = append(done, it.ID)
			} else if ferr != nil && first == nil {
				first = ferr
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return 0, first
	}
	return len(items), st.FinishOutboxDone(ctx, done, w.svc.now())
}

func (w *Worker) deliver(ctx context.Context, it store.OutboxItem) error {
	switch it.Topic {
	case TopicSMS, TopicEmail:
		var m notify.Message
		if err := json.Unmarshal(it.Payload, &m); err != nil {
			return permanent(err)
		}
		m.ID = fmt.Sprintf("outbox-%d", it.ID)
		if it.Topic == TopicSMS {
			return w.SMS.SendSMS(ctx, m)
		}
		return w.Mail.SendMail(ctx, m)
	case TopicSubmit:
		var sub regulator.Submission
		if err := json.Unmarshal(it.Payload, &sub); err != nil {
			return permanent(err)
		}
		return w.svc.cfg.Regulator.Submit(ctx, sub)
	}
	return permanent(fmt.Errorf("unknown outbox topic %q", it.Topic))
}

type permanentError struct{ error }

func permanent(err error) error { return permanentError{err} }

// failed records a failed delivery: retried with exponential backoff (up to an hour), or failed for good after
// a permanent error or 20 attempts.
func (w *Worker) failed(ctx context.Context, it store.OutboxItem, derr error) error {
	now := w.svc.now()
	var pe permanentError
	final := errors.As(derr, &pe) || notify.IsPermanent(derr) || it.Attempts+1 >= 20
	backoff := min(time.Duration(1<<min(it.Attempts, 12))*time.Second, time.Hour)
	slog.Warn("outbox delivery failed", "id", it.ID, "topic", it.Topic, "attempt", it.Attempts+1, "final", final, "err", derr)
	return w.svc.st.FailOutbox(ctx, it.ID, now, now.Add(backoff), final, derr.Error())
}
