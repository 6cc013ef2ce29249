package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/notify"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// The police filing (公安联网备案) as the provider follows it (docs/police.md). When the administration approves
// an order, every filed website gets a police filing to follow: the applicant is told (in-app, SMS, e-mail) that
// it is due within 30 days of the website opening (公安部令第33号 第十一条) and reminded a week before the
// deadline. With the applicant's explicit consent the provider pushes the subject's and website's ICP data to the
// police platform (internal/police) and shows the data code it returns; the state of the police filing is read
// through the same interface, never from the platform's tables.
//
// The provider does not learn the opening date: a website may not open before its ICP number is issued, so the
// deadline is counted from the approval, the latest date that is certainly not too late for a website that
// opened on the day of its approval.

const (
	// PoliceDeadline is the time to file after opening (公安部令第33号 第十一条).
	PoliceDeadline = 30 * 24 * time.Hour
	// PoliceReminderBefore is how long before the deadline the reminder goes out.
	PoliceReminderBefore = 7 * 24 * time.Hour
)

// PoliceWebsite is one filed website's police filing as the applicant sees it on the provider's portal.
type PoliceWebsite struct {
	ServiceIndex int       `json:"service_index"`
	Name         string    `json:"name"`
	Domain       string    `json:"domain"`
	ICPNumber    string    `json:"icp_number"`
	DueBy        time.Time `json:"due_by"`
	Reminded     bool      `json:"reminded"`
	// ConsentAt is when the applicant agreed to push the ICP data (absent: not yet).
	ConsentAt *time.Time          `json:"consent_at,omitempty"`
	DataCode  *police.DataCode    `json:"data_code,omitempty"`
	Status    police.FilingStatus `json:"status"`
	// FooterHTML is the homepage footer with both numbers, once the police number is issued.
	FooterHTML string `json:"footer_html,omitempty"`
}

// followPolice starts following the police filing of each website the approval filed and tells the applicant
// the deadline, in the approval's transaction; an approved cancellation or withdrawal of access follows none.
func (s *Service) followPolice(ctx context.Context, tx *store.Tx, o *filing.Order, now time.Time) error {
	if !o.Type.FilesWebsites() { // a cancellation or withdrawal: nothing to file with the police
		return nil
	}
	var domains []string
	for i, svc := range o.Services {
		if svc.Kind != filing.Website || svc.Number == "" || len(svc.Domains) == 0 {
			continue
		}
		f := store.PoliceFiling{OrderID: o.ID, ServiceIndex: i, ApplicantID: o.ApplicantID, Domain: svc.Domains[0],
			ApprovedAt: now, DueBy: now.Add(PoliceDeadline), RemindAt: now.Add(PoliceDeadline - PoliceReminderBefore)}
		if err := tx.AddPoliceFiling(ctx, f); err != nil {
			return err
		}
		domains = append(domains, svc.Domains[0])
	}
	if len(domains) == 0 {
		return nil
	}
	return s.tellApplicant(ctx, tx, o, "notice.police_due", map[string]string{"id": itoaID(o.ID),
		"domains": strings.Join(domains, "、"), "due": now.Add(PoliceDeadline).In(chinaTime).Format(time.DateOnly)}, now)
}

var chinaTime = time.FixedZone("CST", 8*3600)

// tellApplicant leaves an in-app message and queues an SMS and an e-mail to the order's applicant, in tx.
func (s *Service) tellApplicant(ctx context.Context, tx *store.Tx, o *filing.Order, key string, params map[string]string, now time.Time) error {
	return s.tellAccount(ctx, tx, o.ApplicantID, o.ID, key, params, now)
}

// tellAccount leaves an in-app message (about orderID, or none when 0) and queues an SMS and an e-mail to an
// account, in its language, in tx; key names the message's title (key.title) and body (key.body).
func (s *Service) tellAccount(ctx context.Context, tx *store.Tx, accountID, orderID int64, key string, params map[string]string, now time.Time) error {
	a, err := tx.Account(ctx, accountID)
	if err != nil {
		return err
	}
	lang := i18n.Parse(a.Lang)
	title, body := i18n.T(lang, key+".title", params), i18n.T(lang, key+".body", params)
	if err := tx.AddInbox(ctx, a.ID, orderID, title, body, now); err != nil {
		return err
	}
	msgs := []struct {
		topic string
		m     notify.Message
	}{
		{TopicSMS, notify.Message{Channel: notify.ChannelSMS, To: a.Mobile, Body: title + "：" + body}},
		{TopicEmail, notify.Message{Channel: notify.ChannelEmail, To: a.Email, Subject: title, Body: body}},
	}
	for _, x := range msgs {
		if x.m.To == "" {
			continue
		}
		b, err := json.Marshal(x.m)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, x.topic, b, now); err != nil {
			return err
		}
	}
	return nil
}

