package miitweb

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/ratelimit"
	"github.com/beian/beian/internal/web"
)

// The public filing query, as a page (/query) and an API (GET /api/v1/query): by domain (a www. or deeper
// host answers for its registrable domain), by ICP number (a subject number lists its services, a service
// number -N that one), by subject name prefix (paged with after=next), cancelled filings answered as
// cancelled. JSON, or CSV with format=csv. No captcha: a per-client rate limit (Server.QueryLimit) answers
// 429 with Retry-After instead. Answers carry what MIIT's public query shows and nothing personal.

// queryInput reads the query parameters shared by the page and the API.
func queryInput(q url.Values) (miit.Query, error) {
	in := miit.Query{Domain: q.Get("domain"), Number: q.Get("number"), SubjectName: q.Get("subject_name"),
		After: q.Get("after")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return in, problem.Invalidf("query.limit_invalid", "limit")
		}
		in.Limit = n
	}
	return in, nil
}

// allow takes a token of the client's rate; when none is left it sets Retry-After and returns the problem.
func (s *Server) allow(w http.ResponseWriter, r *http.Request) error {
	if s.QueryLimit == nil {
		return nil
	}
	ok, wait := s.QueryLimit.Allow(ratelimit.Client(web.ClientAddr(r)))
	if ok {
		return nil
	}
	secs := strconv.Itoa(ratelimit.RetryAfter(wait))
	w.Header().Set("Retry-After", secs)
	return problem.New(problem.TooMany, "query.rate_limited", "", "seconds", secs)
}

func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	if err := s.allow(w, r); err != nil {
		web.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" {
		web.WriteError(w, r, problem.Invalidf("query.format_invalid", "format", "format", format))
		return
	}
	in, err := queryInput(q)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	a, err := s.miit.QueryPage(r.Context(), in)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	if a.Next != "" {
		w.Header().Set("Link", `<`+nextURL(r.URL, "after", a.Next)+`>; rel="next"`)
	}
	if format == "csv" {
		writeCSV(w, a.Records)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	buf := answerBufs.Get().(*[]byte)
	*buf = appendAnswer((*buf)[:0], a)
	w.Write(*buf)
	if cap(*buf) <= 64<<10 { // an unusually large answer's buffer is left to the collector
		answerBufs.Put(buf)
	}
}

// answerBufs are the buffers JSON answers are encoded into before they are written.
var answerBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// nextURL is u with param set to value.
func nextURL(u *url.URL, param, value string) string {
	q := u.Query()
	q.Set(param, value)
	return u.Path + "?" + q.Encode()
}

// csvColumns are the columns of a CSV answer, the JSON names of the record's fields.
var csvColumns = []string{"subject_name", "nature", "subject_number", "service_number", "service_name", "kind",
	"domains", "province", "approved_at", "status", "cancelled_at"}

// writeCSV writes records as CSV with a byte order mark, so that spreadsheet programs read it as UTF-8.
func writeCSV(w http.ResponseWriter, recs []miit.Record) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="beian-query.csv"`)
	w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	cw.Write(csvColumns)
	for _, r := range recs {
		cancelled := ""
		if r.CancelledAt != nil {
			cancelled = web.FormatTime(*r.CancelledAt)
		}
		cw.Write([]string{cell(r.SubjectName), r.Nature, r.SubjectNumber, r.ServiceNumber, cell(r.ServiceName),
			string(r.Kind), strings.Join(r.Domains, " "), r.Province, web.FormatTime(r.ApprovedAt), r.Status, cancelled})
	}
	cw.Flush()
}

// cell keeps a filed name from being taken for a formula by the spreadsheet that opens the answer (CSV
// injection, OWASP): a name starting with = + - @ or a tab or carriage return gets a leading apostrophe, which
// spreadsheets show as text and do not display.
func cell(name string) string {
	if name != "" && strings.ContainsRune("=+-@\t\r", rune(name[0])) {
		return "'" + name
	}
	return name
}

type queryData struct {
	Kind    string
	Q       string
	Kinds   []web.Option
	Records []miit.Record
	Asked   bool
	Next    string // link to the next page of a subject name search
	CSV     string // link to this answer as CSV
}

func (s *Server) queryPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current = "query", "query"
	q := r.URL.Query()
	kind := q.Get("kind")
	if kind != "number" && kind != "subject_name" {
		kind = "domain"
	}
	d := &queryData{Kind: kind, Q: strings.TrimSpace(q.Get("q"))}
	for _, k := range []string{"domain", "number", "subject_name"} {
		d.Kinds = append(d.Kinds, web.Option{Value: k, Label: v.T("web.query.kind." + k), Selected: k == kind})
	}
	v.D = d
	status := http.StatusOK
	if _, asked := q["q"]; asked {
		d.Asked = true
		if err := s.answerPage(w, r, v, d, q.Get("after")); err != nil {
			v.Errors = s.PageErrors(r, err)
			q := web.Input{ID: "q", Label: v.T("web.query.q")} // what was typed, whichever kind it was asked as
			v.AimErrors("", map[string]web.Input{"q": q, "domain": q, "number": q, "subject_name": q})
			status = web.StatusFor(err)
		}
	}
	s.Render(w, v, status, "query")
}

// answerPage asks the query the page's form describes and fills d with the answer and its links.
func (s *Server) answerPage(w http.ResponseWriter, r *http.Request, v *web.View, d *queryData, after string) error {
	if err := s.allow(w, r); err != nil {
		return err
	}
	if d.Q == "" {
		return problem.Invalidf("miit.query_empty", "q")
	}
	api := url.Values{d.Kind: {d.Q}}
	in, _ := queryInput(api)
	in.After = after
	a, err := s.miit.QueryPage(v.Ctx(), in)
	if err != nil {
		return err
	}
	d.Records = a.Records
	if a.Next != "" {
		d.Next = nextURL(r.URL, "after", a.Next)
	}
	if after != "" {
		api.Set("after", after)
	}
	api.Set("format", "csv")
	d.CSV = "/api/v1/query?" + api.Encode()
	return nil
}
