package main

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// dropBehind wraps the export's output file, when it is a regular one, so that what is written leaves the
// operating system's file cache: at each step of output, the disk's write-back of that step is started, and
// the step before it, written back meanwhile, is waited for and dropped from the cache. Otherwise the output of
// an export of the national registry (8.6 GB at 10 M filings) pushes the registry being read (17 GB) out of
// the cache of a 24 GB machine, and the export then waits for the disk (docs/benchmarks.md, issue 16). The
// calls are advice: their errors are ignored, the data being written all the same.
func dropBehind(f *os.File, step int64) io.Writer {
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return f
	}
	return &dropWriter{f: f, fd: int(f.Fd()), step: step}
}

// dropWriter counts what was written from the start of the file; write-back was started up to started, and
// the cache dropped up to dropped.
type dropWriter struct {
	f                         *os.File
	fd                        int
	step                      int64
	written, started, dropped int64
}

func (d *dropWriter) Write(b []byte) (int, error) {
	n, err := d.f.Write(b)
	d.written += int64(n)
	for d.written-d.started >= d.step {
		unix.SyncFileRange(d.fd, d.started, d.step, unix.SYNC_FILE_RANGE_WRITE)
		if d.dropped < d.started {
			k := d.started - d.dropped
			unix.SyncFileRange(d.fd, d.dropped, k,
				unix.SYNC_FILE_RANGE_WAIT_BEFORE|unix.SYNC_FILE_RANGE_WRITE|unix.SYNC_FILE_RANGE_WAIT_AFTER)
			unix.Fadvise(d.fd, d.dropped, k, unix.FADV_DONTNEED)
			d.dropped = d.started
		}
		d.started += d.step
	}
	return n, err
}
