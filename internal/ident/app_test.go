package ident

import "testing"

func TestAppSignature(t *testing.T) {
	md5 := "9E107D9D372BB6826BD81D3542A419D6"
	sha1 := "2FD4E1C67A2D28FCED849EE1BB76E7391B93EB12"
	cases := []struct {
		in string
		w  want
	}{
		{md5, want{norm: md5, info: map[string]any{"algorithm": "md5"}}},
		{"9e:10:7d:9d:37:2b:b6:82:6b:d8:1d:35:42:a4:19:d6", want{norm: md5}},
		{sha1, want{norm: sha1, info: map[string]any{"algorithm": "sha1"}}},
		{"", want{errs: []string{"app_signature.empty"}}},
		{"9E107D9D372BB6826BD81D3542A419DG", want{errs: []string{"app_signature.format"}}},
		{"9E:107D", want{errs: []string{"app_signature.format"}}},
		{md5[:30], want{errs: []string{"app_signature.length"}}},
		{md5 + md5, want{errs: []string{"app_signature.sha256"}}},
	}
	for _, c := range cases {
		expect(t, AppSignature(c.in), c.w)
	}
}

func TestAppPackage(t *testing.T) {
	cases := []struct {
		in string
		w  want
	}{
		{"com.example.app", want{}},
		{"com.example.my-app2", want{}},
		{"cn.gov.beijing.app_1", want{}},
		{"", want{errs: []string{"app_package.empty"}}},
		{"example", want{errs: []string{"app_package.format"}}},
		{"1com.example", want{errs: []string{"app_package.format"}}},
		{"com..example", want{errs: []string{"app_package.format"}}},
		{"com.例子", want{errs: []string{"app_package.format"}}},
	}
	for _, c := range cases {
		expect(t, AppPackage(c.in), c.w)
	}
}

func FuzzAppSignature(f *testing.F) {
	f.Add("9e:10:7d:9d:37:2b:b6:82:6b:d8:1d:35:42:a4:19:d6")
	f.Add("2FD4E1C67A2D28FCED849EE1BB76E7391B93EB12")
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, AppSignature, s) })
}

func FuzzAppPackage(f *testing.F) {
	f.Add("com.example.app")
	f.Fuzz(func(t *testing.T, s string) { fuzzIdempotent(t, AppPackage, s) })
}
