package provider

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/regulator"
)

// Real-person verification (docs/design.md §4.3 step 6): the PC shows a QR code for a one-time link (valid ten minutes,
// spent when first opened, Huawei Cloud's first-filing guide); the phone that opens it gets a session of its own (no login, Alibaba Cloud's filing notes:
// 该操作无需登录), takes the photo with its camera, sees it checked, and confirms it; the PC follows along.

// Time limits of the hand-off.
const (
	LinkTTL         = 10 * time.Minute // Huawei Cloud's first-filing guide: 核验二维码有效时间为十分钟
	PhoneSessionTTL = 30 * time.Minute // from opening the link to confirming the photo
)

// recordLimit is how a verification photo is kept: re-encoded (no EXIF, no GPS) and small enough for the
// police platform's 512 KB (the police platform's filing procedure) and for an external verifier, large enough to compare with the
// credential photo. Its 600 px minimum is MIIT's attachment minimum, so a kept photo can always be forwarded.
var recordLimit = imaging.Limit{Name: "verification_photo", MaxBytes: imaging.PoliceImage.MaxBytes,
	Types: []imaging.Type{imaging.JPEG}, MinSide: imaging.MIITAttachment.MinSide, MaxSide: 1600}

// LinkView is a new QR-code link: the token is shown once (in the QR code) and never stored.
type LinkView struct {
	ID        int64     `json:"id"`
	Token     string    `json:"token"`
	Person    Person    `json:"person"`
	ExpiresAt time.Time `json:"expires_at"`
}

// CreateVerificationLink makes a new one-time link for person on the applicant's order, replacing the
// person's earlier links ("refresh": Huawei Cloud's first-filing guide, 若二维码失效可刷新后重新生成).
func (s *Service) CreateVerificationLink(ctx context.Context, by Actor, orderID int64, person string) (*LinkView, error) {
	if err := requireRole(by, RoleApplicant); err != nil {
		return nil, err
	}
	token, hash := newSecret()
	var out *LinkView
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := s.ownOrderForUpdate(ctx, tx, by, orderID)
		if err != nil {
			return err
		}
		p, err := s.verifiablePerson(ctx, tx, r.Order, person)
		if err != nil {
			return err
		}
		now := s.now()
		l := &store.VerificationLink{OrderID: orderID, Person: p.Key, CreatedBy: by.ID, CreatedAt: now, ExpiresAt: now.Add(LinkTTL)}
		if err := tx.CreateVerificationLink(ctx, l, hash); err != nil {
			return err
		}
		out = &LinkView{ID: l.ID, Token: token, Person: *p, ExpiresAt: l.ExpiresAt}
		return nil
	})
	return out, err
}

// verifiablePerson returns the person key names on an order that may verify now.
func (s *Service) verifiablePerson(ctx context.Context, tx *store.Tx, o *filing.Order, key string) (*Person, error) {
	if !o.State.Editable() {
		return nil, problem.New(problem.Conflict, "verification.order_not_editable", "", "state", string(o.State))
	}
	reqs, err := tx.VerificationRequests(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	persons := s.Persons(o, reqs)
	i := slices.IndexFunc(persons, func(p Person) bool { return p.Key == key })
	if i < 0 {
		return nil, problem.Invalidf("verification.unknown_person", "person", "person", key)
	}
	p := persons[i]
	if p.Method == MethodAdministrationApp {
		return nil, problem.New(problem.Conflict, "verification.administration_app", "person")
	}
	if !p.Complete() {
		return nil, problem.Invalidf("verification.person_incomplete", "person", "person", key)
	}
	return &p, nil
}

// newSecret returns a random URL-safe secret (256 bits) and the hash under which it is stored.
func newSecret() (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	t := base64.RawURLEncoding.EncodeToString(b)
	return t, hashSecret(t)
}

func hashSecret(t string) []byte {
	h := sha256.Sum256([]byte("verification\x00" + t))
	return h[:]
}

// PhoneSession is what the phone holds after opening a link.
type PhoneSession struct {
	Secret    string    `json:"session"`
	ExpiresAt time.Time `json:"expires_at"`
}

// OpenVerificationLink spends a link on its first opening and starts the phone's session. A link opened
// before, replaced by a newer one or older than ten minutes is refused with a message that says so.
func (s *Service) OpenVerificationLink(ctx context.Context, token string) (*PhoneSession, error) {
	if token == "" || len(token) > 100 {
		return nil, problem.New(problem.NotFound, "verification.link_unknown", "")
	}
	secret, hash := newSecret()
	var out *PhoneSession
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		l, err := tx.VerificationLinkByToken(ctx, hashSecret(token))
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case !l.OpenedAt.IsZero():
			return problem.New(problem.Conflict, "verification.link_used", "")
		case !l.RevokedAt.IsZero():
			return problem.New(problem.Conflict, "verification.link_replaced", "")
		case !now.Before(l.ExpiresAt):
			return problem.New(problem.Conflict, "verification.link_expired", "")
		}
		r, err := tx.OrderForUpdate(ctx, l.OrderID)
		if err != nil {
			return err
		}
		if !r.Order.State.Editable() {
			return problem.New(problem.Conflict, "verification.order_not_editable", "", "state", string(r.Order.State))
		}
		out = &PhoneSession{Secret: secret, ExpiresAt: now.Add(PhoneSessionTTL)}
		return tx.OpenVerificationLink(ctx, l.ID, hash, now, out.ExpiresAt)
	})
	return out, err
}

