package rules

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/filing"
)

// checkFinanceContent: finance content needs a finance pre-approval (docs/design.md §3, 银发〔2017〕119号).
func checkFinanceContent(e *eval, r *Rule) {
	for i := range e.o.Services {
		if e.hasFinanceApproval(i) {
			continue
		}
		for _, it := range e.financeContent(i) {
			e.violate(r, fmt.Sprintf("services[%d].content", i), args{"content": it.Names})
		}
	}
}

// checkFinanceName: a service name with a financial trigger word needs a finance pre-approval (docs/design.md §3, UC
// problem/problem2 #7).
func checkFinanceName(e *eval, r *Rule) {
	for i, s := range e.o.Services {
		if w, ok := codes.FindFinanceWord(s.Name); ok && !e.hasFinanceApproval(i) {
			e.violate(r, fmt.Sprintf("services[%d].name", i), args{"word": lit(w), "service": lit(s.Name)})
		}
	}
}

// checkAppIcon: an APP filing carries the APP's icon (Huawei Cloud's first-filing guide: APP图标文件).
func checkAppIcon(e *eval, r *Rule) {
	for i, s := range e.o.Services {
		if s.Kind == filing.App && (s.App == nil || s.App.IconMaterialID == 0) {
			e.violate(r, fmt.Sprintf("services[%d].app.icon_material_id", i), args{"service": lit(s.Name)})
		}
	}
}

func checkMaxDomainsPerService(e *eval, r *Rule) {
	for _, i := range e.servicesOf(r.Params.Kinds) {
		one := eval{o: &filing.Order{Services: e.o.Services[i : i+1]}}
		if n := len(one.domains()); n > r.Params.Max {
			e.violate(r, fmt.Sprintf("services[%d].domains", i), args{
				"count": lit(strconv.Itoa(n)), "max": lit(strconv.Itoa(r.Params.Max)), "service": lit(e.o.Services[i].Name)})
		}
	}
}

func checkMaxDomainsPerOrder(e *eval, r *Rule) {
	if n := len(e.domains()); n > r.Params.Max {
		e.violate(r, "services", args{"count": lit(strconv.Itoa(n)), "max": lit(strconv.Itoa(r.Params.Max)),
			"province": e.provinceName()})
	}
}

// checkOneService: some provinces take one website or one APP per order (Huawei Cloud's first-filing guide: 湖南省，湖北省一次只能备案一个
// app或者域名).
func checkOneService(e *eval, r *Rule) {
	if n := len(e.o.Services); n > 1 {
		e.violate(r, "services", args{"count": lit(strconv.Itoa(n)), "province": e.provinceName()})
	}
}

// checkContentOnly: website content limited to params.content (e.g. Heilongjiang personal: 博客/个人空间 only).
func checkContentOnly(e *eval, r *Rule) {
	allowed := contentNames(r.Params.Content)
	e.eachWebsiteContent(func(field string, it codes.ContentItem) {
		if !slices.Contains(r.Params.Content, it.Code) {
			e.violate(r, field, args{"content": it.Names, "allowed": allowed, "province": e.provinceName()})
		}
	})
}

// checkContentForbidden: website content may not include params.content (e.g. Shaanxi personal: no 博客).
func checkContentForbidden(e *eval, r *Rule) {
	e.eachWebsiteContent(func(field string, it codes.ContentItem) {
		if slices.Contains(r.Params.Content, it.Code) {
			e.violate(r, field, args{"content": it.Names, "province": e.provinceName()})
		}
	})
}

func (e *eval) eachWebsiteContent(f func(field string, it codes.ContentItem)) {
	for i, s := range e.o.Services {
		if s.Kind != filing.Website {
			continue
		}
		for j, c := range s.Content {
			if it, ok := codes.ServiceContent(c); ok {
				f(fmt.Sprintf("services[%d].content[%d]", i, j), it)
			}
		}
	}
}

func contentNames(cs []string) codes.Names {
	var ns []codes.Names
	for _, c := range cs {
		it, _ := codes.ServiceContent(c)
		ns = append(ns, it.Names)
	}
	return join(ns)
}

// checkOrderTypeRefused: the province does not take this order type online (docs/design.md §4.1: Jiangsu).
func checkOrderTypeRefused(e *eval, r *Rule) {
	e.violate(r, "type", args{"type": msg("rules.order_type." + string(e.o.Type)), "province": e.provinceName()})
}
