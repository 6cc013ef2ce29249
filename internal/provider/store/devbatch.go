package store

import (
	"context"
	"strings"
	"sync"

	"github.com/beian/beian/internal/sqldb"
)

// The development gateway records every SMS and e-mail it "sends" (demo mode and the load test: ≈ 6 a filing).
// Written one autocommit each, they were a round trip and a commit apiece on PostgreSQL; messages recorded
// while a write is under way now wait for it and go together in the next one, as one multi-row INSERT. A
// recorder still returns only once its own message is stored (the outbox marks a delivery done after that).

// devBatchMax bounds one INSERT: 7 parameters a row, far below either engine's limit.
const devBatchMax = 64

type devReq struct {
	args []any // the 7 column values
	err  error
	done chan struct{}
}

// devBatch gathers the messages recorded at the same time. Its zero value is ready to use.
type devBatch struct {
	mu      sync.Mutex
	pending []*devReq
	writing bool // writeDev is running; recorders queue in pending and wait
}

const devInsert = `INSERT INTO dev_messages (channel, to_hash, to_enc, sender, subject, body_enc, created_at) VALUES `

// recordDev stores one message, with whatever others are recorded meanwhile. The first recorder to find no
// write under way starts a writer, which writes in rounds until nothing is pending, so no recorder's call lasts
// longer than the rounds before its own (an outbox delivery must finish within its lease).
func (s *Store) recordDev(ctx context.Context, args []any) error {
	b := &s.devBatch
	r := &devReq{args: args, done: make(chan struct{})}
	b.mu.Lock()
	b.pending = append(b.pending, r)
	if !b.writing {
		b.writing = true
		go s.writeDev(context.WithoutCancel(ctx)) // the rounds are everyone's: no one caller's cancellation stops them
	}
	b.mu.Unlock()
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		return ctx.Err() // a round under way may still store it: recorded at most once, as before
	}
}

// writeDev writes the pending messages, at most devBatchMax a statement, until none is left.
func (s *Store) writeDev(ctx context.Context) {
	b := &s.devBatch
	b.mu.Lock()
	for len(b.pending) > 0 {
		n := min(len(b.pending), devBatchMax)
		round := b.pending[:n:n]
		b.pending = b.pending[n:]
		b.mu.Unlock()
		err := s.insertDev(ctx, round)
		for _, q := range round {
			q.err = err
			close(q.done)
		}
		b.mu.Lock()
	}
	b.writing = false
	b.mu.Unlock()
}

// insertDev writes one round as one statement (a write of its own, sqldb.Write).
func (s *Store) insertDev(ctx context.Context, round []*devReq) error {
	var q strings.Builder
	q.WriteString(devInsert)
	args := make([]any, 0, 7*len(round))
	for i, r := range round {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(" + sqldb.Placeholders(len(args)+1, len(r.args)) + ")")
		args = append(args, r.args...)
	}
	_, err := s.Exec(ctx, q.String(), args...)
	return err
}
