package provider

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/notify"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/regulator"
)

// Worker delivers the outbox (SMS, e-mail, uploads to the regulator) and pulls the regulator's results. Items
// are leased before delivery, so several nodes can run workers; delivery is at least once, and the receivers
// are idempotent (uploads by order and attempt, messages by outbox id).
type Worker struct {
	svc  *Service
	SMS  notify.SMSGateway
	Mail notify.Mailer
	// kicks wake the lanes' feeders and the results loop.
	kicks []chan struct{}
	// Interval is how often the worker looks without being kicked.
	Interval time.Duration
	// Lease is how long a claimed item is this worker's: if it has not recorded the delivery by then (its node
	// died), another node delivers it again. It must exceed the longest delivery (DefaultLease).
	Lease time.Duration
	// OnDelivery, when set, is told of every delivery attempt (metrics); err nil means delivered.
	OnDelivery func(topic string, err error)
}

// A lane delivers some topics of the outbox with its own goroutines, so that uploads to the regulator never
// wait behind a backlog of messages, nor SMS behind slow e-mail. Its width is how many of its items are
// delivered at once: gateways are network services whose round trips (an SMTP conversation, an HTTP call)
// would otherwise cap delivery at a few items per second.
type lane struct {
	topics []string
	width  int
}

var lanes = []lane{
	{topics: []string{TopicSubmit}, width: 32},
	{topics: []string{TopicSMS}, width: 32},
	{topics: []string{TopicEmail}, width: 32},
}

// Topics lists the outbox topics the worker delivers (each lane's).
func Topics() []string {
	var out []string
	for _, l := range lanes {
		out = append(out, l.topics...)
	}
	return out
}

// resultsWidth bounds how many of the regulator's results (for different orders) are applied at once.
const resultsWidth = 64

// NewWorker returns a worker for svc; call Kick after commits to deliver at once.
func NewWorker(svc *Service, sms notify.SMSGateway, mail notify.Mailer) *Worker {
	w := &Worker{svc: svc, SMS: sms, Mail: mail, Interval: time.Second, Lease: DefaultLease}
	for range len(lanes) + 1 {
		w.kicks = append(w.kicks, make(chan struct{}, 1))
	}
	return w
}

