package registryio

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing/filingtest"
	"github.com/beian/beian/internal/miit"
)

// The hand-written JSON line of a record is byte for byte what encoding/json (HTML escaping off) writes: for
// records with every field of every type filled (so a field added to the types and not to appendRecord fails
// here), with every field empty but lists and pointers present, with nothing at all, and for generated ones.
func TestAppendRecordMatchesEncodingJSON(t *testing.T) {
	texts := []string{"广州示例科技有限公司", "A \"quoted\" \\ <b>&</b>\n\t\r\b\f\x01\x1f\x7f", "bad \xff\xfe utf-8 \u2028 \u2029 é 😀", "x"}
	var full, empty miit.SeedRecord
	n := 0
	filingtest.Fill(t, reflect.ValueOf(&full).Elem(), func() string { n++; return texts[n%len(texts)] }, 2)
	filingtest.Fill(t, reflect.ValueOf(&empty).Elem(), func() string { return "" }, 0)
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
