package recognise

import (
	"strings"
	"testing"
)

// The layout parsers on text as the engine gives it: misread captions, stray marks, look-alike letters in
// numbers, and numbers failing their checksum (never filled).
func TestInterpret(t *testing.T) {
	tests := []struct {
		name  string
		kind  Kind
		text  string
		want  map[string]string // field → Value
		check map[string]string // field → Check
	}{
		{"id front as read", IDFront, "姓 名 刘涛\n性 别 女 Rik 汉\n出 生 1987年10月23日\n住 tt 四川省成都市武侯区人民南\n路四段134号\n公民身份号码 510107198710232348",
			map[string]string{FieldName: "刘涛", FieldSex: "female", FieldBirthDate: "1987-10-23",
				FieldAddress: "四川省成都市武侯区人民南路四段134号", FieldIDNumber: "510107198710232348"}, nil},
		{"look-alike letters in the number", IDFront, "姓名 张三\n公民身份号码 51O1O7l987lO232348",
			map[string]string{FieldIDNumber: "510107198710232348", FieldSex: "female", FieldBirthDate: "1987-10-23"}, nil},
		{"lowercase x check character", IDFront, "公民身份号码 11010119900307715x",
			map[string]string{FieldIDNumber: "11010119900307715X"}, nil},
		{"number failing its checksum is not filled", IDFront, "姓名 张三\n性别 男\n公民身份号码 510107198710232349",
			map[string]string{FieldIDNumber: "", FieldSex: "male"}, map[string]string{FieldIDNumber: "resident_id.checksum"}},
		{"number found without its caption", IDFront, "姓名 张三\n公民身份 码 510107198710232348",
			map[string]string{FieldIDNumber: "510107198710232348"}, nil},
		{"number too short", IDFront, "公民身份号码 5101071987102323",
			map[string]string{FieldIDNumber: ""}, map[string]string{FieldIDNumber: "resident_id.length", FieldName: "recognise.not_found"}},
		{"the number's birth date wins over a misread one", IDFront, "出生 1987年10月28日\n公民身份号码 510107198710232348",
			map[string]string{FieldBirthDate: "1987-10-23"}, nil},
		{"back, long term", IDBack, "中华人民共和国\n居民身份证\n签发机关 “成都市公安局武侯区分局\n有效期限 2016.05.04-长期",
			map[string]string{FieldAuthority: "成都市公安局武侯区分局", FieldValidFrom: "2016-05-04", FieldValidTo: "long_term"}, nil},
		{"back, dated", IDBack, "签发机关 北京市公安局东城分局\n有效期限 2012.06.13-2022.06.13",
			map[string]string{FieldValidFrom: "2012-06-13", FieldValidTo: "2022-06-13"}, nil},
		{"back, ends before it starts", IDBack, "有效期限 2022.06.13-2012.06.13",
			nil, map[string]string{FieldValidTo: "recognise.validity_order"}},
		{"licence", BusinessLicence, "统一社会信用代码\n91510107750306201Y\n名称 ”四川远航电子商务有限公司\n法定代表人 胡霞\n住所 四川省成都市武侯区人民南路四段151号",
			map[string]string{FieldUSCC: "91510107750306201Y", FieldName: "四川远航电子商务有限公司", FieldLegalRep: "胡霞",
				FieldAddress: "四川省成都市武侯区人民南路四段151号"}, nil},
		{"licence code with O for 0", BusinessLicence, "统一社会信用代码 9151O1O775O3O62O1Y",
			map[string]string{FieldUSCC: "91510107750306201Y"}, nil},
		{"licence code failing its checksum", BusinessLicence, "统一社会信用代码 91510107750306201X",
			map[string]string{FieldUSCC: ""}, map[string]string{FieldUSCC: "uscc.checksum"}},
		{"misread district corrected from the division list", IDFront, "住址 四川省成都市武亿区人民南路四段1号",
			map[string]string{FieldAddress: "四川省成都市武侯区人民南路四段1号"}, nil},
		{"street names are not corrected", IDFront, "住址 上海市徐汇区浅溪北路1号",
			map[string]string{FieldAddress: "上海市徐汇区浅溪北路1号"}, nil},
		{"sole trader's operator", BusinessLicence, "经营者 李明\n经营场所 北京市朝阳区建国路1号",
			map[string]string{FieldLegalRep: "李明", FieldAddress: "北京市朝阳区建国路1号"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := interpret(tt.kind, linesOf(tt.text, 0.95), now)
			for k, v := range tt.want {
				if got[k].Value != v {
					t.Errorf("%s = %+v, want value %q", k, got[k], v)
				}
			}
			for k, c := range tt.check {
				if got[k].Check != c {
					t.Errorf("%s = %+v, want check %q", k, got[k], c)
				}
			}
		})
	}
}

