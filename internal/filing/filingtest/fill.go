// Package filingtest fills values of the filing types for the tests that hold a hand-written encoder or decoder
// of them equal to encoding/json on every field: a field added to the types and not to the encoder or decoder
// then fails those tests. Tests only.
package filingtest

import (
	"reflect"
	"testing"
	"time"
)

// Fill sets every exported field under v: text from next, true, numbers, lists of length n, pointers to filled
// values, a fixed time; a field of another kind fails t.
func Fill(t testing.TB, v reflect.Value, next func() string, n int) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		v.SetString(next())
	case reflect.Bool:
		v.SetBool(n > 0)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(n) * 12345)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		Fill(t, v.Elem(), next, n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			Fill(t, v.Index(i), next, n)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 3, 1, 10, 0, 0, 7, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				Fill(t, v.Field(i), next, n)
			}
		}
	default:
		t.Fatalf("Fill: a field of kind %s: teach Fill, and the encoders and decoders tested with it", v.Kind())
	}
}
