package provider

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/notify"
	"github.com/beian/beian/internal/provider/store"
)

func itoaID(id int64) string { return strconv.FormatInt(id, 10) }

// channelsFor says how the applicant hears of entering state: every review decision and the result go by SMS,
// e-mail and in-app message (docs/design.md §4.8; Alibaba Cloud's filing notes and Huawei Cloud's first-filing guide: "以短信及邮件形式通知审核结果"); progress notes in-app only.
func channelsFor(st filing.State) (sms, email bool) {
	switch st {
	case filing.NeedsChanges, filing.ProviderRejected, filing.ProviderApproved, filing.Returned,
		filing.Approved, filing.AdministrationRejected:
		return true, true
	}
	return false, false
}

// notifyEvent writes the in-app message and queues SMS and e-mail for an event, in the event's transaction.
func (s *Service) notifyEvent(ctx context.Context, tx *store.Tx, o *filing.Order, ev *filing.Event) error {
	if ev.From == ev.To {
		return nil
	}
	a, err := tx.Account(ctx, o.ApplicantID)
	if err != nil {
		return err
	}
	lang := i18n.Parse(a.Lang)
	params := map[string]string{"id": itoaID(o.ID), "reason": sentenceBody(ev.Reason), "number": subjectNumber(o), "subject_number": issuedSubjectNumber(o),
		"state": i18n.T(lang, "state."+string(ev.To), nil), "notes": s.notesText(lang, o, ev.Notes)}
	key := "notice." + string(ev.To)
	if ev.To == filing.Approved { // an approved cancellation or withdrawal is no filing to display
		switch o.Type {
		case filing.CancelSubject, filing.CancelService:
			key = "notice.cancelled"
		case filing.WithdrawAccess:
			key = "notice.access_withdrawn"
		}
	}
	title := i18n.T(lang, key+".title", params)
	body := i18n.T(lang, key+".body", params)
	if err := tx.AddInbox(ctx, a.ID, o.ID, title, body, ev.At); err != nil {
		return err
	}
	sms, email := channelsFor(ev.To)
	recipients := []contact{{a.Mobile, a.Email}}
	if ev.To == filing.Approved { // the result also goes to the subject principal (Huawei Cloud's first-filing guide: 主体负责人手机号码将用于接收工信部备案结果的通知)
		recipients = append(recipients, contact{o.Subject.Principal.Mobile, o.Subject.Principal.Email})
	}
	seen := map[string]bool{}
	for _, c := range recipients {
		if sms && c.mobile != "" && !seen[c.mobile] {
			seen[c.mobile] = true
			if err := s.enqueueMessage(ctx, tx, TopicSMS, notify.Message{Channel: notify.ChannelSMS, To: c.mobile, Body: title + "：" + body}, ev); err != nil {
				return err
			}
		}
		if email && c.email != "" && !seen[c.email] {
			seen[c.email] = true
			if err := s.enqueueMessage(ctx, tx, TopicEmail, notify.Message{Channel: notify.ChannelEmail, To: c.email, Subject: title, Body: body}, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

type contact struct{ mobile, email string }

func (s *Service) enqueueMessage(ctx context.Context, tx *store.Tx, topic string, m notify.Message, ev *filing.Event) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, topic, b, ev.At)
}

func subjectNumber(o *filing.Order) string {
	if o.Result != nil && len(o.Result.Services) > 0 {
		n := ""
		for i, is := range o.Result.Services {
			if i > 0 {
				n += "、"
			}
			n += is.Number
		}
		return n
	}
	return o.Subject.Number
}

// notesText lists a reviewer's notes for a message in lang: each field by its label with its section, the note
// without its closing full stop (the message's sentence ends it once).
func (s *Service) notesText(lang i18n.Lang, o *filing.Order, notes []filing.Note) string {
	parts := make([]string, 0, len(notes))
	for _, n := range notes {
		parts = append(parts, s.cfg.FieldLabel(lang, n.Field, o)+i18n.T(lang, "notice.colon", nil)+sentenceBody(n.Message))
	}
	return strings.Join(parts, i18n.T(lang, "notice.separator", nil))
}

// sentenceBody is free text placed inside a sentence of a message: trimmed, without closing full stops.
func sentenceBody(s string) string {
	return strings.TrimRightFunc(strings.TrimSpace(s), func(r rune) bool { return strings.ContainsRune("。．.！!；;，, ", r) })
}

// issuedSubjectNumber is the subject's filing number (粤ICP备…号): the one the result issued, else the one on file.
func issuedSubjectNumber(o *filing.Order) string {
	if o.Result != nil && o.Result.SubjectNumber != "" {
		return o.Result.SubjectNumber
	}
	return o.Subject.Number
}
