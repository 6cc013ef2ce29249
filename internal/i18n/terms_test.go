package i18n

import (
	"strings"
	"testing"
)

// zh-TW uses Taiwan's terms (and quotation marks), not the mainland's written in traditional characters.
func TestTaiwanTerms(t *testing.T) {
	mainland := map[string]string{"短信": "簡訊", "信息": "資訊", "聯繫": "聯絡", "創建": "建立", "當前": "目前",
		"消息": "訊息", "身份證": "身分證", "服務器": "伺服器", "應急": "緊急", "佔線": "忙線", "“": "「"}
	for key, msg := range catalog()[ZhTW] {
		for cn, tw := range mainland {
			if strings.Contains(msg, cn) {
				t.Errorf("%s: %q uses %s (Taiwan: %s)", key, msg, cn, tw)
			}
		}
	}
}
