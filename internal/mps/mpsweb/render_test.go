package mpsweb

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
)

// A website's page gives the expected review date only while staff still have to decide.
func TestReviewDateOnlyUnderReview(t *testing.T) {
	ts, err := templates()
	if err != nil {
		t.Fatal(err)
	}
	for st, want := range map[mps.State]bool{mps.StateReview: true, mps.StateInspection: true, mps.StateChangeReview: true,
		mps.StateApproved: false, mps.StateReturned: false, mps.StateCancelled: false} {
		site := &mps.Website{ID: 1, State: st, ReviewDeadline: time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC),
			Data: mps.WebsiteData{WebsiteInput: mps.WebsiteInput{Domains: []string{"example.cn"}}}}
		var buf bytes.Buffer
		p := &page{Lang: i18n.ZhCN, D: &recordData{Kind: mps.KindWebsite, Website: site}}
		if err := ts[i18n.ZhCN].ExecuteTemplate(&buf, "record", p); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(buf.String(), "预计 2026-12-15 前完成审核"); got != want {
			t.Errorf("%s: review date shown %v, want %v", st, got, want)
		}
	}
}
