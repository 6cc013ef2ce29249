package app

import "runtime/debug"

// gcPercent is the collector's target for a serving node: its live heap is small (tens of MiB: data lives in
// the database), and at Go's default of 100 collection took about a tenth of the CPU under load; at 400 a
// lifecycle costs ~10% less CPU for a peak heap still well under 200 MiB (docs/benchmarks.md).
const gcPercent = 400

// TuneGC sets the collector's target for serving unless the operator chose one with GOGC.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
