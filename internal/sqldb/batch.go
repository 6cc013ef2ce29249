package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// SQLite has one writer, so every write transaction waits for the one before it, and each commit writes its
// changed pages to the WAL again even when the next transaction changes the same pages (an order's row, the
// tail of the events table, the outbox). batcher is SQLite's group commit: write transactions that are
// waiting while one commits run together in the next SQLite transaction, each inside its own savepoint, and
// are committed once. A function that fails is rolled back to its savepoint alone; the others commit. A caller
// learns its outcome only after the commit, so nothing it saw as done can be lost (docs/benchmarks.md).
type batcher struct {
	w         *sql.DB
	reqs      chan *batchReq
	stop      chan struct{}
	once      sync.Once
	stopped   sync.WaitGroup
	committed func() // called after each commit
}

// maxBatch bounds one group commit, so that a queue of thousands does not make one huge transaction.
const maxBatch = 128

type batchReq struct {
	ctx    context.Context
	fn     func(tx *sql.Tx) error
	err    error
	panic  any
	answer chan struct{}
}

// errBatchAborted is given to the other functions of a group whose SQLite transaction was lost by one of its
// members (an interrupt or an I/O error rolls back the whole transaction); Tx runs them again.
var errBatchAborted = errors.New("sqldb: group commit aborted by another transaction; retry")

// errClosed is returned by Tx after Close.
var errClosed = errors.New("sqldb: database closed")

func newBatcher(w *sql.DB, committed func()) *batcher {
	b := &batcher{w: w, reqs: make(chan *batchReq), stop: make(chan struct{}), committed: committed}
	b.stopped.Add(1)
	go b.loop()
	return b
}

// run runs fn in the next group commit and returns its outcome once the group is committed; a panic in fn is
// raised again in the caller's goroutine.
func (b *batcher) run(ctx context.Context, fn func(tx *sql.Tx) error) error {
	r := &batchReq{ctx: ctx, fn: fn, answer: make(chan struct{})}
	select {
	case b.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.stop:
		return errClosed
	}
	<-r.answer // the loop answers every request it accepted
	if r.panic != nil {
		panic(r.panic)
	}
	return r.err
}

func (b *batcher) close() {
	b.once.Do(func() { close(b.stop) })
	b.stopped.Wait()
}

func (b *batcher) loop() {
	defer b.stopped.Done()
	for {
		var first *batchReq
		select {
		case first = <-b.reqs:
		case <-b.stop:
			return
		}
		group := b.gather(first)
		b.commit(group)
		for _, r := range group {
			close(r.answer)
		}
	}
}

// gather makes the group that first starts: the requests waiting, and while they are fewer than smallGroup,
// those that come when the goroutines ready to run have gone first (Gosched), as long as that brings more.
// Without the yield, the goroutines about to ask for a write would each start the next group, and every group
// is a commit that writes its pages to the WAL again (docs/benchmarks.md). A long queue means the writer is
// the bottleneck: it then takes what is there and does not yield.
func (b *batcher) gather(first *batchReq) []*batchReq {
	group := b.drain([]*batchReq{first})
	for rounds := 0; rounds < maxGatherRounds && len(group) < smallGroup; rounds++ {
		runtime.Gosched() // returns at once when nothing else is ready
		n := len(group)
		if group = b.drain(group); len(group) == n {
			break
		}
	}
	return group
}

// smallGroup and maxGatherRounds bound the wait for a group to grow.
const (
	smallGroup      = 8
	maxGatherRounds = 8
)

// drain adds the requests waiting to group, up to maxBatch.
func (b *batcher) drain(group []*batchReq) []*batchReq {
	for len(group) < maxBatch {
		select {
		case r := <-b.reqs:
			group = append(group, r)
		default:
			return group
		}
	}
	return group
}

// commit runs a group in one transaction. A lone function runs without a savepoint.
func (b *batcher) commit(group []*batchReq) {
	// The transaction is the group's, not one caller's: a caller that gives up must not end it for the others.
	tx, err := b.w.BeginTx(context.Background(), nil)
	if err != nil {
		setAll(group, err)
		return
	}
	alone := len(group) == 1
	var done []*batchReq
	for _, r := range group {
		if r.err = r.ctx.Err(); r.err != nil {
			continue
		}
		if alone {
			call(r, tx)
		} else if err := inSavepoint(r, tx); err != nil {
			tx.Rollback()
			setAll(group, errBatchAborted)
			return
		}
		if r.err == nil && r.panic == nil {
			done = append(done, r)
		}
	}
	if len(done) == 0 {
		tx.Rollback()
		return
	}
	if err := tx.Commit(); err != nil {
		setAll(done, err)
	}
	b.committed()
}

// inSavepoint runs r's function in a savepoint, rolled back if it fails; the error is about the group's
// transaction, which is then unusable.
func inSavepoint(r *batchReq, tx *sql.Tx) error {
	ctx := context.Background()
	if _, err := tx.ExecContext(ctx, "SAVEPOINT tx"); err != nil {
		return err
	}
	call(r, tx)
	if r.err != nil || r.panic != nil {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO tx"); err != nil {
			return fmt.Errorf("sqldb: roll back a failed transaction of the group: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, "RELEASE tx")
	return err
}

func call(r *batchReq, tx *sql.Tx) {
	defer func() { r.panic = recover() }()
	r.err = r.fn(tx)
}

func setAll(group []*batchReq, err error) {
	for _, r := range group {
		if r.err == nil && r.panic == nil {
			r.err = err
		}
	}
}
