package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/rules"
)

// What an irreversible order does, said plainly before the applicant confirms it (UCloud 《注销网站》《取消接入》:
// where the site has no other access, withdrawing it makes the administration cancel the site; removing the
// last site leaves an empty subject).

// Consequence is one thing an order will do once the administration approves it.
type Consequence struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params"`
	// Text is the message in every language.
	Text map[string]string `json:"-"`
}

func (c Consequence) problem() *problem.Error {
	e := problem.Invalidf(c.Code, "")
	e.Params, e.Text = c.Params, c.Text
	return e
}

// Confirmation is what an irreversible order asks the applicant to confirm.
type Confirmation struct {
	Irreversible bool          `json:"irreversible"`
	Consequences []Consequence `json:"consequences"`
	// Phrase is what the applicant echoes in the submission's confirm field.
	Phrase string `json:"phrase,omitempty"`
}

// Consequences says what an order will do, for the applicant's confirmation.
func (s *Service) Consequences(ctx context.Context, by Actor, id int64) (*Confirmation, error) {
	o, err := s.GetOrder(ctx, by, id)
	if err != nil {
		return nil, err
	}
	c := &Confirmation{Irreversible: o.Type.Irreversible(), Consequences: []Consequence{}}
	if !c.Irreversible {
		return c, nil
	}
	if c.Consequences, err = s.consequences(ctx, o); err != nil {
		return nil, err
	}
	c.Phrase = confirmPhrase(o)
	return c, nil
}

// confirmPhrase names the order type and the numbers it removes: "withdraw_access 粤ICP备2026000001号-1".
func confirmPhrase(o *filing.Order) string {
	if o.Type == filing.CancelSubject {
		return string(o.Type) + " " + o.Subject.Number
	}
	var ns []string
	for _, svc := range o.Services {
		ns = append(ns, svc.Number)
	}
	return string(o.Type) + " " + strings.Join(ns, ",")
}

// checkConfirmation refuses an irreversible order whose confirm does not echo its phrase, and returns the
// consequences in zh-CN to keep with the order.
func (s *Service) checkConfirmation(ctx context.Context, o *filing.Order, confirm string) (string, error) {
	if !o.Type.Irreversible() {
		return "", nil
	}
	phrase := confirmPhrase(o)
	if strings.TrimSpace(confirm) != phrase {
		return "", problem.Invalidf("order.confirm_required", "confirm", "phrase", phrase)
	}
	cs, err := s.consequences(ctx, o)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, c := range cs {
		parts = append(parts, c.Text[string(i18n.ZhCN)])
	}
	return strings.Join(parts, "\n"), nil
}

// consequences works out, from the registry as it is now, what an irreversible order removes.
func (s *Service) consequences(ctx context.Context, o *filing.Order) ([]Consequence, error) {
	rec, err := s.cfg.Regulator.LookupFiling(ctx, s.cfg.ProviderID, o.Subject.Number)
	if err != nil {
		return nil, problem.Wrap(err, "regulator.unavailable")
	}
	var out []Consequence
	gone := map[string]bool{} // services the order cancels
	switch o.Type {
	case filing.CancelSubject:
		var ns []string
		for _, fs := range rec.Services {
			ns = append(ns, fs.Service.Number)
		}
		out = append(out, consequence("filed.will_cancel_subject", "number", o.Subject.Number, "services", joinOrNone(ns)))
		return out, nil
	case filing.CancelService:
		for _, svc := range o.Services {
			gone[svc.Number] = true
			out = append(out, consequence("filed.will_cancel_service", "number", svc.Number, "name", svc.Name))
		}
	case filing.WithdrawAccess:
		for _, svc := range o.Services {
			fs, _ := findService(rec, svc.Number)
			others := slices.DeleteFunc(slices.Clone(fs.Accesses), func(a regulator.Access) bool { return a.ProviderID == s.cfg.ProviderID })
			if len(others) == 0 {
				gone[svc.Number] = true
				out = append(out, consequence("filed.withdraw_cancels_service", "number", svc.Number, "name", svc.Name))
			} else {
				out = append(out, consequence("filed.withdraw_keeps_service", "number", svc.Number, "name", svc.Name,
					"others", itoaID(int64(len(others)))))
			}
		}
	}
	left := slices.ContainsFunc(rec.Services, func(fs regulator.FiledService) bool { return !gone[fs.Service.Number] })
	if len(gone) > 0 && !left {
		out = append(out, s.emptySubject(o))
	}
	return out, nil
}

// emptySubject says that the subject keeps its number without services, and where such a subject may file
// new services.
func (s *Service) emptySubject(o *filing.Order) Consequence {
	now := s.now()
	key := "filed.leaves_empty_subject_refiling"
	if rules.EmptySubjectTakesServices(o.Province, now) {
		key = "filed.leaves_empty_subject"
	}
	c := consequence(key, "number", o.Subject.Number)
	for _, l := range i18n.Langs {
		var names []string
		for _, p := range rules.EmptySubjectProvinces(now) {
			if f, ok := rules.Province(p); ok {
				names = append(names, f.Names.In(l))
			}
		}
		params := map[string]string{"number": o.Subject.Number, "provinces": strings.Join(names, i18n.T(l, "filed.list_sep", nil))}
		c.Text[string(l)] = i18n.T(l, key, params)
	}
	return c
}

// consequence renders a message in every language; params alternate key, value.
func consequence(code string, params ...string) Consequence {
	c := Consequence{Code: code, Params: map[string]string{}, Text: map[string]string{}}
	for i := 0; i+1 < len(params); i += 2 {
		c.Params[params[i]] = params[i+1]
	}
	for _, l := range i18n.Langs {
		c.Text[string(l)] = i18n.T(l, code, c.Params)
	}
	return c
}

func joinOrNone(ns []string) string {
	if len(ns) == 0 {
		return "—"
	}
	return strings.Join(ns, "、")
}
