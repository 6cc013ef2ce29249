package i18n

import (
	"strings"
	"testing"
)

// zh-TW uses Taiwan's terms, not the mainland's written in traditional characters.
func TestTaiwanTerms(t *testing.T) {
	mainland := map[string]string{"短信": "簡訊", "信息": "資訊"}
	for key, msg := range catalog()[ZhTW] {
		for cn, tw := range mainland {
			if strings.Contains(msg, cn) {
				t.Errorf("%s: %q uses %s (Taiwan: %s)", key, msg, cn, tw)
			}
		}
	}
}
