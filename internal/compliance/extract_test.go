package compliance

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/beian/beian/internal/ident"
)

func extractString(t testing.TB, s string) Page {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return Extract(doc)
}

func TestExtractICP(t *testing.T) {
	cases := []struct {
		name, html string
		want       []string // normalised numbers, "" for an invalid one
		href       string   // of the first
	}{
		{"plain", `<p>粤ICP备2020123456号-1</p>`, []string{"粤ICP备2020123456号-1"}, ""},
		{"linked", `<a href="https://beian.miit.gov.cn/">京ICP备12345678号</a>`, []string{"京ICP备12345678号"}, "https://beian.miit.gov.cn/"},
		{"spaces and full width", `<p>备案号：沪 ＩＣＰ备 2021000001号－2</p>`, []string{"沪ICP备2021000001号-2"}, ""},
		{"traditional", `<p>粵ICP備2020123456號</p>`, []string{"粤ICP备2020123456号"}, ""},
		{"split across elements", `<span>浙ICP备</span><b>2022000123号</b>`, []string{"浙ICP备2022000123号"}, ""},
		{"app suffix", `<p>苏ICP备2023000456号-3A</p>`, []string{"苏ICP备2023000456号-3A"}, ""},
		{"missing hao", `<p>粤ICP备2020123456-1</p>`, []string{"粤ICP备2020123456号-1"}, ""},
		{"licence is not a filing", `<p>京ICP证030173号 粤B2-20090059</p>`, nil, ""},
		{"bad serial", `<p>粤ICP备123号</p>`, []string{""}, ""},
		{"two", `<p>粤ICP备2020123456号-1</p><p>京ICP备12345678号</p>`, []string{"粤ICP备2020123456号-1", "京ICP备12345678号"}, ""},
		{"blocks do not run together", `<div>粤ICP备</div><div>2020123456号</div>`, nil, ""},
		{"script is not text", `<script>var s="粤ICP备2020123456号"</script>`, nil, ""},
		{"hidden is not text", `<p hidden>粤ICP备2020123456号</p>`, nil, ""},
		{"noscript is not text", `<noscript>粤ICP备2020123456号</noscript>`, nil, ""},
		{"title is not footer", `<title>粤ICP备2020123456号</title>`, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := extractString(t, tc.html)
			var got []string
			for _, m := range p.ICP {
				got = append(got, m.Number)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Fatalf("numbers %q, want %q", got, tc.want)
			}
			if len(got) > 0 && p.ICP[0].Href != tc.href {
				t.Errorf("href %q, want %q", p.ICP[0].Href, tc.href)
			}
		})
	}
}

func TestExtractPolice(t *testing.T) {
	cases := []struct {
		name, html string
		want       string
		badge      bool
		href       string
	}{
		{"platform snippet", `<div><img src="备案图标.png" /><a href="https://beian.mps.gov.cn/#/query/webSearch?code=41138102000324" rel="noreferrer" target="_blank">豫公网安备41138102000324号</a></div>`,
			"豫公网安备 41138102000324号", true, "https://beian.mps.gov.cn/#/query/webSearch?code=41138102000324"},
		{"image inside the link", `<p><a href="x"><img src="gongan.png">京公网安备 11010502030143号</a></p>`, "京公网安备 11010502030143号", true, "x"},
		{"no badge", `<p><a href="x">京公网安备 11010502030143号</a></p>`, "京公网安备 11010502030143号", false, "x"},
		{"badge in another block", `<div><img src="logo.png"></div><p>京公网安备11010502030143号</p>`, "京公网安备 11010502030143号", false, ""},
		{"traditional", `<p>京公網安備11010502030143號</p>`, "京公网安备 11010502030143号", false, ""},
		{"wrong province", `<p>沪公网安备11010502030143号</p>`, "", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := extractString(t, tc.html)
			if len(p.Police) != 1 {
				t.Fatalf("police mentions %+v", p.Police)
			}
			m := p.Police[0]
			if m.Number != tc.want || m.Badge != tc.badge || m.Href != tc.href {
				t.Errorf("got %+v, want number %q badge %v href %q", m, tc.want, tc.badge, tc.href)
			}
		})
	}
}

func TestExtractPositionAndFooter(t *testing.T) {
	p := extractString(t, `<title> 示例 
		官网 </title><body><p>`+strings.Repeat("正文", 200)+`</p><div class="copyright">粤ICP备2020123456号</div></body>`)
	if p.Title != "示例 官网" {
		t.Errorf("title %q", p.Title)
	}
	if m := p.ICP[0]; !m.InFooter || m.Position < 0.9 || m.Position > 1 {
		t.Errorf("mention %+v", m)
	}
	p = extractString(t, `<body><div id="app"></div><script>footer.innerHTML = "粤ICP备2020123456号"</script></body>`)
	if len(p.ICP) != 0 || !p.ScriptMentions {
		t.Errorf("script-built footer: %+v", p)
	}
}

// FuzzExtract: any bytes parse, and every mention found is a stretch of the visible text with a position in
// [0, 1] whose number, when set, the validator accepts unchanged.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{goodFooter, `<p>沪 ＩＣＰ备 2021000001号－2</p>`, `<span>浙ICP备</span><b>2022000123号</b>`,
		`<a><img>京公網安備11010502030143號</a>`, "ICP备ICP备号-", "粤ICP备\xff2020", "公网安备公网安备 1号",
		`<footer style="display:none">粤ICP备2020123456号</footer>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := extractString(t, s)
		check := func(ms []Mention, validate func(string) ident.Result) {
			for _, m := range ms {
				if m.Position < 0 || m.Position > 1 || !utf8.ValidString(m.Raw) && utf8.ValidString(s) {
					t.Fatalf("mention %+v", m)
				}
				if m.Number != "" {
					if r := validate(m.Number); !r.Valid() || r.Normalized != m.Number {
						t.Fatalf("number %q: %+v", m.Number, r)
					}
				}
			}
		}
		check(p.ICP, ident.ICPNumber)
		check(p.Police, ident.PoliceNumber)
	})
}
