package miit

import (
	"context"
	"database/sql"
	"strings"

	"github.com/beian/beian/internal/cleantext"
	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
)

// The Shanghai Communications Administration verifies the principals of Shanghai filings in its own app
// (Alibaba Cloud's materials guide: 上海地区所有备案用户必须使用上海通信管理局app人像核验方式进行网站负责人核验; docs/rules.md). The
// simulator plays that app: a principal identifies with name and ID number, takes the face photo, the app runs
// its face checks and, when the photo passes, reports the verification to the provider of every pending
// Shanghai submission that names the person, through the download queue (regulator.ActAppVerified).
//
// Not simulated: the administration does not yet hold its review until the app verification is done; the
// officer sees the provider's order as it was submitted.

// AppProvince is the province whose administration verifies in its own app.
const AppProvince = "31"

// AppVerification is one verification in the administration's app.
type AppVerification struct {
	Name     string
	IDNumber string
	Photo    []byte
}

// AppOutcome says for how many pending submissions the verification was reported.
type AppOutcome struct {
	Reported int `json:"reported"`
}

// AppVerify checks the photo (the same local face checks as the provider's phone page: a face on a white
// background) and reports the verification of every pending Shanghai submission whose subject or service
// principal is this person. A photo that fails is refused with its findings and reports nothing; a person with
// no pending Shanghai submission gets miit.app_nothing_pending.
func (s *Simulator) AppVerify(ctx context.Context, in AppVerification) (*AppOutcome, error) {
	for _, e := range []*problem.Error{cleantext.Check("name", in.Name, false), cleantext.Check("id_number", in.IDNumber, false)} {
		if e != nil {
			return nil, e
		}
	}
	name, id := strings.TrimSpace(in.Name), strings.ToUpper(strings.TrimSpace(in.IDNumber))
	if name == "" || id == "" {
		return nil, problem.Invalidf("miit.app_identity_required", "id_number")
	}
	rep, err := face.Check(in.Photo, face.WhiteBackground)
	if err != nil {
		for _, e := range problem.As(err) {
			e.Field = "photo"
		}
		return nil, err
	}
	if !rep.OK {
		return nil, rep.Err("photo")
	}
	out := &AppOutcome{}
	err = s.write(ctx, func(tx *sql.Tx) error {
		out.Reported = 0
		rows, err := tx.QueryContext(ctx, `SELECT `+subCols+` FROM miit_submissions WHERE province = $1 AND state IN ($2, $3)
			ORDER BY id`, AppProvince, subSMSPending, subReview)
		if err != nil {
			return err
		}
		var subs []*subRow
		for rows.Next() {
			sub, err := scanSub(rows)
			if err != nil {
				rows.Close()
				return err
			}
			subs = append(subs, sub)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := s.clk.Now()
		for _, sub := range subs {
			o, err := s.openOrder(sub)
			if err != nil {
				return err
			}
			roles := appRoles(o, name, id)
			if len(roles) == 0 {
				continue
			}
			if err := s.queue(ctx, tx, sub, regulator.ActAppVerified, 0, "上海市通信管理局APP人像核验通过", nil, "", roles, now); err != nil {
				return err
			}
			out.Reported++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out.Reported == 0 {
		return nil, problem.New(problem.NotFound, "miit.app_nothing_pending", "id_number")
	}
	return out, nil
}

// appRoles names the person's roles in the order as results carry them: Name is the role (subject_principal or
// service_principal), Index the service (−1 for the subject principal).
func appRoles(o *filing.Order, name, id string) []filing.Issued {
	same := func(p filing.Principal) bool {
		return strings.TrimSpace(p.Name) == name && strings.ToUpper(strings.TrimSpace(p.CredentialNumber)) == id
	}
	var out []filing.Issued
	if same(o.Subject.Principal) {
		out = append(out, filing.Issued{Index: -1, Name: roleSubjectPrincipal})
	}
	for i := range o.Services {
		if same(o.EffectivePrincipal(i)) {
			out = append(out, filing.Issued{Index: i, Name: roleServicePrincipal})
		}
	}
	return out
}
