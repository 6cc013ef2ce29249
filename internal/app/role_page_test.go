package app_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/beian/beian/internal/web"
)

// TestRoleErrorPageOneLanguage: a page refused for the actor's role speaks the page's language only, whichever
// way the language was chosen (?lang= or Accept-Language), for an applicant on staff pages and staff on
// applicant pages.
func TestRoleErrorPageOneLanguage(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	applicant, _ := p.newApplicant("role-page@example.com")
	tags := regexp.MustCompile(`<[^>]*>`)
	for _, c := range []struct {
		who  *client
		path string
	}{{applicant, "/console"}, {applicant, "/miit/console"}, {p.officer, "/orders"}, {p.reviewer, "/orders/new"}} {
		for _, hdr := range [][]string{{"Accept-Language", "en"}, {"Accept-Language", "zh-CN"}} {
			for _, q := range []string{"", "?lang=en"} {
				lang := hdr[1]
				if q != "" {
					lang = "en"
				}
				status, body := c.who.do("GET", c.path+q, nil, "Cookie", web.SessionCookie+"="+c.who.token, hdr[0], hdr[1])
				if status != 403 && status != 200 {
					t.Fatalf("GET %s%s = %d", c.path, q, status)
				}
				page := string(body)
				i, j := strings.Index(page, "<main"), strings.Index(page, "</main>")
				if i < 0 || j < i {
					t.Fatalf("GET %s%s: no main", c.path, q)
				}
				main := tags.ReplaceAllString(page[i:j], " ")
				han := strings.IndexFunc(main, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
				switch {
				case lang == "en" && (han || !strings.Contains(main, "Your role may not do this.")):
					t.Errorf("GET %s%s (%s): not all English:\n%s", c.path, q, hdr[1], main)
				case lang == "zh-CN" && (!strings.Contains(main, "您的角色不能执行此操作。") || regexp.MustCompile(`[A-Za-z]{4,}`).MatchString(main)):
					t.Errorf("GET %s%s (%s): not all Chinese:\n%s", c.path, q, hdr[1], main)
				}
			}
		}
	}
}
