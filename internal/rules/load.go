package rules

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
)

//go:embed data/national.json provinces/*.json
var ruleFS embed.FS

type ruleSet struct {
	national  *RuleFile
	provinces map[string]*RuleFile
}

var (
	rulesOnce sync.Once
	loadedSet *ruleSet
	ruleErr   error
)

func set() *ruleSet {
	rulesOnce.Do(func() { loadedSet, ruleErr = loadRules() })
	if ruleErr != nil {
		panic(ruleErr) // embedded data is checked by the tests; a broken build must not start
	}
	return loadedSet
}

func loadRules() (*ruleSet, error) {
	s := &ruleSet{provinces: map[string]*RuleFile{}}
	var err error
	if s.national, err = readRuleFile("data/national.json"); err != nil {
		return nil, err
	}
	if s.national.Province != "*" {
		return nil, fmt.Errorf("rules: data/national.json: province must be *")
	}
	entries, err := ruleFS.ReadDir("provinces")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		f, err := readRuleFile(path.Join("provinces", e.Name()))
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(e.Name(), f.Province+"-") || s.provinces[f.Province] != nil {
			return nil, fmt.Errorf("rules: %s: file name must start with its province %s- and be the only one", e.Name(), f.Province)
		}
		s.provinces[f.Province] = f
	}
	return s, nil
}

func readRuleFile(name string) (*RuleFile, error) {
	raw, err := ruleFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	f, err := parseRuleFile(raw)
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", name, err)
	}
	return f, nil
}

// National returns the rules that apply in every province.
func National() *RuleFile { return set().national }

// Province returns the rule file of a province by its GB/T 2260 2-digit code.
func Province(code string) (*RuleFile, bool) {
	f, ok := set().provinces[code]
	return f, ok
}

// Provinces returns the province codes that have rule files, sorted.
func Provinces() []string {
	m := set().provinces
	out := make([]string, 0, len(m))
	for code := range m {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}

// All returns every rule: national first, then the provinces in code order.
func All() []Rule {
	out := append([]Rule(nil), National().Rules...)
	for _, code := range Provinces() {
		f, _ := Province(code)
		out = append(out, f.Rules...)
	}
	return out
}
