package miit

import (
	"strconv"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/beian/beian/internal/filing"
)

// The sealed subjects and services are JSON as encoding/json writes it (sealSubject, sealService): compact,
// the names of the types' fields in their order. decodeSealed reads that form in one pass, without reflection
// and with the decoded strings (but escaped ones) sharing the input's memory, several times faster than
// jsonv2.Unmarshal, which opening a record spent most on in an export (docs/benchmarks.md, issue 16). Whatever
// it does not expect (white space, a name out of order, unknown or repeated, a number it cannot hold, invalid
// UTF-8, …) makes it give up and jsonv2.Unmarshal decode the input instead, so the result (value or error) is
// always jsonv2.Unmarshal's (TestDecodeSealedMatchesJSONv2, FuzzDecodeSealed).

// sealedField is a field of T as encoding/json names it, and how to read its value.
type sealedField[T any] struct {
	name string
	read func(r *sealedReader, v *T)
}

// decodeSealed decodes text into v, which must be zero. The strings in v share text's memory.
func decodeSealed[T any](text string, v *T, fields []sealedField[T]) error {
	if readSealed(text, v, fields) {
		return nil
	}
	var zero T
	*v = zero
	return jsonv2.Unmarshal([]byte(text), v)
}

// readSealed reads text into v and reports whether it was in the form expected (v is then as jsonv2 decodes it).
func readSealed[T any](text string, v *T, fields []sealedField[T]) bool {
	if !utf8.ValidString(text) {
		return false
	}
	r := sealedReader{s: text}
	readObject(&r, v, fields)
	return !r.bad && r.i == len(r.s)
}

// sealedReader is the position in the input; bad is set (and the input skipped to its end) at the first
// thing it does not expect.
type sealedReader struct {
	s   string
	i   int
	bad bool
}

func (r *sealedReader) fail() {
	r.bad = true
	r.i = len(r.s)
}

