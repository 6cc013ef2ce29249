// Package filingview renders an ICP filing order for people, in the page's language: the order as key-value
// rows and blocks (the reviewer's console and the administration officer's page show the same), the names
// and choices of the code lists, and full labels of the order's fields. The order's vocabulary is shared by the
// provider and the MIIT simulator (internal/filing), so both contexts' pages use this package.
package filingview

import (
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/web"
)

// QualifiedLabel names a field in full, for summaries and review notes: "网站 1 · 负责人 · 手机号码".
func QualifiedLabel(lang i18n.Lang, path string, o *filing.Order) string {
	label := web.FieldLabel(lang, path)
	switch {
	case strings.HasPrefix(path, "subject.principal"):
		return i18n.T(lang, "web.group.subject_principal", nil) + " · " + label
	case strings.HasPrefix(path, "subject."):
		return i18n.T(lang, "web.group.subject", nil) + " · " + label
	case strings.HasPrefix(path, "services["):
		n, _ := strconv.Atoi(path[len("services["):strings.IndexByte(path, ']')])
		svc := ServiceTitle(lang, o, n)
		if strings.Contains(path, "].principal") {
			return svc + " · " + i18n.T(lang, "web.group.service_principal", nil) + " · " + label
		}
		return svc + " · " + label
	case strings.HasPrefix(path, "materials."):
		code, idx, _ := strings.Cut(strings.TrimPrefix(path, "materials."), "[")
		label := i18n.T(lang, "web.group.materials", nil) + " · " + web.MaterialName(lang, code)
		if n, err := strconv.Atoi(strings.TrimSuffix(idx, "]")); err == nil {
			label += " · " + ServiceTitle(lang, o, n)
		}
		return label
	}
	return label
}

// ServiceTitle is "网站 1「name」" for the n-th service of o.
func ServiceTitle(lang i18n.Lang, o *filing.Order, n int) string {
	kind := filing.Website
	name := ""
	if o != nil && n >= 0 && n < len(o.Services) {
		kind, name = o.Services[n].Kind, o.Services[n].Name
	}
	t := i18n.T(lang, "web.kind."+string(kind), nil) + " " + strconv.Itoa(n+1)
	if name != "" {
		t += i18n.T(lang, "web.quote_open", nil) + name + i18n.T(lang, "web.quote_close", nil)
	}
	return t
}
