package providerweb

import (
	"net/http"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// placeNotices shows the findings that do not block the order (an ID number's unknown county, a website name
// that needs a pre-approval, a province's notices): beside their field on the step that enters it, and every
// one of them, with a link to its field, on the review page (d.Notices).
func (s *Server) placeNotices(v *web.View, r *http.Request, d *wizardData) error {
	_, rep, err := s.svc.Evaluate(v.Ctx(), v.Actor, d.Order.ID)
	if err != nil {
		return err
	}
	var mine []web.FieldError
	for _, n := range s.PageErrors(r, problem.List(rep.Notices).Err()) {
		if d.Step == "review" || stepOfField(n.Field) == d.Step {
			mine = append(mine, n)
		}
	}
	rest := mine
	if d.Step == "subject" || d.Step == "services" {
		rest = d.Form.Remark(web.Warning, mine)
	}
	for _, n := range rest {
		n.Label = filingview.QualifiedLabel(v.Lang, n.Field, d.Order)
		if n.Field != "" {
			n.Target = s.fieldLink(v, d.Order, n.Field, false)
		}
		d.Notices = append(d.Notices, n)
	}
	return nil
}
