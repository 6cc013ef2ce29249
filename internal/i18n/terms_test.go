package i18n

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
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
		for _, term := range MainlandTermsIn(msg) {
			t.Errorf("%s: %q uses %s (Taiwan: %s)", key, msg, term.Mainland, term.Taiwan)
		}
	}
}

// The allow-list keeps proper names and official documents, nothing else.
func TestTaiwanTermsProperNames(t *testing.T) {
	for msg, want := range map[string]string{
		"請在全國互聯網安全管理服務平台提交": "請在提交",
		"遵守《互聯網資訊服務管理辦法》":   "遵守",
		"上傳批准文件，或選擇文件":      "上傳，或選擇文件",
		"名稱須為「某某的个人博客」，請保存": "名稱須為，請保存",
	} {
		if got := properNames.ReplaceAllString(msg, ""); got != want {
			t.Errorf("%q → %q, want %q", msg, got, want)
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

// MainlandTermsIn finds the mainland's terms outside proper names, each once.
func TestMainlandTermsIn(t *testing.T) {
	for text, want := range map[string]string{
		"請點擊保存": "保存 點擊",
		"遵守《互聯網資訊服務管理辦法》":  "",
		"請輸入手機號碼":          "",
		"請輸入手機號":           "手機號(?:[^碼]|$)",
		"網絡、網絡與“雲伺服器”":     "“ 網絡 雲伺服器",
		"須為「某某的個人部落格」，請儲存": "",
	} {
		var got []string
		for _, term := range MainlandTermsIn(text) {
			got = append(got, term.Mainland)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%q uses %q, want %q", text, got, want)
		}
	}
}
