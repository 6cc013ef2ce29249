package mps

import (
	"context"
	"strings"
)

// RegistrarLookup finds the registrar of a domain (域名注册服务商). The platform's user guide (§四.2) sends
// applicants who do not know it to a WHOIS query; a wrong registrar gets the application returned. ok is false
// when the look-up has no answer: the applicant then types the registrar by hand.
type RegistrarLookup interface {
	Registrar(ctx context.Context, domain string) (name string, ok bool, err error)
}

// DemoRegistrars is the built-in look-up of the simulator, standing in for a WHOIS client (which a deployment can
// plug in instead): a few fixed domains, and for the demo's and the tests' own domains (a first label containing
// "demo" or "example") a registrar chosen by the top-level domain. Any other domain has no answer.
type DemoRegistrars struct{}

var demoRegistrars = map[string]string{
	"beian.gov.cn": "中国互联网络信息中心",
	"miit.gov.cn":  "中国互联网络信息中心",
	"aliyun.com":   "阿里云计算有限公司（万网）",
	"qq.com":       "腾讯云计算（北京）有限责任公司",
	"baidu.com":    "北京新网数码信息技术有限公司",
	"example.com":  "阿里云计算有限公司（万网）",
}

var demoRegistrarsByTLD = map[string]string{
	"cn":  "北京新网数码信息技术有限公司",
	"com": "阿里云计算有限公司（万网）",
	"net": "厦门易名科技股份有限公司",
}

// Registrar answers from the table.
func (DemoRegistrars) Registrar(_ context.Context, domain string) (string, bool, error) {
	d := strings.ToLower(strings.TrimSuffix(domain, "."))
	if r, ok := demoRegistrars[d]; ok {
		return r, true, nil
	}
	label, _, _ := strings.Cut(d, ".")
	if strings.Contains(label, "demo") || strings.Contains(label, "example") {
		if r, ok := demoRegistrarsByTLD[d[strings.LastIndexByte(d, '.')+1:]]; ok {
			return r, true, nil
		}
	}
	return "", false, nil
}
