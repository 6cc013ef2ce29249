package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
)

// The static files every page links (styles, scripts, icons), served under a content-hash URL.

//go:embed static
var staticFS embed.FS

type asset struct {
	data  []byte
	hash  string
	ctype string
}

var (
	assetsOnce sync.Once
	assets     map[string]asset
)

func loadAssets() map[string]asset {
	assetsOnce.Do(func() {
		assets = map[string]asset{}
		fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := staticFS.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			name := strings.TrimPrefix(p, "static/")
			assets[name] = asset{data: b, hash: hex.EncodeToString(sum[:])[:12], ctype: mime.TypeByExtension(path.Ext(name))}
			return nil
		})
	})
	return assets
}

// assetURL is the versioned URL of a static file: its content hash is part of the path, so it can be cached
// for ever and a new build is picked up at once.
func assetURL(name string) string {
	a, ok := loadAssets()[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + a.hash + "/" + name
}

func serveStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := loadAssets()[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.PathValue("hash") == a.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	if a.ctype != "" {
		w.Header().Set("Content-Type", a.ctype)
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(a.data)
}

// AssetURL is assetURL for contexts that render pages in their own frame (the police platform simulator).
func AssetURL(name string) string { return assetURL(name) }
