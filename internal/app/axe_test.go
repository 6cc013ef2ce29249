package app_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core (testdata/axe: version, source and licence, MPL-2.0), injected into pages under test.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axeRun checks the page against the WCAG 2.1 A and AA rules and lists the serious and critical violations.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
  resultTypes: ["violations"]}).then(function (r) {
  return JSON.stringify(r.violations.filter(function (v) { return v.impact === "serious" || v.impact === "critical"; })
    .map(function (v) { return {id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 4).map(function (n) { return n.target.join(" ") + ": " + n.failureSummary; })}; }));
})`

type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// accessible fails the test when the page, as it stands, has a serious or critical accessibility violation
// (axe-core); state names the page state in the failure.
func (b *tab) accessible(state string) {
	b.t.Helper()
	if b.eval(`typeof window.axe`) != "object" {
		b.do(void(chromedp.Evaluate[bool](axeSource + "\n;true")))
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe on %s: %v", state, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.t.Fatalf("axe on %s: %v (%s)", state, err, raw)
	}
	for _, v := range vs {
		b.t.Errorf("%s (%s): %s %s — %s\n  %s", state, b.vp.name, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n  "))
	}
}
