package ident

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/i18n"
)

// checkOptions are the flags of `beian check`.
type checkOptions struct {
	now      time.Time
	use      Use    // --for website|app (domain)
	nature   string // --nature (website-name)
	province string // --province (website-name)
}

// checkKind is one KIND of `beian check`: its name, the flags it takes (required ones marked), and its
// validator.
type checkKind struct {
	name     string
	flags    []string // flag names; a trailing "!" marks a required flag
	validate func(v string, o checkOptions) Result
}

var checkKinds = []checkKind{
	{"resident-id", nil, func(v string, o checkOptions) Result { return ResidentID(v, o.now) }},
	{"uscc", nil, func(v string, _ checkOptions) Result { return USCC(v) }},
	{"org-code", nil, func(v string, _ checkOptions) Result { return OrgCode(v) }},
	{"mobile", nil, func(v string, _ checkOptions) Result { return Mobile(v) }},
	{"landline", nil, func(v string, _ checkOptions) Result { return Landline(v) }},
	{"email", nil, func(v string, _ checkOptions) Result { return Email(v) }},
	{"domain", []string{"for"}, func(v string, o checkOptions) Result { return Domain(v, o.use) }},
	{"icp-number", nil, func(v string, _ checkOptions) Result { return ICPNumber(v) }},
	{"police-number", nil, func(v string, _ checkOptions) Result { return PoliceNumber(v) }},
	{"website-name", []string{"nature!", "province!"}, func(v string, o checkOptions) Result {
		return WebsiteName(v, o.nature, o.province)
	}},
	{"residence-permit", nil, func(v string, o checkOptions) Result { return ResidencePermit(v, o.now) }},
	{"foreign-permanent-id", nil, func(v string, o checkOptions) Result { return ForeignPermanentID(v, o.now) }},
	{"hk-macao-permit", nil, func(v string, _ checkOptions) Result { return HKMacaoPermit(v) }},
	{"taiwan-permit", nil, func(v string, _ checkOptions) Result { return TaiwanPermit(v) }},
	{"passport", nil, func(v string, _ checkOptions) Result { return Passport(v) }},
	{"ip", nil, func(v string, _ checkOptions) Result { return IP(v) }},
	{"app-signature", nil, func(v string, _ checkOptions) Result { return AppSignature(v) }},
	{"app-package", nil, func(v string, _ checkOptions) Result { return AppPackage(v) }},
}

// checkLine is one line of `beian check` output.
type checkLine struct {
	Kind       string         `json:"kind"`
	Input      string         `json:"input"`
	Valid      bool           `json:"valid"`
	Normalized string         `json:"normalized"`
	Errors     []checkMessage `json:"errors"`
	Warnings   []checkMessage `json:"warnings"`
	Info       map[string]any `json:"info"`
}

type checkMessage struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// usageError is a problem with the command line itself: an i18n key and its parameters.
type usageError struct {
	key    string
	params []string
}

// RunCheck implements `beian check KIND VALUE... [--flag value]`: it validates each value as KIND and prints
// one JSON object per value and line, with messages in lang. Exit status: 0 when every value is valid, 1 when
// any is not, 2 for a usage error (unknown kind, no values, bad flags), explained on stderr.
func RunCheck(args []string, stdout, stderr io.Writer, lang i18n.Lang, now time.Time) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprintln(stdout, checkUsage(lang))
		return 0
	}
	kind, values, opts, uerr := parseCheckArgs(args)
	if uerr != nil {
		fmt.Fprintf(stderr, "beian check: %s\n\n%s\n", i18n.T(lang, uerr.key, pairs(uerr.params)), checkUsage(lang))
		return 2
	}
	opts.now = now
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	status := 0
	for _, v := range values {
		r := kind.validate(v, opts)
		if !r.Valid() {
			status = 1
		}
		if err := enc.Encode(outputLine(kind.name, r, lang)); err != nil {
			fmt.Fprintf(stderr, "beian check: %v\n", err)
			return 1
		}
	}
	return status
}

func outputLine(kind string, r Result, lang i18n.Lang) checkLine {
	info := r.Info
	if info == nil {
		info = map[string]any{}
	}
	return checkLine{
		Kind: kind, Input: r.Input, Valid: r.Valid(), Normalized: r.Normalized,
		Errors: messages(r.Errors, lang), Warnings: messages(r.Warnings, lang), Info: info,
	}
}

