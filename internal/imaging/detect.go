package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"

	"github.com/beian/beian/internal/problem"
)

// TrailerTolerance is how many bytes may follow the end of an image (JPEG EOI, PNG IEND) or a PDF's last
// %%EOF: some encoders pad with a few zero or newline bytes. More is refused as a possible polyglot, except
// for the two trailers phones write themselves (see Detect).
const TrailerTolerance = 64

// maxEmbedded bounds how many MPF images may follow a JPEG (iPhone portrait photos carry one or two).
const maxEmbedded = 8

var (
	errTruncated = errors.New("file ends before the end of the image")
	errNoEOF     = errors.New("PDF has no %%EOF marker")
)

// scan is what walking a file's structure learns.
type scan struct {
	typ  Type
	end  int      // end of the primary image or document
	meta [][2]int // byte ranges of metadata (JPEG APPn/COM segments, PNG ancillary chunks)

	exif         []byte // JPEG APP1 Exif payload after "Exif\0\0"
	progressive  bool   // JPEG SOF2
	components   int    // JPEG components
	pngDepth     int    // PNG bit depth
	pngColour    int    // PNG colour type
	pngInterlace bool   // PNG Adam7: image/png decodes each pass separately
}

// Detect returns the type of b from its content (magic bytes and structure), never from a name. It accepts
// JPEG, PNG and PDF and refuses:
//
//   - anything else: imaging.unsupported_type ("got" names what it looks like), HEIC/HEIF: imaging.heic;
//   - an empty file: imaging.empty;
//   - a file whose structure ends early: imaging.corrupt (a JPEG without its EOI marker, a truncated PNG
//     chunk, a PDF without %%EOF);
//   - data after the image end or the PDF's last %%EOF beyond TrailerTolerance bytes: imaging.trailing_data.
//     Two trailers phones write themselves are accepted: further complete JPEG images after a JPEG (the
//     Multi-Picture Format of portrait and depth photos) and Samsung's SEF trailer ("SEFH"…"SEFT");
//     Google/Xiaomi/Huawei motion photos (a video after the JPEG) are refused with a hint to switch them off;
//   - polyglot markers: "<script" or "<?php" anywhere, "%PDF-" in the first 1024 bytes of an image, a ZIP
//     or PDF signature in image metadata or trailers: imaging.embedded_content;
//   - a PDF naming /JavaScript, /JS, /Launch, /EmbeddedFile(s), /RichMedia or /XFA outside compressed
//     streams: imaging.pdf_active_content.
//
// When the type is recognised it is returned even with an error.
func Detect(b []byte) (Type, error) {
	s, err := detect(b)
	return s.typ, err
}

var (
	sigJPEG = []byte{0xFF, 0xD8, 0xFF}
	sigPNG  = []byte("\x89PNG\r\n\x1a\n")
	sigPDF  = []byte("%PDF-")
)

func detect(b []byte) (scan, error) {
	var s scan
	if len(b) == 0 {
		return s, problem.Invalidf("imaging.empty", "")
	}
	var err error
	switch {
	case bytes.HasPrefix(b, sigJPEG):
		s.typ = JPEG
		err = walkJPEG(b, &s, true)
	case bytes.HasPrefix(b, sigPNG):
		s.typ = PNG
		err = walkPNG(b, &s)
	case bytes.HasPrefix(b, sigPDF):
		s.typ = PDF
		err = walkPDF(b, &s)
	default:
		got := sniffOther(b)
		if got == "HEIC" {
			return s, problem.Invalidf("imaging.heic", "")
		}
		return s, unsupported(got, Upload.Types)
	}
	if err != nil {
		return s, err
	}
	if err := checkTrailer(b, &s); err != nil {
		return s, err
	}
	if err := checkEmbedded(b, &s); err != nil {
		return s, err
	}
	if s.typ == PDF {
		if name := pdfActiveName(b); name != "" {
			return s, problem.Invalidf("imaging.pdf_active_content", "", "name", name)
		}
	}
	return s, nil
}

// sniffOther names common types that are refused, for the message and the logs.
func sniffOther(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "GIF"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "WebP"
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		switch string(b[8:12]) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
			return "HEIC"
		case "avif", "avis":
			return "AVIF"
		}
		return "MP4/MOV"
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return "TIFF"
	case bytes.HasPrefix(b, []byte("BM")):
		return "BMP"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "ZIP"
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "DOC/XLS"
	}
	if t := bytes.TrimLeft(b[:min(len(b), 64)], " \t\r\n\xef\xbb\xbf"); len(t) > 0 && t[0] == '<' {
		return "HTML/SVG/XML"
	}
	return "?"
}

func isSOF(m byte) bool {
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC
}

