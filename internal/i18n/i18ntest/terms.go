// Package i18ntest holds what tests check translations with: the mainland terms that zh-TW text must not use.
// Tests only; the product does not import it.
package i18ntest

import (
	"regexp"
	"sort"
	"sync"
)

// zh-TW is written with Taiwan's terms, not the mainland's in traditional characters: 簡訊, not 短信. The list
// below is what the checks look for, in the catalogs and code lists (TestTaiwanTerms) and in whole pages shown in
// zh-TW (the browser tests of internal/app). It is a list of known slips, not a dictionary: a term missing from
// it passes.

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

// Term is a mainland term a text uses and Taiwan's term for it.
type Term struct{ Mainland, Taiwan string }

var (
	termsOnce sync.Once
	termREs   []*regexp.Regexp // mainlandTerms' patterns, in their sorted order
)

// MainlandTermsIn lists the mainland terms that text, proper names taken out, uses (in the sorted order of their
// patterns): what zh-TW text must not show.
func MainlandTermsIn(text string) []Term {
	termsOnce.Do(func() {
		terms := make([]string, 0, len(mainlandTerms))
		for cn := range mainlandTerms {
			terms = append(terms, cn)
		}
		sort.Strings(terms)
		for _, cn := range terms {
			termREs = append(termREs, regexp.MustCompile(cn))
		}
	})
	plain := WithoutProperNames(text)
	var out []Term
	for _, re := range termREs {
		if re.MatchString(plain) {
			out = append(out, Term{re.String(), mainlandTerms[re.String()]})
		}
	}
	return out
}

// WithoutProperNames returns text with its proper names (properNames) taken out.
func WithoutProperNames(text string) string { return properNames.ReplaceAllString(text, "") }