// PoliceFilings lists the police filings of an approved order's websites with their state on the platform.
func (s *Service) PoliceFilings(ctx context.Context, by Actor, orderID int64) ([]PoliceWebsite, error) {
	o, err := s.applicantsOrder(ctx, by, orderID)
	if err != nil {
		return nil, err
	}
	if !o.Type.FilesWebsites() { // rows an older version followed for a cancelled or withdrawn site are not shown
		return []PoliceWebsite{}, nil
	}
	rows, err := s.st.PoliceFilings(ctx, orderID)
	if err != nil {
		return nil, err
	}
	out := make([]PoliceWebsite, 0, len(rows))
	for _, f := range rows {
		w, err := s.policeWebsite(ctx, o, f)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// applicantsOrder reads an order only its own applicant may act on for the police filing.
func (s *Service) applicantsOrder(ctx context.Context, by Actor, orderID int64) (*filing.Order, error) {
	if err := requireRole(by, RoleApplicant); err != nil {
		return nil, err
	}
	return s.GetOrder(ctx, by, orderID)
}

func (s *Service) policeWebsite(ctx context.Context, o *filing.Order, f store.PoliceFiling) (PoliceWebsite, error) {
	svc := o.Services[f.ServiceIndex]
	w := PoliceWebsite{ServiceIndex: f.ServiceIndex, Name: svc.Name, Domain: f.Domain, ICPNumber: svc.Number,
		DueBy: f.DueBy, Reminded: !f.RemindedAt.IsZero(), Status: police.FilingStatus{State: police.StateNone, Domain: f.Domain}}
	if !f.ConsentAt.IsZero() {
		at := f.ConsentAt
		w.ConsentAt = &at
		if f.DataCode != "" {
			w.DataCode = &police.DataCode{Code: f.DataCode, ExpiresAt: f.DataCodeExpires}
		}
	}
	if s.cfg.Police == nil {
		return w, nil
	}
	st, err := s.cfg.Police.FilingStatus(ctx, police.StatusQuery{Domain: f.Domain})
	if err != nil {
		return w, policeUnavailable(fmt.Errorf("police filing status of %s: %w", f.Domain, err))
	}
	if st.State == police.StateNone && w.DataCode != nil {
		st.State = police.StateDataPushed
	}
	w.Status = st
	if st.State == police.StateApproved && st.PoliceNumber != "" {
		w.FooterHTML = FooterHTML(svc.Number, st.PoliceNumber, s.cfg.PoliceBadgeURL)
	}
	return w, nil
}

// FooterHTML is the homepage footer a filed website shows at the bottom centre: the ICP number linking to MIIT's
// filing system and the police badge with the police number linking to the platform's public query.
func FooterHTML(icpNumber, policeNumber, badgeURL string) string {
	return `<div style="text-align:center"><a href="https://beian.miit.gov.cn/" rel="noreferrer" target="_blank">` +
		html.EscapeString(icpNumber) + `</a> ` + police.BadgeHTML(policeNumber, badgeURL) + `</div>`
}

// PushToPolice pushes the ICP data of an approved order's subject and one of its websites to the police
// platform with the applicant's consent, and returns the website with the data code. Consent and push are
// audited. Errors: police.consent_missing (Invalid, field consent), police.not_filed (NotFound: no filed website
// at that index), police.unavailable (Conflict: the platform could not be reached now; no code is recorded and
// the push can be repeated. Internal: no platform configured).
func (s *Service) PushToPolice(ctx context.Context, by Actor, orderID int64, index int, consent bool) (PoliceWebsite, error) {
	if !consent {
		return PoliceWebsite{}, problem.Invalidf("police.consent_missing", "consent")
	}
	o, err := s.applicantsOrder(ctx, by, orderID)
	if err != nil {
		return PoliceWebsite{}, err
	}
	if !o.Type.FilesWebsites() { // a cancelled or withdrawn site is not filed with the police
		return PoliceWebsite{}, problem.New(problem.NotFound, "police.not_filed", "service_index")
	}
	f, err := s.policeRow(ctx, orderID, index)
	if err != nil {
		return PoliceWebsite{}, err
	}
	if s.cfg.Police == nil {
		return PoliceWebsite{}, problem.New(problem.Internal, "police.unavailable", "")
	}
	now := s.now()
	object, detail := orderObject(orderID), fmt.Sprintf("service=%d domain=%s", index, f.Domain)
	if err := s.st.Audit(ctx, now, by.ID, by.Role, "police.consent", object, detail); err != nil {
		return PoliceWebsite{}, err
	}
	push := police.Push{ProviderID: s.cfg.ProviderID, Consent: police.Consent{Given: true, At: now, By: "account:" + itoaID(by.ID)},
		Subject: policeSubject(o), Website: policeWebsiteData(o, index, s.cfg.ProviderName)}
	dc, err := s.cfg.Police.PushICPData(ctx, push)
	if err != nil { // nothing recorded: the applicant is told, and pushes again later
		return PoliceWebsite{}, policeUnavailable(err)
	}
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.RecordPolicePush(ctx, orderID, index, by.ID, now, dc.Code, dc.ExpiresAt); err != nil {
			return err
		}
		return tx.Audit(ctx, now, by.ID, by.Role, "police.push", object, detail+" code_expires="+dc.ExpiresAt.Format(time.RFC3339))
	})
	if err != nil {
		return PoliceWebsite{}, err
	}
	f.ConsentBy, f.ConsentAt, f.DataCode, f.DataCodeExpires = by.ID, now, dc.Code, dc.ExpiresAt
	w, err := s.policeWebsite(ctx, o, f)
	if errors.Is(err, police.ErrUnavailable) { // the code is recorded and shown; the state is read on the next visit
		w.Status.State = police.StateDataPushed
		return w, nil
	}
	return w, err
}

