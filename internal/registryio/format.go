// Package registryio moves the MIIT simulator's registry in and out as files: JSON lines (one whole filing
// record a line, the form the simulator loads) or CSV (one service a row, the registry's public and identity
// columns). `beian import` and `beian export` use it, and so does beian-load to load its test registries
// through the product's own import path.
//
// Limits: CSV carries no principals (contact persons) and no service details beyond name, kind and domains;
// move a registry with JSON lines to keep everything. Both formats carry personal data in clear (credential
// numbers, and in JSON lines the principals): store and send the files as personal data.
package registryio

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/mask"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
)

// Formats.
const (
	JSONLines = "jsonl"
	CSV       = "csv"
)

// FormatOf guesses the format from a file name: .csv is CSV, anything else JSON lines.
func FormatOf(name string) string {
	if strings.HasSuffix(strings.ToLower(name), ".csv") {
		return CSV
	}
	return JSONLines
}

// Writer writes records in one format.
type Writer struct {
	bw         *bufio.Writer
	newEncoder func() miit.ExportEncoder // one encoder for each goroutine that encodes (Export)
	encode     miit.ExportEncoder        // Write's
	buf        []byte
}

// Write writes one record.
func (w *Writer) Write(rec miit.SeedRecord) error {
	var err error
	if w.buf, err = w.encode(w.buf[:0], &rec); err != nil {
		return err
	}
	_, err = w.bw.Write(w.buf)
	return err
}

// Flush writes what is buffered to the underlying writer.
func (w *Writer) Flush() error { return w.bw.Flush() }

// Reader reads records in one format; io.EOF after the last.
type Reader interface {
	Read() (miit.SeedRecord, error)
	// readBatch reads up to max records; io.EOF with the last of them (or none).
	readBatch(max int) (*batch, error)
}

// batch is records read together, with the line each starts on; JSON lines are decoded later (decode), by the
// import's workers. CSV also gives the line of each service (svcLines, those of record i from svcFrom[i]), so
// that a problem of a service names its row (csvLocate).
type batch struct {
	lines    []int
	raw      [][]byte
	recs     []miit.SeedRecord
	svcFrom  []int
	svcLines []int
}

func (b *batch) decode() error {
	if b.raw == nil {
		return nil
	}
	b.recs = make([]miit.SeedRecord, len(b.raw))
	for i, line := range b.raw {
		if err := decodeRecord(line, b.lines[i], &b.recs[i]); err != nil {
			return err
		}
	}
	b.raw = nil
	return nil
}

// NewWriter returns a writer of format to w.
func NewWriter(w io.Writer, format string) (*Writer, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	var newEncoder func() miit.ExportEncoder
	switch format {
	case JSONLines:
		newEncoder = func() miit.ExportEncoder { return appendRecord }
	case CSV:
		newEncoder = csvEncoder
		cw := csv.NewWriter(bw)
		cw.Write(csvHeader)
		if cw.Flush(); cw.Error() != nil {
			return nil, cw.Error()
		}
	default:
		return nil, fmt.Errorf("unknown format %q (jsonl or csv)", format)
	}
	return &Writer{bw: bw, newEncoder: newEncoder, encode: newEncoder()}, nil
}

// appender is an io.Writer that appends to itself.
type appender []byte

func (a *appender) Write(p []byte) (int, error) {
	*a = append(*a, p...)
	return len(p), nil
}

// NewReader returns a reader of format from r. A byte order mark at the start (which spreadsheets write before
// UTF-8 CSV) is skipped.
func NewReader(r io.Reader, format string) (Reader, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if bom, _ := br.Peek(3); string(bom) == "\uFEFF" {
		br.Discard(3)
	}
	switch format {
	case JSONLines:
		return &jsonReader{br: br}, nil
	case CSV:
		cr := csv.NewReader(br)
		cr.ReuseRecord = true
		cr.FieldsPerRecord = len(csvHeader)
		head, err := cr.Read()
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, csv.ErrFieldCount) {
			return nil, csvError(err, head)
		}
		if got, want := strings.Join(head, ","), strings.Join(csvHeader, ","); got != want {
			return nil, &LineError{Line: 1, Err: problem.Invalidf("miit.csv_header", "", "got", got, "want", want)}
		}
		return &csvReader{cr: cr, seed: maphash.MakeSeed(), subjects: map[uint64]uint32{}, batchLine: -1}, nil
	}
	return nil, fmt.Errorf("unknown format %q (jsonl or csv)", format)
}