// walkJPEG follows the marker segments of the JPEG at the start of b to its EOI, as image/jpeg does, and sets
// s.end after it and s.meta to its APPn and COM segments. Entropy-coded data is skipped by looking for the
// next marker that is not a stuffed byte or a restart marker. With top false (an MPF image in a trailer) the
// EXIF and frame header are not recorded.
func walkJPEG(b []byte, s *scan, top bool) error {
	const maxExtraneous = 16
	i, extraneous := 2, 0
	for {
		if i >= len(b) {
			return corrupt(errTruncated)
		}
		if b[i] != 0xFF {
			// image/jpeg, like libjpeg, skips stray bytes between segments; a few are tolerated, more could hide
			// a payload.
			if extraneous++; extraneous > maxExtraneous {
				return corrupt(errors.New("too many stray bytes between JPEG segments"))
			}
			i++
			continue
		}
		for i < len(b) && b[i] == 0xFF {
			i++
		}
		if i >= len(b) {
			return corrupt(errTruncated)
		}
		m := b[i]
		i++
		switch {
		case m == 0xD9: // EOI
			s.end = i
			return nil
		case m == 0x00, m == 0x01, m >= 0xD0 && m <= 0xD7:
			continue // stuffed byte, TEM, stray restart marker: no length
		case m == 0xD8:
			return corrupt(errors.New("second SOI marker"))
		}
		if i+2 > len(b) {
			return corrupt(errTruncated)
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if n < 2 {
			return corrupt(errors.New("short JPEG segment length"))
		}
		if i+n > len(b) {
			return corrupt(errTruncated)
		}
		seg := b[i+2 : i+n]
		switch {
		case isSOF(m) && top:
			if len(seg) >= 6 {
				s.components = int(seg[5])
			}
			s.progressive = m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE
		case m >= 0xE0 && m <= 0xEF, m == 0xFE:
			s.meta = append(s.meta, [2]int{i + 2, i + n})
			if top && m == 0xE1 && s.exif == nil && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
				s.exif = seg[6:]
			}
		}
		i += n
		if m != 0xDA { // not SOS
			continue
		}
		// Entropy-coded data: runs until a 0xFF that is not followed by 0x00 (stuffing), a restart marker or
		// another 0xFF (fill).
		for {
			i = skipStuffed(b, i)
			j := bytes.IndexByte(b[i:], 0xFF)
			if j < 0 || i+j+1 >= len(b) {
				return corrupt(errTruncated)
			}
			i += j
			nx := b[i+1]
			if nx == 0x00 || nx >= 0xD0 && nx <= 0xD7 {
				i += 2
				continue
			}
			if nx == 0xFF {
				i++
				continue
			}
			break
		}
	}
}

// skipStuffed advances i over the 8-byte words of entropy-coded data in which every 0xFF is a stuffed one
// (followed by 0x00), which end no data. A scan has many of them (one byte in 15 of the police load's scans):
// tested eight at a time, they cost no branch each.
func skipStuffed(b []byte, i int) int {
	for i+9 <= len(b) {
		x, next := binary.BigEndian.Uint64(b[i:]), binary.BigEndian.Uint64(b[i+1:])
		if ffBytes(x)&^zeroBytes(next) != 0 {
			return i
		}
		i += 8
	}
	return i
}

// zeroBytes has the high bit of each byte of x that is 0x00 set, and no other bit; ffBytes the same for 0xFF.
func zeroBytes(x uint64) uint64 {
	const low7 = 0x7F7F7F7F7F7F7F7F
	return ^(x&low7 + low7 | x | low7)
}

func ffBytes(x uint64) uint64 { return zeroBytes(^x) }

// walkPNG follows the chunks to IEND and sets s.end after it.
func walkPNG(b []byte, s *scan) error {
	i := len(sigPNG)
	for {
		if i+12 > len(b) {
			return corrupt(errTruncated)
		}
		n := binary.BigEndian.Uint32(b[i:])
		if n > 0x7FFFFFFF {
			return corrupt(errors.New("PNG chunk length overflow"))
		}
		typ := b[i+4 : i+8]
		for _, c := range typ {
			if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
				return corrupt(errors.New("bad PNG chunk type"))
			}
		}
		end := i + 12 + int(n)
		if end > len(b) || end < i {
			return corrupt(errTruncated)
		}
		data := b[i+8 : i+8+int(n)]
		switch string(typ) {
		case "IHDR":
			if len(data) >= 13 {
				s.pngDepth, s.pngColour, s.pngInterlace = int(data[8]), int(data[9]), data[12] != 0
			}
		case "IEND":
			s.end = end
			return nil
		case "IDAT", "PLTE", "tRNS":
		default:
			s.meta = append(s.meta, [2]int{i + 8, i + 8 + int(n)})
		}
		i = end
	}
}

// walkPDF sets s.end after the last %%EOF (incremental updates append sections, each ending with one).
func walkPDF(b []byte, s *scan) error {
	k := bytes.LastIndex(b, []byte("%%EOF"))
	if k < 0 {
		return corrupt(errNoEOF)
	}
	s.end = k + len("%%EOF")
	return nil
}

