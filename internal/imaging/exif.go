package imaging

import (
	"encoding/binary"
	"strings"
	"time"
)

// EXIF is the capture metadata of a JPEG, read before Fit strips it (Alibaba Cloud's filing notes: photos must be taken live,
// not re-shot from stored images). It is a hint for reviewers and policies, never proof: EXIF is easy to
// forge and easy to lose (messaging apps and screenshots drop it).
type EXIF struct {
	Present   bool   // the JPEG has an APP1 Exif segment
	Malformed bool   // the segment could not be read completely; the fields hold what was read
	Make      string // camera maker, e.g. "HUAWEI"
	Model     string // camera model
	Software  string // software that last wrote the file; an editor here suggests a re-worked image
	// DateTimeOriginal is when the picture was taken as recorded ("2006:01:02 15:04:05", camera clock, no zone).
	DateTimeOriginal string
	// OffsetTimeOriginal is the zone of DateTimeOriginal when the camera wrote it ("+08:00"), EXIF 2.31.
	OffsetTimeOriginal string
	Orientation        int  // 1-8 as in EXIF/TIFF; 0 when absent
	HasGPS             bool // a GPS IFD with at least one entry; Fit never copies it to its output
}

// Taken returns DateTimeOriginal as a time, in the recorded offset or else in loc (phones in China run on
// China Standard Time, so callers usually pass that). ok is false when there is no valid date.
func (e EXIF) Taken(loc *time.Location) (t time.Time, ok bool) {
	if e.DateTimeOriginal == "" {
		return time.Time{}, false
	}
	if e.OffsetTimeOriginal != "" {
		if t, err := time.Parse("2006:01:02 15:04:05-07:00", e.DateTimeOriginal+e.OffsetTimeOriginal); err == nil {
			return t, true
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation("2006:01:02 15:04:05", e.DateTimeOriginal, loc)
	return t, err == nil
}

// EXIF and TIFF tags read here.
const (
	tagMake               = 0x010F
	tagModel              = 0x0110
	tagOrientation        = 0x0112
	tagSoftware           = 0x0131
	tagExifIFD            = 0x8769
	tagGPSIFD             = 0x8825
	tagDateTimeOriginal   = 0x9003
	tagOffsetTimeOriginal = 0x9011
)

// maxIFDEntries bounds the entries read from one IFD; real files have a few dozen.
const maxIFDEntries = 1024

// parseEXIF reads the TIFF structure of an APP1 Exif payload (the bytes after "Exif\0\0"). It never fails:
// what cannot be read is left empty and Malformed is set. Only IFD0, the Exif IFD and the GPS IFD's entry
// count are visited, each once, so a looping offset cannot make it spin.
func parseEXIF(p []byte) EXIF {
	e := EXIF{Present: true}
	if len(p) < 8 {
		e.Malformed = true
		return e
	}
	var bo binary.ByteOrder
	switch string(p[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		e.Malformed = true
		return e
	}
	r := tiff{p: p, bo: bo}
	var exifIFD, gpsIFD uint32
	ok := r.ifd(bo.Uint32(p[4:]), func(tag, typ uint16, count, value uint32, raw []byte) {
		switch tag {
		case tagMake:
			e.Make = r.ascii(typ, count, value, raw)
		case tagModel:
			e.Model = r.ascii(typ, count, value, raw)
		case tagSoftware:
			e.Software = r.ascii(typ, count, value, raw)
		case tagOrientation:
			if typ == 3 && count >= 1 {
				if o := int(bo.Uint16(raw)); o >= 1 && o <= 8 {
					e.Orientation = o
				}
			}
		case tagExifIFD:
			if typ == 4 || typ == 13 {
				exifIFD = value
			}
		case tagGPSIFD:
			if typ == 4 || typ == 13 {
				gpsIFD = value
			}
		}
	})
	if exifIFD != 0 {
		ok = r.ifd(exifIFD, func(tag, typ uint16, count, value uint32, raw []byte) {
			switch tag {
			case tagDateTimeOriginal:
				e.DateTimeOriginal = r.ascii(typ, count, value, raw)
			case tagOffsetTimeOriginal:
				e.OffsetTimeOriginal = r.ascii(typ, count, value, raw)
			}
		}) && ok
	}
	if gpsIFD != 0 {
		if int64(gpsIFD)+2 <= int64(len(p)) {
			e.HasGPS = bo.Uint16(p[gpsIFD:]) > 0
		} else {
			ok = false
		}
	}
	e.Malformed = !ok
	return e
}

type tiff struct {
	p  []byte
	bo binary.ByteOrder
}

// ifd calls f for each entry of the IFD at off with the entry's 4-byte value field as raw. It reports whether
// the IFD was entirely within the data.
func (r tiff) ifd(off uint32, f func(tag, typ uint16, count, value uint32, raw []byte)) bool {
	if int64(off)+2 > int64(len(r.p)) {
		return false
	}
	n := int(r.bo.Uint16(r.p[off:]))
	ok := true
	if n > maxIFDEntries {
		n, ok = maxIFDEntries, false
	}
	pos := int(off) + 2
	for k := 0; k < n; k++ {
		if pos+12 > len(r.p) {
			return false
		}
		ent := r.p[pos : pos+12]
		f(r.bo.Uint16(ent), r.bo.Uint16(ent[2:]), r.bo.Uint32(ent[4:]), r.bo.Uint32(ent[8:]), ent[8:12])
		pos += 12
	}
	return ok
}

// ascii returns an ASCII (type 2) value, cut at the first NUL, trimmed, at most 64 bytes of printable ASCII
// (other bytes are dropped), or "" when it is not ASCII or lies outside the data.
func (r tiff) ascii(typ uint16, count, value uint32, raw []byte) string {
	if typ != 2 || count == 0 {
		return ""
	}
	var s []byte
	if count <= 4 {
		s = raw[:count]
	} else {
		if int64(value)+int64(count) > int64(len(r.p)) {
			return ""
		}
		s = r.p[value : value+count]
	}
	s = s[:min(len(s), 256)]
	var b strings.Builder
	for _, c := range s {
		if c == 0 {
			break
		}
		if c >= 0x20 && c < 0x7F && b.Len() < 64 {
			b.WriteByte(c)
		}
	}
	return strings.TrimSpace(b.String())
}