// jsonReader reads one record a line; blank lines are skipped.
type jsonReader struct {
	br   *bufio.Reader
	line int
}

// next returns the next non-blank line (valid until the following call) and its number.
func (r *jsonReader) next() ([]byte, int, error) {
	for {
		b, err := r.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			rest, err2 := r.br.ReadBytes('\n')
			b, err = append(bytes.Clone(b), rest...), err2
		}
		if len(b) > 0 {
			r.line++
		}
		if t := bytes.TrimSpace(b); len(t) > 0 {
			return t, r.line, nil
		}
		if err != nil {
			return nil, r.line, err
		}
	}
}

func (r *jsonReader) Read() (miit.SeedRecord, error) {
	var rec miit.SeedRecord
	b, line, err := r.next()
	if err != nil {
		return rec, err
	}
	return rec, decodeRecord(b, line, &rec)
}

func (r *jsonReader) readBatch(max int) (*batch, error) {
	b := &batch{raw: make([][]byte, 0, max), lines: make([]int, 0, max)}
	for len(b.raw) < max {
		line, n, err := r.next()
		if err != nil {
			return b, err
		}
		b.raw = append(b.raw, bytes.Clone(line))
		b.lines = append(b.lines, n)
	}
	return b, nil
}

// csvHeader names the CSV columns; a subject with several services takes several rows in a row, a subject
// without services one row with the service columns empty.
var csvHeader = []string{"province", "subject_number", "subject_name", "nature", "credential_type",
	"credential_number", "approved_at", "service_number", "service_kind", "service_name", "domains", "providers"}

// csvEncoder encodes a record as CSV rows.
func csvEncoder() miit.ExportEncoder {
	var a appender
	cw := csv.NewWriter(&a)
	return func(dst []byte, rec *miit.SeedRecord) ([]byte, error) {
		a = dst
		err := writeCSV(cw, rec)
		cw.Flush()
		return a, cmp.Or(err, cw.Error())
	}
}

