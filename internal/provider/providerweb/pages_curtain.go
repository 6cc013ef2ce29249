package providerweb

import (
	"net/http"
	"strconv"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// Curtain mailings on the applicant's order page and the desk's list (docs/after-filing.md).

// curtainView is the order page's curtain section: the mailings so far and, while none is waiting to be sent
// and the order's verification asks for the curtain photo (provider.Service.CurtainNeeded), the request form.
// An order verified otherwise (the white-background photo, Shanghai's app, nobody to verify) has no section
// unless a curtain was mailed for it before.
type curtainView struct {
	Mailings []store.Mailing
	Form     *web.Form
}

func (s *Server) curtainOf(v *web.View, o *filing.Order) (*curtainView, error) {
	list, err := s.svc.Mailings(v.Ctx(), v.Actor, store.MailingFilter{OrderID: o.ID})
	if err != nil {
		return nil, err
	}
	cv := &curtainView{Mailings: list}
	open := false
	for _, m := range list {
		open = open || m.State == store.MailingRequested
	}
	if !open && !o.State.Final() {
		need, err := s.svc.CurtainNeeded(v.Ctx(), o)
		if err != nil {
			return nil, err
		}
		if need {
			cv.Form = s.curtainForm(v, provider.CurtainRequest{Province: o.Province})
		}
	}
	if len(list) == 0 && cv.Form == nil {
		return nil, nil
	}
	return cv, nil
}

func (s *Server) curtainForm(v *web.View, in provider.CurtainRequest) *web.Form {
	return &web.Form{Sections: []*web.Section{{ID: "sec-curtain", Fields: []*web.Field{
		v.Text("recipient", in.Recipient).Req().Labelled(v.T("web.curtain.recipient")).Auto("name"),
		v.Field("tel", "mobile", in.Mobile).Req().Labelled(v.T("web.curtain.mobile")).Mode("numeric"),
		v.Select("province", in.Province, filingview.ProvinceOptions(v.Lang), true).Req().Labelled(v.T("web.curtain.province")),
		v.Text("address", in.Address).Req().Widen().Labelled(v.T("web.curtain.address")).Auto("street-address"),
	}}}}
}

// curtainSubmit records the applicant's request for a curtain.
func (s *Server) curtainSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	in := provider.CurtainRequest{Recipient: formValue(r, "recipient"), Mobile: formValue(r, "mobile"),
		Province: formValue(r, "province"), Address: formValue(r, "address")}
	if err = v.Refused(); err == nil {
		_, err = s.svc.RequestCurtain(v.Ctx(), v.Actor, id, in)
	}
	if err != nil {
		// A curtain the order does not need: its form is not on the page, only the refusal can be shown.
		if k := problem.KindOf(err); k != problem.Invalid && k != problem.Conflict || problem.Is(err, "curtain.not_needed") {
			s.Fail(w, r, v, err)
			return
		}
		tl, terr := s.timeline(v, r)
		if terr != nil {
			s.Fail(w, r, v, terr)
			return
		}
		f := s.curtainForm(v, in)
		f.Place(s.PageErrors(r, err))
		v.Area, v.Current = "portal", "orders"
		s.showProgress(w, r, v, tl, f, web.StatusFor(err))
		return
	}
	web.Redirect(w, r, "/orders/"+strconv.FormatInt(id, 10)+"#curtain", "curtain_requested")
}
