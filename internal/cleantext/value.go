package cleantext

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

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

// Clean reports whether every string reachable from v (as Value walks it, map keys included) is clean for a
// single-line field. It builds no paths and allocates nothing, for checking many values fast (a registry
// import: Value takes ≈ 8 µs of CPU a record, Clean ≈ 1.3); when it says no, Value names the field and the
// character, or finds nothing when the only finding was a line break in a field that may hold one.
func Clean(v any) bool { return clean(reflect.ValueOf(v)) }

func clean(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return Check("", v.String(), false) == nil
	case reflect.Pointer, reflect.Interface:
		return v.IsNil() || clean(v.Elem())
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if !clean(v.Index(i)) {
				return false
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if k := it.Key(); k.Kind() == reflect.String && Check("", k.String(), false) != nil || !clean(it.Value()) {
				return false
			}
		}
	case reflect.Struct:
		for _, i := range textFields(v.Type()) {
			if !clean(v.Field(i)) {
				return false
			}
		}
	}
	return true
}

// fieldsOf caches textFields by type.
var fieldsOf sync.Map // reflect.Type → []int

// textFields are the indexes of the fields of struct type t that Value walks and that can hold a string: the
// exported ones not tagged json:"-", other than numbers, booleans and times.
func textFields(t reflect.Type) []int {
	if f, ok := fieldsOf.Load(t); ok {
		return f.([]int)
	}
	var out []int
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && f.Tag.Get("json") != "-" && mayHoldText(f.Type) {
			out = append(out, i)
		}
	}
	fieldsOf.Store(t, out)
	return out
}

func mayHoldText(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint,
		reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr, reflect.Float32,
		reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return false
	}
	return t != reflect.TypeFor[time.Time]()
}
