package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/imaging/imagetest"
	"github.com/beian/beian/internal/miit"
)

// The police lifecycle: on the police platform simulator, with its automatic review policy, one website that
// has its ICP number (in MIIT's registry, Registry(i)) goes from nothing to its police number: the subject's
// four images, the subject, the website's four images, the website application, the approval and the number,
// then the badge. Each applicant registers, logs in (captcha read through the demo hook) and passes credit
// verification once, before the clock starts, as NewApplicant does for the ICP lifecycle.

// PoliceApplicant is a logged-in, credit-verified user of the police platform.
type PoliceApplicant struct{ *Party }

var (
	mpsCodeRE  = regexp.MustCompile(`(\d{6})`)
	mpsTokenRE = regexp.MustCompile(`token=([A-Za-z0-9_-]+)`)
)

// NewPoliceApplicant registers user k on the platform, logs in and passes credit verification (the SMS code and
// the e-mail link read from the development outbox by the operator).
func NewPoliceApplicant(ctx context.Context, nodes []string, client *http.Client, operator *Party, run string, k int) (*PoliceApplicant, error) {
	user := fmt.Sprintf("p%s%d", run, k)
	mobile, email := Mobile(900_000+k, 2), fmt.Sprintf("police-%s-%d@load.example.com", run, k)
	anon := &Party{nodes: nodes, home: k % len(nodes), client: client}
	if err := anon.Do(ctx, "POST", "/mps/api/v1/accounts", map[string]string{"username": user, "password": "Load2026pw",
		"password_confirm": "Load2026pw", "name": "陈伟", "credential_type": "resident_id",
		"credential_number": ResidentID(900_000 + k), "mobile": mobile, "email": email}, nil); err != nil {
		return nil, err
	}
	p, err := MPSLogin(ctx, nodes, k, client, operator, user, "Load2026pw")
	if err != nil {
		return nil, err
	}
	if err := p.Do(ctx, "POST", "/mps/api/v1/credit/mobile-code", nil, nil); err != nil {
		return nil, err
	}
	code, err := outboxFind(ctx, operator, mobile, mpsCodeRE)
	if err != nil {
		return nil, err
	}
	if err := p.Do(ctx, "POST", "/mps/api/v1/credit/mobile", map[string]string{"code": code}, nil); err != nil {
		return nil, err
	}
	if err := p.Do(ctx, "POST", "/mps/api/v1/credit/email-link", nil, nil); err != nil {
		return nil, err
	}
	token, err := outboxFind(ctx, operator, email, mpsTokenRE)
	if err != nil {
		return nil, err
	}
	return &PoliceApplicant{p}, p.Do(ctx, "POST", "/mps/api/v1/credit/email", map[string]string{"token": token}, nil)
}

// MPSLogin logs a platform user in on the nodes, home first, answering the captcha through the demo hook that
// answers the operator only (the captcha lives in the database, so any node answers it).
func MPSLogin(ctx context.Context, nodes []string, home int, client *http.Client, operator *Party, username, password string) (*Party, error) {
	p := &Party{nodes: nodes, home: home % len(nodes), turn: new(atomic.Int64), client: client}
	var c struct{ ID string }
	if err := p.Do(ctx, "POST", "/mps/api/v1/captchas", nil, &c); err != nil {
		return nil, err
	}
	var ans struct{ Answer string }
	if err := operator.Do(ctx, "GET", "/mps/api/v1/dev/captchas/"+c.ID, nil, &ans); err != nil {
		return nil, err
	}
	var out struct{ Token string }
	if err := p.Do(ctx, "POST", "/mps/api/v1/session", map[string]string{"username": username, "password": password,
		"captcha_id": c.ID, "captcha_answer": ans.Answer}, &out); err != nil {
		return nil, err
	}
	p.token = out.Token
	return p, nil
}

