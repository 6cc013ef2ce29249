package credtest

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"time"

	"github.com/beian/beian/internal/ident"
)

// Person is what a resident ID card shows.
type Person struct {
	Name      string
	Sex       string // 男 or 女
	Ethnicity string // 汉, 回, …
	Birth     time.Time
	Address   string
	Number    string // 18 characters, valid check character
	Authority string // 签发机关
	ValidFrom time.Time
	ValidTo   time.Time // zero: 长期
}

// Company is what a business licence shows.
type Company struct {
	Name     string
	USCC     string // valid check character
	Type     string
	LegalRep string
	Capital  string
	Founded  time.Time
	Address  string
	Scope    string
}

var (
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"}
	given    = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "建国", "志强", "海燕", "晓东"}
	places   = []struct{ code, text, authority string }{
		{"110101", "北京市东城区景山前街", "北京市公安局东城分局"},
		{"310104", "上海市徐汇区漕溪北路", "上海市公安局徐汇分局"},
		{"440305", "广东省深圳市南山区科技园南路", "深圳市公安局南山分局"},
		{"330106", "浙江省杭州市西湖区文三路", "杭州市公安局西湖分局"},
		{"510107", "四川省成都市武侯区人民南路四段", "成都市公安局武侯区分局"},
		{"420106", "湖北省武汉市武昌区中北路", "武汉市公安局武昌分局"},
	}
	firms  = []string{"星河", "云帆", "青禾", "远航", "明德", "嘉和", "泰康", "华信", "博越", "恒通"}
	trades = []string{"网络科技", "信息技术", "文化传媒", "软件开发", "电子商务", "数据服务"}
)

