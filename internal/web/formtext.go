package web

import (
	"mime"
	"net/http"

	"github.com/beian/beian/internal/cleantext"
)

// formText checks the text a page request carries, at the one place every page passes (Site.Page): the query and a
// URL-encoded form, each value named by its field. A multipart form is left to its handler, which parses it under
// its upload limit; its text values are codes the handler validates.
func formText(r *http.Request) error {
	if multipart(r) {
		return cleantext.Form(r.URL.Query()).Err()
	}
	r.ParseForm() // a malformed body leaves the values parsed so far; the handler answers as before
	return cleantext.Form(r.Form).Err()
}

// typedForm reports whether r is the POST of a URL-encoded form, whose refused text FormPost hands to its
// handler (the query of a multipart form holds codes, not typed text).
func typedForm(r *http.Request) bool { return r.Method == http.MethodPost && !multipart(r) }

func multipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}
