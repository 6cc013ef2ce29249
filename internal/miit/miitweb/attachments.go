package miitweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// attachmentView is one file of a submission as the officer's page shows it.
type attachmentView struct {
	Label, URL string
	IsImage    bool
}

// attachmentViews lists the files submission id carried (materials and verification photos), labelled.
func (s *Server) attachmentViews(v *web.View, id int64, o *filing.Order) ([]attachmentView, error) {
	list, err := s.miit.Attachments(v.Ctx(), id, v.Actor.Provinces)
	if err != nil {
		return nil, err
	}
	out := make([]attachmentView, 0, len(list))
	for _, a := range list {
		out = append(out, attachmentView{Label: attachmentLabel(v.Lang, a, o), IsImage: strings.HasPrefix(a.Type, "image/"),
			URL: "/miit/console/reviews/" + strconv.FormatInt(id, 10) + "/attachments/" + strconv.Itoa(a.N)})
	}
	return out, nil
}

// attachmentLabel names a file: the material (with its service), or the verification photo and whom it shows.
func attachmentLabel(lang i18n.Lang, a miit.AttachmentInfo, o *filing.Order) string {
	label := web.MaterialName(lang, a.Purpose)
	if k := "web.miit.attachment." + a.Purpose; i18n.Has(k) {
		label = i18n.T(lang, k, nil)
	}
	switch {
	case a.Person == "subject_principal":
		label += " · " + i18n.T(lang, "web.group.subject_principal", nil)
	case strings.HasPrefix(a.Person, "services["):
		n, _ := strconv.Atoi(strings.TrimPrefix(a.Person[:max(strings.IndexByte(a.Person, ']'), 0)], "services["))
		label += " · " + filingview.ServiceTitle(lang, o, n) + " · " + i18n.T(lang, "web.group.service_principal", nil)
	case a.Service != nil:
		label += " · " + filingview.ServiceTitle(lang, o, *a.Service)
	}
	return label
}

// officerAttachment sends one file of a submission to the officer who reviews it.
func (s *Server) officerAttachment(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		s.Fail(w, r, v, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	data, typ, err := s.miit.Attachment(v.Ctx(), id, n, v.Actor.Provinces)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", "inline")
	_, _ = w.Write(data)
}
