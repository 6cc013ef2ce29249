package filingview

import (
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/web"
)

// Summary is an order as key-value rows: the subject, its principal, each service, the resource.
type Summary struct {
	Subject   []KV
	Principal []KV
	Services  []ServiceSummary
	Resource  string
}

// KV is one row: a label, its value and the JSON path of the field it shows.
type KV struct {
	Label, Value, Field string
}

// ServiceSummary is one service's rows and its principal's.
type ServiceSummary struct {
	Title     string
	Rows      []KV
	Principal []KV
}

// Summarize lays o out as rows in the page's language.
func Summarize(v *web.View, o *filing.Order) *Summary {
	subj := o.Subject
	d := &Summary{}
	row := func(path, value string) KV {
		if value == "" {
			value = "—"
		}
		return KV{Label: web.FieldLabel(v.Lang, path), Value: value, Field: path}
	}
	d.Subject = []KV{
		row("province", web.ProvinceName(v.Lang, o.Province)),
		row("subject.nature", web.NatureName(v.Lang, subj.Nature)),
		row("subject.name", subj.Name),
		row("subject.credential_type", web.CredentialName(v.Lang, subj.CredentialType)),
		row("subject.credential_number", subj.CredentialNumber),
		row("subject.credential_address", subj.CredentialAddress),
		row("subject.communication_address", subj.CommunicationAddress),
	}
	if !subj.IsIndividual() {
		lr := subj.LegalRepresentative
		if lr == nil {
			lr = &filing.LegalRepresentative{}
		}
		d.Subject = append(d.Subject, row("subject.investor", subj.Investor),
			row("subject.legal_representative.name", lr.Name), row("subject.legal_representative.id_number", lr.IDNumber))
	}
	d.Principal = principalRows(v, "subject.principal", subj.Principal)
	for i, svc := range o.Services {
		p := "services[" + strconv.Itoa(i) + "]"
		ss := ServiceSummary{Title: ServiceTitle(v.Lang, o, i)}
		ss.Rows = append(ss.Rows, row(p+".name", svc.Name), row(p+".domains", strings.Join(svc.Domains, ", ")))
		if svc.Kind == filing.Website {
			ss.Rows = append(ss.Rows, row(p+".home_url", svc.HomeURL))
		}
		ss.Rows = append(ss.Rows, row(p+".ips", strings.Join(svc.IPs, ", ")),
			row(p+".content", Names(v.Lang, svc.Content, ContentName)),
			row(p+".languages", Names(v.Lang, svc.Languages, LanguageName)))
		var pas []string
		for _, pa := range svc.PreApprovals {
			pas = append(pas, PreApprovalName(v.Lang, pa.Type)+" "+pa.PermitNumber)
		}
		ss.Rows = append(ss.Rows, row(p+".pre_approvals", strings.Join(pas, "；")))
		if svc.App != nil {
			var pls []string
			for _, pl := range svc.App.Platforms {
				pls = append(pls, PlatformName(v.Lang, pl.Platform)+" "+pl.Package)
			}
			ss.Rows = append(ss.Rows, row(p+".app.platforms", strings.Join(pls, "；")))
		}
		if svc.Remark != "" {
			ss.Rows = append(ss.Rows, row(p+".remark", svc.Remark))
		}
		if svc.PrincipalSameAsSubject {
			ss.Principal = []KV{{Label: v.T("web.group.service_principal"), Value: v.T("web.same_as_subject_principal")}}
		} else {
			ss.Principal = principalRows(v, p+".principal", svc.Principal)
		}
		d.Services = append(d.Services, ss)
	}
	if o.Resource.InstanceID == 0 && o.Resource.AuthorizationCode == "" {
		d.Resource = "" // an order about a filed record binds no hosting
	} else if o.Resource.AuthorizationCode != "" {
		d.Resource = v.Tf("web.resource.by_code", "code", o.Resource.AuthorizationCode)
	} else {
		d.Resource = v.Tf("web.resource.by_instance", "id", strconv.FormatInt(o.Resource.InstanceID, 10))
	}
	return d
}

