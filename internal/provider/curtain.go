package provider

import (
	"context"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
)

// Curtain mailings (幕布邮寄): for the curtain photo the applicant asks for the provider's blue curtain to be
// mailed to a mainland address; the review desk records the dispatch with carrier and tracking number, and the
// applicant sees it (Aliyun 《备案信息变更》: 如无幕布，请申请幕布…地址必须为中国大陆境内地址).

// CurtainRequest is where the curtain goes.
type CurtainRequest struct {
	Recipient string `json:"recipient"`
	Mobile    string `json:"mobile"`
	Province  string `json:"province"` // GB/T 2260 code of a mainland province
	Address   string `json:"address"`
}

// CurtainDispatch is the desk's record of a mailing sent.
type CurtainDispatch struct {
	Carrier  string `json:"carrier"`
	Tracking string `json:"tracking"`
}

// Timeline entries of mailings; they do not move the order.
const (
	ActCurtainRequested  filing.Action = "curtain_requested"
	ActCurtainDispatched filing.Action = "curtain_dispatched"
)

// RequestCurtain records the applicant's request for a curtain for one of their orders still in progress.
func (s *Service) RequestCurtain(ctx context.Context, by Actor, id int64, in CurtainRequest) (*store.Mailing, error) {
	addr, err := curtainAddress(in)
	if err != nil {
		return nil, err
	}
	var m *store.Mailing
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := s.ownOrderForUpdate(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if r.Order.State.Final() {
			return problem.New(problem.Conflict, "curtain.order_closed", "", "state", string(r.Order.State))
		}
		now := s.now()
		m = &store.Mailing{OrderID: id, ApplicantID: by.ID, Province: in.Province, Address: addr, RequestedAt: now}
		if err := tx.AddMailing(ctx, m); err != nil {
			if sqldb.IsUniqueViolation(err) {
				return problem.New(problem.Conflict, "curtain.already_requested", "")
			}
			return err
		}
		return s.timelineNote(ctx, tx, r.Order, ActCurtainRequested, by.ID, filing.RoleApplicant, "")
	})
	if err != nil {
		return nil, err
	}
	s.changes.publish(id)
	return m, nil
}

// curtainAddress checks a mailing address: a recipient, a mobile, a mainland province and a street address.
func curtainAddress(in CurtainRequest) (store.Address, error) {
	var errs problem.List
	name, err := plainText("recipient", in.Recipient, 64, true, false)
	errs = append(errs, problem.As(err)...)
	addr, err := plainText("address", in.Address, 200, true, false)
	errs = append(errs, problem.As(err)...)
	mobile := ident.Mobile(in.Mobile)
	if !mobile.Valid() {
		errs = append(errs, problem.Invalidf("curtain.mobile_invalid", "mobile"))
	}
	if !knownProvince(in.Province) {
		errs = append(errs, problem.Invalidf("curtain.mainland_only", "province", "province", in.Province))
	}
	return store.Address{Recipient: name, Mobile: mobile.Normalized, Address: addr}, errs.Err()
}

// DispatchCurtain records that the desk sent a requested curtain; the applicant is told in the app.
func (s *Service) DispatchCurtain(ctx context.Context, by Actor, mailingID int64, in CurtainDispatch) (*store.Mailing, error) {
	if err := requireRole(by, RoleReviewer); err != nil {
		return nil, err
	}
	carrier, err := plainText("carrier", in.Carrier, 32, true, false)
	if err != nil {
		return nil, err
	}
	tracking, err := plainText("tracking", in.Tracking, 40, true, false)
	if err != nil {
		return nil, err
	}
	m, err := s.st.Mailing(ctx, mailingID)
	if err != nil {
		return nil, err
	}
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.OrderForUpdate(ctx, m.OrderID)
		if err != nil {
			return err
		}
		now := s.now()
		ok, err := tx.DispatchMailing(ctx, mailingID, carrier, tracking, by.ID, now)
		if err != nil {
			return err
		}
		if !ok {
			return problem.New(problem.Conflict, "curtain.already_dispatched", "")
		}
		if err := s.timelineNote(ctx, tx, r.Order, ActCurtainDispatched, by.ID, filing.RoleReviewer, carrier+" "+tracking); err != nil {
			return err
		}
		a, err := tx.Account(ctx, r.Order.ApplicantID)
		if err != nil {
			return err
		}
		lang := i18n.Parse(a.Lang)
		params := map[string]string{"id": itoaID(m.OrderID), "carrier": carrier, "tracking": tracking}
		return tx.AddInbox(ctx, a.ID, m.OrderID, i18n.T(lang, "curtain.dispatched.title", params),
			i18n.T(lang, "curtain.dispatched.body", params), now)
	})
	if err != nil {
		return nil, err
	}
	s.changes.publish(m.OrderID)
	return s.st.Mailing(ctx, mailingID)
}

// Mailings lists curtain mailings: an applicant's for one of their orders, or for staff those of an order or
// every one in a state (the desk's list of requests to send).
func (s *Service) Mailings(ctx context.Context, by Actor, f store.MailingFilter) ([]store.Mailing, error) {
	if !by.IsStaff() {
		if f.OrderID == 0 {
			return nil, problem.Invalidf("curtain.order_required", "order_id")
		}
		if _, err := s.GetOrder(ctx, by, f.OrderID); err != nil {
			return nil, err
		}
	}
	return s.st.Mailings(ctx, f)
}

// timelineNote appends an entry that does not move the order (a call, a mailing) to its timeline.
func (s *Service) timelineNote(ctx context.Context, tx *store.Tx, o *filing.Order, a filing.Action, actor int64,
	role filing.Role, reason string) error {
	ev := filing.Event{OrderID: o.ID, From: o.State, To: o.State, Action: a, ActorRole: role, ActorID: actor,
		Reason: reason, At: s.now()}
	return tx.AppendEvent(ctx, &ev)
}
