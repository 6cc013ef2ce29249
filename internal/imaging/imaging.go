// Package imaging checks and converts the files applicants upload: credential photos, scans, the signed
// verification form (真实性核验单), face-verification photos and APP icons.
//
// Every decision is taken from the file's content, never from its name or the Content-Type the browser sent:
//
//   - Detect names the type from the magic bytes (JPEG, PNG or PDF; anything else is refused) and refuses
//     polyglots: data after the JPEG EOI or PNG IEND, script or PDF markers hidden in metadata.
//   - Check and Inspect read the dimensions from the header before decoding, refuse decompression bombs,
//     then decode fully to catch truncated or corrupt images, and read the EXIF capture data (Alibaba Cloud's filing notes:
//     photos must be taken live; capture metadata can be checked before it is stripped). Decodes across the
//     process share DecodeBudget, so that a burst of small files that decode to huge images queues instead of
//     exhausting memory.
//   - Fit re-encodes to a JPEG within a byte budget (MIIT: verification form ≤ 150 KB, other attachments
//     ≤ 100 KB; police platform ≤ 512 KB) while staying legible; the output never carries EXIF or GPS.
//   - Sharpness and MeanLuma measure clarity where it is measurable; CheckClear checks a file and its clarity,
//     accepting a clearly sharp baseline JPEG from its DCT coefficients without decoding its pixels (dct.go).
//
// Errors are *problem.Error values with codes imaging.* whose messages live in the i18n catalog "imaging".
package imaging

import (
	"math"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/problem"
)

// Type is a file type detected from content, named by its media type.
type Type string

// The accepted types.
const (
	JPEG Type = "image/jpeg"
	PNG  Type = "image/png"
	PDF  Type = "application/pdf"
)

// Ext returns the usual file extension with its dot (".jpg", ".png", ".pdf"), "" for an unknown type.
func (t Type) Ext() string {
	switch t {
	case JPEG:
		return ".jpg"
	case PNG:
		return ".png"
	case PDF:
		return ".pdf"
	}
	return ""
}

// Label is the short name shown to users ("JPG", "PNG", "PDF").
func (t Type) Label() string {
	switch t {
	case JPEG:
		return "JPG"
	case PNG:
		return "PNG"
	case PDF:
		return "PDF"
	}
	return string(t)
}

// Limit says what a file must look like for one purpose. Check validates a file against it; Fit produces a
// JPEG that satisfies it.
type Limit struct {
	// Name identifies the limit in logs and messages, e.g. "miit_attachment".
	Name string
	// MaxBytes is the largest file accepted by Check and produced by Fit.
	MaxBytes int
	// Types are the content types Check accepts. Fit always reads JPEG or PNG and writes JPEG.
	Types []Type
	// MinSide is the smallest short side, in pixels: Check refuses smaller images and Fit never scales the
	// short side below it. 0 means no minimum.
	MinSide int
	// MaxSide is the longest long side Fit writes; 0 means DefaultMaxSide.
	MaxSide int
	// TooLargeCode is the problem code Check returns when the file exceeds MaxBytes; "" means
	// "imaging.too_large". It lets a purpose give a more precise instruction (see AppIcon).
	TooLargeCode string
}

// DefaultMaxSide is the long side Fit starts from when a Limit does not say: legible for an A4 form or an ID
// card photographed on a phone, and small enough to reach the MIIT budgets without crushing the quality.
const DefaultMaxSide = 1600

