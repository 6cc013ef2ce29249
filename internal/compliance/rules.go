package compliance

import (
	"html"
	"net/url"
	"strings"
	"unicode"
)

// bottomFrom is where the bottom of a page begins, as a share of its visible text: a number after it, or
// inside footer markup, is "at the bottom".
const bottomFrom = 0.6

// placeholderICP stands for the number in a fix when the registry does not know it.
const placeholderICP = "粤ICP备XXXXXXXXXX号-1"

// pageFindings checks what the page shows against the filing (nil when the registry could not be asked).
func pageFindings(p Page, f *Filing) []Finding {
	out := icpFindings(p, f)
	out = append(out, policeFindings(p, f)...)
	return append(out, titleFindings(p, f)...)
}

// expectedICP is the number the footer should show: the website's service number, else the subject number.
func expectedICP(f *Filing) string {
	switch {
	case f == nil || !f.Filed:
		return placeholderICP
	case f.ServiceNumber != "":
		return f.ServiceNumber
	case f.SubjectNumber != "":
		return f.SubjectNumber
	}
	return placeholderICP
}

// icpFindings: an ICP number is shown, is this domain's (its service number or its subject's number), sits at
// the bottom and links to MIIT's filing system.
func icpFindings(p Page, f *Filing) []Finding {
	want := expectedICP(f)
	fix := ICPSnippet(want)
	if len(p.ICP) == 0 {
		if p.ScriptMentions {
			return []Finding{finding(Error, "icp.script_only").withFix(fix)}
		}
		return []Finding{finding(Error, "icp.missing").withFix(fix)}
	}
	m, ok := pickICP(p.ICP, f)
	var out []Finding
	switch {
	case m.Number == "":
		return []Finding{finding(Error, "icp.invalid", "shown", m.Raw).withFix(fix)}
	case !ok:
		out = append(out, finding(Error, "icp.wrong_number", "shown", m.Number, "filed", want).withFix(fix))
	case f != nil && m.Number == f.SubjectNumber && f.ServiceNumber != "":
		out = append(out, finding(Info, "icp.subject_number", "shown", m.Number, "service", f.ServiceNumber))
	}
	if !m.InFooter && m.Position < bottomFrom {
		out = append(out, finding(Warning, "icp.not_at_bottom", "shown", m.Number).withFix(fix))
	}
	return append(out, icpLinkFindings(m, fix)...)
}

// pickICP chooses the mention to judge: the first one that is this domain's number, else the first valid one,
// else the first. ok reports a match (always true when the filing is unknown).
func pickICP(ms []Mention, f *Filing) (Mention, bool) {
	if f == nil || !f.Filed {
		for _, m := range ms {
			if m.Number != "" {
				return m, true
			}
		}
		return ms[0], true
	}
	for _, m := range ms {
		if m.Number != "" && (m.Number == f.ServiceNumber || m.Number == f.SubjectNumber) {
			return m, true
		}
	}
	for _, m := range ms {
		if m.Number != "" {
			return m, false
		}
	}
	return ms[0], false
}

func icpLinkFindings(m Mention, fix string) []Finding {
	if m.Href == "" {
		return []Finding{finding(Error, "icp.link_missing", "shown", m.Number).withFix(fix)}
	}
	u, err := url.Parse(m.Href)
	if err != nil || !strings.EqualFold(u.Hostname(), "beian.miit.gov.cn") {
		return []Finding{finding(Error, "icp.link_wrong", "href", m.Href).withFix(fix)}
	}
	if u.Scheme != "https" {
		return []Finding{finding(Warning, "icp.link_http", "href", m.Href).withFix(fix)}
	}
	return nil
}

