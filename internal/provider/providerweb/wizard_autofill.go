package providerweb

// The credential photo first (issue 14, docs/verification.md "Credential recognition"): at the top of the
// subject step the applicant uploads the subject's credential and the principal's ID card, as Alibaba Cloud's
// and Huawei Cloud's consoles ask for them before the forms. Each photo is kept as the material the rules ask
// for, read (provider.RecogniseMaterial) and the subject and principal fields still empty are filled from it.
// A field holding the value read is marked as recognised so that the applicant checks it; what the applicant
// typed is never replaced; a number that fails its checksum is not filled and its field says so.

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/recognise"
	"github.com/beian/beian/internal/web"
)

// autofillCard is one credential photo the subject step asks for first.
type autofillCard struct {
	Code, ID, Title, Hint string
	Kind                  recognise.Kind
	UploadedID            int64
	URL                   string
	Errors                []string
	Accept                string
	MaxBytes              int
	TooLarge              string
}

// fillTarget says which form field a recognised field fills.
type fillTarget struct{ field, path string }

// autofillKind is the kind a credential photo is read as: the subject's credential by its type, the
// principal's ID card by its front ("" when no layout is known for the credential).
func autofillKind(code string, o *filing.Order) recognise.Kind {
	ct := o.Subject.CredentialType
	if code == "subject_principal_credential" {
		ct = o.Subject.Principal.CredentialType
	}
	switch ct {
	case "business_license":
		return recognise.BusinessLicence
	case "resident_id", "":
		return recognise.IDFront
	}
	return ""
}

// fillTargets are the form fields a reading of kind under material code fills.
func fillTargets(code string, kind recognise.Kind) []fillTarget {
	switch {
	case code == "subject_credential" && (kind == recognise.BusinessLicence || kind == recognise.USCCCertificate):
		return []fillTarget{{recognise.FieldName, "subject.name"}, {recognise.FieldAddress, "subject.credential_address"},
			{recognise.FieldLegalRep, "subject.legal_representative.name"}}
	case code == "subject_credential" && kind == recognise.IDFront:
		return []fillTarget{{recognise.FieldName, "subject.name"}, {recognise.FieldAddress, "subject.credential_address"}}
	case code == "subject_principal_credential" && kind == recognise.IDFront:
		return []fillTarget{{recognise.FieldName, "subject.principal.name"},
			{recognise.FieldIDNumber, "subject.principal.credential_number"}}
	}
	return nil
}

// subjectText points at the subject's text field of path (nil for a path autofill does not fill).
func subjectText(s *filing.Subject, path string) *string {
	switch path {
	case "subject.name":
		return &s.Name
	case "subject.credential_address":
		return &s.CredentialAddress
	case "subject.legal_representative.name":
		if s.LegalRepresentative == nil {
			s.LegalRepresentative = &filing.LegalRepresentative{}
		}
		return &s.LegalRepresentative.Name
	case "subject.principal.name":
		return &s.Principal.Name
	case "subject.principal.credential_number":
		return &s.Principal.CredentialNumber
	}
	return nil
}

// autofillCodes are the credential photos asked for first: the subject's, and the principal's unless the
// subject is a person (then the principal is the subject).
func autofillCodes(o *filing.Order) []string {
	if o.Subject.IsIndividual() {
		return []string{"subject_credential"}
	}
	return []string{"subject_credential", "subject_principal_credential"}
}

// materialOf is the id of the order's material of code (0: none).
func materialOf(o *filing.Order, code string) int64 {
	for _, ref := range o.Materials {
		if ref.Code == code && ref.ServiceIdx == nil {
			return ref.ID
		}
	}
	return 0
}

// autofillCards are the upload cards of the subject step (none when recognition is off: the materials step
// still takes the photos).
func (s *Server) autofillCards(v *web.View, o *filing.Order) []autofillCard {
	if !s.svc.RecognitionOn() {
		return nil
	}
	var out []autofillCard
	for _, code := range autofillCodes(o) {
		kind := autofillKind(code, o)
		if kind == "" {
			continue
		}
		path := "materials." + code
		c := autofillCard{Code: code, Kind: kind, ID: "autofill-" + code, Title: web.MaterialName(v.Lang, code),
			Hint: v.T("autofill.hint." + string(kind)), UploadedID: materialOf(o, code)}
		if c.UploadedID != 0 {
			c.URL = "/api/v1/materials/" + strconv.FormatInt(c.UploadedID, 10)
		}
		c.ID = web.FieldID(path) + "-autofill"
		c.Accept, c.MaxBytes, _, c.TooLarge = materialLimit(v, code)
		out = append(out, c)
	}
	return out
}

// markRecognised marks the fields of the subject form that hold what was read from the order's credential
// photos, says on an empty field which number read failed its check, and on the credential number fixed at
// the first step when the photo shows another.
func (s *Server) markRecognised(v *web.View, o *filing.Order, f *web.Form, fixed []*web.Field) {
	for _, code := range autofillCodes(o) {
		id := materialOf(o, code)
		if id == 0 {
			continue
		}
		res, err := s.svc.MaterialReading(v.Ctx(), v.Actor, id)
		if err != nil || res == nil {
			continue
		}
		for _, t := range fillTargets(code, res.Kind) {
			fl, _ := f.Locate(t.path)
			if fl == nil || fl.Name != t.path {
				continue
			}
			rf := res.Fields[t.field]
			switch {
			case rf.Value != "" && fl.Value == rf.Value && rf.Check == "recognise.low_confidence":
				fl.Recognised = v.T("autofill.mark_unsure")
			case rf.Value != "" && fl.Value == rf.Value:
				fl.Recognised = v.T("autofill.mark")
			case rf.Value == "" && rf.Read != "" && rf.Check != "" && fl.Value == "":
				key := "autofill.invalid"
				if strings.HasSuffix(rf.Check, ".checksum") {
					key = "autofill.checksum"
				}
				fl.Warnings = append(fl.Warnings, v.Tf(key, "read", rf.Read))
			}
		}
		if code == "subject_credential" {
			numberDiffers(v, o, res, fixed)
		}
	}
}

