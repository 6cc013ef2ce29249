package providerweb

// Steps 1 and 2 of the filing wizard: check the filing type, choose the resource; they open the draft.

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

type checkData struct {
	Steps     []stepLink
	Form      *web.Form
	Check     provider.CheckInput
	Result    *provider.CheckResult
	Resources *web.Form
	Idem      string
}

func (s *Server) checkForm(v *web.View, in provider.CheckInput) *web.Form {
	if in.ServiceKind == "" {
		in.ServiceKind = filing.Website
	}
	cred := v.Select("credential_type", in.CredentialType, filingview.SubjectCredentialOptions(v.Lang), true).Req().
		Hinted(v.T("web.hint.credential_type"))
	cred.Class = "js-credential-type"
	nature := v.Select("nature", in.Nature, filingview.NatureOptions(v.Lang), true).Req().Hinted(v.T("web.hint.nature"))
	nature.Class = "js-nature"
	kind := v.Field("radios", "service_kind", string(in.ServiceKind)).Req()
	kind.Class = "choices-inline"
	for _, k := range []filing.ServiceKind{filing.Website, filing.App, filing.MiniProgram, filing.QuickApp} {
		kind.Options = append(kind.Options, web.Option{Value: string(k), Label: v.T("web.kind." + string(k)),
			Selected: k == in.ServiceKind})
	}
	domain := v.Text("domain", in.Domain).Req().Hinted(v.T("web.hint.check_domain")).Placed("example.cn").Auto("off")
	domain.ShowWhen = "service_kind=website"
	domain.InputMode = "url"
	app := v.Text("app_name", in.AppName).Req().Hinted(v.T("web.hint.app_name"))
	app.ShowWhen = "service_kind=app,mini_program,quick_app"
	return &web.Form{Sections: []*web.Section{
		{ID: "sec-subject", Title: v.T("web.check.subject"), Fields: []*web.Field{
			v.Select("province", in.Province, filingview.ProvinceOptions(v.Lang), true).Req().Hinted(v.T("web.hint.province")),
			nature, cred,
			v.Text("credential_number", in.CredentialNumber).Req().Hinted(v.T("web.hint.credential_number")).Auto("off"),
		}},
		{ID: "sec-service", Title: v.T("web.check.service"), Fields: []*web.Field{kind, domain, app}},
	}}
}

func (s *Server) checkPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current, v.InlineErrors = "portal", "new", true
	v.D = &checkData{Steps: stepBar(v, "check", 0), Form: s.checkForm(v, provider.CheckInput{})}
	s.Render(w, v, http.StatusOK, "check")
}

func checkInputOf(r *http.Request) provider.CheckInput {
	return provider.CheckInput{Province: r.PostFormValue("province"), Nature: r.PostFormValue("nature"),
		CredentialType: r.PostFormValue("credential_type"), CredentialNumber: strings.TrimSpace(r.PostFormValue("credential_number")),
		ServiceKind: filing.ServiceKind(r.PostFormValue("service_kind")), Domain: strings.TrimSpace(r.PostFormValue("domain")),
		AppName: strings.TrimSpace(r.PostFormValue("app_name")), Channel: channelOf(r)}
}