// Byte budgets are stated in decimal kilobytes (1 KB = 1000 bytes): MIIT's "≤150K"/"≤100K" and the police
// platform's "512K" do not say whether K is 1000 or 1024, and the smaller reading is always accepted.
var (
	// Upload is what a user may send: phone photos of several MB, scans, PDFs.
	Upload = Limit{Name: "upload", MaxBytes: MaxUploadBytes, Types: []Type{JPEG, PNG, PDF}, MinSide: 300}
	// Photo is an upload that must be an image (face photos, curtain photos, hand-held credential photos).
	Photo = Limit{Name: "photo", MaxBytes: MaxUploadBytes, Types: []Type{JPEG, PNG}, MinSide: 300}
	// MIITVerificationForm is the signed 真实性核验单 sent to MIIT: base64 JPG ≤ 150 KB (docs/design.md §5, XZHYD).
	MIITVerificationForm = Limit{Name: "miit_verification_form", MaxBytes: 150_000, Types: []Type{JPEG}, MinSide: 600, MaxSide: 1600}
	// MIITAttachment is any other attachment sent to MIIT: base64 JPG ≤ 100 KB (docs/design.md §5).
	MIITAttachment = Limit{Name: "miit_attachment", MaxBytes: 100_000, Types: []Type{JPEG}, MinSide: 600, MaxSide: 1600}
	// PoliceImage is a credential image for the public-security filing platform: clear, ≤ 512 KB (the police platform's filing procedure).
	PoliceImage = Limit{Name: "police_image", MaxBytes: 512_000, Types: []Type{JPEG}, MinSide: 600, MaxSide: 2000}
	// AppIcon is an APP's icon: png, jpg or jpeg, ≤ 100 KB (Huawei Cloud's first-filing guide). Icons are validated, not re-encoded:
	// re-encoding would drop a PNG's transparency and the applicant knows best how to export their icon.
	AppIcon = Limit{Name: "app_icon", MaxBytes: 100_000, Types: []Type{PNG, JPEG}, TooLargeCode: "imaging.icon_too_large"}
)

// Decompression-bomb limits, checked from the header before any pixel is decoded.
const (
	// MaxPixels admits the 50-megapixel modes of current phones (8192×6144 = 50.3 MP) and refuses the 64, 108
	// and 200 MP modes, whose files are no clearer for a credential and cost hundreds of MB to decode.
	MaxPixels = 54_000_000
	// MaxSideLimit is the longest side accepted: a strip 1×MaxPixels is not a photo.
	MaxSideLimit = 12_000
	// MaxDecodeBytes bounds the memory one decode may take, estimated from the header (components,
	// progressive coefficients, 16-bit PNG). A progressive JPEG keeps 4 bytes of coefficients per sample.
	MaxDecodeBytes = 400 << 20
)

// MaxUploadBytes is the largest file a user may send (15 MB): phone photos of several MB, scans, PDFs. Every
// upload path and every message about the limit derive from it.
const MaxUploadBytes = 15_000_000

// Allowed names the accepted types for users: "JPG/PNG/PDF".
func (l Limit) Allowed() string { return allowedLabel(l.Types) }

// SizeLabel formats a limit in bytes for messages, in the decimal units the limits are stated in ("15 MB").
func SizeLabel(n int) string { return kb(n, false) }

func allowedLabel(types []Type) string {
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = t.Label()
	}
	return strings.Join(parts, "/")
}

func unsupported(got string, types []Type) *problem.Error {
	return problem.Invalidf("imaging.unsupported_type", "", "got", got, "allowed", allowedLabel(types))
}

func corrupt(err error) *problem.Error {
	e := problem.Invalidf("imaging.corrupt", "")
	e.Err = err
	return e
}

// kb formats a byte count for messages in decimal units, as the limits are stated: "150 KB", "150.1 KB",
// "4.2 MB". up rounds up (for the size of a file that is too large, so it never reads as equal to the limit).
func kb(n int, up bool) string {
	unit, div := " KB", 1000.0
	switch {
	case n >= 1_000_000:
		unit, div = " MB", 1e6
	case n < 1000:
		return strconv.Itoa(n) + " B"
	}
	x := float64(n) / div * 10
	if up {
		x = math.Ceil(x)
	} else {
		x = math.Floor(x)
	}
	return strconv.FormatFloat(x/10, 'f', -1, 64) + unit
}

func itoa(n int) string { return strconv.Itoa(n) }
