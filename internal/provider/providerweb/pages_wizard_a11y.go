package providerweb

import "github.com/beian/beian/internal/web"

// tieAgreementError points each agreement not yet accepted at the error shown for the agreements as a group,
// so that assistive technology reads the error on the checkbox that needs ticking.
func tieAgreementError(f *web.Form) {
	for _, sec := range f.Sections {
		if sec.ID != "agreements" || len(sec.Errors) == 0 {
			continue
		}
		for _, fl := range sec.Fields {
			if !fl.Checked {
				fl.ErrorOf = sec.ID + "-err"
			}
		}
	}
}
