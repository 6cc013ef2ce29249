package providerweb

// The console's resources and authorization codes: staff record the instances applicants file on and issue
// authorization codes for domains hosted elsewhere.

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
)

type resourcesData struct {
	Rows []resourceRow
	Form *web.Form
}

type resourceRow struct {
	store.Resource
	Owner  string
	Left   int
	Status string
}

func (s *Server) resourceCreateForm(v *web.View, r *http.Request) *web.Form {
	get := func(k, def string) string {
		if r != nil && r.Method == http.MethodPost {
			return r.PostFormValue(k)
		}
		return def
	}
	now := s.clock.Now().In(web.Shanghai)
	billing := v.Select("billing", get("billing", "prepaid"), []web.Option{
		{Value: "prepaid", Label: v.T("web.billing.prepaid")}, {Value: "pay_as_you_go", Label: v.T("web.billing.pay_as_you_go")}}, false)
	return &web.Form{Sections: []*web.Section{{ID: "new-resource", Title: v.T("web.resources.new"), Intro: v.T("web.resources.new_intro"), Fields: []*web.Field{
		v.Field("email", "owner_email", get("owner_email", "")).Req().Labelled(v.T("web.resources.owner_email")).Auto("off"),
		v.Text("name", get("name", "")).Req().Labelled(v.T("web.resources.name")).Placed("ecs-gz-01"),
		v.Text("region", get("region", "")).Labelled(v.T("web.resources.region")).Placed("cn-guangzhou"),
		v.Text("ips", get("ips", "")).Req().Labelled(v.T("web.resources.ips")).Hinted(v.T("web.resources.ips_hint")),
		billing.Labelled(v.T("web.resources.billing")).Req(),
		v.Field("date", "starts_at", get("starts_at", now.Format(time.DateOnly))).Req().Labelled(v.T("web.resources.starts")),
		v.Field("date", "expires_at", get("expires_at", now.AddDate(1, 0, 0).Format(time.DateOnly))).Req().Labelled(v.T("web.resources.expires")),
		v.Field("number", "quota_total", get("quota_total", "5")).Req().Labelled(v.T("web.resources.quota")).Mode("numeric"),
	}}}}
}

func (s *Server) resourcesPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showResources(w, r, v, s.resourceCreateForm(v, nil), http.StatusOK)
}

func (s *Server) showResources(w http.ResponseWriter, r *http.Request, v *web.View, f *web.Form, status int) {
	v.Area, v.Current = "console", "resources"
	list, err := s.svc.Resources(v.Ctx(), v.Actor)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	owners := map[int64]string{}
	now := s.clock.Now()
	d := &resourcesData{Form: f}
	for _, res := range list {
		if _, ok := owners[res.OwnerID]; !ok {
			if label, err := s.svc.AccountLabel(v.Ctx(), v.Actor, res.OwnerID); err == nil {
				owners[res.OwnerID] = label
			}
		}
		row := resourceRow{Resource: res, Owner: owners[res.OwnerID], Left: max(res.QuotaTotal-res.QuotaUsed, 0)}
		if why := resourceUnusable(res, now); why != "" {
			row.Status = v.T("web.resources.why." + strings.TrimPrefix(why, "resource."))
		}
		d.Rows = append(d.Rows, row)
	}
	v.D = d
	s.Render(w, v, status, "resources")
}

func parseDay(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), web.Shanghai)
	return t, err == nil
}

