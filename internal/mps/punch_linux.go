package mps

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// punch frees n bytes of f at off: fallocate(FALLOC_FL_PUNCH_HOLE) gives the whole disk blocks of the range
// back and zeroes the parts of blocks at its ends; the file keeps its length and reads zeros there. On a file
// system that cannot punch holes, the bytes are overwritten with zeros.
func punch(f *os.File, off, n int64) error {
	err := unix.Fallocate(int(f.Fd()), unix.FALLOC_FL_PUNCH_HOLE|unix.FALLOC_FL_KEEP_SIZE, off, n)
	if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENOSYS) {
		return zeroes(f, off, n)
	}
	return err
}
