package app

import "runtime/debug"

// gcPercent is the collector's target for a serving node: its live heap is small (tens of MiB: data lives in
// the database), and at Go's default of 100 collection took about a tenth of the CPU under load; at 400 a
// lifecycle costs ~10% less CPU for a peak heap still well under 200 MiB (docs/benchmarks.md).
const gcPercent = 400

// memoryLimit is the soft limit of the Go heap for a serving node: with gcPercent alone the heap grows to five
// times its live size under a query load, which with SQLite's caches took the process past 600 MB; near the
// limit the collector runs more often instead (docs/benchmarks.md).
const memoryLimit = 192 << 20

// TuneGC sets the collector's target and soft memory limit for serving, unless the operator chose them with
// GOGC and GOMEMLIMIT.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
