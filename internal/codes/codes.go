// Package codes holds the code lists of ICP filing as versioned, embedded data files (docs/design.md §3): subject
// natures (MIIT and police), credential types and which natures may use them, website and APP service content,
// pre-approval types with their permits, languages, APP platforms and the financial trigger words.
//
// Each file in data/ carries a version and its source; nothing here is fetched at run time. The lists are small,
// so lookups are plain scans over slices that keep the files' order (the order shown to people).
package codes

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/beian/beian/internal/i18n"
)

//go:embed data/*.json
var dataFS embed.FS

// Names is a display name in every supported language.
type Names struct {
	ZhCN string `json:"zh-CN"`
	ZhTW string `json:"zh-TW"`
	En   string `json:"en"`
}

// In returns the name in lang, falling back to zh-CN.
func (n Names) In(lang i18n.Lang) string {
	switch lang {
	case i18n.ZhTW:
		if n.ZhTW != "" {
			return n.ZhTW
		}
	case i18n.En:
		if n.En != "" {
			return n.En
		}
	}
	return n.ZhCN
}

func (n Names) complete() bool { return n.ZhCN != "" && n.ZhTW != "" && n.En != "" }

// Meta is what every data file says about itself.
type Meta struct {
	Version string `json:"version"`
	Source  string `json:"source"`
	Notes   string `json:"notes,omitempty"`
}

// item is one entry of a code list: it has a unique key and checks itself.
type item interface {
	key() string
	check() error
}

// file is the shape of every data file: meta, optional groups (service content), items.
type file[T item] struct {
	Meta
	Groups []ContentGroup `json:"groups,omitempty"`
	Items  []T            `json:"items"`
}

// decode parses one data file strictly: unknown fields, trailing data, missing meta, empty or duplicate or
// incomplete items are errors.
func decode[T item](raw []byte) (file[T], error) {
	var f file[T]
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&f); err != nil {
		return f, err
	}
	if err := d.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return f, errors.New("trailing data after the JSON object")
	}
	if f.Version == "" || f.Source == "" {
		return f, errors.New("version and source are required")
	}
	if len(f.Items) == 0 {
		return f, errors.New("no items")
	}
	seen := map[string]bool{}
	for i, it := range f.Items {
		if err := it.check(); err != nil {
			return f, fmt.Errorf("item %d: %w", i, err)
		}
		if seen[it.key()] {
			return f, fmt.Errorf("item %d: duplicate %q", i, it.key())
		}
		seen[it.key()] = true
	}
	return f, nil
}

func readFile[T item](name string, meta map[string]Meta) ([]T, []ContentGroup, error) {
	raw, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return nil, nil, err
	}
	f, err := decode[T](raw)
	if err != nil {
		return nil, nil, fmt.Errorf("codes: %s: %w", name, err)
	}
	meta[name] = f.Meta
	return f.Items, f.Groups, nil
}

type tables struct {
	meta         map[string]Meta
	natures      []SubjectNature
	police       []PoliceSubjectNature
	credentials  []CredentialType
	web, app     contentTable
	preApprovals []PreApprovalType
	languages    []Language
	platforms    []Platform
	finance      []FinanceWord
}

var (
	once    sync.Once
	loaded  *tables
	loadErr error
)

func tab() *tables {
	once.Do(func() { loaded, loadErr = load() })
	if loadErr != nil {
		panic(loadErr) // embedded data is checked by the tests; a broken build must not start
	}
	return loaded
}

func load() (*tables, error) {
	t := &tables{meta: map[string]Meta{}}
	var errs []error
	keep := func(err error) { errs = append(errs, err) }
	var err error
	t.natures, _, err = readFile[SubjectNature]("natures.json", t.meta)
	keep(err)
	t.police, _, err = readFile[PoliceSubjectNature]("police_natures.json", t.meta)
	keep(err)
	t.credentials, _, err = readFile[CredentialType]("credential_types.json", t.meta)
	keep(err)
	t.web, err = readContent("website_content.json", t.meta)
	keep(err)
	t.app, err = readContent("app_content.json", t.meta)
	keep(err)
	t.preApprovals, _, err = readFile[PreApprovalType]("pre_approvals.json", t.meta)
	keep(err)
	t.languages, _, err = readFile[Language]("languages.json", t.meta)
	keep(err)
	t.platforms, _, err = readFile[Platform]("app_platforms.json", t.meta)
	keep(err)
	t.finance, _, err = readFile[FinanceWord]("finance_words.json", t.meta)
	keep(err)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return t, t.crossCheck()
}

// crossCheck verifies references between files: credential natures are known natures.
func (t *tables) crossCheck() error {
	for _, c := range t.credentials {
		for _, n := range c.Natures {
			if _, ok := find(t.natures, n); !ok {
				return fmt.Errorf("codes: credential type %q names unknown nature %q", c.Name, n)
			}
		}
	}
	return nil
}

// find returns the item with key k.
func find[T item](xs []T, k string) (T, bool) {
	for _, x := range xs {
		if x.key() == k {
			return x, true
		}
	}
	var zero T
	return zero, false
}

// FileInfo describes one embedded code-list file.
type FileInfo struct {
	File string `json:"file"`
	Meta
}

// Files lists the embedded code-list files with their versions and sources, sorted by file name.
func Files() []FileInfo {
	m := tab().meta
	out := make([]FileInfo, 0, len(m))
	for name, meta := range m {
		out = append(out, FileInfo{File: name, Meta: meta})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

func namesErr(n Names) error {
	if !n.complete() {
		return errors.New("names in zh-CN, zh-TW and en are required")
	}
	return nil
}
