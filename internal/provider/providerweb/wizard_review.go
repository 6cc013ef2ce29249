package providerweb

// Step 6 of the filing wizard: review and submit.

import (
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/web"
)

func (s *Server) agreementsForm(v *web.View, o *filing.Order) *web.Form {
	sec := &web.Section{ID: "agreements", Path: "agreements_accepted", Title: v.T("web.review.agreements")}
	for _, a := range []string{"commitment", "security", "terms"} {
		f := v.Field("agreement", "agree_"+a, "yes").Labelled(v.T("web.agreement." + a + ".accept")).Req()
		f.Checked = o.AgreementsAccepted
		f.Hint = v.T("web.agreement." + a + ".text")
		f.Placeholder = v.T("web.agreement." + a + ".title")
		sec.Fields = append(sec.Fields, f)
	}
	return &web.Form{Sections: []*web.Section{sec}}
}
