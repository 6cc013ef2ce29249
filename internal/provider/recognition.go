package provider

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/recapture"
	"github.com/beian/beian/internal/recognise"
)

// Credential recognition and recapture signs (docs/verification.md): what was read from a credential photo
// and the signs of a photographed screen or print are kept with the material, as copies of purpose
// VariantRecognition and VariantRecapture (JSON, sealed in the blob store like the photo, read through
// MaterialCopy, audited), so that the reviewer sees them beside the photo.

// Purposes of the JSON copies kept with a material.
const (
	VariantRecognition = "recognition" // recognise.Result
	VariantRecapture   = "recapture"   // recapture.Signs
)

// credentialMaterials are the material codes a credential photo is uploaded under, and the kinds each may be
// recognised as.
var credentialMaterials = map[string][]recognise.Kind{
	"subject_credential":           {recognise.BusinessLicence, recognise.USCCCertificate, recognise.IDFront, recognise.IDBack},
	"subject_principal_credential": {recognise.IDFront, recognise.IDBack},
	"service_principal_credential": {recognise.IDFront, recognise.IDBack},
}

// RecognitionOn reports whether credentials are recognised on this server (a Recogniser other than Off is
// configured).
func (s *Service) RecognitionOn() bool {
	_, off := s.recogniser().(recognise.Off)
	return !off
}

func (s *Service) recogniser() recognise.Recogniser {
	if s.cfg.Recogniser == nil {
		return recognise.Off{}
	}
	return s.cfg.Recogniser
}

// RecogniseMaterial reads the applicant's own credential photo as kind and keeps the result with the
// material (replacing an earlier reading). The fields are suggestions for the form: the wizard fills them in
// marked as recognised, and what the applicant types wins. Recognition off is recognise.off (Conflict).
func (s *Service) RecogniseMaterial(ctx context.Context, by Actor, materialID int64, kind recognise.Kind) (*recognise.Result, error) {
	if err := requireRole(by, RoleApplicant); err != nil {
		return nil, err
	}
	m, err := s.st.Material(ctx, materialID)
	if err != nil {
		return nil, err
	}
	if m.OwnerID != by.ID {
		return nil, problem.New(problem.NotFound, "material.not_found", "")
	}
	if kinds, ok := credentialMaterials[m.Code]; !ok || !slices.Contains(kinds, kind) {
		return nil, problem.Invalidf("recognise.kind_unknown", "kind", "kind", string(kind))
	}
	data, err := s.st.Blob(ctx, m.BlobKey)
	if err != nil {
		return nil, err
	}
	res, err := s.recogniser().Recognise(ctx, data, kind)
	if err != nil {
		return nil, asField(err, "file")
	}
	if err := s.keepJSON(ctx, materialID, VariantRecognition, res); err != nil {
		return nil, err
	}
	return &res, nil
}

// keepJSON stores v as the material's copy of purpose, sealed in the blob store.
func (s *Service) keepJSON(ctx context.Context, materialID int64, purpose string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return problem.Wrap(err, "internal")
	}
	key, err := s.st.PutBlob(ctx, b)
	if err != nil {
		return err
	}
	old, err := s.st.MaterialVariant(ctx, materialID, purpose)
	if err != nil {
		return err
	}
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		return tx.PutMaterialVariant(ctx, materialID, store.Variant{Purpose: purpose, Type: "application/json", Size: len(b), BlobKey: key})
	})
	if err == nil && old != nil && string(old.BlobKey) != string(key) {
		s.dropBlobs(ctx, [][]byte{old.BlobKey})
	}
	return err
}

// recaptureVariant looks for the signs of a recapture on an uploaded image, before it is re-encoded (EXIF is
// read from the upload), and returns them as a copy to keep. An image that cannot be measured gives none:
// the upload's own checks report what is wrong with the file.
func recaptureVariant(code string, data []byte) []variantData {
	if code == CodeAppIcon {
		return nil
	}
	if t, _ := imaging.Detect(data); t != imaging.JPEG && t != imaging.PNG {
		return nil
	}
	signs, err := recapture.Inspect(data)
	if err != nil {
		return nil
	}
	b, _ := json.Marshal(signs)
	return []variantData{{Variant: store.Variant{Purpose: VariantRecapture, Type: "application/json", Size: len(b)}, data: b}}
}

// MaterialSigns returns the recapture signs found at upload (nil when the material was not an image, or was
// uploaded before the signs were looked for) to the owner or provider staff.
func (s *Service) MaterialSigns(ctx context.Context, by Actor, materialID int64) (*recapture.Signs, error) {
	var signs recapture.Signs
	if ok, err := s.materialJSON(ctx, by, materialID, VariantRecapture, &signs); !ok {
		return nil, err
	}
	return &signs, nil
}

// MaterialReading returns what was read from a credential photo (nil when it was never read) to the owner or
// provider staff: the wizard marks the fields filled from it, the reviewer sees the text and confidence.
func (s *Service) MaterialReading(ctx context.Context, by Actor, materialID int64) (*recognise.Result, error) {
	var res recognise.Result
	if ok, err := s.materialJSON(ctx, by, materialID, VariantRecognition, &res); !ok {
		return nil, err
	}
	return &res, nil
}

// materialJSON reads the material's JSON copy of purpose into v (audited, as every read of a copy); false
// when there is none or it cannot be read.
func (s *Service) materialJSON(ctx context.Context, by Actor, materialID int64, purpose string, v any) (bool, error) {
	_, b, err := s.MaterialCopy(ctx, by, materialID, purpose)
	if problem.Is(err, "material.no_copy") {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, problem.Wrap(err, "internal")
	}
	return true, nil
}
