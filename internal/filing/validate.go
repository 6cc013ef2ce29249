package filing

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beian/beian/internal/cleantext"
	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/problem"
)

// MaxAppDomains is how many domains one APP may list (Huawei Cloud's first-filing guide: "域名最大导入数量为20个").
const MaxAppDomains = 20

// MaxSubjectNameRunes and MaxServiceNameRunes are the longest subject (主办单位) and service names accepted, in
// characters: the police platform's limits for the subject and website names the provider pushes to it
// (internal/mps: subject.name 100, website.name 50), so that no filing accepted here is refused there for
// its length. The longest registered unit names are well below 100 characters.
const (
	MaxSubjectNameRunes = 100
	MaxServiceNameRunes = 50
)

// ValidateFields checks that an order's content is complete and that every identifier in it is well formed:
// the required fields, and each credential number, phone, e-mail, domain, IP, website name and APP signing
// datum through package ident. Each problem has Kind problem.Invalid, the finding's code (an i18n key), the
// JSON path of the field (e.g. "services[0].domains[0]") and the message parameters. Rules that depend on
// code lists, provinces or the registry (credential type allowed for the nature, service content codes,
// principal age, uniqueness across subjects) belong to the rules engine and are not checked here.
func ValidateFields(o *Order, now time.Time) problem.List {
	errs, _ := CheckFields(o, now)
	return errs
}

// CheckFields is ValidateFields that also returns the warnings: findings worth showing beside their field that
// do not block the order, such as an unknown county code in an ID number, a URL reduced to its domain, or a
// website name that needs a pre-approval.
func CheckFields(o *Order, now time.Time) (errs, warns problem.List) {
	c := &fieldChecker{now: now}
	c.errs = append(cleantext.Value("subject", o.Subject), cleantext.Value("services", o.Services)...)
	switch {
	case !o.Type.CarriesContent(): // cancellations, withdrawals and claims name a record; nothing to fill in
	case o.Type == ChangeAccess, o.Type == NewAccess && o.Filed != nil: // the rest is the record as filed
		c.accessOnly(o)
	case o.Type == ChangeSubject:
		c.subject(o)
	case o.Type == ChangeService:
		c.services(o)
	default:
		c.subject(o)
		c.services(o)
	}
	return c.errs, c.warns
}

// Normalize puts every well-formed identifier of o (credential numbers, phones, e-mails, domains, IPs, APP
// packages and signatures) in its normal form, the one `beian check` prints: an ID number's check letter in
// upper case, a landline as 0AREA-NUMBER, a domain in lower case. Malformed values stay as typed, so that the
// applicant sees what they entered beside the error. Every path that saves an order's content calls it.
func Normalize(o *Order, now time.Time) {
	c := &fieldChecker{now: now, fix: true}
	c.subject(o)
	c.services(o)
}

// fieldChecker collects the problems of one order; with fix set it also normalises what it checks.
type fieldChecker struct {
	now         time.Time
	fix         bool
	errs, warns problem.List
}

// fail adds an error on field.
func (c *fieldChecker) fail(field, code string, params ...string) {
	c.errs = append(c.errs, problem.Invalidf(code, field, params...))
}

// result adds the findings of an ident result on field and reports whether it was valid. When normalising, a
// valid value v (nil for a value that is not an identifier) takes its normal form.
func (c *fieldChecker) result(field string, v *string, r ident.Result) bool {
	if c.fix && v != nil && r.Valid() {
		*v = r.Normalized
	}
	for _, f := range r.Errors {
		c.errs = append(c.errs, f.Problem(field))
	}
	for _, f := range r.Warnings {
		c.warns = append(c.warns, f.Problem(field))
	}
	return r.Valid()
}

// required adds field.required.<what> when v is blank and reports whether v is present.
func (c *fieldChecker) required(field, what, v string) bool {
	if strings.TrimSpace(v) == "" {
		c.fail(field, "field.required."+what)
		return false
	}
	return true
}

func (c *fieldChecker) subject(o *Order) {
	s := &o.Subject
	if c.required("subject.name", "subject_name", s.Name) {
		c.maxLength("subject.name", s.Name, MaxSubjectNameRunes)
	}
	if c.required("subject.credential_type", "credential_type", s.CredentialType) {
		c.result("subject.credential_number", &s.CredentialNumber, ident.Credential(s.CredentialType, s.CredentialNumber, c.now))
	}
	c.address("subject.credential_address", "credential_address", s.CredentialAddress)
	c.address("subject.communication_address", "communication_address", s.CommunicationAddress)
	if !s.IsIndividual() {
		c.legalRepresentative(s.LegalRepresentative)
	}
	c.principal("subject.principal", &s.Principal, s.IsIndividual())
}

