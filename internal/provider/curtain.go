package provider

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/beian/beian/internal/divisions"
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
	in.Province = strings.TrimSpace(in.Province)
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
		need, err := s.curtainNeeded(ctx, tx, r.Order)
		if err != nil {
			return err
		}
		if !need {
			return problem.New(problem.Conflict, "curtain.not_needed", "verification", "method", s.method(r.Order))
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

// CurtainNeeded reports whether the verification of o asks for a curtain photo, the only case in which the
// applicant may ask for a curtain: the provider verifies with the curtain photo (Config.FaceMode) and someone
// must verify for o that way. In white-background mode, in Shanghai (the administration's own app) and for an
// order nobody verifies for (a cancellation, a change that brings no new principal), no curtain is mailed.
func (s *Service) CurtainNeeded(ctx context.Context, o *filing.Order) (bool, error) {
	return s.curtainNeeded(ctx, s.st, o)
}

func (s *Service) curtainNeeded(ctx context.Context, src evidenceSource, o *filing.Order) (bool, error) {
	if s.method(o) != MethodCurtain || !slices.Contains(verifiedOrderTypes, o.Type) {
		return false, nil
	}
	reqs, err := src.VerificationRequests(ctx, o.ID)
	if err != nil {
		return false, err
	}
	return curtainPhotoAsked(s.Persons(o, reqs)), nil
}

// curtainPhotoAsked reports whether one of the persons who must verify does so by the curtain photo.
func curtainPhotoAsked(persons []Person) bool {
	return slices.ContainsFunc(persons, func(p Person) bool { return p.Method == MethodCurtain })
}

// What a courier needs of a mainland address beyond its province: a street part of at least minStreetRunes
// characters once the names of the province, its cities and its counties are taken off the front, in an
// address of at least minAddressRunes characters.
const (
	minAddressRunes = 8
	minStreetRunes  = 4
)

// curtainAddress checks a mailing address a courier can deliver to: a recipient's name, a mobile, a mainland
// province and a street address in it.
func curtainAddress(in CurtainRequest) (store.Address, error) {
	var errs problem.List
	name, err := plainText("recipient", in.Recipient, 64, true, false)
	errs = append(errs, problem.As(err)...)
	if err == nil {
		errs = append(errs, recipientName(name)...)
	}
	mobile := ident.Mobile(in.Mobile)
	if !mobile.Valid() {
		errs = append(errs, problem.Invalidf("curtain.mobile_invalid", "mobile"))
	}
	province, perr := curtainProvince(strings.TrimSpace(in.Province))
	if perr != nil {
		errs = append(errs, perr)
	}
	addr, err := plainText("address", in.Address, 200, true, false)
	errs = append(errs, problem.As(err)...)
	if err == nil {
		if e := streetAddress(addr, province, perr == nil); e != nil {
			errs = append(errs, e)
		}
	}
	return store.Address{Recipient: name, Mobile: mobile.Normalized, Address: addr}, errs.Err()
}

// recipientName refuses a recipient that is not a person's name: fewer than two letters, or digits and symbols
// (a phone number or a note typed where the name goes). Spaces and the separators of names (· . - ') may join
// the letters: 阿依古丽·买买提, Zhang Wei.
func recipientName(name string) problem.List {
	letters := 0
	for _, r := range name {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.Is(unicode.Mn, r), unicode.IsSpace(r), strings.ContainsRune("·・•.-'’", r):
		default:
			return problem.List{problem.Invalidf("curtain.recipient_not_name", "recipient")}
		}
	}
	if letters < 2 {
		return problem.List{problem.Invalidf("curtain.recipient_too_short", "recipient", "min", "2")}
	}
	return nil
}

// curtainProvince checks the province: the 2-digit code of one of the 31 mainland provinces. Hong Kong, Macao
// and Taiwan are outside the mainland; a city or county code names a place within a province, not the province.
func curtainProvince(code string) (divisions.Province, *problem.Error) {
	if code == "" {
		return divisions.Province{}, problem.Invalidf("text.required", "province")
	}
	if p, ok := divisions.ProvinceByCode(code); ok {
		return p, nil
	}
	if len(code) >= 2 {
		if _, ok := divisions.NonMainland(code[:2]); ok {
			return divisions.Province{}, problem.Invalidf("curtain.mainland_only", "province", "province", code)
		}
		if _, ok := divisions.ProvinceByCode(code[:2]); ok && (len(code) == 4 || len(code) == 6) {
			return divisions.Province{}, problem.Invalidf("curtain.province_level", "province", "province", code)
		}
	}
	return divisions.Province{}, problem.Invalidf("curtain.province_unknown", "province", "province", code)
}

// nonMainlandPlaces are how an address outside the mainland begins.
var nonMainlandPlaces = []string{"香港", "澳门", "澳門", "台湾", "台灣", "臺灣", "hong kong", "macao", "macau", "taiwan"}

// streetAddress checks the street address of a mailing within province p (known tells whether p was
// recognised): long enough, not in Hong Kong, Macao or Taiwan nor in another province, and more than the names
// of the province, city and district.
func streetAddress(addr string, p divisions.Province, known bool) *problem.Error {
	compact := strings.Join(strings.Fields(addr), "")
	if utf8.RuneCountInString(compact) < minAddressRunes {
		return problem.Invalidf("curtain.address_too_short", "address", "min", strconv.Itoa(minAddressRunes))
	}
	lower := strings.ToLower(addr)
	for _, place := range nonMainlandPlaces {
		if strings.HasPrefix(lower, place) {
			return problem.Invalidf("curtain.address_mainland_only", "address")
		}
	}
	if !known {
		return nil
	}
	for _, other := range divisions.Provinces() {
		if other.Code != p.Code && strings.HasPrefix(compact, other.Name) {
			return localized(problem.Invalidf("curtain.address_other_province", "address"), func(l i18n.Lang) map[string]string {
				return map[string]string{"province": p.LocalName(l), "other": other.LocalName(l)}
			})
		}
	}
	if utf8.RuneCountInString(stripPlaces(compact, placeNames()[p.Code])) < minStreetRunes {
		return problem.Invalidf("curtain.address_no_street", "address", "min", strconv.Itoa(minStreetRunes))
	}
	return nil
}

// stripPlaces takes the names in names (longest first) off the front of s for as long as one matches, so that
// 广东省深圳市南山区 and 广东广东省 leave nothing.
func stripPlaces(s string, names []string) string {
	for {
		cut := false
		for _, n := range names {
			if rest, ok := strings.CutPrefix(s, n); ok {
				s, cut = rest, true
				break
			}
		}
		if !cut {
			return s
		}
	}
}

// placeNames are, by province code, the names of the province (full and short), of its cities and of its
// counties, longest first.
var placeNames = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	for _, p := range divisions.Provinces() {
		out[p.Code] = append(out[p.Code], p.Name, p.ShortName)
	}
	for _, c := range divisions.Cities() {
		out[c.ProvinceCode] = append(out[c.ProvinceCode], c.Name)
	}
	for _, c := range divisions.Counties() {
		out[c.ProvinceCode] = append(out[c.ProvinceCode], c.Name)
	}
	for code, names := range out {
		names = slices.DeleteFunc(names, func(n string) bool { return n == "" })
		slices.SortFunc(names, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
		out[code] = slices.Compact(names)
	}
	return out
})

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
