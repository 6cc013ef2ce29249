//go:build race

package ident

// raceDetector tells the tests that the race detector is on: its instrumentation allocates (now and then, in
// sync and the runtime), so counts of allocations mean nothing under it.
const raceDetector = true
