package provider

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// capture is what the phone learns of a photo's capture before its metadata is dropped (Alibaba Cloud's filing notes: photos must
// be taken live); the reviewer sees it. It is a hint, never proof.
type capture struct {
	Make     string `json:"make,omitempty"`
	Model    string `json:"model,omitempty"`
	Software string `json:"software,omitempty"`
	TakenAt  string `json:"taken_at,omitempty"`
	Offset   string `json:"offset,omitempty"`
	NoEXIF   bool   `json:"no_exif,omitempty"`
	// Comparison says how the photo is compared with the ID card photo: "verifier" (the external service)
	// or "by_eye" (no comparison service: the reviewer compares the two side by side).
	Comparison string `json:"comparison"`
	// Liveness is the live check the photo came from (nil: a single photo).
	Liveness *livenessHint `json:"liveness,omitempty"`
}

// CapturePhoto checks a photo taken on the phone and, when it passes, keeps it for the person's confirmation.
// In order: the file (type by content, size, pixel limits, corruption: imaging.*), the local face checks
// (face.*: one face, large enough, centred, whole head, lit, sharp, white background or the blue curtain), a
// size the administration accepts, then the external verifier when one is configured. A refused photo is not
// stored; the error lists every finding with what to fix.
func (s *Service) CapturePhoto(ctx context.Context, secret string, data []byte) (*store.Verification, error) {
	return s.capturePhoto(ctx, secret, data, nil)
}

// capturePhoto is CapturePhoto recording the live check the photo was taken from, if any.
func (s *Service) capturePhoto(ctx context.Context, secret string, data []byte, live *livenessHint) (*store.Verification, error) {
	ss, err := s.phoneSession(ctx, secret)
	if err != nil {
		return nil, err
	}
	if done, err := s.confirmedWith(ctx, ss); err != nil || done {
		if err == nil {
			err = problem.New(problem.Conflict, "verification.already_confirmed", "")
		}
		return nil, err
	}
	rep, err := face.Check(data, ss.person.mode()) // checks the file first, as an imaging.Photo upload
	if err != nil {
		return nil, asField(err, "photo")
	}
	if !rep.OK {
		return nil, rep.Err("photo")
	}
	info, outs, err := imaging.FitAll(data, recordLimit, imaging.MIITAttachment)
	if err != nil {
		return nil, asField(err, "photo")
	}
	kept, miit := outs[0], outs[1]
	w, h, err := jpegSize(kept)
	if err != nil {
		return nil, err
	}
	v := &store.Verification{OrderID: ss.order.ID, Person: ss.person.Key, PersonHash: s.personHash(ss.person),
		Method: ss.person.Method, State: store.VerificationCaptured, LinkID: ss.link.ID, Size: len(kept),
		Width: w, Height: h, CreatedAt: s.now()}
	if s.cfg.FaceVerifier != nil {
		res, err := s.cfg.FaceVerifier.Verify(ctx, face.VerifyRequest{Photo: kept, Name: ss.person.fullName,
			IDNumber: ss.person.number, Mode: ss.person.mode(),
			Reference: "order-" + strconv.FormatInt(ss.order.ID, 10) + "/" + ss.person.Key + "/link-" + strconv.FormatInt(ss.link.ID, 10)})
		if err != nil {
			return nil, asField(err, "photo")
		}
		if !res.Pass {
			return nil, problem.Invalidf("verification.verifier_refused", "photo", "reason", res.Reason)
		}
		v.Verifier, v.VerifierRef = res.Provider, res.Reference
	}
	c := capture{Make: info.EXIF.Make, Model: info.EXIF.Model, Software: info.EXIF.Software,
		TakenAt: info.EXIF.DateTimeOriginal, Offset: info.EXIF.OffsetTimeOriginal, NoEXIF: !info.EXIF.Present,
		Comparison: "by_eye", Liveness: live}
	if s.cfg.FaceVerifier != nil {
		c.Comparison = "verifier"
	}
	cb, _ := json.Marshal(c)
	v.Capture = string(cb)
	if v.BlobKey, err = s.st.PutBlob(ctx, kept); err != nil {
		return nil, err
	}
	if v.MIITKey, err = s.st.PutBlob(ctx, miit); err != nil {
		return nil, err
	}
	var old [][]byte
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		if err := s.stillOpen(ctx, tx, ss); err != nil {
			return err
		}
		if old, err = tx.DiscardCaptured(ctx, ss.order.ID, ss.person.Key); err != nil {
			return err
		}
		return tx.InsertVerification(ctx, v)
	})
	if err != nil {
		s.dropBlobs(ctx, [][]byte{v.BlobKey, v.MIITKey})
		return nil, err
	}
	s.dropBlobs(ctx, old)
	return v, nil
}

