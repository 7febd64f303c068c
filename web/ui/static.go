package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed static
var staticFiles embed.FS

// assets are the embedded static files, each with a version taken from its
// content, so a page can link "/static/style.css?v=…" and browsers may keep it
// for a year: a new stylesheet has a new address.
type assets struct {
	files   fs.FS
	version map[string]string // file name → version
}

func mustLoadAssets() *assets {
	files, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err)
	}
	a := &assets{files: files, version: map[string]string{}}
	err = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.version[name] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		panic(err)
	}
	return a
}

// url returns the versioned address of a static file.
func (a *assets) url(name string) string {
	return "/static/" + name + "?v=" + a.version[name]
}

// static serves the files under /static/. The current version of a file may
// be cached for good; other requests for it, for an hour.
func (s *server) static() http.Handler {
	files := http.StripPrefix("/static/", http.FileServerFS(s.assets.files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		v, ok := s.assets.version[name]
		if !ok {
			s.handle(s.notFound)(w, r) // no directory listings, and a page in the visitor's language
			return
		}
		if r.URL.Query().Get("v") == v {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}
