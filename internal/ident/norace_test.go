//go:build !race

package ident

// raceDetector tells the tests that the race detector is on (race_test.go); here it is off.
const raceDetector = false
