package web

import (
	_ "embed"
	"net/http"
)

// openAPI is the API's OpenAPI 3.1 document, kept true by TestOpenAPIMatchesRoutes.
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPI)
}

// OpenAPI is the published document.
func OpenAPI() []byte { return openAPI }
