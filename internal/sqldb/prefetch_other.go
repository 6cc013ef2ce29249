//go:build !linux

package sqldb

// aheadFile reads nothing ahead where posix_fadvise is not at hand: Prefetch is then nil.
type aheadFile struct{}

func openAhead(string) (aheadFile, int64, bool) { return aheadFile{}, 0, false }

func (aheadFile) willNeed(int64, int64) {}

func (aheadFile) close() {}
