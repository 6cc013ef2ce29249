package cleantext

import (
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/problem"
)

// Value checks every string reachable from v: struct fields by their JSON names, slice and array elements by
// index, map entries by key (the key too), through pointers and interfaces. The paths of the problems follow the
// validation's form, e.g. "services[0].principal.name", below prefix (the path of v itself; "" for a body).
func Value(prefix string, v any) problem.List {
	var out problem.List
	walk(prefix, reflect.ValueOf(v), &out)
	return out
}

func walk(path string, v reflect.Value, out *problem.List) {
	switch v.Kind() {
	case reflect.String:
		if e := Check(path, v.String(), MultiLine(path)); e != nil {
			*out = append(*out, e)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walk(path, v.Elem(), out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walk(path+"["+strconv.Itoa(i)+"]", v.Index(i), out)
		}
	case reflect.Map:
		walkMap(path, v, out)
	case reflect.Struct:
		walkStruct(path, v, out)
	}
}

func walkStruct(path string, v reflect.Value, out *problem.List) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case name == "" && f.Anonymous:
			walk(path, v.Field(i), out) // embedded fields are promoted in JSON
			continue
		case name == "":
			name = f.Name
		}
		walk(join(path, name), v.Field(i), out)
	}
}

func walkMap(path string, v reflect.Value, out *problem.List) {
	type entry struct {
		key string
		val reflect.Value
	}
	var entries []entry
	for it := v.MapRange(); it.Next(); {
		k := it.Key()
		if k.Kind() != reflect.String {
			walk(path, it.Value(), out)
			continue
		}
		entries = append(entries, entry{k.String(), it.Value()})
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	for _, e := range entries {
		p := join(path, e.key)
		if err := Check(p, e.key, false); err != nil {
			*out = append(*out, err)
			continue
		}
		walk(p, e.val, out)
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
