package filingview

import (
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
)

func TestQualifiedLabel(t *testing.T) {
	o := &filing.Order{Services: []filing.Service{{Kind: filing.Website, Name: "示例官网"}}}
	tests := []struct{ path, want string }{
		{"subject.principal", "主体负责人"}, // the group itself: named once
		{"subject.principal.mobile", "主体负责人 · 手机号码"},
		{"subject.communication_address", "主办单位信息 · 通信地址"},
		{"services[0].name", "网站 1「示例官网」 · 名称"},
	}
	for _, tt := range tests {
		if got := QualifiedLabel(i18n.ZhCN, tt.path, o); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.path, got, tt.want)
		}
	}
}