// checkSubmit runs step 1 (action=check) or opens the draft with the chosen resource (action=create).
func (s *Server) checkSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current, v.InlineErrors = "portal", "new", true
	in := checkInputOf(r)
	if in.ServiceKind == filing.Website {
		in.AppName = ""
	} else {
		in.Domain = ""
	}
	d := &checkData{Steps: stepBar(v, "check", 0), Check: in}
	v.D = d
	if r.PostFormValue("action") == "back" {
		d.Form = s.checkForm(v, in)
		s.Render(w, v, http.StatusOK, "check")
		return
	}
	var res *provider.CheckResult
	err := v.Refused() // shown on the check form with what was typed, whichever step's field it names
	if err == nil {
		res, err = s.svc.CheckFilingType(v.Ctx(), v.Actor, in)
	}
	if err != nil {
		d.Form = s.checkForm(v, in)
		d.Form.Place(s.PageErrors(r, err))
		v.SetErrors(d.Form)
		s.Render(w, v, http.StatusUnprocessableEntity, "check")
		return
	}
	d.Result, d.Check = res, res.Input
	d.Steps = stepBar(v, "resource", 0)
	choice, code := r.PostFormValue("resource.instance_id"), r.PostFormValue("resource.authorization_code")
	d.Idem = r.PostFormValue("idem")
	if d.Idem == "" {
		d.Idem = newKey()
	}
	var createErr error
	if r.PostFormValue("action") == "create" {
		ref := filing.ResourceRef{}
		if choice == "code" {
			ref.AuthorizationCode = strings.TrimSpace(code)
			if ref.AuthorizationCode == "" {
				createErr = problem.Invalidf("resource.required", "resource.authorization_code")
			}
		} else if id, perr := strconv.ParseInt(choice, 10, 64); perr == nil {
			ref.InstanceID = id
		}
		if createErr == nil {
			o, err := s.svc.CreateOrder(v.Ctx(), v.Actor, provider.CreateInput{Check: in, Resource: ref}, d.Idem)
			if err == nil {
				web.Redirect(w, r, "/orders/"+strconv.FormatInt(o.ID, 10)+"/subject", "created")
				return
			}
			createErr = err // nothing was created: the same key may be used again
		}
	}
	d.Resources, err = s.resourceForm(v, res, choice, code)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	status := http.StatusOK
	if createErr != nil {
		d.Resources.Place(s.PageErrors(r, createErr))
		v.SetErrors(d.Resources)
		status = http.StatusUnprocessableEntity
	}
	s.Render(w, v, status, "check")
}

// resourceForm lists the applicant's instances (usable ones selectable, the others with the reason) and the
// authorization code alternative (the providers' filing guides (docs/design.md §10)).
func (s *Server) resourceForm(v *web.View, res *provider.CheckResult, choice, code string) (*web.Form, error) {
	list, err := s.svc.Resources(v.Ctx(), v.Actor)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	radio := v.Field("radios", "resource.instance_id", choice).Req()
	radio.Label = v.T("web.resource.choose")
	for _, r := range list {
		why := resourceUnusable(r, now)
		o := web.Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Name, Disabled: why != "",
			Selected: choice == strconv.FormatInt(r.ID, 10)}
		o.Hint = v.Tf("web.resource.line", "ips", strings.Join(r.IPs, ", "), "left", strconv.Itoa(max(r.QuotaTotal-r.QuotaUsed, 0)),
			"total", strconv.Itoa(r.QuotaTotal), "expires", r.ExpiresAt.In(web.Shanghai).Format(time.DateOnly),
			"billing", v.T("web.billing."+r.Billing))
		if why != "" {
			o.Hint += " — " + v.T(why)
		}
		radio.Options = append(radio.Options, o)
	}
	if choice == "" {
		for i, o := range radio.Options {
			if !o.Disabled {
				radio.Options[i].Selected = true
				radio.Value = o.Value
				break
			}
		}
	}
	radio.Options = append(radio.Options, web.Option{Value: "code", Label: v.T("web.resource.use_code"),
		Hint: v.T("web.resource.use_code_hint"), Selected: choice == "code" || radio.Value == ""})
	codeField := v.Text("resource.authorization_code", code).Hinted(v.T("web.hint.authorization_code")).Auto("off")
	codeField.ShowWhen = "resource.instance_id=code"
	return &web.Form{Sections: []*web.Section{{ID: "sec-resource", Path: "resource", Title: v.T("web.step.resource"),
		Intro: v.T("web.resource.intro"), Fields: []*web.Field{radio, codeField}}}}, nil
}

// resourceUnusable explains why an instance cannot carry a filing (the use case decides again on creation).
func resourceUnusable(r store.Resource, now time.Time) string {
	switch {
	case r.Billing != "prepaid":
		return "resource.pay_as_you_go"
	case r.ExpiresAt.Before(r.StartsAt.AddDate(0, 3, 0)):
		return "resource.too_short"
	case !now.Before(r.ExpiresAt):
		return "resource.expired"
	case r.QuotaUsed >= r.QuotaTotal:
		return "resource.quota_exhausted"
	}
	return ""
}

func newKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}
