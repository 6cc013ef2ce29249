package recognise

import (
	"image"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/beian/beian/internal/imaging/imagetest"
	"github.com/beian/beian/internal/recognise/credtest"
)

// now is the tests' clock.
var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// engine returns the local engine. Without tesseract (or its Chinese data, or the fonts the test images are
// drawn with) the test is skipped on a workstation and fails under CI=true, where .ci/run installs them.
func engine(t testing.TB) *Tesseract {
	t.Helper()
	te, err := NewTesseract("")
	if err == nil {
		_, err = credtest.Font()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("recognition engine needed under CI: %v", err)
		}
		t.Skip(err)
	}
	te.Now = func() time.Time { return now }
	return te
}

func must[T any](t testing.TB, v T, err error) T {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func jpg(t testing.TB, m image.Image) []byte { return imagetest.JPEG(t, m, 90) }

// sample is one rendered credential and the values a perfect reading gives.
type sample struct {
	kind  Kind
	img   *image.RGBA
	truth map[string]string
}

// render draws kind for the seed's person or company.
func render(t testing.TB, kind Kind, seed uint64) sample {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed*7919+1))
	var (
		m   *image.RGBA
		err error
		tr  map[string]string
	)
	switch kind {
	case IDFront, IDBack:
		p := credtest.NewPerson(rng)
		sex := map[string]string{"男": "male", "女": "female"}[p.Sex]
		if kind == IDFront {
			m, err = credtest.IDFront(p)
			tr = map[string]string{FieldName: p.Name, FieldSex: sex, FieldBirthDate: p.Birth.Format(time.DateOnly),
				FieldAddress: p.Address, FieldIDNumber: p.Number}
		} else {
			m, err = credtest.IDBack(p)
			to := "long_term"
			if !p.ValidTo.IsZero() {
				to = p.ValidTo.Format(time.DateOnly)
			}
			tr = map[string]string{FieldAuthority: p.Authority, FieldValidFrom: p.ValidFrom.Format(time.DateOnly), FieldValidTo: to}
		}
	default:
		c := credtest.NewCompany(rng)
		m, err = credtest.Licence(c)
		tr = map[string]string{FieldName: c.Name, FieldUSCC: c.USCC, FieldLegalRep: c.LegalRep, FieldAddress: c.Address}
	}
	if err != nil {
		t.Fatal(err)
	}
	return sample{kind, m, tr}
}