// numberDiffers warns on the fixed credential number when the subject's credential photo shows a valid
// number that is not it (another company's licence, or a mistyped number at the first step).
func numberDiffers(v *web.View, o *filing.Order, res *recognise.Result, fixed []*web.Field) {
	read := res.Fields[recognise.FieldUSCC].Value
	if res.Kind == recognise.IDFront {
		read = res.Fields[recognise.FieldIDNumber].Value
	}
	if read == "" || strings.EqualFold(read, o.Subject.CredentialNumber) {
		return
	}
	for _, fl := range fixed {
		if fl.Name == "subject.credential_number" {
			fl.Warnings = append(fl.Warnings, v.Tf("autofill.number_differs", "read", read))
		}
	}
}

// placeAutofillErrors shows on its card an error about a credential photo asked for first.
func placeAutofillErrors(d *wizardData) {
	for i := range d.Form.Summary {
		e := &d.Form.Summary[i]
		for j := range d.Autofill {
			if c := &d.Autofill[j]; e.Field == "materials."+c.Code {
				c.Errors = append(c.Errors, e.Message)
				e.Target = c.ID
			}
		}
	}
}

// autofillSubmit stores the credential photo of the form's code as the order's material, reads it and fills
// the empty fields (and those still holding what the previous photo gave), then shows the subject step again.
func (s *Server) autofillSubmit(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline) {
	o := tl.Order
	r.Body = http.MaxBytesReader(w, r.Body, web.MaxUpload+1<<20)
	parseErr := r.ParseMultipartForm(8 << 20)
	code := r.URL.Query().Get("autofill") // in the query, so that a body too large to read is still on its card
	if !slices.Contains(autofillCodes(o), code) {
		s.Fail(w, r, v, problem.New(problem.NotFound, "common.not_found", "code"))
		return
	}
	fail := func(err error) { s.failOn(w, r, v, tl, "subject", "materials."+code, err) }
	m := s.uploadAs(w, r, v, tl, "subject", "materials."+code, code, parseErr)
	if m == nil {
		return
	}
	var prev *recognise.Result
	if old := materialOf(o, code); old != 0 {
		prev, _ = s.svc.MaterialReading(v.Ctx(), v.Actor, old)
	}
	c := contentOf(o)
	attachMaterial(&c, code, nil, m.ID)
	flash := "saved"
	res, err := s.svc.RecogniseMaterial(v.Ctx(), v.Actor, m.ID, autofillKind(code, o))
	switch {
	case problem.Is(err, "recognise.off"):
	case err != nil:
		fail(err)
		return
	default:
		fillSubject(&c.Subject, code, res, prev)
		flash = "recognised"
	}
	if _, err := s.svc.UpdateOrder(v.Ctx(), v.Actor, o.ID, c); err != nil {
		fail(err)
		return
	}
	web.Redirect(w, r, "/orders/"+strconv.FormatInt(o.ID, 10)+"/subject#"+web.FieldID("materials."+code)+"-autofill", flash)
}

// fillSubject fills from res the fields that are empty or still hold what prev (the photo it replaces) gave:
// a value the applicant typed stays.
func fillSubject(subj *filing.Subject, code string, res, prev *recognise.Result) {
	for _, t := range fillTargets(code, res.Kind) {
		val := res.Fields[t.field].Value
		if val == "" {
			continue
		}
		p := subjectText(subj, t.path)
		if *p == "" || (prev != nil && prev.Fields[t.field].Value == *p) {
			*p = val
		}
		if t.path == "subject.principal.credential_number" && subj.Principal.CredentialType == "" {
			subj.Principal.CredentialType = "resident_id"
		}
	}
}

// uploadAs stores the form's file as a material of code; when it cannot, it shows step again with the
// error on the field path and returns nil.
func (s *Server) uploadAs(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline, step, path, code string,
	parseErr error) *store.Material {
	data, err := uploadedFile(r, parseErr)
	if err == nil {
		var m *store.Material
		if m, err = s.svc.Upload(v.Ctx(), v.Actor, code, data); err == nil {
			return m
		}
	}
	s.failOn(w, r, v, tl, step, path, err)
	return nil
}

// failOn shows step again with err on the field path.
func (s *Server) failOn(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline, step, path string, err error) {
	errs := s.PageErrors(r, err)
	for i := range errs {
		errs[i].Field = path
	}
	s.showStep(w, r, v, tl, step, errs, http.StatusUnprocessableEntity)
}

// uploadedFile reads the form's file, refusing a body or file over the upload limit.
func uploadedFile(r *http.Request, parseErr error) ([]byte, error) {
	if parseErr != nil {
		return nil, web.TooLarge("file")
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return nil, problem.Invalidf("material.no_file", "file")
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, web.MaxUpload+1))
	if err != nil || len(data) > web.MaxUpload {
		return nil, web.TooLarge("file")
	}
	return data, nil
}

// attachMaterial makes material id the content's material of code (and service idx), replacing an earlier one.
func attachMaterial(c *provider.Content, code string, idx *int, id int64) {
	c.Materials = slices.DeleteFunc(c.Materials, func(ref filing.MaterialRef) bool {
		return ref.Code == code && sameIdx(ref.ServiceIdx, idx)
	})
	c.Materials = append(c.Materials, filing.MaterialRef{Code: code, ID: id, ServiceIdx: idx})
}