// maxLength adds field.name_too_long when v, trimmed, has more than max characters, and reports whether it has
// not.
func (c *fieldChecker) maxLength(field, v string, max int) bool {
	if e := NameTooLong(field, v, max); e != nil {
		c.errs = append(c.errs, e)
		return false
	}
	return true
}

// NameTooLong is the problem field.name_too_long of field when v, trimmed, has more than max characters
// (MaxSubjectNameRunes, MaxServiceNameRunes), else nil: the rule of an order's names, which the registry's import
// applies too.
func NameTooLong(field, v string, max int) *problem.Error {
	if len(v) <= max { // at least a byte a character: short enough without counting
		return nil
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(v)); n > max {
		return problem.Invalidf("field.name_too_long", field, "max", strconv.Itoa(max), "count", strconv.Itoa(n))
	}
	return nil
}

// addressMarkers are what an address precise to the house number (Baidu AI Cloud's app filing guide: "要求精确到门牌号") or, in the
// country, to the village (the police platform's filing procedure: "农村单位应详细填写到村，城镇单位应填写到街道门牌号或信箱号") contains.
var addressMarkers = []string{"号", "村", "组", "信箱", "室", "栋", "幢", "楼", "弄", "巷", "屯"}

// address requires an address precise to the house number (in the country, to the village): one that holds
// a number or one of addressMarkers. An imprecise address blocks the order, as the filing rules require it
// (docs/rules.md, "Field validator rules").
func (c *fieldChecker) address(field, what, v string) {
	if !c.required(field, what, v) {
		return
	}
	if strings.ContainsAny(v, "0123456789０１２３４５６７８９") {
		return
	}
	for _, m := range addressMarkers {
		if strings.Contains(v, m) {
			return
		}
	}
	c.fail(field, "field.address_imprecise")
}

// legalRepresentative: an organisation names its legal representative, whose ID number is entered by hand
// and must be a resident ID card (Baidu AI Cloud's app filing guide: "法定代表人身份证号：需手动填写…暂不支持其他证件类型").
func (c *fieldChecker) legalRepresentative(l *LegalRepresentative) {
	if l == nil {
		l = &LegalRepresentative{}
	}
	c.required("subject.legal_representative.name", "legal_representative_name", l.Name)
	c.result("subject.legal_representative.id_number", &l.IDNumber, ident.ResidentID(l.IDNumber, c.now))
}

// principal checks a subject or service principal under the JSON path prefix.
func (c *fieldChecker) principal(prefix string, p *Principal, individual bool) {
	c.required(prefix+".name", "principal_name", p.Name)
	if c.required(prefix+".credential_type", "credential_type", p.CredentialType) {
		switch ct, known := codes.Credential(p.CredentialType); {
		case !known:
			c.fail(prefix+".credential_type", "field.principal_credential_type", "type", p.CredentialType)
		case !ct.Person:
			// A unit's credential: the rules engine reports it, naming the type (one finding per cause).
		default:
			c.result(prefix+".credential_number", &p.CredentialNumber, ident.Credential(p.CredentialType, p.CredentialNumber, c.now))
		}
	}
	c.validity(prefix, p)
	c.result(prefix+".office_phone", &p.OfficePhone, officePhone(p.OfficePhone, individual))
	c.result(prefix+".mobile", &p.Mobile, ident.Mobile(p.Mobile))
	// Baidu AI Cloud's app filing guide and Huawei Cloud's first-filing guide: the emergency contact must be a mobile, not a landline ("不能为座机号码").
	c.result(prefix+".emergency_mobile", &p.EmergencyMobile, ident.Mobile(p.EmergencyMobile))
	c.result(prefix+".email", &p.Email, ident.Email(p.Email))
}

// officePhone validates the office phone (Baidu AI Cloud's app filing guide and Huawei Cloud's first-filing guide: "请填写真实有效的办公电话"; the police platform's filing procedure: a real number
// in standard form). An individual has no office, and the sources say nothing of what they enter: we accept
// a mobile from individuals (their contact address is their residence, Huawei Cloud's first-filing guide table 2: "个人：住所居住地")
// and require a landline with area code from organisations.
func officePhone(v string, individual bool) ident.Result {
	r := ident.Landline(v)
	if individual && r.Has("landline.mobile_given") {
		return ident.Mobile(v)
	}
	return r
}

