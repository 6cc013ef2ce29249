package mpsweb

import (
	"fmt"
	"net/http"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/web"
)

// The applicant's changes (the platform's user guide: changes and cancellation of a subject and of a website):
// a returned subject or application is corrected and submitted again, an approved one is changed (its approved
// data stays in force until the change is approved), and either is cancelled after an explicit confirmation. The
// forms are the new-filing forms filled with the record's data and go through the same use cases
// (UpdateSubject, UpdateWebsite, CancelSubject, CancelWebsite), so the same field rules apply.

func changeRoutes(handle func(string, http.HandlerFunc), s *Server) {
	const applicant = mps.RoleApplicant
	handle("GET /mps/subjects/{id}/edit", s.pg(s.subjectEditPage, "mps.web.title.subject_edit", applicant))
	handle("POST /mps/subjects/{id}/edit", s.pg(s.subjectEditSubmit, "mps.web.title.subject_edit", applicant))
	handle("POST /mps/subjects/{id}/cancel", s.pg(s.cancelSubmit(mps.KindSubject), "mps.web.title.subject", applicant))
	handle("GET /mps/websites/{id}/edit", s.pg(s.websiteEditPage, "mps.web.title.website_edit", applicant))
	handle("POST /mps/websites/{id}/edit", s.pg(s.websiteEditSubmit, "mps.web.title.website_edit", applicant))
	handle("POST /mps/websites/{id}/cancel", s.pg(s.cancelSubmit(mps.KindWebsite), "mps.web.title.website", applicant))
}

// editable says whether the applicant may submit new data for a record in state st.
func editable(st mps.State) bool { return st == mps.StateReturned || st == mps.StateApproved }

// updateAction is the button of the edit form: resubmit a returned record, or submit a change of an approved one.
func updateAction(st mps.State) string {
	if st == mps.StateReturned {
		return "mps.web.action.resubmit"
	}
	return "mps.web.action.change"
}

func recordPath(kind string, id int64) string { return fmt.Sprintf("/mps/%ss/%d", kind, id) }

// cancelForm asks for a reason and the confirmation; reason is what was typed before a refusal.
func cancelForm(lang i18n.Lang, kind string, id int64, reason string) *form {
	why := text(lang, "reason", reason, false)
	why.Hint = "" // the staff's hint (required when returning) does not apply here
	return &form{Action: recordPath(kind, id) + "/cancel", Submit: "mps.web.action.cancel", Sections: []*section{{
		Title: i18n.T(lang, "mps.web.sec.cancel", nil), Intro: i18n.T(lang, "mps.web.intro.cancel_"+kind, nil),
		Fields: []*field{why, checkbox(lang, "confirm", false)}}}}
}

func (s *Server) ownSubject(r *http.Request, p *page) (*mps.Subject, error) {
	id, err := web.PathID(r)
	if err != nil {
		return nil, err
	}
	return s.Sim.Subject(r.Context(), p.User.ID, id)
}

func (s *Server) ownWebsite(r *http.Request, p *page) (*mps.Website, error) {
	id, err := web.PathID(r)
	if err != nil {
		return nil, err
	}
	return s.Sim.Website(r.Context(), p.User.ID, id)
}

func notEditable(st mps.State) error {
	return problem.New(problem.Conflict, "mps.transition_invalid", "", "state", string(st), "action", "update")
}

func (s *Server) subjectEditPage(w http.ResponseWriter, r *http.Request, p *page) {
	subj, err := s.ownSubject(r, p)
	if err == nil && !editable(subj.State) {
		err = notEditable(subj.State)
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.showSubjectEdit(w, r, p, subj, subj.Data, http.StatusOK, nil)
}

func (s *Server) showSubjectEdit(w http.ResponseWriter, r *http.Request, p *page, subj *mps.Subject, in mps.SubjectInput, status int, err error) {
	f := subjectForm(p.Lang, in)
	f.Action, f.Submit = recordPath(mps.KindSubject, subj.ID)+"/edit", updateAction(subj.State)
	f.annotate(subj.Notes)
	p.Nav, p.D, p.Errors = "center", f, f.place(r, err)
	s.render(w, p, status, "form")
}

func (s *Server) subjectEditSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	subj, err := s.ownSubject(r, p)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	in := subjectInput(r)
	ids, upErrs := s.uploads(r, p.User.ID, mps.SubjectMaterials(in.Nature))
	in.Materials = ids
	_, err = s.Sim.UpdateSubject(r.Context(), p.User.ID, subj.ID, in)
	if err = merged(upErrs, err); err != nil {
		s.showSubjectEdit(w, r, p, subj, in, web.StatusFor(err), err)
		return
	}
	web.Redirect(w, r, recordPath(mps.KindSubject, subj.ID), "submitted")
}

