// Package i18n holds beian's message catalogs and picks the caller's language.
//
// Catalogs are JSON files embedded from catalog/<area>.<lang>.json, one flat object of key → message per file,
// so that each area (ident, rules, filing, web, …) keeps its own strings. Messages may hold {name}
// placeholders filled from the parameters. zh-CN is the reference language; a test checks that every key exists
// in every language.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// Lang is one of the supported languages, named by its BCP 47 tag as used in URLs and cookies.
type Lang string

const (
	ZhCN Lang = "zh-CN" // simplified Chinese, the default
	ZhTW Lang = "zh-TW" // traditional Chinese
	En   Lang = "en"
)

// Langs lists the supported languages, default first.
var Langs = []Lang{ZhCN, ZhTW, En}

//go:embed catalog/*.json
var files embed.FS

var (
	loadOnce sync.Once
	catalogs map[Lang]map[string]string
	loadErr  error
)

func load() {
	catalogs = map[Lang]map[string]string{}
	for _, l := range Langs {
		catalogs[l] = map[string]string{}
	}
	entries, err := files.ReadDir("catalog")
	if err != nil {
		loadErr = err
		return
	}
	for _, e := range entries {
		area, lang, ok := splitName(e.Name())
		if !ok {
			loadErr = fmt.Errorf("i18n: catalog file %q is not named <area>.<lang>.json", e.Name())
			return
		}
		raw, err := files.ReadFile(path.Join("catalog", e.Name()))
		if err != nil {
			loadErr = err
			return
		}
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			loadErr = fmt.Errorf("i18n: %s: %w", e.Name(), err)
			return
		}
		for k, v := range m {
			if _, dup := catalogs[lang][k]; dup {
				loadErr = fmt.Errorf("i18n: key %q defined twice in %s (area %s)", k, lang, area)
				return
			}
			catalogs[lang][k] = v
		}
	}
}

func splitName(name string) (area string, lang Lang, ok bool) {
	base, found := strings.CutSuffix(name, ".json")
	if !found {
		return "", "", false
	}
	i := strings.IndexByte(base, '.')
	if i <= 0 {
		return "", "", false
	}
	area, lang = base[:i], Lang(base[i+1:])
	for _, l := range Langs {
		if l == lang {
			return area, lang, true
		}
	}
	return "", "", false
}

func catalog() map[Lang]map[string]string {
	loadOnce.Do(load)
	if loadErr != nil {
		panic(loadErr) // embedded data is checked by the tests; a broken build must not start
	}
	return catalogs
}

// T returns the message for key in lang with {name} placeholders filled from params.
// A missing key falls back to zh-CN, then to the key itself, so a gap shows rather than hides.
func T(lang Lang, key string, params map[string]string) string {
	c := catalog()
	msg, ok := c[lang][key]
	if !ok {
		if msg, ok = c[ZhCN][key]; !ok {
			msg = key
		}
	}
	if len(params) == 0 || !strings.Contains(msg, "{") {
		return msg
	}
	pairs := make([]string, 0, 2*len(params))
	for k, v := range params {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

// Texts renders a message in every language: what problem.Error.Text holds for findings whose wording or
// parameters are rendered where they arise (rules, evidence), keyed "zh-CN", "zh-TW", "en".
func Texts(render func(Lang) string) map[string]string {
	out := make(map[string]string, len(Langs))
	for _, l := range Langs {
		out[string(l)] = render(l)
	}
	return out
}

// Has reports whether key is in the zh-CN catalog.
func Has(key string) bool {
	_, ok := catalog()[ZhCN][key]
	return ok
}

// Keys returns the sorted keys of lang's catalog.
func Keys(lang Lang) []string {
	m := catalog()[lang]
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var matcher = language.NewMatcher([]language.Tag{
	language.SimplifiedChinese, language.TraditionalChinese, language.English,
})

// Parse returns the supported language closest to a list of tags such as an Accept-Language header, a LANG
// environment value ("en_US.UTF-8") or a plain "zh-TW"; zh-CN when nothing matches.
func Parse(accept string) Lang {
	accept = strings.TrimSpace(accept)
	if accept == "" {
		return ZhCN
	}
	if i := strings.IndexAny(accept, ".@"); i >= 0 && !strings.Contains(accept, ",") {
		accept = accept[:i] // POSIX locale: en_US.UTF-8
	}
	accept = strings.ReplaceAll(accept, "_", "-")
	if strings.EqualFold(accept, "C") || strings.EqualFold(accept, "POSIX") {
		return ZhCN
	}
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil || len(tags) == 0 {
		return ZhCN
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return ZhCN
	}
	return Langs[idx]
}

// Valid reports whether l is a supported language.
func Valid(l Lang) bool {
	for _, x := range Langs {
		if x == l {
			return true
		}
	}
	return false
}
