package mpsweb

import (
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
)

// The subject's and the application's forms have the record's fields, in order and no other, so that a reviewer
// may put a note on each field the applicant fills; a reviewer names each by its label in every language.
func TestFormsHaveTheRecordsFields(t *testing.T) {
	forms := map[string]*form{mps.KindSubject: subjectForm(i18n.ZhCN, mps.SubjectInput{}),
		mps.KindWebsite: websiteForm(i18n.ZhCN, mps.WebsiteInput{}, nil)}
	for kind, f := range forms {
		var names []string
		for _, fl := range f.all() {
			names = append(names, fl.Name)
		}
		if want := mps.FormFields(kind); !slices.Equal(names, want) {
			t.Errorf("%s: the form's fields %v,\nthe record's %v", kind, names, want)
		}
		for _, lang := range i18n.Langs {
			for _, name := range mps.NoteFields(kind) {
				l := noteLabel(lang, kind, name)
				if got := noteField(lang, kind, l); got != name || strings.HasPrefix(l, "mps.web.") {
					t.Errorf("%s %s: %s labelled %q is taken for %q", kind, lang, name, l, got)
				}
			}
		}
	}
}
