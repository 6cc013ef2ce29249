package codes

import (
	"errors"
	"fmt"
	"slices"
)

// ContentGroup is a first-level group of service content (website groups 500-504; APP parent types).
type ContentGroup struct {
	Code  string `json:"code"`
	MIIT  int    `json:"miit,omitempty"`
	Names Names  `json:"names"`
	// Items are the group's items, filled in by the lookups (the data files list items separately).
	Items []ContentItem `json:"items,omitempty"`
}

// ContentItem is one service content value that a service may declare (网站服务内容 / APP服务内容).
type ContentItem struct {
	Code  string `json:"code"`
	MIIT  int    `json:"miit"` // 0 where the MIIT code is not known
	Group string `json:"group"`
	// UnitsOnly items are not open to personal filings (see the data file's notes).
	UnitsOnly bool `json:"units_only,omitempty"`
	// Finance items need a finance pre-approval (docs/design.md §3, 银发〔2017〕119号).
	Finance bool  `json:"finance,omitempty"`
	Names   Names `json:"names"`
}

func (c ContentItem) key() string { return c.Code }

func (c ContentItem) check() error {
	if c.Code == "" || c.Group == "" {
		return errors.New("code and group are required")
	}
	return namesErr(c.Names)
}

type contentTable struct {
	groups []ContentGroup
	items  []ContentItem
}

func readContent(name string, meta map[string]Meta) (contentTable, error) {
	items, groups, err := readFile[ContentItem](name, meta)
	if err != nil {
		return contentTable{}, err
	}
	for _, g := range groups {
		if g.Code == "" || namesErr(g.Names) != nil {
			return contentTable{}, fmt.Errorf("codes: %s: group %q needs a code and names", name, g.Code)
		}
	}
	for _, it := range items {
		if !slices.ContainsFunc(groups, func(g ContentGroup) bool { return g.Code == it.Group }) {
			return contentTable{}, fmt.Errorf("codes: %s: item %q names unknown group %q", name, it.Code, it.Group)
		}
	}
	for i := range groups {
		groups[i].Items = nil
		for _, it := range items {
			if it.Group == groups[i].Code {
				groups[i].Items = append(groups[i].Items, it)
			}
		}
	}
	return contentTable{groups: groups, items: items}, nil
}

// ServiceContent returns the website service content item with that code.
func ServiceContent(code string) (ContentItem, bool) { return find(tab().web.items, code) }

// ServiceContents returns the website service content items (MIIT table, groups 500-504, docs/design.md §3).
func ServiceContents() []ContentItem { return slices.Clone(tab().web.items) }

// ServiceContentGroups returns the website service content groups, each with its items.
func ServiceContentGroups() []ContentGroup { return cloneGroups(tab().web.groups) }

// AppServiceContent returns the second-level APP service content item with that code.
func AppServiceContent(code string) (ContentItem, bool) { return find(tab().app.items, code) }

// AppServiceContents returns the second-level APP service content items, the only ones that may be submitted.
func AppServiceContents() []ContentItem { return slices.Clone(tab().app.items) }

// AppServiceContentGroups returns the first-level APP service content groups, each with its second-level items.
func AppServiceContentGroups() []ContentGroup { return cloneGroups(tab().app.groups) }

func cloneGroups(gs []ContentGroup) []ContentGroup {
	out := slices.Clone(gs)
	for i := range out {
		out[i].Items = slices.Clone(out[i].Items)
	}
	return out
}

// IsAppContentGroup reports whether code names a first-level APP group, which may not be submitted itself.
func IsAppContentGroup(code string) bool {
	return slices.ContainsFunc(tab().app.groups, func(g ContentGroup) bool { return g.Code == code })
}
