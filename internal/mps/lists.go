package mps

import (
	_ "embed"
	"encoding/json"
	"slices"
	"sync"

	"github.com/beian/beian/internal/i18n"
)

//go:embed data/lists.json
var listsJSON []byte

// Option is one entry of a code list with its names.
type Option struct {
	Code        string               `json:"code"`
	Interactive bool                 `json:"interactive,omitempty"` // service types that are interactive by nature
	Names       map[i18n.Lang]string `json:"names"`
}

// Name returns the option's name in lang (zh-CN when missing).
func (o Option) Name(lang i18n.Lang) string {
	if n, ok := o.Names[lang]; ok {
		return n
	}
	return o.Names[i18n.ZhCN]
}

type lists struct {
	ServiceTypes     []Option `json:"service_types"`
	InteractiveKinds []Option `json:"interactive_kinds"`
}

var loadLists = sync.OnceValue(func() lists {
	var l lists
	if err := json.Unmarshal(listsJSON, &l); err != nil {
		panic("mps: data/lists.json: " + err.Error()) // embedded data, checked by the tests
	}
	return l
})

// ServiceTypes returns the website service types (服务类型).
func ServiceTypes() []Option { return slices.Clone(loadLists().ServiceTypes) }

// InteractiveKinds returns the kinds of interactive service (交互式服务).
func InteractiveKinds() []Option { return slices.Clone(loadLists().InteractiveKinds) }

func findOption(list []Option, code string) (Option, bool) {
	i := slices.IndexFunc(list, func(o Option) bool { return o.Code == code })
	if i < 0 {
		return Option{}, false
	}
	return list[i], true
}