func writeCSV(cw *csv.Writer, r *miit.SeedRecord) error {
	s := r.Subject
	head := []string{r.Province, s.Number, s.Name, s.Nature, s.CredentialType, s.CredentialNumber,
		r.ApprovedAt.UTC().Format(time.RFC3339)}
	providers := strings.Join(r.Providers, " ")
	if len(r.Services) == 0 {
		return cw.Write(append(head, "", "", "", "", providers))
	}
	for _, svc := range r.Services {
		row := append(head[:len(head):len(head)], svc.Number, string(svc.Kind), svc.Name,
			strings.Join(svc.Domains, " "), providers)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// csvReader groups consecutive rows of one subject number into a record, and refuses the rows of a subject
// that come apart from the others (rowsApart).
type csvReader struct {
	cr          *csv.Reader
	pending     *miit.SeedRecord
	pendingLine int      // the line the pending record starts on
	pendingRow  []string // and that line's columns
	pendingSvcs []int    // and the line of each of its services

	// subjects holds the subjects read, as a hash of their credential numbers (miit.NormCredential) with the
	// line of their first row: a few tens of bytes a subject, where the rows' strings would take hundreds.
	subjects map[uint64]uint32
	seed     maphash.Seed
	// batchLine is the line of the first record of the batch being read (readBatch), 0 before its first
	// record (the pending record will be its first), -1 when records are not read in batches (Read); the records
	// before it went to the loader in earlier batches.
	batchLine int
}

func (r *csvReader) readBatch(max int) (*batch, error) {
	b := &batch{recs: make([]miit.SeedRecord, 0, max), lines: make([]int, 0, max), svcFrom: make([]int, 0, max),
		svcLines: make([]int, 0, max)}
	r.batchLine = 0
	for len(b.recs) < max {
		rec, line, svcs, err := r.read()
		if err != nil {
			return b, err
		}
		if len(b.recs) == 0 {
			r.batchLine = line
		}
		b.recs = append(b.recs, rec)
		b.lines = append(b.lines, line)
		b.svcFrom = append(b.svcFrom, len(b.svcLines))
		b.svcLines = append(b.svcLines, svcs...)
	}
	return b, nil
}

func (r *csvReader) Read() (miit.SeedRecord, error) {
	rec, _, _, err := r.read()
	return rec, err
}

// read returns the next record, the line it starts on and the line of each of its services.
func (r *csvReader) read() (miit.SeedRecord, int, []int, error) {
	for {
		row, err := r.cr.Read()
		if err == io.EOF {
			if r.pending == nil {
				return miit.SeedRecord{}, 0, nil, io.EOF
			}
			rec, svcs := *r.pending, r.pendingSvcs
			r.pending, r.pendingSvcs = nil, nil
			return rec, r.pendingLine, svcs, nil
		}
		if err != nil {
			return miit.SeedRecord{}, 0, nil, csvError(err, row)
		}
		line, _ := r.cr.FieldPos(0)
		if r.pending != nil && sameSubject(r.pending, row) {
			if err := r.sameColumns(row, line); err != nil {
				return miit.SeedRecord{}, 0, nil, err
			}
			n := len(r.pending.Services)
			if r.pending.Services = appendService(r.pending.Services, row); len(r.pending.Services) > n {
				r.pendingSvcs = append(r.pendingSvcs, line)
			}
			continue
		}
		if err := r.rowsApart(row, line); err != nil {
			return miit.SeedRecord{}, 0, nil, err
		}
		next, err := csvRecord(row, line)
		if err != nil {
			return miit.SeedRecord{}, 0, nil, err
		}
		prev, prevLine, prevSvcs := r.pending, r.pendingLine, r.pendingSvcs
		r.pending, r.pendingLine, r.pendingRow = &next, line, slices.Clone(row)
		r.pendingSvcs = nil
		if len(next.Services) > 0 {
			r.pendingSvcs = []int{line}
		}
		if prev != nil {
			return *prev, prevLine, prevSvcs, nil
		}
	}
}

// rowsApart refuses a row that starts a subject (it does not continue the one before) when a subject of the
// same credential number was read already: the rows of one subject apart, which would otherwise be two records
// of one credential, the second skipped as filed with the services of its rows. When the first rows went to the
// loader in an earlier batch, the message says that subject is loaded with their services only.
func (r *csvReader) rowsApart(row []string, line int) error {
	cred := miit.NormCredential(row[credentialColumn])
	if cred == "" {
		return nil // refused as missing by the loader
	}
	h := maphash.String(r.seed, cred)
	first, ok := r.subjects[h]
	if !ok {
		r.subjects[h] = uint32(min(line, math.MaxUint32))
		return nil
	}
	code := "miit.seed_subject_rows_apart"
	if r.batchLine > 0 && int(first) < r.batchLine || r.batchLine == 0 && r.pending != nil && int(first) < r.pendingLine {
		code = "miit.seed_subject_rows_apart_loaded"
	}
	return &LineError{Line: line, Err: problem.Invalidf(code, "credential_number", "column", "credential_number",
		"value", shown(credentialColumn, row[credentialColumn]), "first", strconv.FormatUint(uint64(first), 10), "line", strconv.Itoa(line))}
}

// csvError is an error of the CSV parser as a LineError whose problem says what is wrong and what to do; row is
// what the parser returned with it. Other errors (of reading) are returned as they are.
func csvError(err error, row []string) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	var p *problem.Error
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		p = problem.Invalidf("miit.csv_columns", "", "count", strconv.Itoa(len(row)), "want", strconv.Itoa(len(csvHeader)))
	case errors.Is(pe.Err, csv.ErrBareQuote):
		p = problem.Invalidf("miit.csv_bare_quote", "")
	case errors.Is(pe.Err, csv.ErrQuote):
		p = problem.Invalidf("miit.csv_quote", "", "start", strconv.Itoa(pe.StartLine))
	default:
		return err
	}
	p.Err = pe
	return &LineError{Line: pe.Line, Err: p}
}

// csvLocate makes the problem p of the i-th record of a CSV batch name the column that gives its field instead
// of the field's JSON path ("services[1].kind": service_kind), and returns the line of the row that gives it
// (the service's row, for a service's field).
func (b *batch) csvLocate(p *problem.Error, i int) int {
	line, path := b.lines[i], p.Field
	if rest, ok := strings.CutPrefix(path, "services["); ok {
		k, after, ok := strings.Cut(rest, "]")
		n, err := strconv.Atoi(k)
		if !ok || err != nil || n < 0 || b.svcFrom[i]+n >= len(b.svcLines) ||
			i+1 < len(b.svcFrom) && b.svcFrom[i]+n >= b.svcFrom[i+1] {
			return line
		}
		line, path = b.svcLines[b.svcFrom[i]+n], "services[]"+after
	}
	if strings.HasSuffix(path, "]") && !strings.HasSuffix(path, "[]") {
		path = path[:strings.LastIndexByte(path, '[')] // services[].domains[0], providers[0]: the list
	}
	if c, ok := csvColumnOf[path]; ok {
		p.Field = c
	}
	return line
}

