package provider

import (
	"context"
	"slices"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/mask"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/regulator"
)

// attachments collects what is forwarded with an order (docs/design.md §5 XZHYD): the copy made for MIIT of every attached
// material (PDF documents have none and stay with the provider), then the MIIT copy of each principal's
// confirmed verification photo. The copies were made within MIIT's limits at upload.
func (s *Service) attachments(ctx context.Context, tx *store.Tx, o *filing.Order) ([]regulator.Attachment, error) {
	var out []regulator.Attachment
	mats, err := s.orderMaterials(ctx, o)
	if err != nil {
		return nil, err
	}
	for _, ref := range o.Materials {
		m := mats[ref.ID]
		if m == nil {
			continue
		}
		i := slices.IndexFunc(m.Variants, func(v store.Variant) bool { return v.Purpose == store.VariantMIIT })
		if i < 0 {
			continue
		}
		v := m.Variants[i]
		data, err := s.st.Blob(ctx, v.BlobKey)
		if err != nil {
			return nil, err
		}
		out = append(out, regulator.Attachment{Purpose: ref.Code, Service: ref.ServiceIdx, Type: v.Type, Data: data})
	}
	vs, err := tx.Verifications(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	reqs, err := tx.VerificationRequests(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range s.Persons(o, reqs) {
		hash := s.personHash(p)
		var last *store.Verification
		for _, v := range vs {
			if v.Person == p.Key && string(v.PersonHash) == string(hash) && v.State == store.VerificationConfirmed {
				last = v
			}
		}
		if last == nil || len(last.MIITKey) == 0 {
			continue
		}
		data, err := s.st.Blob(ctx, last.MIITKey)
		if err != nil {
			return nil, err
		}
		purpose := "face_photo"
		if last.Method == MethodCurtain {
			purpose = "curtain_photo"
		}
		out = append(out, regulator.Attachment{Purpose: purpose, Person: p.Key, Type: "image/jpeg", Data: data})
	}
	for _, a := range out {
		if len(a.Data) > regulator.AttachmentLimit(a.Purpose) {
			return nil, problem.Internalf("attachment %s is %d bytes, over MIIT's limit", a.Purpose, len(a.Data))
		}
	}
	return out, nil
}

// maskSummaries hides the names of individual subjects in staff lists (docs/design.md §9: lists show personal data
// masked): an individual's subject name is the person's name.
func maskSummaries(list []store.OrderSummary, total int, err error) ([]store.OrderSummary, int, error) {
	for i := range list {
		if list[i].Nature == "individual" {
			list[i].SubjectName = mask.Name(list[i].SubjectName)
		}
	}
	return list, total, err
}

// orderMaterials reads the records of the materials attached to o, by id.
func (s *Service) orderMaterials(ctx context.Context, o *filing.Order) (map[int64]*store.Material, error) {
	ids := make([]int64, 0, len(o.Materials))
	for _, ref := range o.Materials {
		ids = append(ids, ref.ID)
	}
	return s.st.Materials(ctx, ids)
}
