package ident

import (
	"strconv"
	"strings"
)

// GB 32100-2015 unified social credit code (统一社会信用代码): 18 characters from usccChars (no I, O, Z, S, V):
// 1 registration authority, 2 organisation type, 3-8 administrative division, 9-17 the organisation's
// GB 11714 code, 18 a check character over weights 3^i mod 31.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccTypes maps each registration authority code (position 1) to its organisation type codes
// (position 2). GB 32100-2015 表1 defines 1 机构编制 (1 机关, 2 事业单位, 3 中央编办直接管理机构编制的群众团体,
// 9 其他), 5 民政 (1 社会团体, 2 民办非企业单位, 3 基金会, 9 其他), 9 工商 (1 企业, 2 个体工商户, 3 农民专业合作社)
// and Y 其他 (1). The codes the Standardization Administration allotted afterwards are: 2 外交 (1 外国常驻新闻机构,
// 9 其他), 3 司法行政 (1 律师执业机构, 2 公证处, 3 基层法律服务所, 4 司法鉴定机构, 5 仲裁委员会, 9 其他), 4 文化
// (1 外国在华文化中心, 9 其他), 6 旅游 (1 外国旅游部门常驻代表机构, 2 港澳台地区旅游部门常驻内地代表机构, 9 其他),
// 7 宗教 (1 宗教活动场所, 2 宗教院校, 9 其他), 8 工会 (1 基层工会, 9 其他), A 中央军委改革和编制办公室
// (1 军队事业单位, 9 其他), N 农业 (1 组级, 2 村级, 3 乡镇级集体经济组织, 9 其他).
var usccTypes = map[byte]string{
	'1': "1239", '2': "19", '3': "123459", '4': "19", '5': "1239", '6': "129", '7': "129", '8': "19",
	'9': "123", 'A': "19", 'N': "1239", 'Y': "1",
}

// USCC validates a unified social credit code.
//
// A wrong check character (position 18) is an error. Some codes issued during the 2015-2016 pilots are
// reported to fail the check yet are printed on real licences; we still refuse them, because a typo is far
// more likely than a pilot code, and the message tells the applicant to compare the code character by
// character with the licence and to ask the reviewer if it matches exactly, so a person can decide. A wrong
// check character of the embedded organisation code (position 17) is only a warning: position 18 already
// catches typos, and the embedded code is where pilot-era irregularities are reported.
//
// Info: registration_authority, org_type, division (6 digits), province (2 digits, when it is a mainland
// province), org_code (XXXXXXXX-X).
func USCC(s string) Result { return uscc(s, full) }

func uscc(s string, d detail) Result {
	r := start(KindUSCC, s, d)
	n := upperASCII(compact(s))
	r.Normalized = n
	switch {
	case n == "":
		r.fail("empty")
	case len(n) == 15 && isDigits(n):
		r.fail("old_registration_number") // 15-digit 工商注册号 replaced by the USCC (国发〔2015〕33号)
	case orgCodeShape(n):
		r.fail("org_code_given")
	case strings.Trim(n, usccChars) != "":
		r.fail("charset", "chars", badChars(n, usccChars))
	case len(n) != 18:
		r.fail("length", "length", strconv.Itoa(len([]rune(n))))
	default:
		usccParts(&r, n)
		if usccCheck(n[:17]) != n[17] {
			r.fail("checksum")
		}
	}
	return r
}

// usccParts checks and records positions 1 to 17 of a well-formed code.
func usccParts(r *Result, n string) {
	if r.noting() {
		r.Info["registration_authority"] = n[:1]
		r.Info["org_type"] = n[1:2]
	}
	types, ok := usccTypes[n[0]]
	switch {
	case !ok:
		r.fail("authority", "code", n[:1])
	case !isDigits(n[1:2]): // GB 32100-2015 4.2: the organisation type is one digit
		r.fail("type_letter", "code", n[1:2])
	case strings.IndexByte(types, n[1]) < 0:
		r.warn("type_unknown", "code", n[:2])
	}
	div := n[2:8]
	switch {
	case !isDigits(div):
		r.fail("division", "code", div)
	case !r.noting(): // the cases below record facts and warnings
	case div == "100000": // registered by a central authority
		r.Info["division"] = div
	case isMainland(div[:2]):
		r.Info["division"] = div
		r.Info["province"] = div[:2]
	default:
		r.Info["division"] = div
		r.warn("division_unknown", "code", div)
	}
	if !r.noting() { // the organisation code is a fact, its check character a warning
		return
	}
	org := n[8:16] + "-" + n[16:17]
	r.Info["org_code"] = org
	if orgCodeCheck(n[8:16]) != n[16] {
		r.warn("org_code_checksum", "org_code", org)
	}
}

// usccCheck returns the check character of a 17-character body drawn from usccChars.
func usccCheck(body string) byte {
	sum := 0
	for i, w := range usccWeights {
		sum += strings.IndexByte(usccChars, body[i]) * w
	}
	return usccChars[(31-sum%31)%31]
}

// OrgCode validates an organisation code (组织机构代码, GB 11714-1997): 8 digits or capital letters and a
// check character (weights 3,7,9,10,5,8,4,2; check = 11 − Σ mod 11, 10 → X, 11 → 0), with or without the
// hyphen printed on certificates. Normalized: XXXXXXXX-X.
func OrgCode(s string) Result { return orgCode(s, full) }

func orgCode(s string, d detail) Result {
	r := start(KindOrgCode, s, d)
	n := upperASCII(compact(s))
	r.Normalized = n
	switch {
	case n == "":
		r.fail("empty")
	case len(n) == 18:
		r.fail("uscc_given")
	case !orgCodeShape(n):
		r.fail("format")
	default:
		body, check := n[:8], n[len(n)-1]
		if len(n) == 9 { // without the hyphen
			r.Normalized = body + "-" + string(check)
		}
		if orgCodeCheck(body) != check {
			r.fail("checksum")
		}
	}
	return r
}

var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// orgCodeShape reports whether n is 8 digits or capital letters, an optional hyphen, and a digit or X.
func orgCodeShape(n string) bool {
	if len(n) == 10 && n[8] == '-' {
		n = n[:8] + n[9:]
	}
	if len(n) != 9 {
		return false
	}
	for i := 0; i < 8; i++ {
		if !(n[i] >= '0' && n[i] <= '9' || n[i] >= 'A' && n[i] <= 'Z') {
			return false
		}
	}
	return n[8] >= '0' && n[8] <= '9' || n[8] == 'X'
}

// orgCodeCheck returns the GB 11714 check character of an 8-character body (digits 0-9, letters A=10 … Z=35).
func orgCodeCheck(body string) byte {
	sum := 0
	for i, w := range orgCodeWeights {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * w
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// badChars lists, once each and in order, the characters of s that are not in allowed.
func badChars(s, allowed string) string {
	var b strings.Builder
	seen := map[rune]bool{}
	for _, c := range s {
		if !strings.ContainsRune(allowed, c) && !seen[c] {
			seen[c] = true
			b.WriteRune(c)
		}
	}
	return b.String()
}