// checkTrailer refuses data after the end of the image or document beyond the tolerance.
func checkTrailer(b []byte, s *scan) error {
	rest := b[s.end:]
	if s.typ == JPEG {
		for n := 0; n < maxEmbedded; n++ {
			rest = trimZeros(rest)
			if !bytes.HasPrefix(rest, sigJPEG) {
				break
			}
			var sub scan
			if err := walkJPEG(rest, &sub, false); err != nil {
				return problem.Invalidf("imaging.trailing_data", "", "bytes", itoa(len(rest)))
			}
			base := len(b) - len(rest)
			for _, r := range sub.meta {
				s.meta = append(s.meta, [2]int{base + r[0], base + r[1]})
			}
			rest = rest[sub.end:]
		}
		if len(rest) > TrailerTolerance && isSamsungTrailer(rest) {
			return nil
		}
	}
	if len(rest) > TrailerTolerance {
		if s.typ == JPEG && looksLikeVideo(rest) {
			return problem.Invalidf("imaging.motion_photo", "")
		}
		return problem.Invalidf("imaging.trailing_data", "", "bytes", itoa(len(rest)))
	}
	return nil
}

func trimZeros(b []byte) []byte {
	n := 0
	for n < len(b) && n < TrailerTolerance && b[n] == 0 {
		n++
	}
	return b[n:]
}

// isSamsungTrailer recognises the SEF trailer Samsung cameras append: a directory "SEFH" … and the last 4
// bytes "SEFT".
func isSamsungTrailer(t []byte) bool {
	return bytes.HasSuffix(t, []byte("SEFT")) && bytes.Contains(t, []byte("SEFH"))
}

// looksLikeVideo recognises an MP4/MOV after a JPEG: the motion photos of Google, Xiaomi, Huawei and others.
func looksLikeVideo(t []byte) bool {
	t = t[:min(len(t), 64)]
	return bytes.Contains(t, []byte("ftyp"))
}

var (
	markScript = []byte("<script")
	markPHP    = []byte("<?php")
)

// checkEmbedded looks for the markers of other formats that would make the file a polyglot.
func checkEmbedded(b []byte, s *scan) error {
	found := func(what string) error {
		return problem.Invalidf("imaging.embedded_content", "", "what", what)
	}
	if hasTagFold(b, markScript, false) {
		return found("script")
	}
	if hasTagFold(b, markPHP, true) {
		return found("php")
	}
	if s.typ == PDF {
		return nil
	}
	if bytes.Contains(b[:min(len(b), 1024)], sigPDF) {
		return found("pdf")
	}
	// Metadata segments, including those of MPF images, and everything after the end of the image.
	regions := append(slices.Clip(s.meta), [2]int{s.end, len(b)})
	for _, r := range regions {
		part := b[r[0]:r[1]]
		switch {
		case bytes.Contains(part, []byte("PK\x03\x04")), bytes.Contains(part, []byte("PK\x05\x06")):
			return found("zip")
		case bytes.Contains(part, sigPDF):
			return found("pdf")
		}
	}
	return nil
}

// hasTagFold reports whether b contains tag, ASCII case-insensitively; with space, only when a white-space byte
// follows (PHP needs one after "<?php", and it makes a chance match in compressed data 4 billion times rarer).
func hasTagFold(b, tag []byte, space bool) bool {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], tag[0])
		if j < 0 {
			return false
		}
		i += j
		if i+len(tag) > len(b) {
			return false
		}
		if bytes.EqualFold(b[i:i+len(tag)], tag) {
			if !space {
				return true
			}
			if k := i + len(tag); k < len(b) && (b[k] == ' ' || b[k] == '\t' || b[k] == '\r' || b[k] == '\n') {
				return true
			}
		}
		i++
	}
}

// pdfActive are the PDF names that run code or carry files. Names inside compressed object streams are not
// visible to this scan; the documents the platform receives are scans, which have none of them.
var pdfActive = map[string]bool{
	"JavaScript": true, "JS": true, "Launch": true, "EmbeddedFile": true, "EmbeddedFiles": true,
	"RichMedia": true, "XFA": true,
}

// pdfActiveName returns the first active name in the PDF's uncompressed text, decoding #xx escapes in names.
func pdfActiveName(b []byte) string {
	var name []byte
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '/')
		if j < 0 {
			return ""
		}
		i += j + 1
		name = name[:0]
		for i < len(b) && len(name) < 32 && !isPDFDelimiter(b[i]) {
			c := b[i]
			if c == '#' && i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
				c = unhex(b[i+1])<<4 | unhex(b[i+2])
				i += 2
			}
			name = append(name, c)
			i++
		}
		if pdfActive[string(name)] {
			return string(name)
		}
	}
}

func isPDFDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, '/', '(', ')', '<', '>', '[', ']', '{', '}', '%':
		return true
	}
	return false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