func (s *Server) resourceCreate(w http.ResponseWriter, r *http.Request, v *web.View) {
	f := s.resourceCreateForm(v, r)
	fail := func(err error) {
		f.Place(s.PageErrors(r, err))
		v.SetErrors(f)
		s.showResources(w, r, v, f, web.StatusFor(err))
	}
	if err := v.Refused(); err != nil {
		fail(err)
		return
	}
	owner, err := s.svc.ApplicantByEmail(v.Ctx(), v.Actor, r.PostFormValue("owner_email"))
	if err != nil {
		fail(problem.Invalidf("web.error.unknown_applicant", "owner_email"))
		return
	}
	start, ok1 := parseDay(r.PostFormValue("starts_at"))
	end, ok2 := parseDay(r.PostFormValue("expires_at"))
	quota, qerr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("quota_total")))
	var errs problem.List
	if !ok1 {
		errs = append(errs, problem.Invalidf("web.error.date", "starts_at"))
	}
	if !ok2 {
		errs = append(errs, problem.Invalidf("web.error.date", "expires_at"))
	}
	if qerr != nil {
		errs = append(errs, problem.Invalidf("resource.quota_range", "quota_total"))
	}
	if len(errs) > 0 {
		fail(errs)
		return
	}
	_, err = s.svc.CreateResource(v.Ctx(), v.Actor, store.Resource{OwnerID: owner.ID, Name: strings.TrimSpace(r.PostFormValue("name")),
		Region: strings.TrimSpace(r.PostFormValue("region")), IPs: lines(r.PostFormValue("ips")), Billing: r.PostFormValue("billing"),
		StartsAt: start, ExpiresAt: end, QuotaTotal: quota})
	if err != nil {
		fail(err)
		return
	}
	web.Redirect(w, r, "/console/resources", "resource")
}

type codesData struct {
	Rows   []store.AuthorizationCode
	Form   *web.Form
	Issued *store.AuthorizationCode
}

func (s *Server) codeForm(v *web.View, r *http.Request) *web.Form {
	get := func(k, def string) string {
		if r != nil && r.Method == http.MethodPost {
			return r.PostFormValue(k)
		}
		return def
	}
	return &web.Form{Sections: []*web.Section{{ID: "new-code", Title: v.T("web.codes.new"), Intro: v.T("web.codes.intro"), Fields: []*web.Field{
		v.Text("domain", get("domain", "")).Req().Labelled(v.T("web.field.domain")).Placed("example.cn").Auto("off"),
		v.Text("ips", get("ips", "")).Req().Labelled(v.T("web.resources.ips")).Hinted(v.T("web.resources.ips_hint")),
		v.Field("number", "validity_days", get("validity_days", "30")).Req().Labelled(v.T("web.codes.validity")).Mode("numeric"),
	}}}}
}

func (s *Server) codesPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showCodes(w, r, v, s.codeForm(v, nil), nil, http.StatusOK)
}

func (s *Server) showCodes(w http.ResponseWriter, r *http.Request, v *web.View, f *web.Form, issued *store.AuthorizationCode, status int) {
	v.Area, v.Current = "console", "codes"
	list, err := s.svc.AuthorizationCodes(v.Ctx(), v.Actor)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	v.D = &codesData{Rows: list, Form: f, Issued: issued}
	s.Render(w, v, status, "codes")
}

func (s *Server) codeIssue(w http.ResponseWriter, r *http.Request, v *web.View) {
	f := s.codeForm(v, r)
	days, derr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("validity_days")))
	err := v.Refused()
	if err == nil && (derr != nil || days <= 0 || days > 366) {
		err = problem.Invalidf("web.error.validity_days", "validity_days")
	}
	if err != nil {
		f.Place(s.PageErrors(r, err))
		v.SetErrors(f)
		s.showCodes(w, r, v, f, nil, http.StatusUnprocessableEntity)
		return
	}
	c, err := s.svc.IssueAuthorizationCode(v.Ctx(), v.Actor, r.PostFormValue("domain"), lines(r.PostFormValue("ips")),
		time.Duration(days)*24*time.Hour)
	if err != nil {
		f.Place(s.PageErrors(r, err))
		v.SetErrors(f)
		s.showCodes(w, r, v, f, nil, web.StatusFor(err))
		return
	}
	v.Flash = v.T("web.flash.issued")
	s.showCodes(w, r, v, s.codeForm(v, nil), c, http.StatusCreated)
}
