package filingview

import (
	"strings"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/web"
)

// The choices of the forms come from the code lists (docs/design.md §3), named in the page's language.

// optionsOf makes an option of each item (nil for no items).
func optionsOf[T any](items []T, opt func(T) web.Option) []web.Option {
	var out []web.Option
	for _, it := range items {
		out = append(out, opt(it))
	}
	return out
}

// nameIn names code in lang through a code list's look-up; a code the list lacks is shown as it is.
func nameIn[T any](lang i18n.Lang, code string, find func(string) (T, bool), names func(T) codes.Names) string {
	if it, ok := find(code); ok {
		return names(it).In(lang)
	}
	return code
}

func ProvinceOptions(lang i18n.Lang) []web.Option {
	return optionsOf(divisions.Provinces(), func(p divisions.Province) web.Option {
		return web.Option{Value: p.Code, Label: p.LocalName(lang)}
	})
}

func NatureOptions(lang i18n.Lang) []web.Option {
	return optionsOf(codes.Natures(), func(n codes.SubjectNature) web.Option {
		return web.Option{Value: n.Name, Label: n.Names.In(lang)}
	})
}

// SubjectCredentialOptions lists every credential type a subject may file with; Data holds the natures that
// may use it, so that the script can offer only those allowed for the chosen nature (the server checks again).
func SubjectCredentialOptions(lang i18n.Lang) []web.Option {
	var out []web.Option
	for _, c := range codes.CredentialTypes() {
		if len(c.Natures) == 0 {
			continue
		}
		out = append(out, web.Option{Value: c.Name, Label: c.Names.In(lang), Data: strings.Join(c.Natures, " ")})
	}
	return out
}

func PersonCredentialOptions(lang i18n.Lang) []web.Option {
	return optionsOf(codes.PersonCredentialTypes(), func(c codes.CredentialType) web.Option {
		return web.Option{Value: c.Name, Label: c.Names.In(lang)}
	})
}

// ContentGroups lists the service content of a kind: website content (units-only items are left out for
// individuals: personal sites carry personal content only) or APP content (second-level items only).
func ContentGroups(lang i18n.Lang, kind filing.ServiceKind, individual bool) []web.OptGroup {
	groups := codes.ServiceContentGroups()
	if kind != filing.Website {
		groups = codes.AppServiceContentGroups()
	}
	var out []web.OptGroup
	for _, g := range groups {
		og := web.OptGroup{Label: g.Names.In(lang)}
		for _, it := range g.Items {
			if individual && it.UnitsOnly {
				continue
			}
			og.Options = append(og.Options, web.Option{Value: it.Code, Label: it.Names.In(lang)})
		}
		if len(og.Options) > 0 {
			out = append(out, og)
		}
	}
	return out
}

func ContentName(lang i18n.Lang, code string) string {
	if c, ok := codes.ServiceContent(code); ok {
		return c.Names.In(lang)
	}
	if c, ok := codes.AppServiceContent(code); ok {
		return c.Names.In(lang)
	}
	return code
}

func LanguageGroups(lang i18n.Lang) []web.OptGroup {
	g := web.OptGroup{}
	for _, l := range codes.Languages() {
		g.Options = append(g.Options, web.Option{Value: l.Code, Label: l.Names.In(lang)})
	}
	return []web.OptGroup{g}
}

func LanguageName(lang i18n.Lang, code string) string {
	return nameIn(lang, code, codes.LanguageOf, func(l codes.Language) codes.Names { return l.Names })
}

func PlatformOptions(lang i18n.Lang) []web.Option {
	return optionsOf(codes.AppPlatforms(), func(p codes.Platform) web.Option {
		return web.Option{Value: p.Code, Label: p.Names.In(lang)}
	})
}

func PlatformName(lang i18n.Lang, code string) string {
	return nameIn(lang, code, codes.AppPlatform, func(p codes.Platform) codes.Names { return p.Names })
}

func PreApprovalOptions(lang i18n.Lang) []web.Option {
	return optionsOf(codes.PreApprovals(), func(p codes.PreApprovalType) web.Option {
		return web.Option{Value: p.Code, Label: p.Names.In(lang), Hint: p.Permit.In(lang)}
	})
}

func PreApprovalName(lang i18n.Lang, code string) string {
	return nameIn(lang, code, codes.PreApproval, func(p codes.PreApprovalType) codes.Names { return p.Names })
}

func OrderTypeOptions(lang i18n.Lang) []web.Option {
	return optionsOf(filing.OrderTypes, func(t filing.OrderType) web.Option {
		return web.Option{Value: string(t), Label: i18n.T(lang, "rules.order_type."+string(t), nil)}
	})
}

func StateOptions(lang i18n.Lang, states []filing.State) []web.Option {
	return optionsOf(states, func(s filing.State) web.Option {
		return web.Option{Value: string(s), Label: i18n.T(lang, "state."+string(s), nil)}
	})
}

func Names(lang i18n.Lang, list []string, name func(i18n.Lang, string) string) string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = name(lang, c)
	}
	return strings.Join(out, i18n.T(lang, "web.list_sep", nil))
}
