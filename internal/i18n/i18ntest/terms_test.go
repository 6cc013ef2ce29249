package i18ntest

import (
	"strings"
	"testing"
)

// The allow-list keeps proper names and official documents, nothing else.
func TestTaiwanTermsProperNames(t *testing.T) {
	for msg, want := range map[string]string{
		"請在全國互聯網安全管理服務平台提交": "請在提交",
		"遵守《互聯網資訊服務管理辦法》":   "遵守",
		"上傳批准文件，或選擇文件":      "上傳，或選擇文件",
		"名稱須為「某某的个人博客」，請保存": "名稱須為，請保存",
	} {
		if got := WithoutProperNames(msg); got != want {
			t.Errorf("%q → %q, want %q", msg, got, want)
		}
	}
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
