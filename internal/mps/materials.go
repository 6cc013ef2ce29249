package mps

import (
	"cmp"
	"context"
	"crypto/hmac"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// Materials (证件图片): the platform's user guide lists them per nature in its introduction and asks in §三① for
// clear images of at most 512 KB. An upload is checked at once (JPEG, ≤ 512 KB, at least 600 px on the short
// side, not blurred nor too dark), sealed and kept unattached until a subject or an application names it. The
// same file sent again by the same user (the principal's ID for the subject and for the website) is neither
// decoded nor stored again: the new material shares the first one's sealed file (data_from).

// Material purposes.
const (
	MatIDFront             = "id_front"              // individual: ID card, front
	MatIDBack              = "id_back"               // individual: ID card, back
	MatIDHandheld          = "id_handheld"           // individual: photo holding the ID card
	MatUnitCredential      = "unit_credential"       // unit: business licence or other unit credential
	MatLegalIDFront        = "legal_id_front"        // unit: legal representative's ID card, front
	MatLegalIDBack         = "legal_id_back"         // unit: legal representative's ID card, back
	MatLegalIDHandheld     = "legal_id_handheld"     // unit: legal representative holding the ID card
	MatPrincipalIDFront    = "principal_id_front"    // unit website: website principal's ID card, front
	MatPrincipalIDBack     = "principal_id_back"     // unit website: website principal's ID card, back
	MatPrincipalIDHandheld = "principal_id_handheld" // unit website: website principal holding the ID card
	MatDomainCertificate   = "domain_certificate"    // website: domain certificate, in colour
)

const purposeMaterial = "mps.material"

// SubjectMaterials returns the materials a subject of that nature must attach.
func SubjectMaterials(nature string) []string {
	if nature == NatureIndividual {
		return []string{MatIDFront, MatIDBack, MatIDHandheld}
	}
	return []string{MatUnitCredential, MatLegalIDFront, MatLegalIDBack, MatLegalIDHandheld}
}

// WebsiteMaterials returns the materials an application of a subject of that nature must attach.
func WebsiteMaterials(nature string) []string {
	if nature == NatureIndividual {
		return []string{MatDomainCertificate}
	}
	return []string{MatDomainCertificate, MatPrincipalIDFront, MatPrincipalIDBack, MatPrincipalIDHandheld}
}

var allMaterials = []string{MatIDFront, MatIDBack, MatIDHandheld, MatUnitCredential, MatLegalIDFront, MatLegalIDBack,
	MatLegalIDHandheld, MatPrincipalIDFront, MatPrincipalIDBack, MatPrincipalIDHandheld, MatDomainCertificate}

// UploadMaterial checks and keeps one image, returning its id. Errors carry the field materials.<purpose>:
// mps.material_purpose (unknown purpose) and the image checks' codes (imaging.too_large with max 512000,
// imaging.unsupported_type, imaging.too_small, imaging.blurred, imaging.too_dark, …).
func (s *Simulator) UploadMaterial(ctx context.Context, userID int64, purpose string, data []byte) (int64, error) {
	field := "materials." + purpose
	if !slices.Contains(allMaterials, purpose) {
		return 0, problem.Invalidf("mps.material_purpose", "purpose")
	}
	// The memo remembers a file by the keyed digest the row stores: one pass over the file's bytes, not two.
	digest := s.keys.HashBytes(purposeMaterial, data)
	checked := false // the memo did not know the file: the user has not sent it since it was last forgotten
	check := func([]byte) error { checked = true; return checkImage(data) }
	if err := s.images.Check(strconv.FormatInt(userID, 10), digest, check); err != nil {
		for _, e := range problem.As(err) {
			e.Field = field
		}
		return 0, err
	}
	var id int64
	args := []any{userID, purpose, len(data), digest, sqldb.Millis(s.now())}
	err := errNotHeld
	if !checked { // the memo knew the file: the user sent it before, and one of their materials holds it
		err = s.db.Tx(ctx, func(tx *sql.Tx) error { return s.insertShared(ctx, tx, args, &id) })
	}
	if errors.Is(err, errNotHeld) { // a new file, or one whose first upload was not recorded
		// The file is kept before the transaction that records the material, so that a row never names a file
		// that is not there (materialfiles.go).
		buf := sealBufs.Get().(*[]byte)
		defer sealBufs.Put(buf)
		*buf = s.keys.AppendSeal((*buf)[:0], data, purposeMaterial)
		inRow, ref, kerr := s.files.keep(*buf)
		if kerr != nil {
			return 0, internal(kerr)
		}
		err = s.db.Tx(ctx, func(tx *sql.Tx) error { return s.insertHolder(ctx, tx, args, inRow, ref, &id) })
	}
	return id, wrapErr(err)
}

// sealBufs holds the buffers a material is sealed into: the sealed file is written to its pack, or to its row,
// before UploadMaterial returns, and nothing keeps it after, so one buffer serves upload after upload.
var sealBufs = sync.Pool{New: func() any { return new([]byte) }}

// The material rows' columns that insertShared and insertHolder write; the values are args (user, purpose,
// size, digest, time), then the sealed file (in the row or named by file_ref).
const materialInsert = `INSERT INTO mps_materials (user_id, purpose, content_type, size, digest, created_at, data, data_from,
	file_ref) SELECT $1, $2, 'image/jpeg', $3, $4, $5, `

// insertShared inserts a material sharing the file of the user's material that holds it, in one statement
// that finds the holder; errNotHeld when none does. On PostgreSQL it locks the holder, so that a sweep cannot
// forget it in the same instant (retention.go).
func (s *Simulator) insertShared(ctx context.Context, tx *sql.Tx, args []any, id *int64) error {
	err := tx.QueryRowContext(ctx, materialInsert+`$6, id, '' FROM mps_materials WHERE user_id = $1 AND digest = $4
		AND data_from = 0 LIMIT 1`+s.db.ForUpdate()+` RETURNING id`, append(args, []byte{})...).Scan(id)
	if errors.Is(err, sql.ErrNoRows) {
		return errNotHeld
	}
	return err
}

// insertHolder inserts a material holding the file just kept (inRow, ref), unless one of the user's materials
// already holds it (two uploads of a new file at once, or a file the memo forgot): the new material then shares
// that one's file, and what this upload kept stays unnamed (harmless).
func (s *Simulator) insertHolder(ctx context.Context, tx *sql.Tx, args []any, inRow []byte, ref string, id *int64) error {
	err := tx.QueryRowContext(ctx, materialInsert+`$6, 0, $7 WHERE NOT EXISTS (SELECT 1 FROM mps_materials
		WHERE user_id = $1 AND digest = $4 AND data_from = 0) RETURNING id`, append(args, inRow, ref)...).Scan(id)
	if errors.Is(err, sql.ErrNoRows) {
		return s.insertShared(ctx, tx, args, id)
	}
	return err
}

// errNotHeld says that none of the user's materials holds the file: it must be kept first.
var errNotHeld = errors.New("mps: no material holds the file")

func checkImage(data []byte) error {
	_, err := imaging.CheckClear(data, imaging.PoliceImage)
	return err
}

// attach checks the materials named in m for a record (0 for a new one): each must be the user's, of its
// purpose and free or already this record's; every required purpose must be present. It reads them in one
// statement and adds problems to f.
func (s *Simulator) attach(ctx context.Context, tx *sql.Tx, f *form, userID int64, m map[string]int64,
	required []string, kind string, recordID int64) error {
	rows, err := materialRows(ctx, tx, userID, m, required)
	if err != nil {
		return err
	}
	for _, p := range required {
		id, ok := m[p]
		if !ok || id == 0 {
			f.fail("materials."+p, "mps.material_missing")
			continue
		}
		row, ok := rows[id]
		switch {
		case !ok || row.purpose != p:
			f.fail("materials."+p, "mps.material_unknown")
		case row.ownerKind != "" && (row.ownerKind != kind || row.owner != recordID):
			f.fail("materials."+p, "mps.material_used")
		}
	}
	for p := range m {
		if !slices.Contains(required, p) {
			f.fail("materials."+p, "mps.material_not_needed")
		}
	}
	return nil
}

// materialRow is what attach checks of a material.
type materialRow struct {
	purpose, ownerKind string
	owner              int64
}

// materialRows reads the user's materials that m names for the required purposes, by id.
func materialRows(ctx context.Context, tx *sql.Tx, userID int64, m map[string]int64, required []string) (
	map[int64]materialRow, error) {
	args := []any{userID}
	for _, p := range required {
		if id := m[p]; id != 0 {
			args = append(args, id)
		}
	}
	out := make(map[int64]materialRow, len(args)-1)
	if len(args) == 1 {
		return out, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, purpose, owner_kind, owner_id FROM mps_materials WHERE user_id = $1
		AND id IN (`+sqldb.Placeholders(2, len(args)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r materialRow
		if err := rows.Scan(&id, &r.purpose, &r.ownerKind, &r.owner); err != nil {
			return nil, err
		}
		out[id] = r
	}
	return out, rows.Err()
}

// bind binds the required materials, which attach accepted earlier in the transaction, to the record in one
// statement. The statement repeats attach's conditions on the owner, so that a material another transaction
// bound in between (PostgreSQL's read committed) is refused rather than taken over.
func (s *Simulator) bind(ctx context.Context, tx *sql.Tx, userID int64, m map[string]int64, required []string,
	kind string, recordID int64) error {
	args := []any{kind, recordID, userID}
	for _, p := range required {
		args = append(args, m[p])
	}
	res, err := tx.ExecContext(ctx, `UPDATE mps_materials SET owner_kind = $1, owner_id = $2 WHERE user_id = $3
		AND (owner_kind = '' OR owner_kind = $1 AND owner_id = $2) AND id IN (`+sqldb.Placeholders(4, len(required))+`)`,
		args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(required)) {
		return cmp.Or[error](err, problem.New(problem.Conflict, "mps.material_used", "materials"))
	}
	return nil
}

// Material returns an image to its owner, or to staff (audited by the caller).
func (s *Simulator) material(ctx context.Context, id int64) (userID int64, kind string, owner int64, data []byte, err error) {
	var inRow, digest []byte
	var from int64
	var ref string
	err = s.db.R.QueryRowContext(ctx, `SELECT user_id, owner_kind, owner_id, data, digest, file_ref, data_from
		FROM mps_materials WHERE id = $1`, id).Scan(&userID, &kind, &owner, &inRow, &digest, &ref, &from)
	if err == nil && from != 0 {
		err = s.db.R.QueryRowContext(ctx, `SELECT data, digest, file_ref FROM mps_materials WHERE id = $1`, from).
			Scan(&inRow, &digest, &ref)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", 0, nil, problem.New(problem.NotFound, "mps.not_found", "")
	}
	if err != nil {
		return 0, "", 0, nil, internal(err)
	}
	data, err = s.openFile(digest, inRow, ref)
	return userID, kind, owner, data, wrapErr(err)
}

// openFile opens a material's sealed file. One kept outside the database must be the content the row's
// digest names: bytes swapped or overwritten in a pack are refused rather than shown as another material.
func (s *Simulator) openFile(digest, inRow []byte, ref string) ([]byte, error) {
	sealed, err := s.files.load(inRow, ref)
	if err != nil {
		return nil, err
	}
	data, err := s.keys.Open(sealed, purposeMaterial)
	if err == nil && ref != "" && !hmac.Equal(s.keys.HashBytes(purposeMaterial, data), digest) {
		err = fmt.Errorf("mps: the material file %s does not hold the content of its row", ref)
	}
	return data, err
}