// validity checks the credential's validity dates when given: YYYY-MM-DD, the start not in the future, the
// end after the start and not past (an expired credential cannot be used for a filing).
func (c *fieldChecker) validity(prefix string, p *Principal) {
	today := c.now.Format(time.DateOnly)
	from, okFrom := c.date(prefix+".credential_valid_from", p.CredentialValidFrom)
	if okFrom && from > today {
		c.fail(prefix+".credential_valid_from", "field.valid_from_future", "date", from)
	}
	if p.CredentialLongTerm {
		return
	}
	to, okTo := c.date(prefix+".credential_valid_to", p.CredentialValidTo)
	switch {
	case okTo && okFrom && to <= from:
		c.fail(prefix+".credential_valid_to", "field.valid_to_before_from", "date", to)
	case okTo && to < today:
		c.fail(prefix+".credential_valid_to", "field.credential_expired", "date", to)
	}
}

// date parses an optional YYYY-MM-DD field; ok is false when it is absent or malformed (reported).
func (c *fieldChecker) date(field, v string) (string, bool) {
	if v == "" {
		return "", false
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		c.fail(field, "field.date_format", "value", v)
		return "", false
	}
	return v, true
}

func (c *fieldChecker) services(o *Order) {
	if len(o.Services) == 0 {
		c.fail("services", "field.required.services")
		return
	}
	seen := map[string]bool{}  // normalised domains of the order
	names := map[string]bool{} // kind + name of the APPs, mini programs and quick apps
	for i := range o.Services {
		s := &o.Services[i]
		prefix := "services[" + strconv.Itoa(i) + "]"
		c.service(o, prefix, s, seen)
		if s.Kind != Website && s.Name != "" {
			key := string(s.Kind) + "\x00" + strings.TrimSpace(s.Name)
			if names[key] {
				// Huawei Cloud's first-filing guide: "同一主体下APP名称唯一"
				c.fail(prefix+".name", "field.duplicate_app_name", "name", strings.TrimSpace(s.Name))
			}
			names[key] = true
		}
		if !s.PrincipalSameAsSubject {
			c.principal(prefix+".principal", &s.Principal, o.Subject.IsIndividual())
			c.distinctContacts(prefix+".principal", &o.Subject.Principal, &s.Principal)
		}
	}
}

// service checks one service's own fields.
func (c *fieldChecker) service(o *Order, prefix string, s *Service, seen map[string]bool) {
	switch s.Kind {
	case Website:
		if c.required(prefix+".name", "service_name", s.Name) && c.maxLength(prefix+".name", s.Name, MaxServiceNameRunes) {
			c.result(prefix+".name", nil, ident.WebsiteNameFor(s.Name, ident.NameContext{
				Nature: o.Subject.Nature, Province: o.Province, SubjectName: o.Subject.Name,
			}))
		}
		c.domains(prefix, s, ident.ForWebsite, seen)
		c.ips(prefix, s.IPs, true)
	case App, MiniProgram, QuickApp:
		if c.required(prefix+".name", "service_name", s.Name) {
			c.maxLength(prefix+".name", s.Name, MaxServiceNameRunes)
		}
		c.domains(prefix, s, ident.ForApp, seen)
		c.ips(prefix, s.IPs, s.Kind == App)
		if s.Kind == App {
			c.platforms(prefix+".app.platforms", s.App)
		}
	default:
		c.fail(prefix+".kind", "field.service_kind", "kind", string(s.Kind))
		return
	}
	if strings.TrimSpace(s.HomeURL) != "" { // optional: the wizard proposes www. and the domain
		c.result(prefix+".home_url", &s.HomeURL, ident.HomeURL(s.HomeURL, s.Domains))
	}
	if len(s.Content) == 0 {
		c.fail(prefix+".content", "field.required.content")
	}
	if len(s.Languages) == 0 {
		c.fail(prefix+".languages", "field.required.languages")
	}
	for k, p := range s.PreApprovals {
		c.required(prefix+".pre_approvals["+strconv.Itoa(k)+"].permit_number", "permit_number", p.PermitNumber)
	}
}

