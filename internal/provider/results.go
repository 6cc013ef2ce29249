package provider

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/regulator"
)

var zeroTime time.Time

// ApplyResult moves an order as the regulator decided. A result for an earlier upload attempt, or one already
// applied (the queue delivers at least once), changes nothing; either way the caller may acknowledge it.
func (s *Service) ApplyResult(ctx context.Context, res regulator.Result) error {
	if res.Action == regulator.ActAppVerified {
		return s.applyAppVerification(ctx, res)
	}
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.OrderForUpdate(ctx, res.ProviderOrderID)
		if err != nil {
			return err
		}
		if res.Attempt != r.Attempt {
			return errStale
		}
		now := s.now()
		o := r.Order
		ev, err := o.Transition(res.Action, filing.RoleRegulator, 0, res.Reason, nil, now)
		if err != nil {
			if problem.KindOf(err) == problem.Conflict {
				return errStale // already applied
			}
			return err
		}
		r.Deadline = zeroTime
		switch res.Action {
		case filing.ActForwarded:
			if res.SMSDeadline != nil {
				r.Deadline = *res.SMSDeadline
			}
		case filing.ActSMSVerified, filing.ActForwardedNoSMS:
			// Administration review: at most 20 working days (《非经营性互联网信息服务备案管理办法》 Art. 12, docs/design.md §8).
			r.Deadline = s.cfg.AddWorkdays(now, 20)
		case filing.ActAdminApprove, filing.ActAdminReject:
			o.Result = &filing.Result{Code: res.Code, Reason: res.Reason, SubjectNumber: res.SubjectNumber,
				Services: res.Services, DecidedAt: res.At}
		}
		if res.Action == filing.ActAdminApprove {
			applyNumbers(o, res)
			if err := tx.ApplyFiled(ctx, o, r.SubjectHash, nil, now); err != nil {
				return err
			}

		}
		if !r.Deadline.IsZero() {
			ev.Deadline = &r.Deadline
		}
		if err := s.record(ctx, tx, r, &ev); err != nil || res.Action != filing.ActAdminApprove {
			return err
		}
		return s.followPolice(ctx, tx, o, now)
	})
	if err == nil {
		s.changes.publish(res.ProviderOrderID)
	}
	if err == errStale {
		slog.Info("regulator result ignored: stale or already applied", "order", res.ProviderOrderID, "action", res.Action)
		return nil
	}
	return err
}

var errStale = problem.New(problem.Conflict, "result.stale", "")

func applyNumbers(o *filing.Order, res regulator.Result) {
	o.Subject.Number = res.SubjectNumber
	for _, is := range res.Services {
		if is.Index >= 0 && is.Index < len(o.Services) {
			o.Services[is.Index].Number = is.Number
		}
	}
}

// PullResults downloads the regulator's results, applies them and acknowledges those applied. Results for
// different orders are applied concurrently (their transactions are then committed together); one order's
// results are applied in the regulator's order, and after a failure that order's later results wait for the
// next pull, since they may depend on it.
func (s *Service) PullResults(ctx context.Context) (int, error) {
	results, err := s.cfg.Regulator.Results(ctx, s.cfg.ProviderID, 100)
	if err != nil || len(results) == 0 {
		return 0, err
	}
	var byOrder [][]regulator.Result
	index := map[int64]int{}
	for _, res := range results {
		i, ok := index[res.ProviderOrderID]
		if !ok {
			i = len(byOrder)
			index[res.ProviderOrderID] = i
			byOrder = append(byOrder, nil)
		}
		byOrder[i] = append(byOrder[i], res)
	}
	applied := make([][]int64, len(byOrder))
	var wg sync.WaitGroup
	slots := make(chan struct{}, resultsWidth)
	for i, rs := range byOrder {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			applied[i] = s.applyInOrder(ctx, rs)
		}()
	}
	wg.Wait()
	var done []int64
	for _, ids := range applied {
		done = append(done, ids...)
	}
	if len(done) == 0 {
		return 0, nil
	}
	return len(done), s.cfg.Regulator.Ack(ctx, s.cfg.ProviderID, done)
}

// applyInOrder applies one order's results until one fails and returns the ids that may be acknowledged.
func (s *Service) applyInOrder(ctx context.Context, rs []regulator.Result) []int64 {
	var done []int64
	for _, res := range rs {
		if err := s.ApplyResult(ctx, res); err != nil && problem.KindOf(err) != problem.NotFound {
			slog.Error("apply regulator result", "order", res.ProviderOrderID, "err", err)
			break
		}
		done = append(done, res.ID) // applied, or not ours any more: nothing to keep it for
	}
	return done
}