func principalRows(v *web.View, prefix string, p filing.Principal) []KV {
	valid := p.CredentialValidFrom
	if p.CredentialLongTerm {
		valid += " — " + v.T("web.long_term")
	} else if p.CredentialValidTo != "" {
		valid += " — " + p.CredentialValidTo
	}
	rows := []KV{
		{Label: web.FieldLabel(v.Lang, prefix+".name"), Value: p.Name, Field: prefix + ".name"},
		{Label: web.FieldLabel(v.Lang, prefix+".credential_type"), Value: web.CredentialName(v.Lang, p.CredentialType), Field: prefix + ".credential_type"},
		{Label: web.FieldLabel(v.Lang, prefix+".credential_number"), Value: p.CredentialNumber, Field: prefix + ".credential_number"},
		{Label: v.T("web.validity"), Value: strings.Trim(valid, " —"), Field: prefix + ".credential_valid_from"},
		{Label: web.FieldLabel(v.Lang, prefix+".office_phone"), Value: p.OfficePhone, Field: prefix + ".office_phone"},
		{Label: web.FieldLabel(v.Lang, prefix+".mobile"), Value: p.Mobile, Field: prefix + ".mobile"},
		{Label: web.FieldLabel(v.Lang, prefix+".emergency_mobile"), Value: p.EmergencyMobile, Field: prefix + ".emergency_mobile"},
		{Label: web.FieldLabel(v.Lang, prefix+".email"), Value: p.Email, Field: prefix + ".email"},
	}
	for i := range rows {
		if rows[i].Value == "" {
			rows[i].Value = "—"
		}
	}
	return rows
}

// MaterialRow is one document the order needs, with its upload state.
type MaterialRow struct {
	ID, Path     string
	Code         string
	Name         string
	Reason       string
	Service      *int
	ServiceTitle string
	UploadedID   int64
	URL          string
	Document     string // the page of the document the platform fills in for this material ("" when none)
	IsImage      bool
	Accept       string // the accepted content types, for the file input
	Accepts      string // the accepted types and size, for the applicant ("JPG/PNG格式，不超过15 MB。")
	MaxBytes     int    // the largest file accepted; the page's script refuses a larger one before uploading
	TooLarge     string // the message shown on the card when the chosen file is larger than MaxBytes
	Notes        []string
	Errors       []string
}

// Block is a titled group of fields with the materials that prove them.
type Block struct {
	ID        string
	Title     string
	Rows      []KV
	Materials []MaterialRow
}

// Blocks lays the whole order out, each block with the materials that belong to it.
func Blocks(v *web.View, o *filing.Order, mats []MaterialRow, resource string) []Block {
	rd := Summarize(v, o)
	if resource != "" {
		rd.Resource = resource
	}
	byCode := func(match func(m MaterialRow) bool) []MaterialRow {
		var out []MaterialRow
		for _, m := range mats {
			if match(m) {
				out = append(out, m)
			}
		}
		return out
	}
	subjMats := byCode(func(m MaterialRow) bool {
		return m.Service == nil && m.Code != "subject_principal_credential" && m.Code != "service_principal_credential"
	})
	blocks := []Block{
		{ID: "b-subject", Title: v.T("web.group.subject"), Rows: rd.Subject, Materials: subjMats},
		{ID: "b-principal", Title: v.T("web.group.subject_principal"), Rows: rd.Principal,
			Materials: byCode(func(m MaterialRow) bool { return m.Code == "subject_principal_credential" })},
	}
	for i, ss := range rd.Services {
		n := i
		rows := append(ss.Rows, ss.Principal...)
		blocks = append(blocks, Block{ID: "b-service-" + strconv.Itoa(i), Title: ss.Title, Rows: rows,
			Materials: byCode(func(m MaterialRow) bool {
				return m.Service != nil && *m.Service == n || m.Code == "service_principal_credential" && n == 0
			})})
	}
	blocks = append(blocks, Block{ID: "b-resource", Title: v.T("web.field.resource"),
		Rows: []KV{{Label: v.T("web.field.resource"), Value: rd.Resource}, {Label: v.T("web.field.type"), Value: v.T("rules.order_type." + string(o.Type))},
			{Label: v.T("web.field.agreements_accepted"), Value: YesNo(v, o.AgreementsAccepted)}}})
	return blocks
}

// YesNo is "yes" or "no" in the page's language.
func YesNo(v *web.View, b bool) string {
	if b {
		return v.T("web.yes")
	}
	return v.T("web.no")
}
