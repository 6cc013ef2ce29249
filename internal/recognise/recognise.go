// Package recognise reads the fields of a credential photo so that the wizard can fill the form and the
// applicant only corrects it (docs/verification.md, "Credential recognition").
//
// A Recogniser turns an image and a Kind into Fields, each with the value read, a confidence and, when the
// applicant must look at it, a check code. Two implementations: Tesseract runs the local OCR engine (Debian
// packages tesseract-ocr and tesseract-ocr-chi-sim) as a process; HTTP calls a provider's own OCR service.
// Both hand the text to the same layout parsers and the same validation: a unified social credit code or a
// resident ID number goes through internal/ident, and one that fails its checksum is NOT filled in (the
// field says which to check), because a misread digit is exactly what the check character catches.
//
// Limits: the layouts are the printed ones of the 2004 resident ID card and the 2019 business licence /
// USCC certificate; handwriting, seals over text, glare and strong perspective defeat the engine. Confidence
// is the engine's own and is not a probability. A value filled in is a suggestion: what the applicant types
// always wins, and the reviewer sees the recognised text.
package recognise

import (
	"context"
	"slices"

	"github.com/beian/beian/internal/problem"
)

// Kind is the credential side being read.
type Kind string

// The kinds with a known layout.
const (
	BusinessLicence Kind = "business_license"  // 营业执照 (2019 edition), also 统一社会信用代码证书
	USCCCertificate Kind = "uscc_certificate"  // 统一社会信用代码证书: same fields as the licence
	IDFront         Kind = "resident_id_front" // 居民身份证 人像面
	IDBack          Kind = "resident_id_back"  // 居民身份证 国徽面
)

// Kinds lists every kind, in the order the wizard offers them.
var Kinds = []Kind{BusinessLicence, USCCCertificate, IDFront, IDBack}

// Field names, as the JSON of a Result carries them.
const (
	FieldName      = "name"                 // person or organisation name
	FieldUSCC      = "uscc"                 // unified social credit code
	FieldLegalRep  = "legal_representative" // 法定代表人 (also 负责人, 经营者, 投资人)
	FieldAddress   = "address"              // 住址 / 住所 / 经营场所
	FieldSex       = "sex"                  // male | female
	FieldBirthDate = "birth_date"           // YYYY-MM-DD
	FieldIDNumber  = "id_number"            // 公民身份号码
	FieldAuthority = "issuing_authority"    // 签发机关
	FieldValidFrom = "valid_from"           // YYYY-MM-DD
	FieldValidTo   = "valid_to"             // YYYY-MM-DD, or "long_term" (长期)
)

// FieldsOf returns the fields a kind yields.
func FieldsOf(k Kind) []string {
	switch k {
	case BusinessLicence, USCCCertificate:
		return []string{FieldName, FieldUSCC, FieldLegalRep, FieldAddress}
	case IDFront:
		return []string{FieldName, FieldSex, FieldBirthDate, FieldAddress, FieldIDNumber}
	case IDBack:
		return []string{FieldAuthority, FieldValidFrom, FieldValidTo}
	}
	return nil
}

// Field is one recognised field.
type Field struct {
	// Value is what the form may be filled with: normalised and validated. Empty when nothing usable was
	// read; then Check says why.
	Value string `json:"value"`
	// Read is the text as the engine read it (after removing the spaces it puts between Chinese characters).
	Read string `json:"read"`
	// Confidence is the engine's confidence, 0 to 1: the lowest of the words the value came from.
	Confidence float64 `json:"confidence"`
	// Check, when set, is a finding code telling the applicant to check this field: recognise.not_found,
	// recognise.low_confidence, or the ident code of the failed check (e.g. resident_id.checksum).
	Check string `json:"check,omitempty"`
}

// Result is what was read from one image.
type Result struct {
	Kind   Kind             `json:"kind"`
	Engine string           `json:"engine"` // "tesseract 5.3.0", or the HTTP service's name
	Fields map[string]Field `json:"fields"`
	// Text is all the recognised text, line by line, kept with the material for the reviewer.
	Text string `json:"text"`
	// Rotation is the turn, in degrees, that was undone to read the image: quarter turns of a card held
	// sideways plus the hand tilt found by deskewing.
	Rotation float64 `json:"rotation"`
}

// ToCheck lists, in the kind's order, the fields whose Check is set.
func (r Result) ToCheck() []string {
	var out []string
	for _, f := range FieldsOf(r.Kind) {
		if r.Fields[f].Check != "" {
			out = append(out, f)
		}
	}
	return out
}

// Recogniser reads a credential image.
type Recogniser interface {
	// Recognise reads image (JPEG or PNG) as kind. An image in which nothing could be read gives a Result
	// whose fields are all to check, not an error; errors are for bad input (recognise.kind_unknown, the
	// imaging.* file checks) and for an engine that failed (recognise.engine_failed, Internal).
	Recognise(ctx context.Context, image []byte, kind Kind) (Result, error)
}

// MinConfidence is the confidence under which a filled field is marked to check (recognise.low_confidence).
// Tesseract gives 90+ to clean print and falls to 30-60 where it guesses; 0.70 separates the two on the
// benchmark images (docs/benchmarks.md).
const MinConfidence = 0.70

// ErrOff is returned by Off: recognition is not configured on this server.
var ErrOff = problem.New(problem.Conflict, "recognise.off", "")

// Off is the Recogniser of a server without an engine: every call says recognition is off, and the wizard
// asks the applicant to type the fields.
type Off struct{}

// Recognise implements Recogniser.
func (Off) Recognise(context.Context, []byte, Kind) (Result, error) { return Result{}, ErrOff }

func checkKind(k Kind) error {
	if !slices.Contains(Kinds, k) {
		return problem.Invalidf("recognise.kind_unknown", "kind", "kind", string(k))
	}
	return nil
}
