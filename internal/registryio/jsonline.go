package registryio

import (
	"strconv"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/jsonappend"
	"github.com/beian/beian/internal/miit"
)

// appendRecord appends r as a line of JSON, byte for byte as encoding/json (HTML escaping off) writes it, without
// reflection: a third of the CPU an exported record took went to encoding/json (docs/benchmarks.md, issue 16).
// TestAppendRecordMatchesEncodingJSON fills every field of the record's types, so a field added to them and
// not here fails it.
func appendRecord(b []byte, r *miit.SeedRecord) ([]byte, error) {
	b = jsonappend.String(append(b, `{"province":`...), r.Province)
	b = appendSubjectJSON(append(b, `,"subject":`...), &r.Subject)
	b = append(b, `,"services":`...)
	if r.Services == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Services {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendServiceJSON(b, &r.Services[i])
		}
		b = append(b, ']')
	}
	b = appendStrings(append(b, `,"providers":`...), r.Providers)
	b = append(b, `,"approved_at":"`...)
	b, err := r.ApprovedAt.AppendText(b) // as its MarshalJSON: RFC 3339, an error for a year out of range
	return append(b, "\"}\n"...), err
}

func appendSubjectJSON(b []byte, s *filing.Subject) []byte {
	b = jsonappend.String(append(b, `{"nature":`...), s.Nature)
	b = jsonappend.String(append(b, `,"name":`...), s.Name)
	b = jsonappend.String(append(b, `,"credential_type":`...), s.CredentialType)
	b = jsonappend.String(append(b, `,"credential_number":`...), s.CredentialNumber)
	b = jsonappend.String(append(b, `,"credential_address":`...), s.CredentialAddress)
	b = jsonappend.String(append(b, `,"communication_address":`...), s.CommunicationAddress)
	b = appendOptional(b, `,"investor":`, s.Investor)
	if lr := s.LegalRepresentative; lr != nil {
		b = jsonappend.String(append(b, `,"legal_representative":{"name":`...), lr.Name)
		b = append(jsonappend.String(append(b, `,"id_number":`...), lr.IDNumber), '}')
	}
	b = appendPrincipalJSON(append(b, `,"principal":`...), &s.Principal)
	b = appendOptional(b, `,"remark":`, s.Remark)
	b = appendOptional(b, `,"number":`, s.Number)
	return append(b, '}')
}

func appendPrincipalJSON(b []byte, p *filing.Principal) []byte {
	b = jsonappend.String(append(b, `{"name":`...), p.Name)
	b = jsonappend.String(append(b, `,"credential_type":`...), p.CredentialType)
	b = jsonappend.String(append(b, `,"credential_number":`...), p.CredentialNumber)
	b = strconv.AppendBool(append(b, `,"credential_long_term":`...), p.CredentialLongTerm)
	b = appendOptional(b, `,"credential_valid_from":`, p.CredentialValidFrom)
	b = appendOptional(b, `,"credential_valid_to":`, p.CredentialValidTo)
	b = jsonappend.String(append(b, `,"office_phone":`...), p.OfficePhone)
	b = jsonappend.String(append(b, `,"mobile":`...), p.Mobile)
	b = jsonappend.String(append(b, `,"emergency_mobile":`...), p.EmergencyMobile)
	b = jsonappend.String(append(b, `,"email":`...), p.Email)
	return append(b, '}')
}

func appendServiceJSON(b []byte, s *filing.Service) []byte {
	b = jsonappend.String(append(b, `{"kind":`...), string(s.Kind))
	b = jsonappend.String(append(b, `,"name":`...), s.Name)
	b = appendStrings(append(b, `,"domains":`...), s.Domains)
	b = appendOptional(b, `,"home_url":`, s.HomeURL)
	b = appendStrings(append(b, `,"ips":`...), s.IPs)
	b = appendStrings(append(b, `,"content":`...), s.Content)
	b = appendStrings(append(b, `,"languages":`...), s.Languages)
	if len(s.PreApprovals) > 0 {
		b = append(b, `,"pre_approvals":[`...)
		for i, p := range s.PreApprovals {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonappend.String(append(b, `{"type":`...), p.Type)
			b = jsonappend.String(append(b, `,"permit_number":`...), p.PermitNumber)
			if p.MaterialID != 0 {
				b = strconv.AppendInt(append(b, `,"material_id":`...), p.MaterialID, 10)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendOptional(b, `,"remark":`, s.Remark)
	b = strconv.AppendBool(append(b, `,"principal_same_as_subject":`...), s.PrincipalSameAsSubject)
	b = appendPrincipalJSON(append(b, `,"principal":`...), &s.Principal)
	if s.App != nil {
		b = appendAppJSON(append(b, `,"app":`...), s.App)
	}
	b = appendOptional(b, `,"number":`, s.Number)
	b = appendOptional(b, `,"access_method":`, s.AccessMethod)
	b = appendOptional(b, `,"access_location":`, s.AccessLocation)
	return append(b, '}')
}

func appendAppJSON(b []byte, a *filing.AppInfo) []byte {
	b = append(b, '{')
	if a.IconMaterialID != 0 {
		b = strconv.AppendInt(append(b, `"icon_material_id":`...), a.IconMaterialID, 10)
		b = append(b, ',')
	}
	if len(a.SDKs) > 0 {
		b = append(b, `"sdks":[`...)
		for i, s := range a.SDKs {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonappend.String(append(b, `{"vendor":`...), s.Vendor)
			b = append(jsonappend.String(append(b, `,"type":`...), s.Type), '}')
		}
		b = append(b, "],"...)
	}
	b = append(b, `"platforms":`...)
	if a.Platforms == nil {
		return append(b, "null}"...)
	}
	b = append(b, '[')
	for i, p := range a.Platforms {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonappend.String(append(b, `{"platform":`...), p.Platform)
		b = jsonappend.String(append(b, `,"package":`...), p.Package)
		b = jsonappend.String(append(b, `,"public_key":`...), p.PublicKey)
		b = append(jsonappend.String(append(b, `,"signature":`...), p.Signature), '}')
	}
	return append(b, "]}"...)
}

// appendOptional appends name and s unless s is empty (omitempty).
func appendOptional(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	return jsonappend.String(append(b, name...), s)
}

// appendStrings appends ss as a list, null when nil.
func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonappend.String(b, s)
	}
	return append(b, ']')
}
