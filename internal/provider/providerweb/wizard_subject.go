package providerweb

// Step 3 of the filing wizard: the subject and its principal.

import (
	"net/http"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

func (s *Server) fixedFields(v *web.View, o *filing.Order) []*web.Field {
	return []*web.Field{
		v.Static("province", web.ProvinceName(v.Lang, o.Province)),
		v.Static("subject.nature", web.NatureName(v.Lang, o.Subject.Nature)),
		v.Static("subject.credential_type", web.CredentialName(v.Lang, o.Subject.CredentialType)),
		v.Static("subject.credential_number", o.Subject.CredentialNumber),
		v.Static("type", v.T("rules.order_type."+string(o.Type))),
	}
}

func (s *Server) subjectForm(v *web.View, o *filing.Order) *web.Form {
	subj := o.Subject
	individual := subj.IsIndividual()
	unit := &web.Section{ID: "sec-subject", Path: "subject", Title: v.T("web.group.subject")}
	name := v.Text("subject.name", subj.Name).Req().Widen()
	if individual {
		name.Label = v.T("web.field.subject.name_individual")
		name.Hint = v.T("web.hint.subject_name_individual")
	} else {
		name.Hint = v.T("web.hint.subject_name")
	}
	unit.Fields = append(unit.Fields, name,
		v.Text("subject.credential_address", subj.CredentialAddress).Req().Widen().Hinted(v.T("web.hint.credential_address")),
		v.Text("subject.communication_address", subj.CommunicationAddress).Req().Widen().Auto("street-address").
			Hinted(v.Tf("web.hint.communication_address", "province", web.ProvinceName(v.Lang, o.Province))),
	)
	if !individual {
		lr := subj.LegalRepresentative
		if lr == nil {
			lr = &filing.LegalRepresentative{}
		}
		unit.Fields = append(unit.Fields,
			v.Text("subject.investor", subj.Investor).Hinted(v.T("web.hint.investor")),
			v.Text("subject.legal_representative.name", lr.Name).Req(),
			v.Text("subject.legal_representative.id_number", lr.IDNumber).Req().Hinted(v.T("web.hint.legal_id")).Auto("off"),
		)
	}
	principal := &web.Section{ID: "sec-subject-principal", Path: "subject.principal", Title: v.T("web.group.subject_principal"),
		Intro: v.T("web.intro.subject_principal")}
	if individual {
		principal.Intro = v.T("web.intro.subject_principal_individual")
	}
	principal.Fields = principalFields(v, "subject.principal", subj.Principal, individual, o)
	return &web.Form{Sections: []*web.Section{unit, principal}}
}

// principalFields are the fields of a responsible person (Baidu AI Cloud's app filing guide §4, Huawei Cloud's first-filing guide table 2).
func principalFields(v *web.View, prefix string, p filing.Principal, individual bool, o *filing.Order) []*web.Field {
	var out []*web.Field
	if individual && prefix == "subject.principal" {
		// Huawei Cloud's first-filing guide: 个人备案必须为备案主体本人 — the person and their ID card come from the subject.
		out = append(out,
			v.Static(prefix+".name", orDash(o.Subject.Name, v)),
			v.Static(prefix+".credential_type", web.CredentialName(v.Lang, o.Subject.CredentialType)),
			v.Static(prefix+".credential_number", o.Subject.CredentialNumber))
	} else {
		ct := p.CredentialType
		if ct == "" {
			ct = "resident_id"
		}
		out = append(out,
			v.Text(prefix+".name", p.Name).Req().Auto("off"),
			v.Select(prefix+".credential_type", ct, filingview.PersonCredentialOptions(v.Lang), false).Req(),
			v.Text(prefix+".credential_number", p.CredentialNumber).Req().Auto("off").Hinted(v.T("web.hint.credential_number")))
	}
	lt := v.Checkbox(prefix+".credential_long_term", p.CredentialLongTerm)
	from := v.Field("date", prefix+".credential_valid_from", p.CredentialValidFrom)
	to := v.Field("date", prefix+".credential_valid_to", p.CredentialValidTo)
	to.ShowWhen = prefix + ".credential_long_term="
	office := v.Field("tel", prefix+".office_phone", p.OfficePhone).Req().Hinted(v.T("web.hint.office_phone")).Placed("020-83920147")
	if individual {
		office.Hint = v.T("web.hint.office_phone_individual")
	}
	out = append(out, lt, from, to, office,
		v.Field("tel", prefix+".mobile", p.Mobile).Req().Mode("numeric").Auto("off").Hinted(v.T("web.hint.mobile")),
		v.Field("tel", prefix+".emergency_mobile", p.EmergencyMobile).Req().Mode("numeric").Auto("off").Hinted(v.T("web.hint.emergency_mobile")),
		v.Field("email", prefix+".email", p.Email).Req().Auto("off").Hinted(v.T("web.hint.principal_email")),
	)
	return out
}

func orDash(s string, v *web.View) string {
	if strings.TrimSpace(s) == "" {
		return v.T("web.subject_name_pending")
	}
	return s
}

func formValue(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

func parseSubject(r *http.Request, s *filing.Subject) {
	s.Name = formValue(r, "subject.name")
	s.CredentialAddress = formValue(r, "subject.credential_address")
	s.CommunicationAddress = formValue(r, "subject.communication_address")
	if s.IsIndividual() {
		s.Investor, s.LegalRepresentative = "", nil
		p := parsePrincipal(r, "subject.principal", s.Principal)
		p.Name, p.CredentialType, p.CredentialNumber = s.Name, s.CredentialType, s.CredentialNumber
		s.Principal = p
		return
	}
	s.Investor = formValue(r, "subject.investor")
	s.LegalRepresentative = &filing.LegalRepresentative{Name: formValue(r, "subject.legal_representative.name"),
		IDNumber: formValue(r, "subject.legal_representative.id_number")}
	s.Principal = parsePrincipal(r, "subject.principal", s.Principal)
}

func parsePrincipal(r *http.Request, prefix string, p filing.Principal) filing.Principal {
	if _, ok := r.PostForm[prefix+".name"]; ok {
		p.Name = formValue(r, prefix+".name")
	}
	if _, ok := r.PostForm[prefix+".credential_type"]; ok {
		p.CredentialType = formValue(r, prefix+".credential_type")
	}
	if _, ok := r.PostForm[prefix+".credential_number"]; ok {
		p.CredentialNumber = formValue(r, prefix+".credential_number")
	}
	p.CredentialLongTerm = r.PostFormValue(prefix+".credential_long_term") == "true"
	p.CredentialValidFrom = formValue(r, prefix+".credential_valid_from")
	p.CredentialValidTo = formValue(r, prefix+".credential_valid_to")
	if p.CredentialLongTerm {
		p.CredentialValidTo = ""
	}
	p.OfficePhone = formValue(r, prefix+".office_phone")
	p.Mobile = formValue(r, prefix+".mobile")
	p.EmergencyMobile = formValue(r, prefix+".emergency_mobile")
	p.Email = formValue(r, prefix+".email")
	return p
}
