package ident

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Credential type names (docs/design.md §3, as in internal/codes/data/credential_types.json) that select a specific
// validator in Credential. Other organisation credential types (public institution certificate, social
// organisation certificate, …) get the generic check. The code lists package owns the full list and which
// nature may use which type.
const (
	CredResidentID          = "resident_id"                    // 居民身份证
	CredPassport            = "passport"                       // 护照
	CredHKMacaoPermit       = "hk_macao_travel_permit"         // 港澳居民来往内地通行证
	CredTaiwanPermit        = "taiwan_travel_permit"           // 台湾居民来往大陆通行证
	CredResidencePermit     = "hmt_residence_permit"           // 港澳台居民居住证
	CredForeignPermanentID  = "foreign_permanent_residence_id" // 外国人永久居留身份证
	CredBusinessLicense     = "business_license"               // 营业执照 (carries the USCC)
	CredUSCCCertificate     = "uscc_certificate"               // 统一社会信用代码证书
	CredOrgCodeCertificate  = "org_code_certificate"           // 组织机构代码证
	genericCredentialMinLen = 6
	genericCredentialMaxLen = 40
)

// Credential validates a credential number by its credential type: the ID card, permits and passports by
// their formats, business licences and USCC certificates as unified social credit codes, organisation code
// certificates as organisation codes; any other type must hold 6 to 40 characters.
func Credential(ctype, number string, now time.Time) Result {
	return credential(ctype, number, now, full)
}

// CredentialErrors returns the errors of Credential(ctype, number, now), the same findings in the same order,
// without its warnings and facts: nil when the number is valid, and then without allocating when it is also in
// its normal form. It is for checking many numbers, such as a registry's on import.
func CredentialErrors(ctype, number string, now time.Time) []Finding {
	return credential(ctype, number, now, errorsOnly).Errors
}

func credential(ctype, number string, now time.Time, d detail) Result {
	switch ctype {
	case CredResidentID:
		return residentID(number, now, d)
	case CredPassport:
		return passport(number, d)
	case CredHKMacaoPermit:
		return hkMacaoPermit(number, d)
	case CredTaiwanPermit:
		return taiwanPermit(number, d)
	case CredResidencePermit:
		return residencePermit(number, now, d)
	case CredForeignPermanentID:
		return foreignPermanentID(number, now, d)
	case CredBusinessLicense, CredUSCCCertificate:
		return uscc(number, d)
	case CredOrgCodeCertificate:
		return orgCode(number, d)
	}
	return genericCredential(number, d)
}

// genericCredential checks a credential number whose format we do not know: 6 to 40 characters once
// trimmed, full-width forms folded.
func genericCredential(number string, d detail) Result {
	r := start(KindCredential, number, d)
	n := strings.TrimSpace(foldWidth(number))
	r.Normalized = n
	switch l := utf8.RuneCountInString(n); {
	case l == 0:
		r.fail("empty")
	case l < genericCredentialMinLen || l > genericCredentialMaxLen:
		r.fail("length", "min", strconv.Itoa(genericCredentialMinLen), "max", strconv.Itoa(genericCredentialMaxLen))
	}
	return r
}