func (s *Server) websiteEditPage(w http.ResponseWriter, r *http.Request, p *page) {
	site, err := s.ownWebsite(r, p)
	if err == nil && !editable(site.State) {
		err = notEditable(site.State)
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	s.showWebsiteEdit(w, r, p, site, site.Data.WebsiteInput, http.StatusOK, nil)
}

// showWebsiteEdit is the application form without the choice of subject: an application stays with its subject.
func (s *Server) showWebsiteEdit(w http.ResponseWriter, r *http.Request, p *page, site *mps.Website, in mps.WebsiteInput, status int, err error) {
	f := websiteForm(p.Lang, in, nil)
	f.Sections[0].Fields = f.Sections[0].Fields[1:]
	f.Action, f.Submit = recordPath(mps.KindWebsite, site.ID)+"/edit", updateAction(site.State)
	f.annotate(site.Notes)
	p.Nav, p.D, p.Errors = "center", f, f.place(r, err)
	s.render(w, p, status, "form")
}

func (s *Server) websiteEditSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		s.fail(w, r, p, problem.Invalidf("imaging.too_large", "", "size", "", "max", "512000"))
		return
	}
	site, err := s.ownWebsite(r, p)
	var subj *mps.Subject
	if err == nil {
		subj, err = s.Sim.Subject(r.Context(), p.User.ID, site.SubjectID)
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	in := websiteInput(r)
	ids, upErrs := s.uploads(r, p.User.ID, mps.WebsiteMaterials(subj.Data.Nature))
	in.Materials, in.SubjectID = ids, site.SubjectID
	_, err = s.Sim.UpdateWebsite(r.Context(), p.User.ID, site.ID, in)
	if err = merged(upErrs, err); err != nil {
		s.showWebsiteEdit(w, r, p, site, in, web.StatusFor(err), err)
		return
	}
	web.Redirect(w, r, recordPath(mps.KindWebsite, site.ID), "submitted")
}

// cancelSubmit cancels a subject or a website once the applicant ticked the confirmation; without it nothing
// changes and the record's page says why, beside the box.
func (s *Server) cancelSubmit(kind string) func(http.ResponseWriter, *http.Request, *page) {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		id, err := web.PathID(r)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		reason := r.PostFormValue("reason")
		switch {
		case r.PostFormValue("confirm") != "yes":
			err = problem.Invalidf("mps.cancel_unconfirmed", "confirm")
		case kind == mps.KindSubject:
			err = s.Sim.CancelSubject(r.Context(), p.User.ID, id, reason)
		default:
			err = s.Sim.CancelWebsite(r.Context(), p.User.ID, id, reason)
		}
		if err != nil {
			s.showOwnRecord(w, r, p, kind, id, web.StatusFor(err), err)
			return
		}
		web.Redirect(w, r, recordPath(kind, id), "cancelled")
	}
}

// ownerActions adds to an applicant's record page the link to correct or change it and the cancellation form,
// with the problems of a refused cancellation beside its fields.
func ownerActions(r *http.Request, p *page, d *recordData, kind string, id int64, st mps.State, err error) {
	if editable(st) {
		d.Edit, d.EditLabel = recordPath(kind, id)+"/edit", updateAction(st)
	}
	if st != mps.StateCancelled {
		d.Cancel = cancelForm(p.Lang, kind, id, r.PostFormValue("reason"))
		p.Errors = d.Cancel.place(r, err)
	}
}

// showOwnRecord renders the applicant's subject or website page with status (a refused cancellation's err).
func (s *Server) showOwnRecord(w http.ResponseWriter, r *http.Request, p *page, kind string, id int64, status int, err error) {
	d := &recordData{Kind: kind}
	var st mps.State
	var gerr error
	if kind == mps.KindSubject {
		if d.Subject, gerr = s.Sim.Subject(r.Context(), p.User.ID, id); gerr == nil {
			st = d.Subject.State
		}
	} else if d.Website, gerr = s.Sim.Website(r.Context(), p.User.ID, id); gerr == nil {
		st = d.Website.State
		if d.Website.PoliceNumber != "" && st != mps.StateCancelled {
			b := s.badgeOf(d.Website.PoliceNumber)
			d.Badge = &b
		}
	}
	if gerr != nil {
		s.fail(w, r, p, gerr)
		return
	}
	ownerActions(r, p, d, kind, id, st, err)
	p.Nav, p.D = "center", d
	s.render(w, p, status, "record")
}

func (s *Server) recordView(kind string) func(http.ResponseWriter, *http.Request, *page) {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		id, err := web.PathID(r)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		s.showOwnRecord(w, r, p, kind, id, http.StatusOK, nil)
	}
}
