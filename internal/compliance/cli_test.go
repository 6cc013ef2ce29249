package compliance

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/internal/i18n"
)

// The summary table is aligned on a terminal in every language: its columns are padded by display width, a
// CJK character taking two columns (the zh-CN and zh-TW headers and results, an IDN domain).
func TestPrintTableAligned(t *testing.T) {
	reports := []Report{
		{Target: "http://good-example.cn/", Pass: true},
		{Target: "示例.中国", Findings: []Finding{{Code: "icp.missing", Severity: Error}, {Code: "title.missing", Severity: Warning}}},
		{Target: "https://www.example.com.cn/", Findings: []Finding{{Code: "icp.wrong_number", Severity: Error}}},
	}
	cells := regexp.MustCompile(`\S+( \S+)*`) // cells are apart by two spaces or more
	for _, lang := range i18n.Langs {
		var out bytes.Buffer
		CLI{Stdout: &out, Lang: lang}.printTable(reports)
		lines := strings.Split(out.String(), "\n")[:1+len(reports)]
		var want []int
		for i, line := range lines {
			var starts []int
			for _, loc := range cells.FindAllStringIndex(line, -1) {
				starts = append(starts, displayWidth(line[:loc[0]]))
			}
			if i == 0 {
				want = starts
			}
			if len(starts) != 5 || !slices.Equal(starts, want) {
				t.Errorf("%s: line %d %q: columns start at %v, header's at %v", lang, i, line, starts, want)
			}
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "pass": 4, "不通过": 6, "網站": 4, "ＩＣＰ": 6, "é": 1, "e\u0301": 1, "示例.中国": 9} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}