func messages(fs []Finding, lang i18n.Lang) []checkMessage {
	out := make([]checkMessage, 0, len(fs))
	for _, f := range fs {
		out = append(out, checkMessage{Code: f.Code, Message: f.Message(lang)})
	}
	return out
}

// parseCheckArgs reads KIND, then values and flags in any order; "--" ends the flags.
func parseCheckArgs(args []string) (checkKind, []string, checkOptions, *usageError) {
	var opts checkOptions
	if len(args) == 0 {
		return checkKind{}, nil, opts, &usageError{key: "check.no_kind"}
	}
	kind, ok := findCheckKind(args[0])
	if !ok {
		return checkKind{}, nil, opts, &usageError{"check.unknown_kind", []string{"kind", args[0]}}
	}
	flags := map[string]string{}
	var values []string
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			values = append(values, rest[i+1:]...)
			break
		}
		name, ok := flagName(a)
		if !ok {
			values = append(values, a)
			continue
		}
		value, inline := "", false
		if n, v, found := strings.Cut(name, "="); found {
			name, value, inline = n, v, true
		}
		if !kind.takes(name) {
			return kind, nil, opts, &usageError{"check.unknown_flag", []string{"flag", "--" + name, "kind", kind.name}}
		}
		if !inline {
			if i+1 >= len(rest) {
				return kind, nil, opts, &usageError{"check.flag_value", []string{"flag", "--" + name}}
			}
			i++
			value = rest[i]
		}
		flags[name] = value
	}
	if uerr := applyCheckFlags(kind, flags, &opts); uerr != nil {
		return kind, nil, opts, uerr
	}
	if len(values) == 0 {
		return kind, nil, opts, &usageError{"check.no_values", []string{"kind", kind.name}}
	}
	return kind, values, opts, nil
}

// flagName returns the name of a -flag or --flag argument.
func flagName(a string) (string, bool) {
	switch {
	case strings.HasPrefix(a, "--") && len(a) > 2:
		return a[2:], true
	case strings.HasPrefix(a, "-") && len(a) > 1 && (a[1] >= 'a' && a[1] <= 'z'):
		return a[1:], true
	}
	return "", false
}

func findCheckKind(name string) (checkKind, bool) {
	for _, k := range checkKinds {
		if k.name == name {
			return k, true
		}
	}
	return checkKind{}, false
}

func (k checkKind) takes(flag string) bool {
	for _, f := range k.flags {
		if strings.TrimSuffix(f, "!") == flag {
			return true
		}
	}
	return false
}

// applyCheckFlags checks the flag values and that required flags are present.
func applyCheckFlags(kind checkKind, flags map[string]string, o *checkOptions) *usageError {
	for _, f := range kind.flags {
		if name, required := strings.CutSuffix(f, "!"); required && flags[name] == "" {
			return &usageError{"check.missing_flag", []string{"flag", "--" + name, "kind", kind.name}}
		}
	}
	if v, ok := flags["for"]; ok {
		switch v {
		case "website":
			o.use = ForWebsite
		case "app":
			o.use = ForApp
		default:
			return &usageError{"check.bad_for", []string{"value", v}}
		}
	}
	if v, ok := flags["nature"]; ok {
		if _, known := codes.Nature(v); !known {
			return &usageError{"check.bad_nature", []string{"value", v, "natures", natureNames()}}
		}
		o.nature = v
	}
	if v, ok := flags["province"]; ok {
		if _, known := divisions.ProvinceByCode(v); !known {
			return &usageError{"check.bad_province", []string{"value", v}}
		}
		o.province = v
	}
	return nil
}

// natureNames lists the subject natures of docs/design.md §3 for the usage message.
func natureNames() string {
	var names []string
	for _, n := range codes.Natures() {
		names = append(names, n.Name)
	}
	return strings.Join(names, ", ")
}

func checkUsage(lang i18n.Lang) string {
	names := make([]string, len(checkKinds))
	for i, k := range checkKinds {
		names[i] = k.name
	}
	return i18n.T(lang, "check.usage", map[string]string{"kinds": strings.Join(names, ", ")})
}