// SessionView is what the phone shows: who verifies, how, and the photo waiting for confirmation.
type SessionView struct {
	OrderID   int64               `json:"order_id"`
	Person    Person              `json:"person"`
	Mode      face.Mode           `json:"mode"`
	ExpiresAt time.Time           `json:"expires_at"`
	Capture   *store.Verification `json:"capture,omitempty"` // captured, waiting for confirmation
	Done      *store.Verification `json:"done,omitempty"`    // confirmed with this session
}

type session struct {
	link   *store.VerificationLink
	order  *filing.Order
	person Person
}

// phoneSession checks a phone's session: it exists, has not expired, was not replaced by a newer link, and the
// order can still take a verification.
func (s *Service) phoneSession(ctx context.Context, secret string) (*session, error) {
	if secret == "" {
		return nil, problem.New(problem.Unauthenticated, "verification.session_unknown", "")
	}
	l, err := s.st.VerificationLinkBySession(ctx, hashSecret(secret))
	if err != nil {
		if problem.KindOf(err) == problem.NotFound {
			return nil, problem.New(problem.Unauthenticated, "verification.session_unknown", "")
		}
		return nil, err
	}
	if !l.RevokedAt.IsZero() {
		return nil, problem.New(problem.Conflict, "verification.link_replaced", "")
	}
	if !s.now().Before(l.SessionExpiresAt) {
		return nil, problem.New(problem.Conflict, "verification.session_expired", "")
	}
	r, err := s.st.Order(ctx, l.OrderID)
	if err != nil {
		return nil, err
	}
	reqs, err := s.st.VerificationRequests(ctx, l.OrderID)
	if err != nil {
		return nil, err
	}
	persons := s.Persons(r.Order, reqs)
	i := slices.IndexFunc(persons, func(p Person) bool { return p.Key == l.Person })
	if i < 0 {
		return nil, problem.New(problem.Conflict, "verification.unknown_person", "", "person", l.Person)
	}
	return &session{link: l, order: r.Order, person: persons[i]}, nil
}

// VerificationSession returns the phone's view of its session.
func (s *Service) VerificationSession(ctx context.Context, secret string) (*SessionView, error) {
	ss, err := s.phoneSession(ctx, secret)
	if err != nil {
		return nil, err
	}
	v := &SessionView{OrderID: ss.order.ID, Person: ss.person, Mode: ss.person.mode(), ExpiresAt: ss.link.SessionExpiresAt}
	vs, err := s.st.Verifications(ctx, ss.order.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range vs {
		if x.LinkID != ss.link.ID {
			continue
		}
		switch x.State {
		case store.VerificationCaptured:
			v.Capture = x
		case store.VerificationConfirmed:
			v.Done = x
		}
	}
	return v, nil
}

// VerificationPhoto returns a verification photo to the order's applicant or to provider staff; miit asks for
// the copy sent to the administration. Every read is audited on the order (order:<id>), where the console's
// audit view lists it.
func (s *Service) VerificationPhoto(ctx context.Context, by Actor, id int64, miit bool) (*store.Verification, []byte, error) {
	v, err := s.st.Verification(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.st.Order(ctx, v.OrderID)
	if err != nil {
		return nil, nil, err
	}
	if err := mayView(by, r.Order); err != nil || len(v.BlobKey) == 0 {
		return nil, nil, problem.New(problem.NotFound, "verification.not_found", "")
	}
	key, detail := v.BlobKey, "verification "+strconv.FormatInt(id, 10)
	if miit {
		key, detail = v.MIITKey, detail+", copy sent to MIIT"
	}
	if err := s.st.Audit(ctx, s.now(), by.ID, by.Role, "verification.photo.read", orderObject(v.OrderID), detail); err != nil {
		return nil, nil, err
	}
	data, err := s.st.Blob(ctx, key)
	return v, data, err
}

// CaptureHints returns the capture metadata read from a verification photo before it was re-encoded.
func CaptureHints(v *store.Verification) map[string]any {
	out := map[string]any{}
	if v.Capture != "" {
		json.Unmarshal([]byte(v.Capture), &out)
	}
	return out
}

// ReturnVerification is the reviewer sending a verification back with a note (docs/design.md §4.8): the photo is
// marked returned and the order goes back to the applicant (needs changes) with the note on field
// verification.<person>, in one transaction; the applicant is notified as for any request for changes.
func (s *Service) ReturnVerification(ctx context.Context, by Actor, orderID, id int64, note string) (*filing.Order, error) {
	if err := requireRole(by, RoleReviewer); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return nil, problem.Invalidf("verification.note_required", "note")
	}
	var out *filing.Order
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.OrderForUpdate(ctx, orderID)
		if err != nil {
			return err
		}
		v, err := tx.VerificationForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if v.OrderID != orderID {
			return problem.New(problem.NotFound, "verification.not_found", "")
		}
		if v.State != store.VerificationConfirmed {
			return problem.New(problem.Conflict, "verification.not_confirmed", "", "state", v.State)
		}
		now := s.now()
		ev, err := r.Order.Transition(filing.ActRequestChanges, filing.RoleReviewer, by.ID, "",
			[]filing.Note{{Field: "verification." + v.Person, Message: note}}, now)
		if err != nil {
			return err
		}
		v.State, v.Note, v.ReturnedAt, v.ReturnedBy = store.VerificationReturned, note, now, by.ID
		if err := tx.UpdateVerification(ctx, v); err != nil {
			return err
		}
		r.Deadline = zeroTime
		out = r.Order
		return s.record(ctx, tx, r, &ev)
	})
	if err != nil {
		return nil, err
	}
	s.cfg.Kick()
	return out, nil
}