// Two columns on one line: each caption's value stops at the next caption, and the wrapped lines go to the
// field printed in their column.
func TestTwoColumns(t *testing.T) {
	var l1, l2 line
	l1.add("经营范围", 0.9, 100, 200, 30)
	l1.add("技术开发；", 0.9, 220, 400, 30)
	l1.add("住所", 0.9, 880, 940, 30)
	l1.add("浙江省杭州市西湖区文三路300号", 0.9, 980, 1500, 30)
	l2.add("软件开发", 0.9, 222, 380, 30)
	l2.add("11层19室", 0.8, 982, 1100, 30)
	got := interpret(BusinessLicence, []line{l1, l2}, now)
	if a := got[FieldAddress]; a.Value != "浙江省杭州市西湖区文三路300号11层19室" || a.Confidence != 0.8 {
		t.Errorf("address = %+v", a)
	}
}

func TestConfidence(t *testing.T) {
	got := interpret(IDFront, linesOf("姓名 张三", 0.5), now)
	if f := got[FieldName]; f.Value != "张三" || f.Check != "recognise.low_confidence" {
		t.Errorf("name = %+v, want filled and marked low_confidence", f)
	}
	r := Result{Kind: IDFront, Fields: got}
	if c := strings.Join(r.ToCheck(), ","); c != "name,sex,birth_date,address,id_number" {
		t.Errorf("ToCheck = %s", c)
	}
}

const sampleTSV = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
	"1\t1\t0\t0\t0\t0\t0\t0\t1000\t630\t-1\t\n" +
	"5\t1\t1\t1\t1\t1\t71\t95\t28\t27\t92.25\t姓\n" +
	"5\t1\t1\t1\t1\t2\t123\t95\t24\t27\t96.3\t名\n" +
	"5\t1\t1\t1\t1\t3\t183\t88\t77\t35\t61.2\t刘涛\n" +
	"5\t1\t1\t1\t2\t1\t71\t175\t28\t27\tx\t性\n" +
	"5\t1\t1\t1\t3\t1\t71\t175\t28\t27\t88\t性\x01\n"

func TestParseTSV(t *testing.T) {
	lines := parseTSV(sampleTSV)
	if len(lines) != 2 || lines[0].String() != "姓名刘涛" || lines[1].String() != "性" {
		t.Fatalf("lines = %v", lines)
	}
	g := lines[0].g
	if g[2].conf != 0.612 || g[2].left != 183 || g[3].right != 260 || lines[0].height != 35 {
		t.Errorf("glyphs = %+v", g)
	}
}

func FuzzParseTSV(f *testing.F) {
	f.Add(sampleTSV)
	f.Add("5\t1\t1\t1\t1\t1\t0\t0\t0\t0\t0\t\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range parseTSV(s) {
			if len(l.g) == 0 || strings.ContainsAny(l.String(), "\x00\ufffd") {
				t.Fatalf("line %q", l.String())
			}
		}
	})
}

// Whatever the text, a field is either filled (and then valid) or says what to check.
func FuzzInterpret(f *testing.F) {
	f.Add("姓名 张三\n公民身份号码 510107198710232348", "resident_id_front")
	f.Add("统一社会信用代码 91510107750306201Y\n经营范围 住所", "business_license")
	f.Add("有效期限 2016.05.04-长期", "resident_id_back")
	f.Fuzz(func(t *testing.T, text, kind string) {
		k := Kind(kind)
		if checkKind(k) != nil {
			return
		}
		for name, fl := range interpret(k, linesOf(text, 0.9), now) {
			if fl.Value == "" && fl.Check == "" {
				t.Fatalf("%s empty without a check", name)
			}
			if fl.Confidence < 0 || fl.Confidence > 1 {
				t.Fatalf("%s confidence %v", name, fl.Confidence)
			}
		}
	})
}
