package ident

import "testing"

func TestWebsiteName(t *testing.T) {
	cases := []struct {
		name, nature, province string
		w                      want
	}{
		{"某某科技有限公司官网", "enterprise", "44", want{}},
		{"  某某科技官方网站  ", "enterprise", "44", want{norm: "某某科技官方网站"}},
		{"张三的学习笔记", "individual", "44", want{}},
		{"阿依古丽·买买提的摄影作品", "individual", "65", want{}},
		{"", "enterprise", "44", want{errs: []string{"website_name.empty"}}},
		{"某某网站", "alien", "44", want{errs: []string{"website_name.nature_unknown"}}},
		// docs/design.md §4.5: no domain, digits only or English only; at least 3 Chinese characters; no symbols
		{"www.example.com", "enterprise", "44", want{errs: []string{"website_name.domain"}}},
		{"例子.中国", "enterprise", "44", want{errs: []string{"website_name.domain"}}},
		{"12345", "enterprise", "44", want{errs: []string{"website_name.digits_only"}}},
		{"Example", "enterprise", "44", want{errs: []string{"website_name.latin_only"}}},
		{"某某", "enterprise", "44", want{errs: []string{"website_name.too_short"}}},
		{"ABC官网", "enterprise", "44", want{errs: []string{"website_name.too_short"}}},
		{"某某公司！官网", "enterprise", "44", want{errs: []string{"website_name.symbols"}}},
		{"某某 公司官网", "enterprise", "44", want{errs: []string{"website_name.symbols"}}},
		// state words: state units only; other units only if their own name holds the word
		{"国家某某局门户", "government", "11", want{}},
		{"人民医院官网", "public_institution", "44", want{}},
		{"中国移动官网", "enterprise", "11", want{warns: []string{"website_name.state_word_unit"}}},
		{"中华美食分享", "individual", "44", want{errs: []string{"website_name.state_word"}}},
		// pre-approval words: a warning
		{"某某科技在线交流", "enterprise", "44", want{warns: []string{"website_name.pre_approval_word"}}},
		{"某某公司技术博客", "enterprise", "44", want{warns: []string{"website_name.pre_approval_word"}}},
		// personal filings
		{"张三的个人博客", "individual", "44", want{errs: []string{"website_name.personal_banned"}}},
		{"小明的摄影工作室", "individual", "44", want{errs: []string{"website_name.personal_banned"}}},
		{"小明的读书社区", "individual", "44", want{errs: []string{"website_name.personal_banned"}}},
		{"小明科技有限公司", "individual", "44", want{errs: []string{"website_name.personal_business"}}},
		{"小明的理财笔记", "individual", "44", want{errs: []string{"website_name.personal_business"}}},
		{"小明的在线笔记", "individual", "44", want{warns: []string{"website_name.pre_approval_word"}}},
		{"深圳美食记录", "individual", "44", want{warns: []string{"website_name.personal_place_name"}}},
		// Jiangsu: "某某的个人博客/个人主页", which overrides the ban on 博客 and 主页
		{"张三的个人博客", "individual", "32", want{}},
		{"张三的个人主页", "individual", "32", want{}},
		{"张三的学习笔记", "individual", "32", want{errs: []string{"website_name.jiangsu_personal_pattern"}}},
		{"张三工作室的个人博客", "individual", "32", want{errs: []string{"website_name.personal_banned"}}},
		{"某某公司的个人主页", "individual", "32", want{errs: []string{"website_name.personal_business"}}},
		{"某某科技有限公司官网", "enterprise", "32", want{}},
	}
	for _, c := range cases {
		expect(t, WebsiteName(c.name, c.nature, c.province), c.w)
	}
}

func TestWebsiteNameSubjectName(t *testing.T) {
	ctx := NameContext{Nature: "enterprise", Province: "11", SubjectName: "中国移动通信集团有限公司"}
	expect(t, WebsiteNameFor("中国移动官网", ctx), want{})
	expect(t, WebsiteNameFor("中华移动官网", ctx), want{errs: []string{"website_name.state_word"}})
	ctx.SubjectName = "某某科技有限公司"
	expect(t, WebsiteNameFor("中国某某科技官网", ctx), want{errs: []string{"website_name.state_word"}})
}

func TestPlaceStem(t *testing.T) {
	for in, out := range map[string]string{"深圳市": "深圳", "大兴安岭地区": "大兴安岭", "延边朝鲜族自治州": "延边", "阿拉善盟": "阿拉善",
		"市辖区": "", "省直辖县级行政区划": ""} {
		if got := placeStem(in); got != out {
			t.Errorf("placeStem(%s) = %q, want %q", in, got, out)
		}
	}
}

func FuzzWebsiteName(f *testing.F) {
	for _, s := range []string{"张三的个人博客", "中国移动官网", "www.a.com", "　某某　", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, nature := range []string{"individual", "enterprise", "government", "bogus"} {
			for _, province := range []string{"32", "44"} {
				fuzzIdempotent(t, func(v string) Result { return WebsiteName(v, nature, province) }, s)
			}
		}
	})
}
