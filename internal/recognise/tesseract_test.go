package recognise

import (
	"context"
	"testing"

	"github.com/beian/beian/internal/recognise/credtest"
)

func TestTesseractVariants(t *testing.T) {
	te := engine(t)
	for _, kind := range []Kind{IDFront, IDBack, BusinessLicence} {
		s := render(t, kind, 1)
		for _, v := range credtest.Variants() {
			t.Run(string(kind)+"/"+v.Name, func(t *testing.T) {
				r, err := te.Recognise(context.Background(), jpg(t, v.Make(s.img)), kind)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("rotation %.1f text:\n%s", r.Rotation, r.Text)
				for k, want := range s.truth {
					f := r.Fields[k]
					if f.Value != want {
						t.Errorf("%s = %+v, want %q", k, f, want)
					}
				}
			})
		}
	}
}
