package miit

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/cleantext"
	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/problem"
)

// checkSeed checks a record before it is loaded into the registry (PrepareLoad): what a record must be to be
// shown by the public query and exported as filed. The problem names the field by its JSON path (e.g.
// "services[0].kind") and carries the record's place in its batch as the parameter "index".
//
// Every text is clean (cleantext: valid UTF-8, no control or format characters); the province is one of the
// administrations'; the subject has a name, a credential number, and a nature and credential type of the code
// lists; each service has a known kind and a name (its domains are checked as they are normalised, in
// prepServices); a number given is a well-formed filing number of the record's province and of the right kind
// (a subject's number, or a service's number under its subject's). The names and the credential number follow
// the rules of an order (filing.NameTooLong, ident.Credential), so that the registry holds nothing a provider
// could not have filed; see credentialProblem for the one exception. So do the credentials of the principals
// the record carries (principalProblem): the subject's, and a service's unless it is the subject's.
func (s *Simulator) checkSeed(r *SeedRecord, index int, now time.Time) *problem.Error {
	e := s.seedProblem(r, now)
	if e != nil {
		e.Params = withParam(e.Params, "index", strconv.Itoa(index))
	}
	return e
}

func (s *Simulator) seedProblem(r *SeedRecord, now time.Time) *problem.Error {
	if !cleantext.Clean(r) {
		if errs := cleantext.Value("", r); len(errs) > 0 {
			return errs[0]
		}
	}
	sub := &r.Subject
	switch {
	case r.Province == "":
		return required("province")
	case strings.TrimSpace(sub.Name) == "":
		return required("subject.name")
	case strings.Trim(sub.CredentialNumber, " \t-\u3000") == "": // what NormCredential leaves, without building it
		return required("subject.credential_number")
	}
	if e := filing.NameTooLong("subject.name", sub.Name, filing.MaxSubjectNameRunes); e != nil {
		return e
	}
	abbr, ok := s.abbr(r.Province)
	if !ok {
		return problem.Invalidf("miit.province_unknown", "province", "province", r.Province)
	}
	if _, ok := codes.Nature(sub.Nature); !ok {
		return unknownCode("subject.nature", sub.Nature, listed(codes.Natures(), func(n codes.SubjectNature) string { return n.Name }))
	}
	if _, ok := codes.Credential(sub.CredentialType); !ok {
		return unknownCode("subject.credential_type", sub.CredentialType,
			listed(codes.CredentialTypes(), func(c codes.CredentialType) string { return c.Name }))
	}
	if e := credentialProblem(sub.CredentialType, sub.CredentialNumber, now); e != nil {
		return e
	}
	if e := principalProblem("subject.principal", &sub.Principal, now); e != nil {
		return e
	}
	if e := subjectNumberProblem(sub.Number, r.Province, abbr); e != nil {
		return e
	}
	for i := range r.Services {
		if e := serviceProblem("services["+strconv.Itoa(i)+"]", &r.Services[i], r.Province, sub.Number, now); e != nil {
			return e
		}
	}
	return nil
}

func serviceProblem(path string, svc *filing.Service, province, subjectNumber string, now time.Time) *problem.Error {
	if !slices.Contains(serviceKinds, svc.Kind) {
		return unknownCode(path+".kind", string(svc.Kind), listed(serviceKinds, func(k filing.ServiceKind) string { return string(k) }))
	}
	if strings.TrimSpace(svc.Name) == "" {
		return required(path + ".name")
	}
	if e := filing.NameTooLong(path+".name", svc.Name, filing.MaxServiceNameRunes); e != nil {
		return e
	}
	if svc.Kind == filing.Website && len(svc.Domains) == 0 { // a website is filed by its domains
		return required(path + ".domains")
	}
	if !svc.PrincipalSameAsSubject { // else the subject's principal is loaded, checked already
		if e := principalProblem(path+".principal", &svc.Principal, now); e != nil {
			return e
		}
	}
	if rest, ok := strings.CutPrefix(svc.Number, subjectNumber); ok && subjectNumber != "" && serviceSuffixRE.MatchString(rest) {
		return nil // the subject's number, checked already, and a service's index: the common case, quickly
	}
	return numberProblem(path+".number", svc.Number, true, province, subjectNumber)
}

