package providerweb

// What the reviewer's order page shows of issue 14 (docs/verification.md, "Same person" and "Credential
// recognition"): each verified person's ID card photo beside their live face photo, saying how the two were
// compared (人工比对 when no comparison service ran), and what was read from each credential photo, with the
// engine's confidence, as the applicant's form was filled from it.

import (
	"slices"
	"strconv"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/recognise"
	"github.com/beian/beian/internal/web"
)

// identityRow is one person: the ID card photo and the live face photo side by side.
type identityRow struct {
	Key, Name, Roles, State string
	IDURL, IDName           string // the person's credential photo ("" when none was uploaded)
	PhotoURL                string // the face photo ("" while there is none to see)
	Comparison              string // how the two were compared
	ByEye                   bool
}

// readingView is what was read from one credential photo.
type readingView struct {
	ID, Material, Kind, Engine, Text string
	Rows                             []readingRow
}

type readingRow struct {
	Label, Value, Read, Confidence, Check string
}

// identityRows pairs each person who verifies with their credential photo.
func (s *Server) identityRows(v *web.View, o *filing.Order) ([]identityRow, error) {
	ev, err := s.svc.Evidence(v.Ctx(), v.Actor, o.ID)
	if err != nil {
		return nil, err
	}
	var out []identityRow
	for _, p := range personRows(v, ev.Persons, true) {
		row := identityRow{Key: p.Key, Name: p.Name, Roles: p.Roles, State: p.StateLabel, PhotoURL: p.PhotoURL}
		if id, code := credentialOf(o, p.PersonStatus); id != 0 {
			row.IDURL = "/api/v1/materials/" + strconv.FormatInt(id, 10)
			row.IDName = web.MaterialName(v.Lang, code)
		}
		if p.Verification != nil {
			if c, _ := p.Capture["comparison"].(string); c == "verifier" {
				row.Comparison = v.Tf("identity.compared_by", "name", p.Verification.Verifier)
			} else {
				row.Comparison, row.ByEye = v.T("identity.by_eye"), true
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// credentialOf is person p's credential photo on the order: its material id and code (0 when none). The
// subject principal's is the subject's credential for an individual, else the principal's own ID card, else
// the copy a service they are principal of holds; a service principal's is their service's copy.
func credentialOf(o *filing.Order, p provider.PersonStatus) (int64, string) {
	codes := []string{"service_principal_credential"}
	switch {
	case p.Key == provider.PersonSubjectPrincipal && o.Subject.IsIndividual():
		codes = []string{"subject_credential"}
	case p.Key == provider.PersonSubjectPrincipal:
		codes = []string{"subject_principal_credential", "service_principal_credential"}
	case p.Key == provider.PersonLegalRepresentative:
		return 0, ""
	}
	for _, code := range codes {
		for _, ref := range o.Materials {
			if ref.Code == code && (ref.ServiceIdx == nil || slices.Contains(p.Services, *ref.ServiceIdx)) {
				return ref.ID, code
			}
		}
	}
	return 0, ""
}

// readings lists what was read from the order's credential photos (those never read are left out).
func (s *Server) readings(v *web.View, o *filing.Order) []readingView {
	var out []readingView
	for _, ref := range o.Materials {
		if !slices.Contains(credentialCodes, ref.Code) {
			continue
		}
		res, err := s.svc.MaterialReading(v.Ctx(), v.Actor, ref.ID)
		if err != nil || res == nil {
			continue
		}
		rv := readingView{ID: "reading-" + strconv.FormatInt(ref.ID, 10), Material: web.MaterialName(v.Lang, ref.Code),
			Kind: v.T("identity.kind." + string(res.Kind)), Engine: res.Engine, Text: res.Text}
		for _, f := range recognise.FieldsOf(res.Kind) {
			rf := res.Fields[f]
			row := readingRow{Label: v.T("recognise.field." + f), Value: rf.Value, Read: rf.Read,
				Confidence: strconv.Itoa(int(rf.Confidence*100+0.5)) + "%"}
			if rf.Check != "" {
				row.Check = v.T(rf.Check)
			}
			rv.Rows = append(rv.Rows, row)
		}
		out = append(out, rv)
	}
	return out
}
