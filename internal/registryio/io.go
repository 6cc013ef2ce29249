package registryio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"

	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/progress"
)

// Loader loads records into a registry (miit.Simulator): batches prepared with PrepareLoad (no database, any
// goroutine) and written with LoadPrepared (one transaction each), within Bulk.
type Loader interface {
	PrepareLoad(recs []miit.SeedRecord) (*miit.LoadBatch, error)
	LoadPrepared(ctx context.Context, b *miit.LoadBatch) error
	Bulk(ctx context.Context, fn func() error) error
}

// Exporter encodes a registry's records (miit.Simulator.ExportRegistry).
type Exporter interface {
	ExportRegistry(ctx context.Context, newEncoder func() miit.ExportEncoder, write func(b []byte, records int) error) error
}

// batchSize is the number of records loaded in one transaction: large enough for the loader's multi-row
// inserts, small enough that the next batches are decoded and prepared while the loader writes this one.
const batchSize = 20_000

// Counts says what an import did: records read, and of those the ones loaded; the others were filed already
// (by their subject's credential) or repeated the credential of a record before them in their batch.
type Counts struct{ Read, Loaded int }

// Import reads every record of r and loads it: one goroutine reads the input in batches, one per core decodes,
// checks and seals them (miit.Simulator.PrepareLoad), and the single SQLite writer writes them in input order,
// one transaction a batch. A record that breaks a rule stops the import with a LineError: the batch that
// holds it is not written (batches before it are, and records already filed are skipped when the import is
// run again).
func Import(ctx context.Context, l Loader, r Reader, bar *progress.Bar) (c Counts, err error) {
	err = l.Bulk(ctx, func() error {
		c, err = load(ctx, l, r, bar)
		return err
	})
	return c, err
}

// LineError is an input record that could not be read or breaks a rule (a *problem.Error, whose field is the
// path in the record, e.g. "services[0].kind"), with the line it starts on.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// job is one batch on its way: prepared by a worker, written by the writer in the order read.
type job struct {
	b    *batch
	done chan prepared
}

type prepared struct {
	lb  *miit.LoadBatch
	n   int
	err error
}

func load(ctx context.Context, l Loader, r Reader, bar *progress.Bar) (Counts, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan job, workers)
	order := make(chan job, workers+1)
	go readJobs(ctx, r, jobs, order)
	for range workers {
		go func() {
			for j := range jobs {
				j.done <- prepare(l, j.b)
			}
		}()
	}
	var c Counts
	for j := range order {
		var p prepared
		select {
		case p = <-j.done:
		case <-ctx.Done():
			return c, ctx.Err()
		}
		if p.err == nil {
			p.err = atLine(l.LoadPrepared(ctx, p.lb), j.b)
		}
		if p.err != nil {
			return c, p.err
		}
		c.Read += p.n
		c.Loaded += p.lb.Loaded()
		bar.Add(int64(p.n), "")
	}
	return c, nil
}

// readJobs reads r in batches and hands each to the workers and, in order, to the writer; a read error goes
// to the writer after the batches before it, instead of the batch it cut short.
func readJobs(ctx context.Context, r Reader, jobs, order chan<- job) {
	defer close(order)
	defer close(jobs)
	for {
		b, err := r.readBatch(batchSize)
		if len(b.lines) > 0 && (err == nil || errors.Is(err, io.EOF)) { // a batch cut short by an error is not written
			j := job{b: b, done: make(chan prepared, 1)}
			select {
			case order <- j:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			j := job{done: make(chan prepared, 1)}
			j.done <- prepared{err: err}
			select {
			case order <- j:
			case <-ctx.Done():
			}
			return
		}
	}
}

// prepare decodes a batch (JSON lines) and prepares it for loading; an error names the line of its record.
func prepare(l Loader, b *batch) prepared {
	if err := b.decode(); err != nil {
		return prepared{err: err}
	}
	lb, err := l.PrepareLoad(b.recs)
	if err != nil {
		return prepared{err: atLine(err, b)}
	}
	return prepared{lb: lb, n: len(b.recs)}
}

// atLine makes err a LineError when it is a problem of one record of the batch b (its "index" parameter): at
// the record's line, or for CSV at the line of the row that gives the field, which the problem then names by its
// column (csvLocate).
func atLine(err error, b *batch) error {
	var p *problem.Error
	if errors.As(err, &p) {
		if i, e := strconv.Atoi(p.Params["index"]); e == nil && i >= 0 && i < len(b.lines) {
			line := b.lines[i]
			if b.svcFrom != nil {
				line = b.csvLocate(p, i)
			}
			return &LineError{Line: line, Err: err}
		}
	}
	return err
}

// Export writes every record of e to w and returns how many: e's workers encode them, in w's format.
func Export(ctx context.Context, e Exporter, w *Writer, bar *progress.Bar) (int, error) {
	n := 0
	err := e.ExportRegistry(ctx, w.newEncoder, func(b []byte, records int) error {
		n += records
		bar.Add(int64(records), "")
		_, err := w.bw.Write(b)
		return err
	})
	if err != nil {
		return n, err
	}
	return n, w.Flush()
}
