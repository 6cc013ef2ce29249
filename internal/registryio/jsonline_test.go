package registryio

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/beian/beian/internal/miit"
)

// The hand-written JSON line of a record is byte for byte what encoding/json (HTML escaping off) writes: for
// records with every field of every type filled (so a field added to the types and not to appendRecord fails
// here), with every field empty but lists and pointers present, with nothing at all, and for generated ones.
func TestAppendRecordMatchesEncodingJSON(t *testing.T) {
	texts := []string{"广州示例科技有限公司", "A \"quoted\" \\ <b>&</b>\n\t\r\b\f\x01\x1f\x7f", "bad \xff\xfe utf-8 \u2028 \u2029 é 😀", "x"}
	var full, empty miit.SeedRecord
	n := 0
	fill(t, reflect.ValueOf(&full).Elem(), func() string { n++; return texts[n%len(texts)] }, 2)
	fill(t, reflect.ValueOf(&empty).Elem(), func() string { return "" }, 0)
	recs := append([]miit.SeedRecord{full, empty, {}}, testRecords()...)
	recs[1].ApprovedAt = time.Date(2026, 4, 2, 8, 30, 15, 123_000_000, time.FixedZone("CST", 8*3600))
	for _, r := range recs {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		if got, err := appendRecord(nil, &r); err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Errorf("got (%v)\n%s\nwant\n%s", err, got, want.Bytes())
		}
	}
	if _, err := appendRecord(nil, &miit.SeedRecord{ApprovedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}); err == nil {
		t.Error("a year past 9999 encoded")
	}
}

// fill sets every exported field under v: text from next, true, numbers, lists of length n, pointers to filled
// values.
func fill(t *testing.T, v reflect.Value, next func() string, n int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(next())
	case reflect.Bool:
		v.SetBool(n > 0)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(n) * 12345)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), next, n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fill(t, v.Index(i), next, n)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 3, 1, 10, 0, 0, 7, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), next, n)
			}
		}
	default:
		t.Fatalf("fill: a field of kind %s: teach fill and appendRecord", v.Kind())
	}
}
