package codes

import (
	"errors"
	"strings"
)

// FinanceWord is one financial trigger word of 银发〔2017〕119号 (docs/design.md §3) with the longer words that contain it
// but are not financial.
type FinanceWord struct {
	Word   string   `json:"word"`
	Except []string `json:"except,omitempty"`
}

func (f FinanceWord) key() string { return f.Word }

func (f FinanceWord) check() error {
	if strings.TrimSpace(f.Word) == "" {
		return errors.New("word is required")
	}
	for _, e := range f.Except {
		if !strings.Contains(strings.ToUpper(e), strings.ToUpper(f.Word)) {
			return errors.New("an exception must contain its word")
		}
	}
	return nil
}

// FinanceWords returns the trigger words.
func FinanceWords() []string {
	ws := tab().finance
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Word
	}
	return out
}

// FindFinanceWord returns the first trigger word that s contains (case-insensitive), ignoring occurrences that
// are part of an exception (基金会 for 基金).
func FindFinanceWord(s string) (string, bool) {
	up := strings.ToUpper(s)
	for _, w := range tab().finance {
		rest := up
		for _, e := range w.Except {
			rest = strings.ReplaceAll(rest, strings.ToUpper(e), " ")
		}
		if strings.Contains(rest, strings.ToUpper(w.Word)) {
			return w.Word, true
		}
	}
	return "", false
}
