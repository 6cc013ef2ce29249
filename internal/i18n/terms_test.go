package i18n

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/beian/beian/internal/i18n/i18ntest"
)

// zh-TW uses Taiwan's terms (and quotation marks), not the mainland's written in traditional characters: in the
// catalogs and in the zh-TW names of the code lists the pages show.
func TestTaiwanTerms(t *testing.T) {
	texts := map[string]string{}
	for key, msg := range catalog()[ZhTW] {
		texts[key] = msg
	}
	for _, pattern := range []string{"../codes/data/*.json", "../mps/data/*.json", "../rules/data/*.json", "../rules/provinces/*.json"} {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v (no files)", pattern, err)
		}
		for _, f := range files {
			zhTWNames(t, f, texts)
		}
	}
	for key, msg := range texts {
		for _, term := range i18ntest.MainlandTermsIn(msg) {
			t.Errorf("%s: %q uses %s (Taiwan: %s)", key, msg, term.Mainland, term.Taiwan)
		}
	}
}

// zhTWNames adds every "zh-TW" string of a JSON data file to texts, keyed by the file and its position.
func zhTWNames(t *testing.T, file string, texts map[string]string) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if s, ok := e.(string); ok && k == "zh-TW" {
					texts[path] = s
				} else {
					walk(path+"."+k, e)
				}
			}
		case []any:
			for i, e := range v {
				walk(path+"["+strconv.Itoa(i)+"]", e)
			}
		}
	}
	walk(filepath.Base(file), v)
}
