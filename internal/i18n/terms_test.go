package i18n

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"testing"
)

// mainlandTerms maps the mainland's terms (and quotation marks), as regular expressions, to Taiwan's.
var mainlandTerms = map[string]string{
	"短信": "簡訊", "信息": "資訊", "聯繫": "聯絡", "創建": "建立", "當前": "目前", "消息": "訊息", "身份": "身分",
	"服務器": "伺服器", "應急": "緊急", "佔線": "忙線", "“": "「",
	"保存": "儲存", "點擊": "點選", "二維碼": "QR 碼", "掃碼": "掃描 QR 碼", "小程序": "小程式", "互聯網": "網際網路",
	"文件": "檔案 (文件 only for official documents)", "網上": "網路", "在線": "線上", "添加": "新增", "模板": "範本",
	"字符": "字元", "座機": "市話", "退出": "登出", "渠道": "管道", "用戶": "使用者", "郵箱": "電子郵件信箱",
	"審計": "稽核", "包名": "套件名稱", "安卓": "Android", "訪問": "存取", "獲取": "取得", "錄入": "輸入",
	"雲伺服器": "雲端伺服器", "雲主機": "雲端主機", "網約車": "網路叫車", "外賣": "外送", "手機號(?:[^碼]|$)": "手機號碼",
	"證件號(?:[^碼]|$)": "證件號碼", "默認": "預設", "視頻": "影片", "登錄": "登入", "賬號": "帳號", "激活": "啟用",
	"鏈接": "連結", "網絡": "網路", "質量": "品質", "菜單": "選單", "軟件": "軟體", "屏幕": "螢幕", "打印": "列印",
	"數據": "資料", "文檔": "文件", "搜索": "搜尋",
}

// properNames are left as they are: titles of regulations and documents in 《》, the names of government systems,
// official documents (文件 in its own sense) and text the applicant must type in simplified characters.
var properNames = regexp.MustCompile(`《[^》]*》|全國互聯網安全管理服務平台|(?:批准|證明|審批|同意)文件|「某某的[^」]*」`)

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
	terms := make([]string, 0, len(mainlandTerms))
	for cn := range mainlandTerms {
		terms = append(terms, cn)
	}
	sort.Strings(terms)
	for key, msg := range texts {
		plain := properNames.ReplaceAllString(msg, "")
		for _, cn := range terms {
			if regexp.MustCompile(cn).MatchString(plain) { // a few dozen short patterns: compiling here is cheap
				t.Errorf("%s: %q uses %s (Taiwan: %s)", key, msg, cn, mainlandTerms[cn])
			}
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