// credentialProblem checks the subject's credential number by its credential type as an order's is checked
// (ident.Credential: a resident ID's date and check digit, a unified social credit code's check character, …;
// its errors alone, ident.CredentialErrors, which cost nothing for a valid number), except that a business
// licence may carry a 15-digit registration number: a registry holds what was filed, and subjects filed before
// 2015 carry the registration numbers of the old licences, which an order may no longer give.
func credentialProblem(ctype, number string, now time.Time) *problem.Error {
	errs := ident.CredentialErrors(ctype, number, now)
	if len(errs) == 0 || ctype == ident.CredBusinessLicense && len(errs) == 1 && errs[0].Code == oldRegistrationNumber {
		return nil
	}
	return errs[0].Problem("subject.credential_number")
}

// principalProblem checks the credential of a principal (the subject's or a service's, at path) as an order's
// field checks do (filing.CheckFields): a principal is a person and uses a personal credential type of the code
// lists (field.principal_credential_type), and its number passes its type's rules (ident.Credential, by its
// errors alone: ident.CredentialErrors). A principal given without a credential type or number is not checked:
// CSV carries no principals, and neither do registries that keep only subjects and services.
func principalProblem(path string, p *filing.Principal, now time.Time) *problem.Error {
	blank := strings.Trim(p.CredentialNumber, " \t-\u3000") == "" // as for the subject's, what NormCredential leaves
	switch {
	case p.CredentialType == "" && blank:
		return nil
	case p.CredentialType == "":
		return required(path + ".credential_type")
	case !codes.IsPersonCredential(p.CredentialType):
		return problem.Invalidf("field.principal_credential_type", path+".credential_type", "type", p.CredentialType)
	case blank:
		return required(path + ".credential_number")
	}
	if errs := ident.CredentialErrors(p.CredentialType, p.CredentialNumber, now); len(errs) > 0 {
		return errs[0].Problem(path + ".credential_number")
	}
	return nil
}

// oldRegistrationNumber is ident's finding for a 15-digit registration number given as a credit code.
const oldRegistrationNumber = ident.KindUSCC + ".old_registration_number"

// serviceSuffixRE is what a service's number adds to its subject's: "-1", "-2A", "-3X", "-4K".
var serviceSuffixRE = regexp.MustCompile(`^-[1-9][0-9]{0,4}[AXK]?$`)

// subjectNumberProblem is numberProblem for the subject's number, quick for one written as the registry issues
// it: the character abbr of the province, "ICP备", a serial of eight digits or of a year and six digits, "号".
func subjectNumberProblem(number, province, abbr string) *problem.Error {
	if serial, ok := strings.CutPrefix(number, abbr+"ICP备"); ok && abbr != "" {
		if serial, ok := strings.CutSuffix(serial, "号"); ok && (len(serial) == 8 || len(serial) == 10 && serial[:2] == "20") &&
			strings.Trim(serial, "0123456789") == "" {
			return nil
		}
	}
	return numberProblem("subject.number", number, false, province, "")
}

// numberProblem checks a filing number given in field: a subject's number of the province, or with service a
// service's number, under the subject's number under when that is given. An empty number is issued at loading.
func numberProblem(field, number string, service bool, province, under string) *problem.Error {
	if strings.TrimSpace(number) == "" {
		return nil
	}
	r := ident.ICPNumber(number)
	if len(r.Errors) > 0 {
		return r.Errors[0].Problem(field)
	}
	if (r.Info["service_index"] != 0) != service || r.Info["province"] != province ||
		service && under != "" && r.Info["subject_number"] != ident.ICPNumber(under).Info["subject_number"] {
		return problem.Invalidf("miit.seed_number_mismatch", field, "number", number)
	}
	return nil
}

func required(field string) *problem.Error { return problem.Invalidf("miit.seed_required", field) }

func unknownCode(field, value, allowed string) *problem.Error {
	return problem.Invalidf("miit.seed_code_unknown", field, "value", value, "allowed", allowed)
}

var serviceKinds = []filing.ServiceKind{filing.Website, filing.App, filing.MiniProgram, filing.QuickApp}

// listed names the values of a code list for a message: "enterprise, government, …".
func listed[T any](xs []T, name func(T) string) string {
	names := make([]string, len(xs))
	for i, x := range xs {
		names[i] = name(x)
	}
	return strings.Join(names, ", ")
}

// withParam returns params with key set to value (a new map when params is nil).
func withParam(params map[string]string, key, value string) map[string]string {
	if params == nil {
		params = map[string]string{}
	}
	params[key] = value
	return params
}
