package qrsvg

import (
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr"

	"github.com/beian/beian/internal/problem"
)

var (
	runRE     = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	viewBoxRE = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	dRE       = regexp.MustCompile(` d="([^"]*)"`)
)

// modules re-parses the path of an SVG into the set of dark modules, in SVG coordinates.
func modules(t *testing.T, svg string) (map[[2]int]bool, int) {
	t.Helper()
	vb := viewBoxRE.FindStringSubmatch(svg)
	if vb == nil || vb[1] != vb[2] {
		t.Fatalf("no square viewBox in %.200s", svg)
	}
	n, _ := strconv.Atoi(vb[1])
	d := dRE.FindStringSubmatch(svg)
	if d == nil {
		t.Fatal("no path")
	}
	if rest := runRE.ReplaceAllString(d[1], ""); rest != "" {
		t.Fatalf("path has something other than runs: %.80q", rest)
	}
	dark := map[[2]int]bool{}
	for _, m := range runRE.FindAllStringSubmatch(d[1], -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		if m[3] != m[4] || w < 1 {
			t.Fatalf("run %q is not a closed 1-module-high rectangle", m[0])
		}
		for i := range w {
			if dark[[2]int{x + i, y}] {
				t.Fatalf("module %d,%d drawn twice", x+i, y)
			}
			dark[[2]int{x + i, y}] = true
		}
	}
	return dark, n
}

func TestSVGMatchesCode(t *testing.T) {
	texts := []string{
		"https://beian.example.com/m/face/8f14e45fceea167a5a36dedd4bea2543",
		"12345678901234567890",
		"HELLO WORLD",
		"",
		"备案人脸核验 " + strings.Repeat("长", 300),
	}
	levels := []Level{Medium, Low, Quartile, High}
	for _, text := range texts {
		for _, lv := range levels {
			svg, err := SVG(text, Options{Level: lv})
			if err != nil {
				t.Fatalf("%q: %v", text, err)
			}
			code, err := qr.Encode(text, lv.qr())
			if err != nil {
				t.Fatal(err)
			}
			dark, n := modules(t, svg)
			if n != code.Size+2*QuietZone {
				t.Fatalf("viewBox %d for a %d-module code", n, code.Size)
			}
			for y := -QuietZone; y < code.Size+QuietZone; y++ {
				for x := -QuietZone; x < code.Size+QuietZone; x++ {
					if got, want := dark[[2]int{x + QuietZone, y + QuietZone}], code.Black(x, y); got != want {
						t.Fatalf("%q level %d: module %d,%d dark=%v, want %v", text, lv, x, y, got, want)
					}
				}
			}
			// The quiet zone is empty (code.Black is false outside the code, checked above) and nothing is
			// drawn beyond the viewBox.
			for p := range dark {
				if p[0] < QuietZone || p[1] < QuietZone || p[0] >= n-QuietZone || p[1] >= n-QuietZone {
					t.Fatalf("module %v in the quiet zone", p)
				}
			}
		}
	}
}

func TestSVGStructure(t *testing.T) {
	svg, err := SVG("https://beian.example.com/m/face/abc", Options{Label: `扫码核验 <script>&"`})
	if err != nil {
		t.Fatal(err)
	}
	// Well-formed XML with one svg root, role and accessible name, one background rect, one path.
	var doc struct {
		XMLName   xml.Name `xml:"svg"`
		Role      string   `xml:"role,attr"`
		AriaLabel string   `xml:"aria-label,attr"`
		Width     string   `xml:"width,attr"`
		Title     string   `xml:"title"`
		Rects     []struct {
			Fill string `xml:"fill,attr"`
		} `xml:"rect"`
		Paths []struct {
			Fill string `xml:"fill,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	if doc.Role != "img" || doc.AriaLabel != `扫码核验 <script>&"` || doc.Title != doc.AriaLabel {
		t.Errorf("accessibility: role %q label %q title %q", doc.Role, doc.AriaLabel, doc.Title)
	}
	if strings.Contains(svg, "<script") {
		t.Error("label not escaped")
	}
	if len(doc.Rects) != 1 || len(doc.Paths) != 1 || doc.Rects[0].Fill != "#fff" || doc.Paths[0].Fill != "#000" {
		t.Errorf("rects %v paths %v", doc.Rects, doc.Paths)
	}
	code, _ := qr.Encode("https://beian.example.com/m/face/abc", qr.M)
	if want := strconv.Itoa((code.Size + 8) * DefaultModulePx); doc.Width != want {
		t.Errorf("width %s, want %s", doc.Width, want)
	}
	if !strings.Contains(svg, `shape-rendering="crispEdges"`) {
		t.Error("not crisp")
	}
	// Runs are merged: far fewer sub-paths than dark modules.
	dark, _ := modules(t, svg)
	if runs := strings.Count(svg, "M"); runs*2 > len(dark) {
		t.Errorf("%d sub-paths for %d modules", runs, len(dark))
	}
}

func TestSVGOptions(t *testing.T) {
	svg, err := SVG("x", Options{Size: 200, Foreground: "#1a2b3c", Background: "rgb(250, 250, 250)"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`width="200"`, `height="200"`, `fill="#1a2b3c"`, `fill="rgb(250, 250, 250)"`, `aria-label="二维码"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %s", want)
		}
	}
	if _, err := SVG("x", Options{Foreground: `red" onload="alert(1)`}); problem.KindOf(err) != problem.Internal || err == nil {
		t.Errorf("unsafe colour: %v", err)
	}
	if _, err := SVG(strings.Repeat("长", 3000), Options{Level: High}); !problem.Is(err, "qrsvg.encode") {
		t.Errorf("too long: %v", err)
	}
	a, _ := SVG("same", Options{})
	b, _ := SVG("same", Options{})
	if a != b {
		t.Error("not deterministic")
	}
}

func FuzzSVG(f *testing.F) {
	f.Add("https://beian.example.com/m/face/abc", "扫码")
	f.Add("", "")
	f.Add("0123", `"<>&'`)
	f.Add("x", "a\x01b\xffc\uFFFE")
	f.Fuzz(func(t *testing.T, text, label string) {
		svg, err := SVG(text, Options{Label: label})
		if err != nil {
			if !problem.Is(err, "qrsvg.encode") {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		var v struct {
			XMLName xml.Name `xml:"svg"`
		}
		if err := xml.Unmarshal([]byte(svg), &v); err != nil {
			t.Fatalf("not XML for label %q: %v", label, err)
		}
	})
}

func BenchmarkSVG(b *testing.B) {
	for b.Loop() {
		if _, err := SVG("https://beian.example.com/m/face/8f14e45fceea167a5a36dedd4bea2543", Options{Label: "扫码"}); err != nil {
			b.Fatal(err)
		}
	}
}
