package ident

import (
	"slices"
	"strings"
	"sync"

	"github.com/beian/beian/internal/divisions"
)

// stateNatures may use the state words in a website name: state organs, the armed forces, public
// institutions and the mass organisations led by the state (docs/design.md §4.5: "非国家单位" may not use them).
var stateNatures = []string{"national_defense", "government", "public_institution", "mass_organization"}

// stateWords may appear in the website names of state units only (docs/design.md §4.5, UCloud docs problem/problem2 #3).
var stateWords = []string{"中国", "中华", "中央", "人民", "人大", "国家"}

// preApprovalWords suggest content that needs a pre-approval (前置审批) (docs/design.md §4.5, UCloud docs problem/problem2 #3).
var preApprovalWords = []string{"博客", "论坛", "在线", "社区", "交流"}

// personalBannedWords may not appear in the website name of a personal filing (docs/design.md §4.5, UCloud docs problem/problem2 #3).
var personalBannedWords = []string{
	"个人空间", "爱好者", "博客", "导航", "工作室", "论坛", "平台", "热线", "社区", "社团", "网络", "网站", "网址", "主页", "资讯",
	"作品展示",
}

// personalBusinessWords name an enterprise, an institution, an industry or a trade, which a personal site
// may not present (docs/design.md §4.5: "No industry, enterprise, product, state or sensitive words"; Guangdong's personal
// pledge "未含企业、单位等非个人网站的信息"). The sources give no list; this one is ours: legal forms
// (公司, 有限, 集团 …), shops and sales (商城, 店铺, 批发 …), "official" claims (官网, 官方), institution types
// (学校, 医院, 协会 …) and the financial trigger words of 银发〔2017〕119号 quoted in docs/design.md §3 (金融, 理财, 基金 …).
var personalBusinessWords = []string{
	"公司", "企业", "集团", "有限", "股份", "工厂", "厂家", "商城", "商店", "店铺", "商行", "批发", "销售", "贸易", "官网", "官方",
	"科技", "传媒", "咨询", "事务所", "协会", "学校", "学院", "医院", "诊所", "律师", "政府", "银行", "金融", "理财", "基金",
	"投资", "支付", "保险", "证券", "交易所", "贷款", "网贷", "众筹",
}

// placeNames are the provinces' and prefecture cities' names without their 省/市/自治区 suffixes: a personal
// site's name should not carry a place name (docs/design.md §4.5). Matching is rough (a city name can be an ordinary
// word), so a match is only a warning.
var placeNames = sync.OnceValue(func() []string {
	var names []string
	for _, p := range divisions.Provinces() {
		names = append(names, p.ShortName)
	}
	for _, c := range divisions.Cities() {
		if n := placeStem(c.Name); len([]rune(n)) >= 2 {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
})

// placeStem strips the administrative suffix of a city name: 深圳市 → 深圳, 大兴安岭地区 → 大兴安岭,
// 延边朝鲜族自治州 → 延边 (the two characters before the ethnic name), 市辖区 → "".
func placeStem(name string) string {
	if strings.Contains(name, "直辖") || name == "市辖区" || name == "县" {
		return ""
	}
	if i := strings.Index(name, "自治州"); i >= 0 {
		return string([]rune(name)[:2])
	}
	for _, suf := range []string{"地区", "市", "盟"} {
		if n, ok := strings.CutSuffix(name, suf); ok {
			return n
		}
	}
	return name
}

// wordsIn returns the words of list that occur in s, in list order.
func wordsIn(s string, list []string) []string {
	var found []string
	for _, w := range list {
		if strings.Contains(s, w) {
			found = append(found, w)
		}
	}
	return found
}
