package filing

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Change is one field whose value differs between two versions of a record.
type Change struct {
	Field string `json:"field"` // JSON path, e.g. "subject.principal.mobile" or "services[0].domains"
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Changes returns what the order changes in the record it started from, field by field: the subject, and each
// service against the filed service with the same number (a service without a number is new: every field it
// sets is a change). It is nil for an order that did not start from a filed record.
func (o *Order) Changes() []Change {
	if o.Filed == nil {
		return nil
	}
	out := diffValues("subject", o.Filed.Subject, o.Subject)
	for i, s := range o.Services {
		old, _ := o.Filed.Service(s.Number)
		out = append(out, diffValues("services["+strconv.Itoa(i)+"]", old, s)...)
	}
	return out
}

// DiffContent returns what the applicant changed between two versions of an order (the previous submission
// and this one): subject and services, by position.
func DiffContent(prev, cur *Order) []Change {
	out := diffValues("subject", prev.Subject, cur.Subject)
	for i := range max(len(prev.Services), len(cur.Services)) {
		var a, b Service
		if i < len(prev.Services) {
			a = prev.Services[i]
		}
		if i < len(cur.Services) {
			b = cur.Services[i]
		}
		out = append(out, diffValues("services["+strconv.Itoa(i)+"]", a, b)...)
	}
	return out
}

// ignored are fields a difference in which is not a change of content: numbers are issued, not edited.
var ignored = []string{"number"}

// diffValues compares two values of the same type through their JSON form, so that every field the API shows
// is compared under the name the API gives it.
func diffValues(prefix string, a, b any) []Change {
	fa, fb := map[string]string{}, map[string]string{}
	flatten(prefix, toJSON(a), fa)
	flatten(prefix, toJSON(b), fb)
	keys := make([]string, 0, len(fa)+len(fb))
	for k := range fa {
		keys = append(keys, k)
	}
	for k := range fb {
		if _, ok := fa[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []Change
	for _, k := range keys {
		if fa[k] != fb[k] && !slices.Contains(ignored, k[strings.LastIndexByte(k, '.')+1:]) {
			out = append(out, Change{Field: k, Old: fa[k], New: fb[k]})
		}
	}
	return out
}

func toJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

// flatten writes the leaves of v under path: objects by field, lists of objects by index, lists of plain
// values as one comma-separated value (a changed domain list is one change). Empty values are left out, so
// that an absent field and an empty one compare equal.
func flatten(path string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			flatten(path+"."+k, e, out)
		}
	case []any:
		if len(x) > 0 {
			if _, ok := x[0].(map[string]any); ok {
				for i, e := range x {
					flatten(path+"["+strconv.Itoa(i)+"]", e, out)
				}
				return
			}
		}
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, fmt.Sprint(e))
		}
		if s := strings.Join(parts, ", "); s != "" {
			out[path] = s
		}
	case nil:
	case bool:
		if x {
			out[path] = "true"
		}
	case float64:
		if x != 0 {
			out[path] = strconv.FormatFloat(x, 'f', -1, 64)
		}
	case string:
		if x != "" {
			out[path] = x
		}
	default:
		out[path] = fmt.Sprint(x)
	}
}

// DiffSubject returns the changes between two versions of a subject, under "subject.".
func DiffSubject(a, b Subject) []Change { return diffValues("subject", a, b) }

// DiffService returns the changes between two versions of a service, under "service.".
func DiffService(a, b Service) []Change { return diffValues("service", a, b) }