// outboxFind waits for a development-outbox message to `to` matching re and returns its first group.
func outboxFind(ctx context.Context, operator *Party, to string, re *regexp.Regexp) (string, error) {
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		var msgs struct{ Messages []struct{ Body string } }
		if err := operator.Do(ctx, "GET", "/api/v1/dev/messages?limit=5&to="+to, nil, &msgs); err != nil {
			return "", err
		}
		for _, m := range msgs.Messages {
			if g := re.FindStringSubmatch(m.Body); g != nil {
				return g[1], nil
			}
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("no message to %s: %w", to, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// policeIndex is the registry filing of police lifecycle j: the j-th Guangdong one, so that every subject's
// address and area code can be Guangzhou's.
func policeIndex(j int) int {
	ps := divisions.Provinces()
	gd := slices.IndexFunc(ps, func(p divisions.Province) bool { return p.Code == "44" })
	return j*len(ps) + gd
}

// PoliceRegistry returns the filings police lifecycles 0..n-1 need in MIIT's registry.
func PoliceRegistry(n int, providerID string) []miit.SeedRecord {
	recs := make([]miit.SeedRecord, n)
	for j := range recs {
		recs[j] = Registry(policeIndex(j), 1, providerID)[0]
	}
	return recs
}

// PoliceLifecycle files the website of police lifecycle j (PoliceRegistry) with the police and returns its
// police number.
func PoliceLifecycle(ctx context.Context, a *PoliceApplicant, j int) (string, error) {
	rec := Registry(policeIndex(j), 1, "")[0]
	// each company sends its own scans; its legal representative is the website's principal, whose three ID
	// images are sent again for the website
	scan := func(what string) tagged { return tagged{clearJPEG(), fmt.Sprintf("%s %d", what, j)} }
	id := []tagged{scan("id front"), scan("id back"), scan("id hand-held")}
	mats, err := a.upload(ctx, map[string]tagged{"unit_credential": scan("licence"),
		"legal_id_front": id[0], "legal_id_back": id[1], "legal_id_handheld": id[2]})
	if err != nil {
		return "", err
	}
	person := map[string]string{"name": "陈伟", "credential_type": "resident_id", "credential_number": ResidentID(j),
		"mobile": Mobile(j, 0), "email": fmt.Sprintf("p%d@load.example.com", j), "residence": "广东省广州市天河区天河路100号"}
	var subj struct {
		ID    int64
		State string
	}
	if err := a.Do(ctx, "POST", "/mps/api/v1/subjects", map[string]any{"nature": "enterprise",
		"name": rec.Subject.Name, "credential_type": "business_license",
		"credential_number": rec.Subject.CredentialNumber, "investor": "陈伟", "area_code": "440106", "address": "广东省广州市天河区天河路100号",
		"office_phone": "020-83920147", "principal": person, "materials": mats}, &subj); err != nil {
		return "", err
	}
	if mats, err = a.upload(ctx, map[string]tagged{"domain_certificate": scan("domain certificate"),
		"principal_id_front": id[0], "principal_id_back": id[1], "principal_id_handheld": id[2]}); err != nil {
		return "", err
	}
	var site struct {
		ID           int64
		State        string
		PoliceNumber string `json:"police_number"`
	}
	if err := a.Do(ctx, "POST", "/mps/api/v1/websites", map[string]any{"subject_id": subj.ID,
		"name": rec.Services[0].Name, "domains": rec.Services[0].Domains, "icp_number": rec.Services[0].Number,
		"opened_on": time.Now().Format(time.DateOnly), "access_provider": "beian 演示接入服务商",
		"registrar": "北京新网数码信息技术有限公司", "ips": []string{"203.0.113.9"}, "service_types": []string{"02"},
		"principal_same_as_subject": true, "notice_read": true, "materials": mats}, &site); err != nil {
		return "", err
	}
	if site.State != "approved" || site.PoliceNumber == "" {
		return "", fmt.Errorf("website %d is %s without a number: is the platform's policy automatic?", site.ID, site.State)
	}
	var badge struct{ Number, HTML string }
	if err := a.Do(ctx, "GET", fmt.Sprintf("/mps/api/v1/websites/%d/badge", site.ID), nil, &badge); err != nil {
		return "", err
	}
	if !strings.Contains(badge.HTML, badge.Number) {
		return "", fmt.Errorf("badge of website %d: %+v", site.ID, badge)
	}
	return site.PoliceNumber, nil
}

// tagged is a JPEG with a comment segment of its own (imagetest.Tagged), so that each lifecycle's scans are
// files the platform has not seen; it is sent in three parts rather than copied into one buffer (the copies
// were 1.7 % of a lifecycle's CPU).
type tagged struct {
	jpg []byte
	tag string
}

func (t tagged) body() (io.Reader, int64) {
	seg := imagetest.TagSegment(t.tag)
	n := int64(len(t.jpg) + len(seg))
	return io.MultiReader(bytes.NewReader(t.jpg[:2]), bytes.NewReader(seg), bytes.NewReader(t.jpg[2:])), n
}

// upload sends one JPEG per purpose and returns the material ids by purpose.
func (a *PoliceApplicant) upload(ctx context.Context, files map[string]tagged) (map[string]int64, error) {
	out := map[string]int64{}
	for p, img := range files {
		body, n := img.body()
		req, err := http.NewRequestWithContext(ctx, "POST", a.nodes[a.home]+"/mps/api/v1/materials?purpose="+p, body)
		if err != nil {
			return nil, err
		}
		req.ContentLength = n
		req.Header.Set("Authorization", "Bearer "+a.token)
		req.Header.Set("Content-Type", "image/jpeg")
		resp, err := a.client.Do(req)
		if err != nil {
			return nil, err
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var m struct{ ID int64 }
		if resp.StatusCode != http.StatusCreated || json.Unmarshal(raw, &m) != nil {
			return nil, fmt.Errorf("upload %s: %d %s", p, resp.StatusCode, raw)
		}
		out[p] = m.ID
	}
	return out, nil
}

var clearJPEG = sync.OnceValue(func() []byte {
	img := imagetest.Checker()
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	return buf.Bytes()
})

// PoliceLifecycles runs n police lifecycles (registry websites 0..n-1) with c concurrent platform users.
func PoliceLifecycles(ctx context.Context, nodes []string, operator *Party, run string, n, c int) (Result, error) {
	client := NewHTTPClient(c * 2)
	users := make([]*PoliceApplicant, c)
	for k := range users {
		u, err := NewPoliceApplicant(ctx, nodes, client, operator, run, k)
		if err != nil {
			return Result{}, err
		}
		users[k] = u
	}
	return spread(ctx, n, c, func(k, i int) error {
		_, err := PoliceLifecycle(ctx, users[k], i)
		return err
	})
}
