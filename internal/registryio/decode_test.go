package registryio

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/miit"
)

// TestDecodeRecordRefusals: every line encoding/json refused is refused with its line number and what is wrong,
// and invalid UTF-8 and repeated names are refused too (encoding/json replaced or overwrote them).
func TestDecodeRecordRefusals(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{broken`, "line 7: invalid character 'b'"},
		{`{"province":1}`, `line 7: cannot unmarshal JSON number into Go string within "/province"`},
		{"{\"province\":\"a\x01\"}", `line 7: invalid character '\x01' in string`},
		{"{\"province\":\"a\xff\"}", `line 7: invalid UTF-8 within "/province"`},
		{`{"services":{}}`, `line 7: cannot unmarshal JSON object into Go []filing.Service within "/services"`},
		{`{"approved_at":"yesterday"}`, `parsing time "yesterday"`},
		{`{"province":"a","province":"b"}`, `line 7: duplicate object member name "province"`},
		{`[1]`, "line 7: cannot unmarshal JSON array into Go miit.SeedRecord"},
		{`{"province":"a"} x`, "line 7: invalid character 'x' after top-level value"},
	} {
		var rec miit.SeedRecord
		if err := decodeRecord([]byte(tc.in), 7, &rec); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v; want %q", tc.in, err, tc.want)
		}
	}
}

// TestDecodeRecordAsBefore: names in any case and unknown names are accepted as encoding/json accepted them.
func TestDecodeRecordAsBefore(t *testing.T) {
	var rec miit.SeedRecord
	err := decodeRecord([]byte(`{"Province":"粤","SUBJECT":{"Name":"甲"},"extra":[1,{"a":null}]}`), 1, &rec)
	if err != nil || rec.Province != "粤" || rec.Subject.Name != "甲" {
		t.Errorf("%+v %v", rec, err)
	}
}

// FuzzDecodeRecord: whatever the decoder accepts, encoding/json accepts as the same record, and what both
// accept round-trips; so the faster decoder never lets through what the import refused before.
func FuzzDecodeRecord(f *testing.F) {
	for _, r := range loadtest.Registry(0, 3, "beian-demo") {
		b, _ := json.Marshal(r)
		f.Add(b)
	}
	f.Add([]byte(`{"Province":"a","services":[{"domains":["x.cn"]}],"approved_at":"2026-01-02T03:04:05.5+08:00"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got, want miit.SeedRecord
		if err := decodeRecord(b, 1, &got); err != nil {
			return
		}
		if !utf8.Valid(b) {
			t.Fatalf("invalid UTF-8 accepted: %q", b)
		}
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("accepted %q, which encoding/json refuses: %v", b, err)
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if !reflect.DeepEqual(gb, wb) {
			t.Fatalf("%q:\n%s\n%s", b, gb, wb)
		}
	})
}

// BenchmarkDecodeRecord measures decoding one generated record line; cpu-ns/op as for BenchmarkImport.
func BenchmarkDecodeRecord(b *testing.B) {
	var lines [][]byte
	for _, r := range loadtest.Registry(0, 1000, "beian-demo") {
		l, _ := json.Marshal(r)
		lines = append(lines, l)
	}
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		var rec miit.SeedRecord
		if err := decodeRecord(lines[i%len(lines)], 1, &rec); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// FuzzCSVReader: any CSV body under the right header reads without panicking; a row that cannot be read is
// a LineError or the CSV parser's error naming its line, and the records read never leave two in a row of
// one subject number (the rows of one subject are one record).
func FuzzCSVReader(f *testing.F) {
	for _, r := range loadtest.Registry(0, 3, "beian-demo") {
		var b bytes.Buffer
		w, _ := NewWriter(&b, CSV)
		w.Write(r)
		w.Flush()
		f.Add(bytes.SplitN(b.Bytes(), []byte("\n"), 2)[1])
	}
	f.Add([]byte("44,,名,enterprise,business_license,X1,2025-01-02,,website,站,a.cn,p\n44,,名,enterprise,business_license,X1,,,app,A,b.cn,p\n"))
	f.Add([]byte("44,,名,enterprise,business_license,X1,2025-13-02,,,,,\n\"a\nb\",1,2,3,4,5,6,7,8,9,10,11\n"))
	head := strings.Join(csvHeader, ",") + "\n"
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := NewReader(bytes.NewReader(append([]byte("\uFEFF"+head), body...)), CSV)
		if err != nil {
			t.Fatalf("header refused: %v", err)
		}
		prev := ""
		for {
			rec, err := r.Read()
			if err == io.EOF {
				return
			}
			var le *LineError
			var pe *csv.ParseError
			if err != nil {
				if !errors.As(err, &le) && !errors.As(err, &pe) {
					t.Fatalf("error without its line: %v", err)
				}
				return
			}
			if rec.Subject.Number != "" && rec.Subject.Number == prev {
				t.Fatalf("two records in a row of subject %q", prev)
			}
			prev = rec.Subject.Number
		}
	})
}
