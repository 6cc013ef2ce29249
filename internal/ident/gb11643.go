package ident

import (
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/divisions"
)

// GB 11643-1999 citizen identity number: 6-digit address code, 8-digit birth date, 3-digit sequence (odd for
// men, even for women), check character over ISO 7064 MOD 11-2.
var gb11643Weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const gb11643Checks = "10X98765432"

// gb11643Check returns the check character of a 17-digit body.
func gb11643Check(body string) byte {
	sum := 0
	for i, w := range gb11643Weights {
		sum += int(body[i]-'0') * w
	}
	return gb11643Checks[sum%11]
}

// china is the time zone of the birth dates in ID numbers; a fixed offset needs no tzdata.
var china = time.FixedZone("CST", 8*3600)

// earliestBirth is the oldest birth date accepted: nobody filing today was born before 1900.
var earliestBirth = time.Date(1900, 1, 1, 0, 0, 0, 0, china)

// ResidentID validates a mainland resident identity card number (居民身份证, GB 11643-1999).
// Full-width digits and spaces are normalised and a lowercase x becomes X (Alibaba Cloud's filing notes: "需输入大写X").
// The first two digits must name a mainland province; an unknown county (digits 1-6) is only a warning
// because historic codes stay valid in old numbers. Info: birth_date (YYYY-MM-DD), sex (male/female),
// province (2-digit code).
func ResidentID(s string, now time.Time) Result { return residentID(s, now, full) }

func residentID(s string, now time.Time, d detail) Result {
	r := start(KindResidentID, s, d)
	n, ok := gb11643Shape(&r, s)
	if !ok {
		return r
	}
	if region, ok := permitRegion(n); ok {
		r.fail("residence_permit_given", "region", region.Name)
	} else {
		checkProvinceCounty(&r, n[:6])
	}
	checkBirthAndSum(&r, n, now)
	return r
}

// ResidencePermit validates a residence permit number of a Hong Kong, Macao or Taiwan resident
// (港澳台居民居住证): the GB 11643 structure with the address code 810000, 820000 or 830000
// (国办发〔2018〕81号《港澳台居民居住证申领发放办法》). Info: region, birth_date, sex.
func ResidencePermit(s string, now time.Time) Result { return residencePermit(s, now, full) }

func residencePermit(s string, now time.Time, d detail) Result {
	r := start(KindResidencePermit, s, d)
	n, ok := gb11643Shape(&r, s)
	if !ok {
		return r
	}
	region, ok := permitRegion(n)
	switch {
	case ok:
		if r.noting() {
			r.Info["region"] = region.Key
		}
	case isMainland(n[:2]):
		r.fail("resident_id_given")
	default:
		r.fail("prefix")
	}
	checkBirthAndSum(&r, n, now)
	return r
}

// ForeignPermanentID validates a foreign permanent resident ID card number (外国人永久居留身份证).
// The 2023 card carries 18 characters in the GB 11643 structure starting with 9; the 2017 card carries
// 3 letters (the holder's nationality) and 12 digits (国家移民管理局公告, 2023-11; 公安部 2017 版证件说明).
// Info: birth_date and sex for the 18-character form.
func ForeignPermanentID(s string, now time.Time) Result { return foreignPermanentID(s, now, full) }

func foreignPermanentID(s string, now time.Time, d detail) Result {
	r := start(KindForeignPermanentID, s, d)
	n := upperASCII(compact(s))
	if len(n) == 15 && isLetters(n[:3]) && isDigits(n[3:]) {
		r.Normalized = n
		return r
	}
	n, ok := gb11643Shape(&r, s)
	if !ok {
		return r
	}
	if n[0] != '9' {
		r.fail("prefix")
	}
	checkBirthAndSum(&r, n, now)
	return r
}

// permitRegion returns the region of a residence permit number: 810000 Hong Kong, 820000 Macao,
// 830000 Taiwan.
func permitRegion(n string) (divisions.Region, bool) {
	switch n[:6] {
	case "810000", "820000", "830000":
		return divisions.NonMainland(n[:2])
	}
	return divisions.Region{}, false
}

// gb11643Shape normalises s and checks it is 17 digits and a digit or X. It sets r.Normalized and reports
// errors for anything else; ok is false when no further check makes sense.
func gb11643Shape(r *Result, s string) (n string, ok bool) {
	n = strings.ReplaceAll(compact(s), "x", "X")
	r.Normalized = n
	switch {
	case n == "":
		r.fail("empty")
	case len(n) == 15 && isDigits(n) && r.Kind == KindResidentID:
		r.fail("first_generation") // 15-digit first-generation cards stopped being valid in 2013
	case strings.Trim(n, "0123456789X") != "" || strings.IndexByte(n, 'X') >= 0 && strings.IndexByte(n, 'X') != 17:
		r.fail("charset")
	case len(n) != 18:
		r.fail("length", "length", strconv.Itoa(len([]rune(n))))
	default:
		return n, true
	}
	return n, false
}

// checkProvinceCounty checks the 6-digit address code of a mainland ID: the province must exist, an unknown
// county is a warning.
func checkProvinceCounty(r *Result, code string) {
	if !isMainland(code[:2]) {
		r.fail("province", "code", code[:2])
		return
	}
	if !r.noting() {
		return
	}
	r.Info["province"] = code[:2]
	if !divisions.KnownCounty(code) {
		r.warn("county_unknown", "code", code)
	}
}

// checkBirthAndSum checks the birth date (a real date, not before 1900, not after today in China) and the
// check character of an 18-character number, and records birth_date and sex.
func checkBirthAndSum(r *Result, n string, now time.Time) {
	y, m, d := atoi(n[6:10]), atoi(n[10:12]), atoi(n[12:14])
	birth := time.Date(y, time.Month(m), d, 0, 0, 0, 0, china)
	today := now.In(china)
	switch {
	case birth.Year() != y || birth.Month() != time.Month(m) || birth.Day() != d:
		r.fail("birth_date", "date", n[6:14])
	case birth.Before(earliestBirth):
		r.fail("birth_too_early", "date", birth.Format(time.DateOnly))
	case birth.After(today):
		r.fail("birth_future", "date", birth.Format(time.DateOnly))
	case r.noting():
		r.Info["birth_date"] = birth.Format(time.DateOnly)
	}
	switch {
	case !r.noting():
	case (n[16]-'0')%2 == 1:
		r.Info["sex"] = "male"
	default:
		r.Info["sex"] = "female"
	}
	if gb11643Check(n[:17]) != n[17] {
		r.fail("checksum")
	}
}

func isMainland(code2 string) bool {
	_, ok := divisions.ProvinceByCode(code2)
	return ok
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

// atoi parses a short run of ASCII digits that the caller has checked.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
