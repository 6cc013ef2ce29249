package recognise

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/recognise/credtest"
)

// The local engine reads every field of an ID card front as rendered, tilted, sideways, blurred, dim and on a
// desk, and of the back and a licence as rendered and sideways. (The accuracy over many generated credentials
// and every condition is BenchmarkAccuracy's; this pins one of each, and keeps CI's race run short.)
func TestTesseract(t *testing.T) {
	te := engine(t)
	for _, kind := range []Kind{IDFront, IDBack, BusinessLicence} {
		s := render(t, kind, 1)
		for _, v := range credtest.Variants() {
			if kind != IDFront && v.Name != "clean" && v.Name != "rotated_90deg" {
				continue
			}
			t.Run(string(kind)+"/"+v.Name, func(t *testing.T) {
				t.Parallel()
				r, err := te.Recognise(context.Background(), jpg(t, v.Make(s.img)), kind)
				if err != nil {
					t.Fatal(err)
				}
				for k, want := range s.truth {
					if f := r.Fields[k]; f.Value != want {
						t.Errorf("%s = %+v, want %q\ntext:\n%s", k, f, want, r.Text)
					}
				}
			})
		}
	}
}

// A USCC certificate is read with the licence's layout; nothing readable gives fields to check, not an
// error.
func TestTesseractNothingToRead(t *testing.T) {
	te := engine(t)
	r, err := te.Recognise(context.Background(), photo(t), USCCCertificate)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.ToCheck(); !slices.Equal(got, FieldsOf(USCCCertificate)) {
		t.Errorf("to check: %v", got)
	}
}

// BenchmarkAccuracy reads b.N generated credentials of each kind under each variant and reports the share
// of each field read exactly right (%-field), of the filled values that are wrong (wrong-%), of those wrong
// without being marked to check (silent-%: what the applicant is not warned about) and the time per image.
// Run:
//
//	go test ./internal/recognise -run XXX -bench Accuracy -benchtime 10x
//
// The numbers are in docs/benchmarks.md.
func BenchmarkAccuracy(b *testing.B) {
	te := engine(b)
	for _, kind := range []Kind{IDFront, IDBack, BusinessLicence} {
		for _, v := range credtest.Variants() {
			b.Run(string(kind)+"/"+v.Name, func(b *testing.B) {
				right, wrong, silent, filled := map[string]int{}, 0, 0, 0
				for i := 0; b.Loop(); i++ {
					b.StopTimer()
					s := render(b, kind, uint64(100+i))
					img := jpg(b, v.Make(s.img))
					b.StartTimer()
					r, err := te.Recognise(context.Background(), img, kind)
					if err != nil {
						b.Fatal(err)
					}
					for k, want := range s.truth {
						f := r.Fields[k]
						switch {
						case f.Value == want:
							right[k]++
						case f.Value != "" && f.Check == "":
							silent++
							fallthrough
						case f.Value != "":
							wrong++
						}
						if f.Value != "" {
							filled++
						}
					}
				}
				for _, k := range FieldsOf(kind) {
					b.ReportMetric(100*float64(right[k])/float64(b.N), "%-"+k)
				}
				b.ReportMetric(100*float64(wrong)/float64(max(filled, 1)), "wrong-%")
				b.ReportMetric(100*float64(silent)/float64(max(filled, 1)), "silent-%")
			})
		}
	}
}

// A run that outlives its time is killed and reported; a missing engine says what to install.
func TestTesseractLimits(t *testing.T) {
	te := engine(t)
	slow := *te
	slow.Timeout = time.Millisecond
	if _, err := slow.Recognise(context.Background(), photo(t), IDFront); !problem.Is(err, "recognise.engine_failed") {
		t.Errorf("timeout: %v", err)
	}
	if _, err := NewTesseract("/nonexistent/tesseract"); err == nil || !strings.Contains(err.Error(), "tesseract-ocr-chi-sim") {
		t.Errorf("missing engine: %v", err)
	}
	var c capped
	c.max = 4
	c.Write([]byte("abc"))
	c.Write([]byte("defg"))
	if c.String() != "abcd" || !c.over {
		t.Errorf("capped = %q over %v", c.String(), c.over)
	}
}