// domains checks a service's domains: a website files exactly one (one domain per website since 2019,
// docs/design.md §4.11); an APP at least one and at most MaxAppDomains (Huawei Cloud's first-filing guide), mini programs and quick apps any number
// up to that; no domain twice in one order.
func (c *fieldChecker) domains(prefix string, s *Service, use ident.Use, seen map[string]bool) {
	field := prefix + ".domains"
	switch n := len(s.Domains); {
	case n == 0 && (s.Kind == Website || s.Kind == App):
		c.fail(field, "field.required.domain")
	case n > 1 && s.Kind == Website:
		c.fail(field, "field.website_one_domain", "count", strconv.Itoa(n))
	case n > MaxAppDomains:
		c.fail(field, "field.app_too_many_domains", "count", strconv.Itoa(n), "max", strconv.Itoa(MaxAppDomains))
	}
	for j, d := range s.Domains {
		f := field + "[" + strconv.Itoa(j) + "]"
		r := ident.Domain(d, use)
		if c.result(f, &s.Domains[j], r) && seen[r.Normalized] {
			c.fail(f, "field.duplicate_domain", "domain", r.Normalized)
		}
		seen[r.Normalized] = true
	}
}

// accessOnly checks what a change of access carries: each service's IPs (UCloud 《变更接入》: IP, access method
// and location only, https://docs.ucloud.cn/beian1/guidance/guidance11).
func (c *fieldChecker) accessOnly(o *Order) {
	if len(o.Services) == 0 {
		c.fail("services", "field.required.services")
	}
	for i, s := range o.Services {
		c.ips("services["+strconv.Itoa(i)+"]", s.IPs, true)
	}
}

// ips checks a service's IP addresses and ranges; need says at least one is required.
func (c *fieldChecker) ips(prefix string, ips []string, need bool) {
	if need && len(ips) == 0 {
		c.fail(prefix+".ips", "field.required.ips")
	}
	for j, ip := range ips {
		c.result(prefix+".ips["+strconv.Itoa(j)+"]", &ips[j], ident.IP(ip))
	}
}

// platforms: an APP names at least one platform, each with its package name, public key and signature
// (Huawei Cloud's first-filing guide: "填写每个运行平台的APP包名、公钥、MD5签名值"; docs/design.md §4.13).
func (c *fieldChecker) platforms(field string, app *AppInfo) {
	if app == nil || len(app.Platforms) == 0 {
		c.fail(field, "field.required.platforms")
		return
	}
	for k, p := range app.Platforms {
		f := field + "[" + strconv.Itoa(k) + "]"
		c.required(f+".platform", "platform", p.Platform)
		c.result(f+".package", &app.Platforms[k].Package, ident.AppPackage(p.Package))
		c.required(f+".public_key", "public_key", p.PublicKey)
		c.result(f+".signature", &app.Platforms[k].Signature, ident.AppSignature(p.Signature))
	}
}

// distinctContacts: a service principal who is not the subject principal must have other phones and another
// e-mail (Huawei Cloud's first-filing guide: "此时互联网信息服务负责人和主体负责人的电话、邮箱不能相同"). The same person entered twice
// (same credential) is not held to it. Office phones are left out: colleagues share a switchboard.
func (c *fieldChecker) distinctContacts(prefix string, subj, svc *Principal) {
	if samePerson(subj, svc, c.now) {
		return
	}
	subjPhones := []string{norm(ident.Mobile(subj.Mobile)), norm(ident.Mobile(subj.EmergencyMobile))}
	for _, f := range []struct{ field, v string }{{".mobile", svc.Mobile}, {".emergency_mobile", svc.EmergencyMobile}} {
		if m := norm(ident.Mobile(f.v)); m != "" && (m == subjPhones[0] || m == subjPhones[1]) {
			c.fail(prefix+f.field, "field.shared_mobile", "mobile", m)
		}
	}
	if e := norm(ident.Email(svc.Email)); e != "" && strings.EqualFold(e, norm(ident.Email(subj.Email))) {
		c.fail(prefix+".email", "field.shared_email", "email", e)
	}
}

// samePerson reports whether two principals carry the same credential.
func samePerson(a, b *Principal, now time.Time) bool {
	if a.CredentialType != b.CredentialType || a.CredentialNumber == "" {
		return false
	}
	ra := ident.Credential(a.CredentialType, a.CredentialNumber, now)
	rb := ident.Credential(b.CredentialType, b.CredentialNumber, now)
	return ra.Normalized == rb.Normalized
}

// norm is the normalised value of a valid result, "" otherwise.
func norm(r ident.Result) string {
	if !r.Valid() {
		return ""
	}
	return r.Normalized
}
