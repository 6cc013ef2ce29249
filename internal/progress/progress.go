// Package progress draws a progress bar on a terminal for the command-line tools (compliance checks, registry
// import and export). It draws only when its writer is a terminal, so redirected output and logs stay clean,
// and redraws at most ten times a second.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// IsTerminal reports whether w is a character device (a terminal), not a file or a pipe.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Bar counts work done out of a total (0: unknown) and shows it as a bar with the rate.
type Bar struct {
	mu      sync.Mutex
	w       io.Writer
	label   string
	total   int64
	done    int64
	note    string
	start   time.Time
	drawn   time.Time
	enabled bool
}

// New returns a bar on w; it draws only if enabled (normally IsTerminal(w)).
func New(w io.Writer, label string, total int64, enabled bool) *Bar {
	return &Bar{w: w, label: label, total: total, start: time.Now(), enabled: enabled}
}

// Add counts n more done, with a note shown after the figures (e.g. the item just finished).
func (b *Bar) Add(n int64, note string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	b.note = note
	if b.enabled && time.Since(b.drawn) >= 100*time.Millisecond {
		b.draw()
	}
}

// Done returns the count so far.
func (b *Bar) Done() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.done
}

// Finish draws the final state and ends the line.
func (b *Bar) Finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.enabled {
		b.note = ""
		b.draw()
		fmt.Fprintln(b.w)
	}
}

const width = 30

func (b *Bar) draw() {
	b.drawn = time.Now()
	rate := float64(b.done) / max(time.Since(b.start).Seconds(), 1e-3)
	line := fmt.Sprintf("%s %d", b.label, b.done)
	if b.total > 0 {
		filled := int(min(b.done, b.total) * width / b.total)
		line = fmt.Sprintf("%s [%s%s] %d/%d", b.label, strings.Repeat("#", filled),
			strings.Repeat(".", width-filled), b.done, b.total)
	}
	line += fmt.Sprintf(" %.0f/s %s", rate, time.Since(b.start).Round(time.Second))
	if b.note != "" {
		line += " " + b.note
	}
	fmt.Fprintf(b.w, "\r\033[K%s", line)
}
