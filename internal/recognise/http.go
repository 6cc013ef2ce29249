package recognise

import (
	"context"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/jsonpost"
	"github.com/beian/beian/internal/problem"
)

// HTTP calls a provider's own OCR service with one JSON POST per image (docs/verification.md, "Credential
// recognition", has the contract):
//
//	POST {URL}
//	Authorization: Bearer {Token}
//	Content-Type: application/json
//
//	{"image": "<base64>", "image_type": "image/jpeg", "kind": "resident_id_front"}
//
// and expects 200 with
//
//	{"text": "姓名 张三\n…", "fields": {"name": {"value": "张三", "confidence": 0.98}, …}}
//
// "fields" may be partial or absent; "text" may be absent. A field the service did not give is read from
// "text" with the local layout parser. Every value then goes through the same checks as the local engine's
// (a number failing its checksum is not filled). Any other status, a timeout, an answer over 1 MiB or one
// that is not this JSON is recognise.engine_failed. Redirects are not followed; plain http only to loopback.
type HTTP struct {
	Name    string        // the service's name, reported as the engine
	URL     string        // the endpoint
	Token   string        // bearer token; empty sends none
	Timeout time.Duration // per call; 0 means 20 s
	Client  *http.Client  // nil: no redirects
	Now     func() time.Time
}

// serviceAnswer is the service's JSON.
type serviceAnswer struct {
	Text   string `json:"text"`
	Fields map[string]struct {
		Value      string  `json:"value"`
		Confidence float64 `json:"confidence"`
	} `json:"fields"`
}

func failed(err error) error { return problem.Wrap(err, "recognise.engine_failed") }

// Recognise implements Recogniser.
func (h *HTTP) Recognise(ctx context.Context, img []byte, kind Kind) (Result, error) {
	if err := checkKind(kind); err != nil {
		return Result{}, err
	}
	if _, err := imaging.Check(img, imaging.Photo); err != nil {
		return Result{}, err
	}
	ep := jsonpost.Endpoint{What: "OCR service", Name: h.Name, URL: h.URL, Token: h.Token, Timeout: h.Timeout,
		Client: h.Client, MaxAnswer: MaxOutput}
	if ep.Timeout <= 0 {
		ep.Timeout = 20 * time.Second
	}
	u, err := ep.CheckURL()
	if err != nil {
		return Result{}, failed(err)
	}
	var ans serviceAnswer
	if err := ep.Post(ctx, u, map[string]string{"image": base64.StdEncoding.EncodeToString(img),
		"image_type": http.DetectContentType(img[:min(len(img), 512)]), "kind": string(kind)}, &ans); err != nil {
		return Result{}, failed(err)
	}
	return h.result(kind, ans), nil
}

// result checks the service's fields like the local engine's: each given field is read as the value of its
// caption would be, so the same normalisation and checks apply.
func (h *HTTP) result(kind Kind, ans serviceAnswer) Result {
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	lines := linesOf(ans.Text, 1)
	captioned := func(caption, value string, conf float64) {
		var l line
		l.add(caption, 1, 0, 10, 10)
		l.add(value, min(max(conf, 0), 1), 30, 40, 10)
		lines = append([]line{l}, lines...) // before the text: the first caption of a field wins
	}
	seen := map[string]bool{}
	for _, lb := range layouts[kind] {
		if f, ok := ans.Fields[lb.field]; ok && !seen[lb.field] && lb.field != "" && clean(f.Value) != "" {
			seen[lb.field] = true
			captioned(lb.text, printed(clean(f.Value)), f.Confidence)
		}
	}
	if from, ok := ans.Fields[FieldValidFrom]; ok {
		to := ans.Fields[FieldValidTo]
		captioned("有效期限", clean(from.Value)+"-"+printed(clean(to.Value)), min(from.Confidence, to.Confidence))
	}
	return Result{Kind: kind, Engine: h.Name, Fields: interpret(kind, lines, now()), Text: clip(ans.Text, 8000)}
}

// printed turns the service's codes for sex and an open-ended validity back into what the card prints.
func printed(v string) string {
	switch v {
	case "male":
		return "男"
	case "female":
		return "女"
	case "long_term":
		return "长期"
	}
	return v
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
