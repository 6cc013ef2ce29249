package provider

import (
	"bytes"
	"context"
	"image/jpeg"
	"slices"
	"strconv"

	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/rules"
)

// CodeAppIcon is the material code of an APP's icon (Huawei Cloud's first-filing guide), beside the docs/rules.md codes.
const CodeAppIcon = "app_icon"

// pdfMaterials may be PDF documents: a construction plan runs to several pages and registrars issue domain
// certificates as PDF. MIIT's interface takes JPG attachments only (docs/design.md §5), so these stay with the
// provider's review when uploaded as PDF; every other material must be a photo or scan (JPEG or PNG).
var pdfMaterials = []string{"construction_plan", "domain_certificate"}

// policeMaterials get a copy within the police platform's 512 KB (the police platform's filing procedure): the credentials it asks for again.
var policeMaterials = []string{"subject_credential", "subject_principal_credential", "service_principal_credential"}

// MaterialLimit is the upload rule of a material: APP icons png/jpg/jpeg up to 100 KB (Huawei Cloud's first-filing guide); PDFs only
// where the material allows them; otherwise any photo or scan a phone produces (several MB), which is
// re-encoded for the administration.
func MaterialLimit(code string) imaging.Limit {
	switch {
	case code == CodeAppIcon:
		return imaging.AppIcon
	case slices.Contains(pdfMaterials, code):
		return imaging.Upload
	}
	return imaging.Photo
}

// MIITLimit is the limit of the copy of a material sent to MIIT: the verification form ≤ 150 KB, any other
// attachment ≤ 100 KB, JPEG (docs/design.md §5, XZHYD).
func MIITLimit(purpose string) imaging.Limit {
	if purpose == "verification_form" {
		return imaging.MIITVerificationForm
	}
	return imaging.MIITAttachment
}

// archiveLimit is how a material is kept: re-encoded from the upload so that no EXIF or GPS data is stored,
// large enough for a reviewer to read every line of a credential or a form.
var archiveLimit = imaging.Limit{Name: "archive", MaxBytes: 2_500_000, Types: []imaging.Type{imaging.JPEG}, MinSide: 300,
	MaxSide: 2400}

// Upload stores an applicant's material after checking its type from the content, its size and dimensions.
// Images are re-encoded (EXIF and GPS dropped), and copies within MIIT's limits (and the police platform's, for
// credentials) are made at once from the same decode of the upload, so that an upload that cannot be made to
// fit is refused now, with the reason, rather than at forwarding. Nothing is stored when a check fails.
func (s *Service) Upload(ctx context.Context, by Actor, code string, data []byte) (*store.Material, error) {
	if err := requireRole(by, RoleApplicant); err != nil {
		return nil, err
	}
	if code == "" {
		return nil, problem.Invalidf("common.required", "code", "label", "web.field.material_code")
	}
	if code != CodeAppIcon && !slices.Contains(rules.MaterialCodes(), code) {
		return nil, problem.Invalidf("material.unknown_code", "code", "code", code)
	}
	now := s.now()
	if t, _ := imaging.Detect(data); code == CodeAppIcon || t != imaging.JPEG && t != imaging.PNG {
		// Icons are validated and kept as sent; PDFs where allowed are checked for structure and active
		// content; anything else gets the precise refusal of Check.
		info, err := imaging.Check(data, MaterialLimit(code))
		if err != nil {
			return nil, asField(err, "file")
		}
		m := &store.Material{OwnerID: by.ID, Code: code, Type: string(info.Type), Size: len(data), Width: info.Width,
			Height: info.Height, CreatedAt: now}
		if err := s.keep(ctx, m, data, nil); err != nil {
			return nil, err
		}
		return m, nil
	}
	limits := []imaging.Limit{archiveLimit, MIITLimit(code)}
	if slices.Contains(policeMaterials, code) {
		limits = append(limits, imaging.PoliceImage)
	}
	_, outs, err := imaging.FitAll(data, limits...)
	if err != nil {
		return nil, asField(err, "file")
	}
	m := &store.Material{OwnerID: by.ID, Code: code, CreatedAt: now}
	var variants []variantData
	for i, purpose := range []string{"", store.VariantMIIT, store.VariantPolice}[:len(outs)] {
		w, h, err := jpegSize(outs[i])
		if err != nil {
			return nil, err
		}
		if purpose == "" {
			m.Type, m.Size, m.Width, m.Height = string(imaging.JPEG), len(outs[i]), w, h
			continue
		}
		variants = append(variants, variantData{Variant: store.Variant{Purpose: purpose, Type: string(imaging.JPEG),
			Size: len(outs[i]), Width: w, Height: h}, data: outs[i]})
	}
	variants = append(variants, recaptureVariant(code, data)...)
	if err := s.keep(ctx, m, outs[0], variants); err != nil {
		return nil, err
	}
	return m, nil
}

