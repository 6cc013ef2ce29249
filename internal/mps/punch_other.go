//go:build !linux

package mps

import "os"

// punch overwrites n bytes of f at off with zeros (holes are punched on Linux only).
func punch(f *os.File, off, n int64) error { return zeroes(f, off, n) }