// policeUnavailable is err, or police.unavailable (Conflict: try again later) when the platform could not be
// reached or answered garbage.
func policeUnavailable(err error) error {
	if errors.Is(err, police.ErrUnavailable) {
		return &problem.Error{Kind: problem.Conflict, Code: "police.unavailable", Err: err}
	}
	return err
}

func (s *Service) policeRow(ctx context.Context, orderID int64, index int) (store.PoliceFiling, error) {
	rows, err := s.st.PoliceFilings(ctx, orderID)
	if err != nil {
		return store.PoliceFiling{}, err
	}
	for _, f := range rows {
		if f.ServiceIndex == index {
			return f, nil
		}
	}
	return store.PoliceFiling{}, problem.New(problem.NotFound, "police.not_filed", "service_index")
}

// SendPoliceReminders reminds the applicants whose police filing deadline is a week away and who have not
// filed on the platform yet (the state read through the police interface). It returns how many were reminded.
func (s *Service) SendPoliceReminders(ctx context.Context) (int, error) {
	now := s.now()
	due, err := s.st.DuePoliceReminders(ctx, now, 100)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, f := range due {
		needed, err := s.reminderNeeded(ctx, f)
		if err != nil {
			return sent, err
		}
		told := false
		err = s.st.Update(ctx, func(tx *store.Tx) error {
			told = false
			ok, err := tx.MarkPoliceReminded(ctx, f.OrderID, f.ServiceIndex, now)
			if err != nil || !ok || !needed {
				return err
			}
			r, err := tx.OrderForUpdate(ctx, f.OrderID)
			if err != nil {
				return err
			}
			told = true
			return s.tellApplicant(ctx, tx, r.Order, "notice.police_reminder", map[string]string{"id": itoaID(f.OrderID),
				"domains": f.Domain, "due": f.DueBy.In(chinaTime).Format(time.DateOnly)}, now)
		})
		if err != nil {
			return sent, err
		}
		if told {
			sent++
		}
	}
	if sent > 0 {
		s.cfg.Kick()
	}
	return sent, nil
}

// reminderNeeded: no reminder for a website already filed, under review or cancelled on the platform.
func (s *Service) reminderNeeded(ctx context.Context, f store.PoliceFiling) (bool, error) {
	if s.cfg.Police == nil {
		return true, nil
	}
	st, err := s.cfg.Police.FilingStatus(ctx, police.StatusQuery{Domain: f.Domain})
	if err != nil {
		return false, err
	}
	switch st.State {
	case police.StateNone, police.StateDataPushed, police.StateReturned:
		return true, nil
	}
	return false, nil
}