// jpegSize reads the dimensions of a JPEG that imaging wrote (no EXIF orientation) from its header.
func jpegSize(b []byte) (int, int, error) {
	c, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return 0, 0, problem.Wrap(err, "internal")
	}
	return c.Width, c.Height, nil
}

// keep puts the material's bytes and its copies in the blob store, then records it.
func (s *Service) keep(ctx context.Context, m *store.Material, kept []byte, variants []variantData) error {
	var err error
	if m.BlobKey, err = s.st.PutBlob(ctx, kept); err != nil {
		return err
	}
	for _, v := range variants {
		if v.BlobKey, err = s.st.PutBlob(ctx, v.data); err != nil {
			return err
		}
		m.Variants = append(m.Variants, v.Variant)
	}
	return s.st.Update(ctx, func(tx *store.Tx) error { return tx.InsertMaterial(ctx, m) })
}

type variantData struct {
	store.Variant
	data []byte
}

// Material returns a material's record and bytes to its owner or to provider staff (audited).
func (s *Service) Material(ctx context.Context, by Actor, id int64) (*store.Material, []byte, error) {
	return s.MaterialCopy(ctx, by, id, "")
}

// MaterialInfo returns a material's record without its bytes (its type, size and dimensions) to its owner or
// to provider staff. It reads no personal data and is not audited.
func (s *Service) MaterialInfo(ctx context.Context, by Actor, id int64) (*store.Material, error) {
	m, err := s.st.Material(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayRead(by, m) {
		return nil, problem.New(problem.NotFound, "material.not_found", "")
	}
	return m, nil
}

// mayRead: a material is its owner's and provider staff's.
func mayRead(by Actor, m *store.Material) bool {
	return by.IsStaff() || (by.Role == RoleApplicant && m.OwnerID == by.ID)
}

// MaterialCopy is Material for one of the kept copies: "" the material as kept, store.VariantMIIT the copy
// sent to MIIT, store.VariantPolice the copy for the police platform. Every read is audited.
func (s *Service) MaterialCopy(ctx context.Context, by Actor, id int64, purpose string) (*store.Material, []byte, error) {
	m, err := s.st.Material(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !mayRead(by, m) {
		return nil, nil, problem.New(problem.NotFound, "material.not_found", "")
	}
	key := m.BlobKey
	if purpose != "" {
		v, err := s.st.MaterialVariant(ctx, id, purpose)
		if err != nil {
			return nil, nil, err
		}
		if v == nil {
			return nil, nil, problem.New(problem.NotFound, "material.no_copy", "variant", "variant", purpose)
		}
		key, m.Type, m.Size, m.Width, m.Height = v.BlobKey, v.Type, v.Size, v.Width, v.Height
	}
	detail := ""
	if purpose != "" {
		detail = "variant=" + purpose
	}
	if err := s.st.Audit(ctx, s.now(), by.ID, by.Role, "material.read", "material:"+strconv.FormatInt(id, 10), detail); err != nil {
		return nil, nil, err
	}
	data, err := s.st.Blob(ctx, key)
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
