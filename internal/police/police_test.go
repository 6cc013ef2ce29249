package police

import (
	"strings"
	"testing"
)

func TestDigits(t *testing.T) {
	for in, want := range map[string]string{
		"京公网安备11010502000001号":  "11010502000001",
		"粤公网安备 44030502000123号": "44030502000123",
		"11010502000001":        "11010502000001",
		"京公网安备110105020001号":    "", // a legacy 12-digit number has no query link of the current form
		"":                      "",
	} {
		if got := Digits(in); got != want {
			t.Errorf("Digits(%q) = %q, want %q", in, got, want)
		}
	}
}

// The snippet links the number to the platform's public query and escapes what it is given.
func TestBadgeHTML(t *testing.T) {
	got := BadgeHTML("豫公网安备41138102000324号", "/img/备案图标.png")
	want := `<img src="/img/备案图标.png" alt="" style="vertical-align:middle" /><a href="https://beian.mps.gov.cn/#/query/webSearch?code=41138102000324" rel="noreferrer" target="_blank">豫公网安备41138102000324号</a>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := BadgeHTML(`<script>`, `x" onerror="y`); got == "" || strings.Contains(got, "<script>") || strings.Contains(got, `" onerror`) {
		t.Errorf("not escaped: %s", got)
	}
}
