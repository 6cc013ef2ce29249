package mpsweb

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/beian/beian/internal/web"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/workday"
)

// The staff console of a local public security organ: the queue of its area and one record with its
// materials, history and the decision form.

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request, p *page) {
	q, err := s.Sim.Queue(r.Context(), p.User, r.URL.Query().Get("state"))
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Nav, p.D = "staff", q
	s.render(w, p, http.StatusOK, "queue")
}

func decisionForm(lang i18n.Lang, action string, r *http.Request) *form {
	var opts []option
	for _, a := range []mps.Action{mps.ActApprove, mps.ActReturn, mps.ActScheduleInterview, mps.ActScheduleInspection,
		mps.ActPass, mps.ActFail} {
		opts = append(opts, option{Value: string(a), Label: i18n.T(lang, "mps.web.action."+string(a), nil)})
	}
	f := &form{Action: action, Submit: "mps.web.decide", Sections: []*section{{Fields: []*field{
		selectField(lang, "action", r.FormValue("action"), opts),
		area(lang, "reason", r.FormValue("reason"), 2), area(lang, "notes", r.FormValue("notes"), 3),
		typed(lang, "datetime-local", "appointment.at", r.FormValue("appointment.at")),
		text(lang, "appointment.place", r.FormValue("appointment.place"), false),
		text(lang, "appointment.bring", r.FormValue("appointment.bring"), false)}}}}
	for _, fl := range f.Sections[0].Fields[1:] {
		fl.Required = false
	}
	return f
}

func (s *Server) recordPage(w http.ResponseWriter, r *http.Request, p *page) {
	s.showRecord(w, r, p, http.StatusOK, nil)
}

func (s *Server) showRecord(w http.ResponseWriter, r *http.Request, p *page, status int, derr error) {
	kind, err := recordKind(r)
	id, err2 := web.PathID(r)
	if err = firstErr(err, err2); err != nil {
		s.fail(w, r, p, err)
		return
	}
	d := &recordData{Kind: kind, Staff: true, Decision: decisionForm(p.Lang, r.URL.Path, r)}
	if kind == mps.KindSubject {
		d.Subject, err = s.Sim.StaffSubject(r.Context(), p.User, id)
	} else {
		d.Website, d.Subject, err = s.Sim.StaffWebsite(r.Context(), p.User, id)
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Nav, p.D, p.Errors = "staff", d, d.Decision.place(r, derr)
	s.render(w, p, status, "record")
}

// decisionInput reads the decision form: notes one per line as "field: text", the field named as the record's form
// labels it in the staff's language (详细地址) or by its name (address); a line without a colon is a note on no
// field. A name that is neither stays as typed, for the use case to refuse.
func decisionInput(r *http.Request, lang i18n.Lang, kind string) mps.Decision {
	d := mps.Decision{Action: mps.Action(r.PostFormValue("action")), Reason: r.PostFormValue("reason")}
	for _, l := range strings.Split(r.PostFormValue("notes"), "\n") {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		field, text, ok := strings.Cut(strings.Replace(l, "：", ":", 1), ":")
		if !ok {
			field, text = "", l
		}
		d.Notes = append(d.Notes, mps.Note{Field: noteField(lang, kind, strings.TrimSpace(field)), Text: strings.TrimSpace(text)})
	}
	if v := r.PostFormValue("appointment.at"); v != "" || d.Action == mps.ActScheduleInterview || d.Action == mps.ActScheduleInspection {
		at, _ := time.ParseInLocation("2006-01-02T15:04", v, workday.Location())
		d.Appointment = &mps.Appointment{At: at, Place: r.PostFormValue("appointment.place"),
			Bring: r.PostFormValue("appointment.bring")}
	}
	return d
}

// noteField turns what a reviewer typed before the colon into the field's name: a name of the record's fields
// as it is, else the one field whose label in lang (or the label without its parenthesised explanation) it is,
// case and surrounding spaces aside. Anything else is returned unchanged.
func noteField(lang i18n.Lang, kind, typed string) string {
	known := mps.NoteFields(kind)
	if typed == "" || slices.Contains(known, typed) {
		return typed
	}
	var found []string
	for _, name := range known {
		l := noteLabel(lang, kind, name)
		short, _, _ := strings.Cut(strings.Replace(l, "（", "(", 1), "(")
		if strings.EqualFold(typed, l) || strings.EqualFold(typed, strings.TrimSpace(short)) {
			found = append(found, name)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return typed
}

func (s *Server) recordDecide(w http.ResponseWriter, r *http.Request, p *page) {
	kind, err := recordKind(r)
	id, err2 := web.PathID(r)
	if err = firstErr(err, err2); err == nil {
		err = s.Sim.Decide(r.Context(), p.User, kind, id, decisionInput(r, p.Lang, kind))
	}
	if err != nil {
		s.showRecord(w, r, p, web.StatusFor(err), err)
		return
	}
	web.Redirect(w, r, r.URL.Path, "decided")
}

// serveBadge serves the simulator's badge icon: a small shield drawn once (the real platform hands out its
// own emblem, which a site downloads).
func serveBadge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(badgePNG())
}

var badgePNG = sync.OnceValue(func() []byte {
	const n = 20
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	blue, gold := color.NRGBA{0x1a, 0x4c, 0x9a, 0xff}, color.NRGBA{0xe8, 0xb9, 0x2c, 0xff}
	for y := 0; y < n; y++ {
		half := n / 2
		if y > n/2 {
			half = n/2 - (y-n/2)*n/2/(n/2)
		}
		for x := n/2 - half; x < n/2+half; x++ {
			c := blue
			if (x-n/2)*(x-n/2)+(y-8)*(y-8) < 12 {
				c = gold
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
})