// confirmedWith reports whether a photo was already confirmed with the session's link.
func (s *Service) confirmedWith(ctx context.Context, ss *session) (bool, error) {
	vs, err := s.st.Verifications(ctx, ss.order.ID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(vs, func(v *store.Verification) bool {
		return v.LinkID == ss.link.ID && v.State != store.VerificationCaptured
	}), nil
}

// stillOpen re-checks, inside the writing transaction, that the session's order can take a verification.
func (s *Service) stillOpen(ctx context.Context, tx *store.Tx, ss *session) error {
	r, err := tx.OrderForUpdate(ctx, ss.order.ID)
	if err != nil {
		return err
	}
	if !r.Order.State.Editable() {
		return problem.New(problem.Conflict, "verification.order_not_editable", "", "state", string(r.Order.State))
	}
	return nil
}

// dropBlobs removes blobs nothing refers to any more (a discarded capture's photo: personal data is not kept
// without a purpose). Failures are left for a later clean-up; they are not the caller's problem.
func (s *Service) dropBlobs(ctx context.Context, keys [][]byte) {
	for _, k := range keys {
		s.st.DropUnreferencedBlob(ctx, k)
	}
}

// ConfirmPhoto makes the session's captured photo the person's verification record (Baidu AI Cloud's app filing guide §6: 确认无误).
// The session then takes no more photos: verifying again takes a new QR code.
func (s *Service) ConfirmPhoto(ctx context.Context, secret string) (*store.Verification, error) {
	ss, err := s.phoneSession(ctx, secret)
	if err != nil {
		return nil, err
	}
	var out *store.Verification
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		if err := s.stillOpen(ctx, tx, ss); err != nil {
			return err
		}
		vs, err := tx.Verifications(ctx, ss.order.ID)
		if err != nil {
			return err
		}
		var v *store.Verification
		for _, x := range vs {
			if x.LinkID == ss.link.ID && x.State == store.VerificationCaptured {
				v = x
			}
		}
		if v == nil {
			return problem.New(problem.Conflict, "verification.nothing_to_confirm", "")
		}
		v.State, v.ConfirmedAt = store.VerificationConfirmed, s.now()
		if err := tx.UpdateVerification(ctx, v); err != nil {
			return err
		}
		out = v
		return nil
	})
	return out, err
}

// SessionPhoto returns the session's captured (or just confirmed) photo, for the phone to show it.
func (s *Service) SessionPhoto(ctx context.Context, secret string, id int64) ([]byte, error) {
	ss, err := s.phoneSession(ctx, secret)
	if err != nil {
		return nil, err
	}
	v, err := s.st.Verification(ctx, id)
	if err != nil {
		return nil, err
	}
	if v.LinkID != ss.link.ID || v.State != store.VerificationCaptured {
		return nil, problem.New(problem.NotFound, "verification.not_found", "")
	}
	if err := s.st.Audit(ctx, s.now(), 0, "phone", "verification.photo.read", orderObject(v.OrderID),
		"verification "+strconv.FormatInt(id, 10)+", phone session of link "+strconv.FormatInt(ss.link.ID, 10)); err != nil {
		return nil, err
	}
	return s.st.Blob(ctx, v.BlobKey)
}
