package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
)

// An API error names its field as a page does, by the field's label in the request's language (nested and
// indexed paths by the label of what they are, or by the label the problem names), while its code and field stay the machine-readable ones; an
// unknown field is named as it was sent.
func TestAPIErrorsNameTheFieldByItsLabel(t *testing.T) {
	type texts struct{ zhCN, zhTW, en string }
	for _, c := range []struct {
		e    *problem.Error
		want texts
	}{
		{problem.Invalidf("common.required", "email", "field", "email"),
			texts{"请填写电子邮箱。", "請填寫電子郵件信箱。", "Please fill in E-mail."}},
		{problem.Invalidf("common.required", "services[1].ips"),
			texts{"请填写IP地址。", "請填寫IP位址。", "Please fill in IP addresses."}},
		{problem.Invalidf("common.text_control_char", "subject.principal.mobile", "char", "U+202E"),
			texts{"“手机号码”含有不可见的控制字符或格式字符（U+202E），请删除，或不要粘贴而是重新输入。",
				"「手機號碼」含有不可見的控制字元或格式字元（U+202E），請刪除，或不要貼上而是重新輸入。",
				"“Mobile number” contains an invisible control or formatting character (U+202E); delete it, or type the text again instead of pasting it."}},
		{problem.Invalidf("order.fixed_field", "services[0].domains"),
			texts{"域名 在验证备案类型时已确定，不能修改；如需修改请撤销订单后重新发起。",
				"網域 在驗證備案類型時已確定，不能修改；如需修改請撤銷訂單後重新發起。",
				"Domain was fixed when the filing type was checked; withdraw the order and start again to change it."}},
		{problem.Invalidf("common.required", "code", "label", "web.field.material_code"), // not 验证码: the code knows better
			texts{"请填写资料类型。", "請填寫資料類型。", "Please fill in Material type."}},
		{problem.As(jsonProblem(errors.New(`json: unknown field "email"`)))[0], // not 电子邮箱: a name it does not know
			texts{"不认识的字段“email”，请检查拼写。", "不認識的欄位「email」，請檢查拼寫。", `Unknown field "email"; check the spelling.`}},
	} {
		for _, l := range []struct {
			lang i18n.Lang
			want string
		}{{i18n.ZhCN, c.want.zhCN}, {i18n.ZhTW, c.want.zhTW}, {i18n.En, c.want.en}} {
			got := apiErrors(t, l.lang, c.e)
			if len(got) != 1 || got[0].Code != c.e.Code || got[0].Field != c.e.Field || got[0].Message != l.want {
				t.Errorf("%s %s on %s: %+v, want the message %q", l.lang, c.e.Code, c.e.Field, got, l.want)
			}
		}
	}
}

// apiErrors is the errors of the API's answer to a request in lang that fails with err.
func apiErrors(t *testing.T, lang i18n.Lang, err error) []APIError {
	t.Helper()
	h := (&Site{}).base(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { WriteError(w, r, err) }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/anything?lang="+string(lang), nil))
	var body ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s: %v", w.Body, err)
	}
	return body.Errors
}

// A page's error summary names a field by the label its message uses, the one the problem names included.
func TestPageErrorsNameTheLabelTheMessageUses(t *testing.T) {
	e := problem.Invalidf("common.required", "code", "label", "web.field.material_code")
	got := (&Site{}).PageErrors(httptest.NewRequest("GET", "/", nil), e) // zh-CN, the default
	if len(got) != 1 || got[0].Label != "资料类型" || got[0].Message != "请填写资料类型。" {
		t.Fatalf("%+v", got)
	}
}
