package rules

import "testing"

func TestIDProvinceAndBirth(t *testing.T) {
	cases := []struct {
		id, prov, birth string
	}{
		{"430102199003071234", "43", "1990-03-07"},
		{"11010519850612004x", "11", "1985-06-12"}, // lower-case x is read (the field validator asks for X, Alibaba Cloud's filing notes)
		{"440305800101001", "44", "1980-01-01"},    // legacy 15-digit ID
		{"990102199003071234", "", "1990-03-07"},   // no such province
		{"43010219901307123X", "43", ""},           // month 13
		{"4301021990030712", "", ""},
		{"", "", ""},
		{"43010219900307123Y", "", ""},
	}
	for _, c := range cases {
		prov, ok := idProvince(c.id)
		if prov != c.prov || ok != (c.prov != "") {
			t.Errorf("idProvince(%q) = %q, %v; want %q", c.id, prov, ok, c.prov)
		}
		b, ok := idBirth(c.id)
		if got := b.Format("2006-01-02"); ok != (c.birth != "") || (ok && got != c.birth) {
			t.Errorf("idBirth(%q) = %s, %v; want %q", c.id, got, ok, c.birth)
		}
	}
}

func TestAgeOn(t *testing.T) {
	b, _ := idBirth("430102200803071234")
	for d, want := range map[Date]int{"2026-03-06": 17, "2026-03-07": 18, "2027-01-01": 18, "2008-03-07": 0, "nope": 0} {
		if got := ageOn(b, d); got != want {
			t.Errorf("ageOn(2008-03-07, %s) = %d, want %d", d, got, want)
		}
	}
}

func TestPhones(t *testing.T) {
	cases := []struct {
		in, digits string
		mobile     bool
		prov       string
	}{
		{"13800138000", "13800138000", true, ""},
		{"+86 138-0013-8000", "13800138000", true, ""},
		{"0086 13800138000", "13800138000", true, ""},
		{"010-12345678", "01012345678", false, "11"},
		{"(020) 8765 4321", "02087654321", false, "44"},
		{"0898-66123456", "089866123456", false, "46"},
		{"0891-6123456", "08916123456", false, "54"},
		{"0335-1234567", "03351234567", false, "13"},
		{"0349-1234567", "03491234567", false, "14"},
		{"0512-65432100", "051265432100", false, "32"},
		{"0330-1234567", "03301234567", false, ""}, // unassigned block
		{"12345", "12345", false, ""},
		{"", "", false, ""},
	}
	for _, c := range cases {
		d := phoneDigits(c.in)
		prov, _ := landlineProvince(d)
		if d != c.digits || isMobile(d) != c.mobile || prov != c.prov {
			t.Errorf("%q: digits %q mobile %v province %q; want %q %v %q", c.in, d, isMobile(d), prov, c.digits, c.mobile, c.prov)
		}
	}
}

func FuzzIdentifiers(f *testing.F) {
	for _, s := range []string{"430102199003071234", "440305800101001", "+86 010-12345678", "0898-1", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		idProvince(s)
		if b, ok := idBirth(s); ok {
			ageOn(b, "2026-11-20")
		}
		landlineProvince(phoneDigits(s))
		unitWord(s)
		aux().places.province(s)
	})
}