// NewPerson makes a person whose ID number passes GB 11643's check, from rng.
func NewPerson(rng *rand.Rand) Person {
	pl := places[rng.IntN(len(places))]
	birth := time.Date(1960+rng.IntN(45), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	seq := rng.IntN(1000)
	sex := "女"
	if seq%2 == 1 {
		sex = "男"
	}
	body := fmt.Sprintf("%s%s%03d", pl.code, birth.Format("20060102"), seq)
	from := time.Date(2012+rng.IntN(12), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	var to time.Time
	switch years := []int{10, 20, 0}[rng.IntN(3)]; years {
	case 0: // 长期
	default:
		to = from.AddDate(years, 0, 0)
	}
	return Person{
		Name: surnames[rng.IntN(len(surnames))] + given[rng.IntN(len(given))], Sex: sex, Ethnicity: "汉",
		Birth:     birth,
		Address:   fmt.Sprintf("%s%d号%d栋%d单元%d室", pl.text, 1+rng.IntN(300), 1+rng.IntN(20), 1+rng.IntN(6), 101+rng.IntN(1800)),
		Number:    completeWith(body, "0123456789X", func(s string) bool { return ident.ResidentID(s, time.Now()).Valid() }),
		Authority: pl.authority, ValidFrom: from, ValidTo: to,
	}
}

// NewCompany makes a limited company whose USCC passes GB 32100's check (and its embedded organisation code
// GB 11714's), from rng.
func NewCompany(rng *rand.Rand) Company {
	pl := places[rng.IntN(len(places))]
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	org := ""
	for range 8 {
		org += string(chars[rng.IntN(10)]) // digits only, as most organisation codes are
	}
	org = completeWith(org, "0123456789X", func(s string) bool { return ident.OrgCode(s).Valid() })
	if org[8] == 'X' { // X is no USCC character at position 17; pick other digits
		return NewCompany(rng)
	}
	city := []rune(pl.text)[:2]
	return Company{
		Name:     string(city) + firms[rng.IntN(len(firms))] + trades[rng.IntN(len(trades))] + "有限公司",
		USCC:     completeWith("91"+pl.code+org, chars, func(s string) bool { return ident.USCC(s).Valid() }),
		Type:     "有限责任公司（自然人投资或控股）",
		LegalRep: surnames[rng.IntN(len(surnames))] + given[rng.IntN(len(given))],
		Capital:  []string{"壹佰万元整", "伍佰万元整", "壹仟万元整", "伍拾万元整"}[rng.IntN(4)],
		Founded:  time.Date(2005+rng.IntN(18), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC),
		Address:  fmt.Sprintf("%s%d号%d层%d室", pl.text, 1+rng.IntN(300), 1+rng.IntN(30), 1+rng.IntN(20)),
		Scope:    "技术开发、技术咨询、技术服务；软件开发；信息系统集成服务；互联网信息服务。",
	}
}

// completeWith appends the one character of alphabet that makes valid accept body: the validators are the
// oracle, so the test data cannot drift from the checks it exercises.
func completeWith(body, alphabet string, valid func(string) bool) string {
	for _, c := range alphabet {
		if s := body + string(c); valid(s) {
			return s
		}
	}
	panic("credtest: no check character completes " + body)
}

var (
	ink      = color.RGBA{20, 20, 20, 255}
	labelInk = color.RGBA{40, 90, 150, 255}
	cardBg   = color.RGBA{232, 238, 236, 255}
)

// IDFront renders the front of a resident ID card as the 2004 second-generation card lays it out, 1000×630 px
// (85.6 × 54 mm at about 300 dpi): labels in blue, values in black, the photo on the right.
func IDFront(p Person) (*image.RGBA, error) {
	c, err := newCanvas(1000, 630, cardBg)
	if err != nil {
		return nil, err
	}
	c.rect(image.Rect(690, 110, 930, 420), color.RGBA{200, 205, 210, 255}) // the photo
	c.rect(image.Rect(760, 170, 860, 290), color.RGBA{120, 110, 100, 255})
	row := func(label string, y int) int { return c.text(spaced(label, 3), 70, y, 30, labelInk, 0) + 30 }
	x := row("姓名", 120)
	c.text(p.Name, x, 120, 38, ink, 4)
	x = row("性别", 200)
	c.text(p.Sex, x, 200, 34, ink, 0)
	x = c.text("民族", 330, 200, 30, labelInk, 6) + 30
	c.text(p.Ethnicity, x, 200, 34, ink, 0)
	x = row("出生", 280)
	c.text(fmt.Sprintf("%d 年 %d 月 %d 日", p.Birth.Year(), int(p.Birth.Month()), p.Birth.Day()), x, 280, 34, ink, 0)
	x = row("住址", 360)
	for i, line := range wrap(p.Address, 12) {
		c.text(line, x, 360+i*50, 34, ink, 2)
	}
	x = c.text("公民身份号码", 70, 560, 30, labelInk, 4) + 40
	c.text(p.Number, x, 560, 40, ink, 6)
	return c.m, nil
}

// IDBack renders the back of the card: the national emblem (a red disc here), the title, the issuing
// authority and the period of validity ("2015.03.01-2035.03.01" or "…-长期").
func IDBack(p Person) (*image.RGBA, error) {
	c, err := newCanvas(1000, 630, cardBg)
	if err != nil {
		return nil, err
	}
	c.rect(image.Rect(70, 60, 210, 200), color.RGBA{200, 40, 40, 255})
	c.text("中华人民共和国", 320, 130, 56, ink, 8)
	c.text("居民身份证", 360, 240, 64, ink, 16)
	to := "长期"
	if !p.ValidTo.IsZero() {
		to = p.ValidTo.Format("2006.01.02")
	}
	x := c.text("签发机关", 190, 460, 30, labelInk, 4) + 36
	c.text(p.Authority, x, 460, 34, ink, 2)
	x = c.text("有效期限", 190, 540, 30, labelInk, 4) + 36
	c.text(p.ValidFrom.Format("2006.01.02")+"-"+to, x, 540, 34, ink, 1)
	return c.m, nil
}

// Licence renders a business licence as the 2019 edition lays it out (landscape, 1600×1130): the code at the
// top left, the title, then two columns of fields, a red frame.
func Licence(co Company) (*image.RGBA, error) {
	c, err := newCanvas(1600, 1130, color.RGBA{250, 246, 236, 255})
	if err != nil {
		return nil, err
	}
	red := color.RGBA{190, 40, 40, 255}
	for _, r := range []image.Rectangle{{Max: image.Pt(1600, 24)}, {Min: image.Pt(0, 1106), Max: image.Pt(1600, 1130)},
		{Max: image.Pt(24, 1130)}, {Min: image.Pt(1576, 0), Max: image.Pt(1600, 1130)}} {
		c.rect(r, red)
	}
	c.text("统一社会信用代码", 90, 150, 26, ink, 0)
	c.text(co.USCC, 90, 195, 30, ink, 2)
	c.text("营业执照", 620, 230, 84, ink, 24)
	c.rect(image.Rect(1330, 90, 1480, 240), color.Black) // the QR code
	field := func(label, value string, x, y, width int) {
		vx := c.text(spaced(label, 0), x, y, 28, ink, 0) + 40
		for i, line := range wrap(value, width) {
			c.text(line, vx, y+i*44, 28, ink, 0)
		}
	}
	field("名称", co.Name, 120, 420, 20)
	field("类型", co.Type, 120, 500, 20)
	field("法定代表人", co.LegalRep, 120, 580, 20)
	field("经营范围", co.Scope, 120, 660, 15)
	field("注册资本", co.Capital, 880, 420, 18)
	field("成立日期", fmt.Sprintf("%d年%02d月%02d日", co.Founded.Year(), int(co.Founded.Month()), co.Founded.Day()), 880, 500, 18)
	field("营业期限", "长期", 880, 580, 18)
	field("住所", co.Address, 880, 660, 16)
	c.text("登记机关", 1080, 980, 28, ink, 0)
	c.text(fmt.Sprintf("%d年%02d月%02d日", co.Founded.Year()+1, 3, 15), 1160, 1040, 28, ink, 0)
	return c.m, nil
}