// Kick wakes the worker without blocking: new outbox items, or new results at the regulator.
func (w *Worker) Kick() {
	for _, c := range w.kicks {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// KickResults wakes only the loop that pulls the regulator's results (the in-process simulator calls it); it
// may be called on a nil worker (before it is made).
func (w *Worker) KickResults() {
	if w == nil {
		return
	}
	select {
	case w.kicks[len(lanes)] <- struct{}{}:
	default:
	}
}

// Run works until stop ends. In each lane a feeder hands leased items to the lane's delivery goroutines, so
// that one slow delivery holds up nobody else; a finisher records delivered items in batches; a loop pulls the
// regulator's results. When stop ends, nothing more is claimed, the items claimed but not started are handed
// back, and the deliveries and the application of results under way finish and are recorded — unless abort
// ends too (a shutdown that ran out of time), which cancels them: they are then delivered again later.
func (w *Worker) Run(stop, abort context.Context) {
	delivered := make(chan int64, 256)
	var lanesDone, finisher sync.WaitGroup
	finisher.Go(func() { w.finish(delivered) })
	for i, l := range lanes {
		lanesDone.Go(func() { w.runLane(stop, abort, l, w.kicks[i], delivered) })
	}
	lanesDone.Go(func() {
		w.loop(stop, w.kicks[len(lanes)], func(context.Context) (int, error) { return w.svc.PullResults(abort) })
	})
	lanesDone.Wait()
	close(delivered)
	finisher.Wait()
}

func (w *Worker) runLane(stop, abort context.Context, l lane, kick <-chan struct{}, delivered chan<- int64) {
	items := make(chan store.OutboxItem)
	var deliverers sync.WaitGroup
	for range l.width {
		deliverers.Go(func() {
			for it := range items {
				if w.deliverOrFail(abort, it) {
					delivered <- it.ID
				}
			}
		})
	}
	w.loop(stop, kick, func(ctx context.Context) (int, error) { return w.feed(ctx, abort, l, items) })
	close(items)
	deliverers.Wait()
}

// finish marks delivered items done, as many at once as have arrived, until delivered is closed. It records
// even after the worker's context ended: what was delivered should not be delivered again.
func (w *Worker) finish(delivered <-chan int64) {
	for id := range delivered {
		ids := []int64{id}
	more:
		for len(ids) < 500 {
			select {
			case id, ok := <-delivered:
				if !ok {
					break more
				}
				ids = append(ids, id)
			default:
				break more
			}
		}
		if err := w.svc.st.FinishOutboxDone(context.Background(), ids, w.svc.now()); err != nil {
			slog.Error("outbox: record deliveries; they will be delivered again", "ids", len(ids), "err", err)
		}
	}
}

// loop calls step until it finds nothing to do, then waits for a kick or the interval.
func (w *Worker) loop(ctx context.Context, kick <-chan struct{}, step func(context.Context) (int, error)) {
	clock.EveryOrKicked(ctx, w.Interval, kick, slog.Default(), "outbox worker", func(ctx context.Context) error {
		for {
			if n, err := step(ctx); n == 0 || err != nil {
				return err
			}
		}
	})
}

// feed leases what is due in the lane, a few more than it delivers at once, and hands it to its goroutines.
// When ctx ends first, the items not handed over are released at once (through abort's context, which is still
// live), so that another node need not wait for their lease to end.
func (w *Worker) feed(ctx, abort context.Context, l lane, items chan<- store.OutboxItem) (int, error) {
	claimed, err := w.svc.st.ClaimOutbox(ctx, w.svc.now(), w.Lease, 2*l.width, l.topics...)
	for i, it := range claimed {
		select {
		case items <- it:
		case <-ctx.Done():
			var ids []int64
			for _, rest := range claimed[i:] {
				ids = append(ids, rest.ID)
			}
			if err := w.svc.st.ReleaseOutbox(abort, ids, w.svc.now()); err != nil {
				slog.Warn("outbox: hand back claimed items; they are due again when their lease ends", "ids", len(ids), "err", err)
			}
			return i, ctx.Err()
		}
	}
	return len(claimed), err
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

// DefaultLease is Worker.Lease unless configured.
const DefaultLease = 2 * time.Minute

// deliverDue delivers everything due now and waits for it.
func (w *Worker) deliverDue(ctx context.Context) (int, error) {
	var topics []string
	for _, l := range lanes {
		topics = append(topics, l.topics...)
	}
	items, err := w.svc.st.ClaimOutbox(ctx, w.svc.now(), w.Lease, 100, topics...)
	if err != nil || len(items) == 0 {
		return 0, err
	}
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		slots = make(chan struct{}, lanes[0].width)
	)
	for _, it := range items {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := w.deliverOne(ctx, it); err != nil {
				mu.Lock()
				first = cmp.Or(first, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return len(items), first
}

// deliverOne delivers an item and records the outcome: done, due again later, or given up. The error is about
// recording it (the item is then delivered again when its lease ends).
func (w *Worker) deliverOne(ctx context.Context, it store.OutboxItem) error {
	if !w.deliverOrFail(ctx, it) {
		return nil
	}
	return w.svc.st.FinishOutboxDone(ctx, []int64{it.ID}, w.svc.now())
}

// deliverOrFail delivers an item and reports whether it was delivered; a failure is recorded (due again
// later, or given up).
func (w *Worker) deliverOrFail(ctx context.Context, it store.OutboxItem) bool {
	derr := w.deliver(ctx, it)
	if w.OnDelivery != nil {
		w.OnDelivery(it.Topic, derr)
	}
	if derr == nil {
		return true
	}
	if err := w.failed(ctx, it, derr); err != nil && ctx.Err() == nil {
		slog.Error("outbox: record a failed delivery", "id", it.ID, "err", err)
	}
	return false
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
		sub.Sequence = it.ID
		return w.svc.cfg.Regulator.Submit(ctx, sub)
	}
	return permanent(fmt.Errorf("unknown outbox topic %q", it.Topic))
}

type permanentError struct{ error }

func permanent(err error) error { return permanentError{err} }

// failed records a failed delivery: retried with exponential backoff (up to an hour), or failed for good after
// a permanent error or 20 attempts. An upload the regulator never received (regulator.ErrUnavailable: it is
// down, timed out or answered garbage) is never given up: it waits in the outbox until the regulator is back.
func (w *Worker) failed(ctx context.Context, it store.OutboxItem, derr error) error {
	now := w.svc.now()
	var pe permanentError
	final := errors.As(derr, &pe) || notify.IsPermanent(derr) ||
		it.Attempts+1 >= 20 && !errors.Is(derr, regulator.ErrUnavailable)
	backoff := min(time.Duration(1<<min(it.Attempts, 12))*time.Second, time.Hour)
	slog.Warn("outbox delivery failed", "id", it.ID, "topic", it.Topic, "attempt", it.Attempts+1, "final", final, "err", derr)
	return w.svc.st.FailOutbox(ctx, it.ID, now, now.Add(backoff), final, derr.Error())
}