// policeFindings: when the registry knows the site's police number, the page must show it; any police number
// shown must be valid, be the site's (when the police platform was asked and has no filing of the site, it is
// not), carry the badge and link to the platform's query of that number.
func policeFindings(p Page, f *Filing) []Finding {
	known := ""
	if f != nil {
		known = f.PoliceNumber
	}
	if len(p.Police) == 0 {
		if known != "" {
			return []Finding{finding(Error, "police.missing", "filed", known).withFix(PoliceSnippet(known))}
		}
		return nil
	}
	m := p.Police[0]
	if m.Number == "" {
		return []Finding{finding(Error, "police.invalid", "shown", m.Raw)}
	}
	want := m.Number
	var out []Finding
	switch {
	case known != "" && policeDigits(known) != policeDigits(m.Number):
		out = append(out, finding(Error, "police.wrong_number", "shown", m.Number, "filed", known))
		want = known
	case known == "" && f != nil && f.PoliceChecked:
		out = append(out, finding(Error, "police.not_filed", "shown", m.Number))
	}
	fix := PoliceSnippet(want)
	if !m.Badge {
		out = append(out, finding(Error, "police.badge_missing", "shown", m.Number).withFix(fix))
	}
	return append(out, policeLinkFindings(m, fix)...)
}

func policeLinkFindings(m Mention, fix string) []Finding {
	digits := policeDigits(m.Number)
	if m.Href == "" {
		return []Finding{finding(Error, "police.link_missing", "shown", m.Number).withFix(fix)}
	}
	u, err := url.Parse(m.Href)
	if err != nil {
		return []Finding{finding(Error, "police.link_wrong", "href", m.Href).withFix(fix)}
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case host == "beian.mps.gov.cn" && policeCode(u) == digits && u.Scheme == "https":
		return nil
	case host == "www.beian.gov.cn" && u.Query().Get("recordcode") == digits:
		return []Finding{finding(Warning, "police.link_legacy", "href", m.Href).withFix(fix)}
	}
	return []Finding{finding(Error, "police.link_wrong", "href", m.Href).withFix(fix)}
}

// policeCode reads code= from the platform's hash route (#/query/webSearch?code=…).
func policeCode(u *url.URL) string {
	_, q, ok := strings.Cut(u.Fragment, "?")
	if !ok || !strings.HasPrefix(u.Fragment, "/query/webSearch") {
		return ""
	}
	v, _ := url.ParseQuery(q)
	return v.Get("code")
}

// titleFindings: the title contains the filed website name, or is consistent with it (one contains the other
// once spaces and punctuation are set aside, or they share at least half of the name).
func titleFindings(p Page, f *Filing) []Finding {
	if f == nil || !f.Filed || f.WebsiteName == "" {
		return nil
	}
	if strings.TrimSpace(p.Title) == "" {
		return []Finding{finding(Warning, "title.missing", "name", f.WebsiteName).withFix(titleSnippet(f.WebsiteName))}
	}
	if !consistent(p.Title, f.WebsiteName) {
		return []Finding{finding(Warning, "title.mismatch", "title", p.Title, "name", f.WebsiteName).withFix(
			titleSnippet(f.WebsiteName))}
	}
	return nil
}

func titleSnippet(name string) string { return "<title>" + html.EscapeString(name) + "</title>" }

// maxTitle bounds the runes of a title compared, so that a hostile title costs little.
const maxTitle = 300

func consistent(title, name string) bool {
	t, n := []rune(plain(title)), []rune(plain(name))
	t, n = t[:min(len(t), maxTitle)], n[:min(len(n), maxTitle)]
	if len(n) == 0 {
		return true
	}
	if strings.Contains(string(t), string(n)) || len(t) > 0 && strings.Contains(string(n), string(t)) {
		return true
	}
	return 2*longestCommon(t, n) >= len(n) && longestCommon(t, n) >= 2
}

// plain keeps letters and digits, folding case and full-width forms.
func plain(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = foldRune(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// longestCommon is the length of the longest common run of a and b.
func longestCommon(a, b []rune) int {
	best := 0
	prev := make([]int, len(b)+1)
	for i := range a {
		cur := make([]int, len(b)+1)
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
				best = max(best, cur[j+1])
			}
		}
		prev = cur
	}
	return best
}
