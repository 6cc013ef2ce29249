package miitweb

import (
	"time"

	"github.com/beian/beian/internal/jsonappend"
	"github.com/beian/beian/internal/miit"
)

// appendAnswer appends a as encoding/json with HTML escaping off writes it (a line; records a list even when
// nil), without reflection: a
// page of a subject name search is tens of records, and encoding them through encoding/json was a sixth of the
// server's CPU for such a query (docs/benchmarks.md). TestAppendAnswerMatchesEncodingJSON holds the two equal.
func appendAnswer(b []byte, a miit.Answer) []byte {
	b = append(b, `{"records":[`...)
	for i, r := range a.Records {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendRecord(b, r)
	}
	b = append(b, ']')
	if a.Next != "" {
		b = jsonappend.String(append(b, `,"next":`...), a.Next)
	}
	return append(b, "}\n"...)
}

func appendRecord(b []byte, r miit.Record) []byte {
	b = jsonappend.String(append(b, `{"subject_name":`...), r.SubjectName)
	b = jsonappend.String(append(b, `,"nature":`...), r.Nature)
	b = jsonappend.String(append(b, `,"subject_number":`...), r.SubjectNumber)
	if r.ServiceNumber != "" {
		b = jsonappend.String(append(b, `,"service_number":`...), r.ServiceNumber)
	}
	if r.ServiceName != "" {
		b = jsonappend.String(append(b, `,"service_name":`...), r.ServiceName)
	}
	if r.Kind != "" {
		b = jsonappend.String(append(b, `,"kind":`...), string(r.Kind))
	}
	if len(r.Domains) > 0 {
		b = append(b, `,"domains":[`...)
		for i, d := range r.Domains {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonappend.String(b, d)
		}
		b = append(b, ']')
	}
	b = jsonappend.String(append(b, `,"province":`...), r.Province)
	b = appendTime(append(b, `,"approved_at":`...), r.ApprovedAt)
	b = jsonappend.String(append(b, `,"status":`...), r.Status)
	if r.CancelledAt != nil {
		b = appendTime(append(b, `,"cancelled_at":`...), *r.CancelledAt)
	}
	return append(b, '}')
}

// appendTime writes t as time.Time's MarshalJSON does (RFC 3339 with the nanoseconds it has).
func appendTime(b []byte, t time.Time) []byte {
	return append(t.AppendFormat(append(b, '"'), time.RFC3339Nano), '"')
}
