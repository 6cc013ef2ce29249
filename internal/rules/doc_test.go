package rules

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

// The rule tables of docs/rules.md are generated from the data: `go test ./internal/rules -run TestDoc -update`
// rewrites them; without -update the test fails when the doc and the data disagree.
var update = flag.Bool("update", false, "rewrite the generated part of docs/rules.md")

const (
	docPath  = "../../docs/rules.md"
	docBegin = "<!-- BEGIN GENERATED: go test ./internal/rules -run TestDoc -update -->"
	docEnd   = "<!-- END GENERATED -->"
)

func TestDocMatchesData(t *testing.T) {
	raw, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, docBegin), strings.Index(doc, docEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the generated-section markers", docPath)
	}
	want := doc[:i+len(docBegin)] + "\n" + generatedDoc() + doc[j:]
	if *update {
		if err := os.WriteFile(docPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != doc {
		t.Fatalf("%s is out of date with the rule data: run go test ./internal/rules -run TestDoc -update", docPath)
	}
	for _, r := range All() {
		for _, code := range r.EmittedCodes() {
			if !strings.Contains(doc, "`"+code+"`") {
				t.Errorf("docs/rules.md does not mention %s", code)
			}
		}
	}
}

func generatedDoc() string {
	var b strings.Builder
	b.WriteString("### National rules (every province)\n\n")
	ruleTable(&b, National().Rules)
	b.WriteString("\n### Personal cross-province filings (UCloud province rules)\n\n| province | personal filing with an ID card of another province |\n|---|---|\n")
	for _, code := range Provinces() {
		f, _ := Province(code)
		fmt.Fprintf(&b, "| %s %s | %s |\n", code, f.Names.ZhCN, crossStance(f))
	}
	b.WriteString("\n### Province rules\n")
	for _, code := range Provinces() {
		f, _ := Province(code)
		fmt.Fprintf(&b, "\n#### %s %s (%s) — `provinces/%s`\n\n", code, f.Names.ZhCN, f.Names.En, fileName(code))
		if f.Notes != "" {
			fmt.Fprintf(&b, "%s\n\n", f.Notes)
		}
		if len(f.Rules) == 0 {
			b.WriteString("No rule the engine can judge from an order.\n")
			continue
		}
		ruleTable(&b, f.Rules)
	}
	return b.String()
}

func ruleTable(b *strings.Builder, rs []Rule) {
	b.WriteString("| code | outcome | check | applies to | from | source |\n|---|---|---|---|---|---|\n")
	for _, r := range rs {
		from := string(r.EffectiveFrom) + " (" + r.DateBasis + ")"
		if r.EffectiveUntil != "" {
			from += " until " + string(r.EffectiveUntil)
		}
		fmt.Fprintf(b, "| %s | %s | `%s` | %s | %s | %s |\n", codeCell(&r), outcomeCell(&r), r.Check, whenCell(&r),
			from, strings.ReplaceAll(r.Source, "|", "/"))
	}
}

func codeCell(r *Rule) string {
	var cs []string
	for _, c := range r.EmittedCodes() {
		cs = append(cs, "`"+c+"`")
	}
	return strings.Join(cs, " ")
}

func outcomeCell(r *Rule) string {
	out := r.Outcome()
	switch {
	case r.Check == "cross_subject":
		return "violation (CrossCheck)"
	case r.Check == "cross_province_personal" && r.Params.Mode == "residence_permit":
		return "material `residence_permit`"
	case r.Check == "service_principal_credentials":
		return "material `service_principal_credential`"
	case r.Check == "authorization_letter":
		return "material `authorization_letter`"
	case r.Check == "pre_approval_permits":
		return "material `pre_approval_permit`"
	case r.Check == "finance_remark":
		return "material `no_pre_approval_pledge`"
	case r.Params.Material != "":
		return out + " `" + r.Params.Material + "`"
	}
	return out
}

func whenCell(r *Rule) string {
	var parts []string
	w, p := r.When, r.Params
	if w.Subject != "" {
		parts = append(parts, w.Subject)
	}
	if len(w.Natures) > 0 {
		parts = append(parts, strings.Join(w.Natures, ", "))
	}
	if len(w.OrderTypes) > 0 {
		parts = append(parts, "orders: "+strings.Join(w.OrderTypes, ", "))
	}
	if len(w.ServiceKinds) > 0 {
		parts = append(parts, "with a "+strings.Join(w.ServiceKinds, "/"))
	}
	if w.MinDomains > 0 {
		parts = append(parts, fmt.Sprintf("≥ %d domains", w.MinDomains))
	}
	if w.Finance {
		parts = append(parts, "finance involved")
	}
	params := []string{}
	add := func(k, v string) {
		if v != "" && v != "0" {
			params = append(params, k+"="+v)
		}
	}
	add("list", p.List)
	add("mode", p.Mode)
	add("phones", strings.Join(p.Phones, "+"))
	add("content", strings.Join(p.Content, "+"))
	add("kinds", strings.Join(p.Kinds, "+"))
	add("min", fmt.Sprint(p.Min))
	add("max", fmt.Sprint(p.Max))
	if len(params) > 0 {
		parts = append(parts, strings.Join(params, " "))
	}
	if r.Note != "" {
		parts = append(parts, "*"+r.Note+"*")
	}
	if len(parts) == 0 {
		return "all orders"
	}
	return strings.Join(parts, "; ")
}

func crossStance(f *RuleFile) string {
	for _, r := range f.Rules {
		if r.Check == "cross_province_personal" {
			if r.Params.Mode == "refuse" {
				return "**refused** (`rules.cross_province_refused`)"
			}
			return "accepted with a residence permit (`residence_permit`)"
		}
	}
	return "accepted"
}

func fileName(code string) string {
	entries, _ := ruleFS.ReadDir("provinces")
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), code+"-") {
			return e.Name()
		}
	}
	return code
}
