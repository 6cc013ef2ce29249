package compliance

import (
	"html"
	"strings"

	"github.com/beian/beian/internal/i18n"
)

// Severity says how much a finding matters: an Error fails the site, a Warning should be fixed, Info is a
// note.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Finding is one result of a check. Code is stable; the message is the catalog entry "compliance."+Code
// filled from Params. Fix, when set, is the HTML to paste into the page.
type Finding struct {
	Code     string            `json:"code"`
	Severity Severity          `json:"severity"`
	Params   map[string]string `json:"params,omitempty"`
	Fix      string            `json:"fix,omitempty"`
	Message  string            `json:"message,omitempty"` // filled by Report.Localize
}

// Text returns the finding's message in lang.
func (f Finding) Text(lang i18n.Lang) string { return i18n.T(lang, "compliance."+f.Code, f.Params) }

func finding(sev Severity, code string, params ...string) Finding {
	f := Finding{Code: code, Severity: sev}
	if len(params) > 0 {
		f.Params = make(map[string]string, len(params)/2)
		for i := 0; i+1 < len(params); i += 2 {
			f.Params[params[i]] = params[i+1]
		}
	}
	return f
}

func (f Finding) withFix(snippet string) Finding {
	f.Fix = snippet
	return f
}

// MIITURL is the address of MIIT's filing system that the ICP number must link to.
const MIITURL = "https://beian.miit.gov.cn/"

// PoliceQueryURL is the police filing platform's public query of one number.
func PoliceQueryURL(digits string) string {
	return "https://beian.mps.gov.cn/#/query/webSearch?code=" + digits
}

// ICPSnippet is the footer line for an ICP number: centred, linked to MIIT's filing system.
func ICPSnippet(number string) string {
	return `<p style="text-align:center"><a href="` + MIITURL + `" target="_blank" rel="noopener">` +
		html.EscapeString(number) + `</a></p>`
}

// PoliceSnippet is the footer line for a police number as the police platform hands it out: its badge image
// (downloaded from the platform and served by the site; the name here is the platform's) and the number
// linked to its public query.
func PoliceSnippet(number string) string {
	digits := policeDigits(number)
	number = strings.ReplaceAll(number, " ", "") // the platform's snippet writes 京公网安备11010102000001号
	return `<p style="text-align:center"><img src="备案图标.png" alt="" style="width:16px;height:16px;vertical-align:middle" />` +
		`<a href="` + PoliceQueryURL(digits) + `" rel="noreferrer" target="_blank">` + html.EscapeString(number) +
		`</a></p>`
}

// FooterSnippet is the whole footer a filed site shows: the ICP number and, when known, the police number.
func FooterSnippet(icp, police string) string {
	var b strings.Builder
	b.WriteString("<footer>\n  " + ICPSnippet(icp) + "\n")
	if police != "" {
		b.WriteString("  " + PoliceSnippet(police) + "\n")
	}
	b.WriteString("</footer>")
	return b.String()
}

// policeDigits returns the digits of a police number ("京公网安备 11010102000001号" → "11010102000001").
func policeDigits(number string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, number)
}