// next consumes c if it comes next.
func (r *sealedReader) next(c byte) bool {
	if r.i < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

// literal consumes word (null, true, false) if it comes next.
func (r *sealedReader) literal(word string) bool {
	if len(r.s)-r.i >= len(word) && r.s[r.i:r.i+len(word)] == word {
		r.i += len(word)
		return true
	}
	return false
}

// readObject reads an object into v: its names must be among fields and come in their order.
func readObject[T any](r *sealedReader, v *T, fields []sealedField[T]) {
	if !r.next('{') {
		r.fail()
		return
	}
	if r.next('}') {
		return
	}
	for k := 0; !r.bad; {
		name := r.str()
		for k < len(fields) && fields[k].name != name {
			k++
		}
		if k == len(fields) || !r.next(':') {
			r.fail()
			return
		}
		fields[k].read(r, v)
		k++
		if r.next('}') {
			return
		}
		if !r.next(',') {
			r.fail()
		}
	}
}

// str reads a string.
func (r *sealedReader) str() string {
	if !r.next('"') {
		r.fail()
		return ""
	}
	for j := r.i; j < len(r.s); j++ {
		switch c := r.s[j]; {
		case c == '"':
			v := r.s[r.i:j]
			r.i = j + 1
			return v
		case c == '\\':
			return r.escaped()
		case c < 0x20:
			r.fail()
			return ""
		}
	}
	r.fail()
	return ""
}

// escaped reads the rest of a string with escapes in it (encoding/json's for <, > and &, quotes, …): jsontext
// unquotes it as jsonv2.Unmarshal would.
func (r *sealedReader) escaped() string {
	for j := r.i; j < len(r.s); j++ {
		switch r.s[j] {
		case '\\':
			j++
		case '"':
			b, err := jsontext.AppendUnquote(nil, r.s[r.i-1:j+1])
			if err != nil {
				r.fail()
				return ""
			}
			r.i = j + 1
			return string(b)
		}
	}
	r.fail()
	return ""
}

func (r *sealedReader) boolean() bool {
	if r.literal("true") {
		return true
	}
	if !r.literal("false") {
		r.fail()
	}
	return false
}

// int64 reads an integer as JSON writes it (no leading zero, no fraction or exponent).
func (r *sealedReader) int64() int64 {
	j := r.i
	if j < len(r.s) && r.s[j] == '-' {
		j++
	}
	digits := j
	for j < len(r.s) && r.s[j] >= '0' && r.s[j] <= '9' {
		j++
	}
	if j == digits || r.s[digits] == '0' && j > digits+1 {
		r.fail()
		return 0
	}
	n, err := strconv.ParseInt(r.s[r.i:j], 10, 64)
	if err != nil {
		r.fail()
		return 0
	}
	r.i = j
	return n
}

// list reads an array (nil for null) whose elements item reads.
func list[E any](r *sealedReader, item func(r *sealedReader) E) []E {
	if r.literal("null") {
		return nil
	}
	if !r.next('[') {
		r.fail()
		return nil
	}
	l := []E{}
	if r.next(']') {
		return l
	}
	for !r.bad {
		l = append(l, item(r))
		if r.next(']') {
			return l
		}
		if !r.next(',') {
			r.fail()
		}
	}
	return nil
}

func readString(r *sealedReader) string { return r.str() }

// objects returns a reader of a list of objects of T.
func objects[T any](fields []sealedField[T]) func(r *sealedReader) []T {
	return func(r *sealedReader) []T {
		return list(r, func(r *sealedReader) (v T) {
			readObject(r, &v, fields)
			return v
		})
	}
}

// pointer reads an object of T into a new T (nil for null).
func pointer[T any](r *sealedReader, fields []sealedField[T]) *T {
	if r.literal("null") {
		return nil
	}
	v := new(T)
	readObject(r, v, fields)
	return v
}

var subjectFields = []sealedField[filing.Subject]{
	{"nature", func(r *sealedReader, s *filing.Subject) { s.Nature = r.str() }},
	{"name", func(r *sealedReader, s *filing.Subject) { s.Name = r.str() }},
	{"credential_type", func(r *sealedReader, s *filing.Subject) { s.CredentialType = r.str() }},
	{"credential_number", func(r *sealedReader, s *filing.Subject) { s.CredentialNumber = r.str() }},
	{"credential_address", func(r *sealedReader, s *filing.Subject) { s.CredentialAddress = r.str() }},
	{"communication_address", func(r *sealedReader, s *filing.Subject) { s.CommunicationAddress = r.str() }},
	{"investor", func(r *sealedReader, s *filing.Subject) { s.Investor = r.str() }},
	{"legal_representative", func(r *sealedReader, s *filing.Subject) {
		s.LegalRepresentative = pointer(r, legalRepresentativeFields)
	}},
	{"principal", func(r *sealedReader, s *filing.Subject) { readObject(r, &s.Principal, principalFields) }},
	{"remark", func(r *sealedReader, s *filing.Subject) { s.Remark = r.str() }},
	{"number", func(r *sealedReader, s *filing.Subject) { s.Number = r.str() }},
}

var legalRepresentativeFields = []sealedField[filing.LegalRepresentative]{
	{"name", func(r *sealedReader, l *filing.LegalRepresentative) { l.Name = r.str() }},
	{"id_number", func(r *sealedReader, l *filing.LegalRepresentative) { l.IDNumber = r.str() }},
}

var principalFields = []sealedField[filing.Principal]{
	{"name", func(r *sealedReader, p *filing.Principal) { p.Name = r.str() }},
	{"credential_type", func(r *sealedReader, p *filing.Principal) { p.CredentialType = r.str() }},
	{"credential_number", func(r *sealedReader, p *filing.Principal) { p.CredentialNumber = r.str() }},
	{"credential_long_term", func(r *sealedReader, p *filing.Principal) { p.CredentialLongTerm = r.boolean() }},
	{"credential_valid_from", func(r *sealedReader, p *filing.Principal) { p.CredentialValidFrom = r.str() }},
	{"credential_valid_to", func(r *sealedReader, p *filing.Principal) { p.CredentialValidTo = r.str() }},
	{"office_phone", func(r *sealedReader, p *filing.Principal) { p.OfficePhone = r.str() }},
	{"mobile", func(r *sealedReader, p *filing.Principal) { p.Mobile = r.str() }},
	{"emergency_mobile", func(r *sealedReader, p *filing.Principal) { p.EmergencyMobile = r.str() }},
	{"email", func(r *sealedReader, p *filing.Principal) { p.Email = r.str() }},
}

var serviceFields = []sealedField[filing.Service]{
	{"kind", func(r *sealedReader, s *filing.Service) { s.Kind = filing.ServiceKind(r.str()) }},
	{"name", func(r *sealedReader, s *filing.Service) { s.Name = r.str() }},
	{"domains", func(r *sealedReader, s *filing.Service) { s.Domains = list(r, readString) }},
	{"home_url", func(r *sealedReader, s *filing.Service) { s.HomeURL = r.str() }},
	{"ips", func(r *sealedReader, s *filing.Service) { s.IPs = list(r, readString) }},
	{"content", func(r *sealedReader, s *filing.Service) { s.Content = list(r, readString) }},
	{"languages", func(r *sealedReader, s *filing.Service) { s.Languages = list(r, readString) }},
	{"pre_approvals", func(r *sealedReader, s *filing.Service) { s.PreApprovals = readPreApprovals(r) }},
	{"remark", func(r *sealedReader, s *filing.Service) { s.Remark = r.str() }},
	{"principal_same_as_subject", func(r *sealedReader, s *filing.Service) { s.PrincipalSameAsSubject = r.boolean() }},
	{"principal", func(r *sealedReader, s *filing.Service) { readObject(r, &s.Principal, principalFields) }},
	{"app", func(r *sealedReader, s *filing.Service) { s.App = pointer(r, appFields) }},
	{"number", func(r *sealedReader, s *filing.Service) { s.Number = r.str() }},
	{"access_method", func(r *sealedReader, s *filing.Service) { s.AccessMethod = r.str() }},
	{"access_location", func(r *sealedReader, s *filing.Service) { s.AccessLocation = r.str() }},
}

var readPreApprovals = objects([]sealedField[filing.PreApproval]{
	{"type", func(r *sealedReader, p *filing.PreApproval) { p.Type = r.str() }},
	{"permit_number", func(r *sealedReader, p *filing.PreApproval) { p.PermitNumber = r.str() }},
	{"material_id", func(r *sealedReader, p *filing.PreApproval) { p.MaterialID = r.int64() }},
})

var appFields = []sealedField[filing.AppInfo]{
	{"icon_material_id", func(r *sealedReader, a *filing.AppInfo) { a.IconMaterialID = r.int64() }},
	{"sdks", func(r *sealedReader, a *filing.AppInfo) { a.SDKs = readSDKs(r) }},
	{"platforms", func(r *sealedReader, a *filing.AppInfo) { a.Platforms = readPlatforms(r) }},
}

var readSDKs = objects([]sealedField[filing.SDK]{
	{"vendor", func(r *sealedReader, s *filing.SDK) { s.Vendor = r.str() }},
	{"type", func(r *sealedReader, s *filing.SDK) { s.Type = r.str() }},
})

var readPlatforms = objects([]sealedField[filing.Platform]{
	{"platform", func(r *sealedReader, p *filing.Platform) { p.Platform = r.str() }},
	{"package", func(r *sealedReader, p *filing.Platform) { p.Package = r.str() }},
	{"public_key", func(r *sealedReader, p *filing.Platform) { p.PublicKey = r.str() }},
	{"signature", func(r *sealedReader, p *filing.Platform) { p.Signature = r.str() }},
})
