package providerweb

// The documents the platform fills in from the order for the applicant to print, sign and upload as a material:
// the verification form (真实性核验单, Alibaba Cloud's materials guide: 下载…打印…用黑色签字笔填写，再扫描或拍照后上传)
// and Guangdong's commitment letter (《互联网信息服务备案承诺书》, required by the Guangdong communications
// administration for every filing since 2021-06-21, Huawei Cloud's first-filing guide). They are Chinese
// administrative documents: their body is Chinese whatever the page language; the instructions follow the language.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// documentPaths are the material codes the platform generates, with the path of each under /orders/{id}/.
var documentPaths = map[string]string{"verification_form": "verification-form", "guangdong_commitment_letter": "commitment-letter"}

// documentURL is the page of the pre-filled document for material code of order id, or "" when none is generated.
func documentURL(id int64, code string) string {
	if p, ok := documentPaths[code]; ok {
		return "/orders/" + strconv.FormatInt(id, 10) + "/" + p
	}
	return ""
}

func (s *Server) documentPageRoutes() {
	for code, p := range documentPaths {
		s.HandlePage("GET", "/orders/{id}/"+p, s.Page(s.documentPage(code), provider.RoleApplicant))
	}
}

// documentData is a document pre-filled from the order. Required says whether the rules ask this order for it
// (only then does the materials step have its upload slot, at UploadURL).
type documentData struct {
	Code       string
	Name       string
	Order      *filing.Order
	Nature     string
	Credential string
	Principal  []filingview.KV
	Services   []documentService
	Type       string
	Date       string
	Required   bool
	UploadURL  string
}

type documentService struct {
	Title     string
	Rows      []filingview.KV
	Principal []filingview.KV
}

func (s *Server) documentPage(code string) func(http.ResponseWriter, *http.Request, *web.View) {
	return func(w http.ResponseWriter, r *http.Request, v *web.View) {
		o, err := s.order(v, r)
		if err != nil {
			s.Fail(w, r, v, err)
			return
		}
		required, err := s.requiredMaterials(v, o)
		if err != nil {
			s.Fail(w, r, v, err)
			return
		}
		d := documentOf(o, code)
		d.Date = s.clock.Now().In(web.Shanghai).Format("2006年01月02日")
		d.Required = slices.ContainsFunc(required, func(m provider.Material) bool { return m.Code == code })
		d.UploadURL = "/orders/" + strconv.FormatInt(o.ID, 10) + "/materials#" + web.FieldID("materials."+code)
		v.Area, v.Current = "portal", "orders"
		d.Name = web.MaterialName(v.Lang, code)
		v.Title = d.Name
		v.D = d
		s.Render(w, v, http.StatusOK, "document")
	}
}

// documentOf fills the document's tables from the order, in Chinese.
func documentOf(o *filing.Order, code string) *documentData {
	zh := i18n.ZhCN
	person := func(p filing.Principal) []filingview.KV {
		return []filingview.KV{{Label: "姓名", Value: p.Name}, {Label: "证件类型", Value: web.CredentialName(zh, p.CredentialType)},
			{Label: "证件号码", Value: p.CredentialNumber}, {Label: "办公电话", Value: p.OfficePhone},
			{Label: "手机号码", Value: p.Mobile}, {Label: "应急联系电话", Value: p.EmergencyMobile}, {Label: "电子邮箱", Value: p.Email}}
	}
	d := &documentData{Code: code, Order: o, Nature: web.NatureName(zh, o.Subject.Nature), Credential: web.CredentialName(zh, o.Subject.CredentialType),
		Principal: person(o.Subject.Principal), Type: i18n.T(zh, "rules.order_type."+string(o.Type), nil)}
	for i, svc := range o.Services {
		fs := documentService{Title: filingview.ServiceTitle(zh, o, i)}
		var content []string
		for _, c := range svc.Content {
			if it, ok := codes.ServiceContent(c); ok {
				content = append(content, it.Names.In(zh))
			} else if it, ok := codes.AppServiceContent(c); ok {
				content = append(content, it.Names.In(zh))
			} else {
				content = append(content, c)
			}
		}
		fs.Rows = []filingview.KV{{Label: "名称", Value: svc.Name}, {Label: "域名", Value: strings.Join(svc.Domains, "、")},
			{Label: "首页地址", Value: svc.HomeURL}, {Label: "IP地址", Value: strings.Join(svc.IPs, "、")},
			{Label: "服务内容", Value: strings.Join(content, "、")}}
		fs.Principal = person(o.EffectivePrincipal(i))
		d.Services = append(d.Services, fs)
	}
	return d
}