// csvColumnOf is the CSV column that gives each field of a record.
var csvColumnOf = map[string]string{"province": "province", "subject.number": "subject_number",
	"subject.name": "subject_name", "subject.nature": "nature", "subject.credential_type": "credential_type",
	"subject.credential_number": "credential_number", "approved_at": "approved_at", "providers": "providers",
	"services[].number": "service_number", "services[].kind": "service_kind", "services[].name": "service_name",
	"services[].domains": "domains"}

// credentialColumn is the index of credential_number in csvHeader.
const credentialColumn = 5

// shown is the value of column c as an error message shows it: a credential number masked (mask.Credential),
// since the message goes to a terminal or a log; the line it names leads the operator to the whole number.
func shown(c int, v string) string {
	if c == credentialColumn {
		return mask.Credential(v)
	}
	return v
}

// subjectColumns are the columns of a CSV row that belong to its subject (and its providers), by index.
var subjectColumns = []int{0, 1, 2, 3, 4, 5, 6, 11}

// sameColumns refuses a row that continues the pending subject (sameSubject) but says something else of it: a
// row of another subject given the same number, or an edit made to one row only, would otherwise be merged
// into the first row's subject and what it says lost.
func (r *csvReader) sameColumns(row []string, line int) error {
	first := r.pendingRow
	for _, c := range subjectColumns {
		if strings.Join(strings.Fields(row[c]), " ") != strings.Join(strings.Fields(first[c]), " ") {
			return &LineError{Line: line, Err: problem.Invalidf("miit.seed_subject_rows_differ", csvHeader[c],
				"column", csvHeader[c], "line", strconv.Itoa(r.pendingLine), "value", shown(c, row[c]), "first", shown(c, first[c]))}
		}
	}
	return nil
}

// sameSubject reports whether row continues the subject of rec: the same subject number, or, for a subject not
// numbered yet, the same province and credential number.
func sameSubject(rec *miit.SeedRecord, row []string) bool {
	if row[1] != "" || rec.Subject.Number != "" {
		return rec.Subject.Number == row[1]
	}
	return rec.Province == row[0] && strings.TrimSpace(rec.Subject.CredentialNumber) == strings.TrimSpace(row[5]) &&
		row[5] != ""
}

// cst is China Standard Time, the zone of a date without a time.
var cst = time.FixedZone("CST", 8*60*60)

// approvedAt reads the approved_at column: a time in RFC 3339 (as export writes it), a date YYYY-MM-DD (the
// start of that day in China Standard Time, as a spreadsheet writes a date), or nothing (the time of loading).
func approvedAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var t time.Time
	var err error
	switch len(s) {
	case 0:
		return t, nil
	case len(time.DateOnly):
		t, err = time.ParseInLocation(time.DateOnly, s, cst)
	default:
		t, err = time.Parse(time.RFC3339, s)
	}
	if err != nil {
		return t, problem.Invalidf("miit.seed_date_invalid", "approved_at", "value", s)
	}
	return t, nil
}

func csvRecord(row []string, line int) (miit.SeedRecord, error) {
	at, err := approvedAt(row[6])
	if err != nil {
		return miit.SeedRecord{}, &LineError{Line: line, Err: err}
	}
	rec := miit.SeedRecord{Province: row[0], ApprovedAt: at, Providers: strings.Fields(row[11]),
		Subject: filing.Subject{Number: row[1], Name: row[2], Nature: row[3], CredentialType: row[4],
			CredentialNumber: row[5]}}
	rec.Services = appendService(nil, row)
	return rec, nil
}

func appendService(svcs []filing.Service, row []string) []filing.Service {
	if row[7] == "" && row[9] == "" {
		return svcs
	}
	return append(svcs, filing.Service{Number: row[7], Kind: filing.ServiceKind(row[8]), Name: row[9],
		Domains: strings.Fields(row[10])})
}
