// Package loadtest drives a running beian over HTTP for benchmarks and the beian-load command: complete ICP
// filing lifecycles by many applicants at once, and public queries against a large registry. Every generated
// identifier is valid (checksums, no fake-looking phone numbers) and unique per index, so that the rules across
// subjects (Huawei Cloud's first-filing guide: emergency mobile and e-mail unique to one subject) hold at any scale.
package loadtest

import (
	"fmt"
	"strings"
	"time"

	"github.com/beian/beian/internal/ident"
)

const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// scramble maps i to a number below mod that looks random, bijectively (an odd multiplier modulo a power of ten
// is invertible), so that consecutive indexes do not give sequential digits.
func scramble(i, mod uint64) uint64 { return (i*2654435761 + 97531) % mod }

// orgCode completes 8 characters with the GB 11714 check character.
func orgCode(base string) string {
	w := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, c := range base {
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * w[k]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return base + "X"
	case 11:
		return base + "0"
	default:
		return base + fmt.Sprint(c)
	}
}

// USCC returns a valid unified social credit code of an enterprise registered in Guangzhou, unique per i.
func USCC(i int) string { return USCCIn("44", i) }

// USCCIn returns a valid unified social credit code of an enterprise registered at the provincial level of
// province (a two-digit code), unique per i < 10^8 whatever the province.
func USCCIn(province string, i int) string {
	region := province + "0000"
	if province == "44" {
		region = "440101" // Guangzhou, as the lifecycle load has always used
	}
	body := "91" + region + orgCode(fmt.Sprintf("%08d", scramble(uint64(i), 1e8)))
	sum := 0
	for k, c := range body {
		sum += strings.IndexRune(usccChars, c) * usccWeights[k]
	}
	return body + string(usccChars[(31-sum%31)%31])
}

// ResidentID returns a valid resident ID number of a Guangzhou resident born in the 1980s, unique per i < 10^6.
func ResidentID(i int) string {
	n := scramble(uint64(i), 1e6)
	birth := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n/1000)%3650)
	body := fmt.Sprintf("440106%s%03d", birth.Format("20060102"), n%1000)
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, c := range body {
		sum += int(c-'0') * w[k]
	}
	return body + string("10X98765432"[sum%11])
}

// Mobile returns a valid, plausible mobile number unique per (i, kind); kind 0-3 separates a subject's phones.
func Mobile(i, kind int) string {
	for k := uint64(0); ; k++ {
		n := scramble(uint64(i)*4+uint64(kind)+k*1_000_003, 1e9)
		m := fmt.Sprintf("13%09d", n)
		if ident.Mobile(m).Valid() {
			return m
		}
	}
}