// RequestVerification records that person (the legal representative, or the subject principal) must verify
// too (Alibaba Cloud's filing notes: 如遇特殊情况…系统提示需法定代表人进行人脸识别). An order under review goes back to the
// applicant with the note, as a request for changes; a draft simply shows the new requirement.
func (s *Service) RequestVerification(ctx context.Context, by Actor, orderID int64, person, note string) (*filing.Order, error) {
	if err := requireRole(by, RoleReviewer); err != nil {
		return nil, err
	}
	if person != PersonLegalRepresentative && person != PersonSubjectPrincipal {
		return nil, problem.Invalidf("verification.unknown_person", "person", "person", person)
	}
	note = strings.TrimSpace(note)
	var out *filing.Order
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.OrderForUpdate(ctx, orderID)
		if err != nil {
			return err
		}
		o := r.Order
		if person == PersonLegalRepresentative && (o.Subject.LegalRepresentative == nil || o.Subject.LegalRepresentative.Name == "") {
			return problem.Invalidf("verification.no_legal_representative", "person")
		}
		now := s.now()
		if err := tx.PutVerificationRequest(ctx, orderID, store.VerificationRequest{Person: person, RequestedBy: by.ID,
			Note: note, RequestedAt: now}); err != nil {
			return err
		}
		out = o
		if _, err := filing.Next(o.State, filing.ActRequestChanges, filing.RoleReviewer); err != nil {
			return nil
		}
		msg := note
		if msg == "" {
			msg = i18n.T(i18n.ZhCN, "verification.requested", nil)
		}
		ev, err := o.Transition(filing.ActRequestChanges, filing.RoleReviewer, by.ID, "",
			[]filing.Note{{Field: "verification." + person, Message: msg}}, now)
		if err != nil {
			return err
		}
		r.Deadline = zeroTime
		return s.record(ctx, tx, r, &ev)
	})
	if err != nil {
		return nil, err
	}
	s.cfg.Kick()
	return out, nil
}

// applyAppVerification records the administration's report that a principal verified in its own app
// (Shanghai): a passed verification for each person named, and an event on the order's timeline. The order's
// state does not change. A report for an earlier upload attempt, or one already recorded, changes nothing.
func (s *Service) applyAppVerification(ctx context.Context, res regulator.Result) error {
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.OrderForUpdate(ctx, res.ProviderOrderID)
		if err != nil {
			return err
		}
		if res.Attempt != r.Attempt {
			return nil
		}
		o := r.Order
		reqs, err := tx.VerificationRequests(ctx, o.ID)
		if err != nil {
			return err
		}
		vs, err := tx.Verifications(ctx, o.ID)
		if err != nil {
			return err
		}
		persons := s.Persons(o, reqs)
		now := s.now()
		recorded := false
		for _, who := range res.Services {
			key := PersonSubjectPrincipal
			if who.Name == "service_principal" && who.Index >= 0 && who.Index < len(o.Services) && !o.Services[who.Index].PrincipalSameAsSubject {
				key = ServicePrincipalKey(who.Index)
			}
			i := slices.IndexFunc(persons, func(p Person) bool { return p.Key == key })
			if i < 0 {
				continue
			}
			hash := s.personHash(persons[i])
			if slices.ContainsFunc(vs, func(v *store.Verification) bool {
				return v.Person == key && v.State == store.VerificationPassed && string(v.PersonHash) == string(hash)
			}) {
				continue
			}
			v := &store.Verification{OrderID: o.ID, Person: key, PersonHash: hash, Method: MethodAdministrationApp,
				State: store.VerificationPassed, Note: res.Reason, CreatedAt: now, ConfirmedAt: res.At}
			if err := tx.InsertVerification(ctx, v); err != nil {
				return err
			}
			vs = append(vs, v)
			recorded = true
		}
		if !recorded {
			return nil
		}
		return tx.AppendEvent(ctx, &filing.Event{OrderID: o.ID, From: o.State, To: o.State, Action: res.Action,
			ActorRole: filing.RoleRegulator, Reason: res.Reason, At: now})
	})
	return err
}
