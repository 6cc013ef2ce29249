package registryio

import (
	"context"
	"errors"
	"io"

	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/progress"
)

// Loader loads records into a registry (miit.Simulator): LoadRegistry within Bulk.
type Loader interface {
	LoadRegistry(ctx context.Context, recs []miit.SeedRecord) error
	Bulk(ctx context.Context, fn func() error) error
}

// Exporter lists a registry's records (miit.Simulator.ExportRegistry).
type Exporter interface {
	ExportRegistry(ctx context.Context, fn func(miit.SeedRecord) error) error
}

// batchSize is the number of records loaded at a time: large enough for the loader's multi-row inserts, small
// enough that decoding the next batch overlaps with loading this one.
const batchSize = 20_000

// Import reads every record of r and loads it, in batches, decoding the next batch while the loader writes
// this one. It returns how many records were read. Records whose subject is already filed are skipped by the
// loader (see miit.Simulator.LoadRegistry), so an interrupted import can be run again.
func Import(ctx context.Context, l Loader, r Reader, bar *progress.Bar) (n int, err error) {
	err = l.Bulk(ctx, func() error {
		n, err = load(ctx, l, r, bar)
		return err
	})
	return n, err
}

func load(ctx context.Context, l Loader, r Reader, bar *progress.Bar) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []miit.SeedRecord, 1)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- readBatches(ctx, r, batches)
	}()
	n := 0
	for b := range batches {
		if err := l.LoadRegistry(ctx, b); err != nil {
			cancel()
			for range batches { // let the reader stop
			}
			return n, err
		}
		n += len(b)
		bar.Add(int64(len(b)), "")
	}
	return n, <-readErr
}

func readBatches(ctx context.Context, r Reader, out chan<- []miit.SeedRecord) error {
	b := make([]miit.SeedRecord, 0, batchSize)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if b = append(b, rec); len(b) == batchSize {
			select {
			case out <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
			b = make([]miit.SeedRecord, 0, batchSize)
		}
	}
	if len(b) > 0 {
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Export writes every record of e to w and returns how many.
func Export(ctx context.Context, e Exporter, w Writer, bar *progress.Bar) (int, error) {
	n := 0
	err := e.ExportRegistry(ctx, func(rec miit.SeedRecord) error {
		n++
		if n%1000 == 0 {
			bar.Add(1000, "")
		}
		return w.Write(rec)
	})
	bar.Add(int64(n%1000), "")
	if err != nil {
		return n, err
	}
	return n, w.Flush()
}
