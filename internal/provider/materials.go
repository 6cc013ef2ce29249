package provider

import (
	"context"
	"strconv"

	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/store"
)

// limitFor is the upload rule of a material: APP icons png/jpg/jpeg up to 100 KB (seed 002), the rest any
// photo or scan an applicant's phone produces (several MB), re-encoded later for the administration.
func limitFor(code string) imaging.Limit {
	if code == "app_icon" {
		return imaging.AppIcon
	}
	return imaging.Upload
}

// Upload stores an applicant's material after checking its type from the content, its size and dimensions.
func (s *Service) Upload(ctx context.Context, by Actor, code string, data []byte) (*store.Material, error) {
	if err := requireRole(by, RoleApplicant); err != nil {
		return nil, err
	}
	if code == "" {
		return nil, problem.Invalidf("common.required", "code", "field", "code")
	}
	info, err := imaging.Check(data, limitFor(code))
	if err != nil {
		return nil, asField(err, "file")
	}
	m := &store.Material{OwnerID: by.ID, Code: code, Type: string(info.Type), Size: len(data), Width: info.Width,
		Height: info.Height, CreatedAt: s.now()}
	return m, s.st.Update(ctx, func(tx *store.Tx) error { return tx.PutMaterial(ctx, m, data) })
}

// Material returns a material's record and bytes to its owner or to provider staff (audited).
func (s *Service) Material(ctx context.Context, by Actor, id int64) (*store.Material, []byte, error) {
	m, err := s.st.Material(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !(by.IsStaff() || (by.Role == RoleApplicant && m.OwnerID == by.ID)) {
		return nil, nil, problem.New(problem.NotFound, "material.not_found", "")
	}
	if err := s.st.Audit(ctx, s.now(), by.ID, by.Role, "material.read", "material:"+strconv.FormatInt(id, 10), ""); err != nil {
		return nil, nil, err
	}
	data, err := s.st.MaterialData(ctx, m)
	return m, data, err
}

// checkMaterialRefs refuses content that points at materials the applicant did not upload.
func (s *Service) checkMaterialRefs(ctx context.Context, by Actor, c *Content) error {
	type ref struct {
		id    int64
		field string
	}
	var refs []ref
	for i, m := range c.Materials {
		refs = append(refs, ref{m.ID, "materials[" + strconv.Itoa(i) + "].id"})
	}
	for i, svc := range c.Services {
		if svc.App != nil && svc.App.IconMaterialID != 0 {
			refs = append(refs, ref{svc.App.IconMaterialID, "services[" + strconv.Itoa(i) + "].app.icon_material_id"})
		}
		for j, pa := range svc.PreApprovals {
			if pa.MaterialID != 0 {
				refs = append(refs, ref{pa.MaterialID, "services[" + strconv.Itoa(i) + "].pre_approvals[" + strconv.Itoa(j) + "].material_id"})
			}
		}
	}
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.id
	}
	owned, err := s.st.MaterialsOwned(ctx, by.ID, ids)
	if err != nil {
		return err
	}
	var errs problem.List
	for _, r := range refs {
		if !owned[r.id] {
			errs = append(errs, problem.Invalidf("material.not_found", r.field))
		}
	}
	return errs.Err()
}
