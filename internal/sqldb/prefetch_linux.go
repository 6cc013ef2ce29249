package sqldb

import (
	"os"

	"golang.org/x/sys/unix"
)

// aheadFile is the file a Prefetch reads ahead: here through posix_fadvise(POSIX_FADV_WILLNEED), which starts
// the reads into the file cache and returns without copying anything. Linux reads at most the larger of the
// device's read-ahead and its largest request for one such call (128 KB and 1.25 MB are common; 8 MB here)
// and ignores the rest, so the advice goes in pieces of adviceChunk.
type aheadFile struct{ f *os.File }

// adviceChunk is the length of one piece of advice: below any read-ahead Linux gives a file opened with
// POSIX_FADV_SEQUENTIAL (twice the device's, 128 KB by default).
const adviceChunk = 256 << 10

func openAhead(path string) (aheadFile, int64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return aheadFile{}, 0, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return aheadFile{}, 0, false
	}
	unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_SEQUENTIAL)
	return aheadFile{f}, st.Size(), true
}

func (a aheadFile) willNeed(off, n int64) {
	for end := off + n; off < end; off += adviceChunk {
		unix.Fadvise(int(a.f.Fd()), off, min(adviceChunk, end-off), unix.FADV_WILLNEED)
	}
}

func (a aheadFile) close() { a.f.Close() }
