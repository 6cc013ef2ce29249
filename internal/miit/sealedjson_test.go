package miit

import (
	"encoding/json"
	"reflect"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/filing/filingtest"
)

// decodeBoth decodes text with decodeSealed and with jsonv2.Unmarshal, fails t when the results differ (value,
// or whether there is an error), and reports whether decodeSealed read it itself.
func decodeBoth[T any](t *testing.T, text string, fields []sealedField[T]) (read bool) {
	t.Helper()
	var got, want, fast T
	err := decodeSealed(text, &got, fields)
	wantErr := jsonv2.Unmarshal([]byte(text), &want)
	if (err == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\ngot  %+v (%v)\nwant %+v (%v)", text, got, err, want, wantErr)
	}
	return readSealed(text, &fast, fields)
}

// What sealing writes (encoding/json) for every field of the subject and service filled (text with and without
// escapes, invalid UTF-8), for every field empty but lists and pointers present, and for nothing: decodeSealed
// reads it itself, as jsonv2.Unmarshal does.
func TestDecodeSealedMatchesJSONv2(t *testing.T) {
	texts := []string{"广州示例科技有限公司", "A \"quoted\" \\ <b>&</b>\n\t\r\b\f\x01\x1f\x7f", "bad \xff\xfe utf-8 \u2028 \u2029 é 😀", "x"}
	for _, tc := range []struct {
		texts []string
		n     int
	}{{texts, 2}, {texts[:1], 1}, {[]string{""}, 0}} {
		sub, svc := &filing.Subject{}, &filing.Service{}
		k := 0
		next := func() string { k++; return tc.texts[k%len(tc.texts)] }
		filingtest.Fill(t, reflect.ValueOf(sub).Elem(), next, tc.n)
		filingtest.Fill(t, reflect.ValueOf(svc).Elem(), next, tc.n)
		for _, v := range []any{sub, &filing.Subject{}, svc, &filing.Service{}} {
			b, _ := json.Marshal(v)
			var read bool
			if _, ok := v.(*filing.Subject); ok {
				read = decodeBoth(t, string(b), subjectFields)
			} else {
				read = decodeBoth(t, string(b), serviceFields)
			}
			if !read {
				t.Errorf("%s: left to jsonv2", b)
			}
		}
	}
}

// Inputs in another form than encoding/json's are decoded (or refused) as jsonv2.Unmarshal does.
func TestDecodeSealedOtherForms(t *testing.T) {
	for _, in := range []string{
		``, `{`, `{}`, `{} `, ` {}`, `{}x`, `[]`, `null`, `{"name":"a","name":"b"}`, `{"name":"a","nature":"b"}`,
		`{"Name":"a"}`, `{"extra":1}`, `{"name":null}`, `{"name":1}`, `{"principal":null}`, `{"principal":{"name":"a"}}`,
		`{"name" : "a"}`, `{"name":"a\u0062"}`, "{\"name\":\"\xff\"}", "{\"name\":\"a\x01\"}", `{"name":"a}`,
		`{"legal_representative":null}`, `{"legal_representative":{}}`, `{"principal":{"credential_long_term":tru}}`,
	} {
		decodeBoth(t, in, subjectFields)
	}
	for _, in := range []string{
		`{"domains":[]}`, `{"domains":null}`, `{"domains":["a","b"]}`, `{"domains":["a",]}`, `{"domains":[1]}`,
		`{"domains":["a"],"ips":["b"]}`, `{"app":{"icon_material_id":12,"platforms":null}}`,
		`{"app":{"icon_material_id":-0}}`, `{"app":{"icon_material_id":012}}`, `{"app":{"icon_material_id":1.5}}`,
		`{"app":{"icon_material_id":1e3}}`, `{"app":{"icon_material_id":99999999999999999999}}`,
		`{"app":{"icon_material_id":-}}`, `{"pre_approvals":[{"type":"a","material_id":3},{}]}`,
		`{"app":{"sdks":[{"vendor":"v","type":"t"}],"platforms":[{"platform":"ios"}]}}`,
		`{"kind":"app","number":"x","access_method":"m","access_location":"l"}`,
	} {
		decodeBoth(t, in, serviceFields)
	}
}

// FuzzDecodeSealed: whatever the input, decodeSealed gives what jsonv2.Unmarshal gives, value and error.
func FuzzDecodeSealed(f *testing.F) {
	for _, in := range []string{`{"name":"a","principal":{"name":"b","credential_long_term":true}}`,
		`{"domains":["a"],"app":{"icon_material_id":12,"platforms":null},"pre_approvals":[{"material_id":3}]}`} {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		decodeBoth(t, in, subjectFields)
		decodeBoth(t, in, serviceFields)
	})
}

func BenchmarkDecodeSealed(b *testing.B) {
	sub, _ := json.Marshal(filing.Subject{Nature: "enterprise", Name: "负载测试第499997号科技有限公司",
		CredentialType: "business_license", CredentialNumber: "91640000172902481A"})
	svc, _ := json.Marshal(filing.Service{Kind: filing.Website, Name: "负载测试第499997号网站", Domains: []string{"q0499997.cn"}})
	b.Run("sealed", func(b *testing.B) {
		for b.Loop() {
			var s filing.Subject
			var v filing.Service
			decodeSealed(string(sub), &s, subjectFields)
			decodeSealed(string(svc), &v, serviceFields)
		}
	})
	b.Run("jsonv2", func(b *testing.B) {
		for b.Loop() {
			var s filing.Subject
			var v filing.Service
			jsonv2.Unmarshal(sub, &s)
			jsonv2.Unmarshal(svc, &v)
		}
	})
}
