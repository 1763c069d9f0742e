package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"path"
	"strings"
	"sync"
)

// File is one asset as served: its bytes, their gzip (made once), a strong
// ETag and the Content-Type.
type File struct {
	Body, Gzip        []byte
	ETag, ContentType string
}

// ErrNotFound reports a name that is not an asset the server gives out (a
// path outside the tree, a dot file, an unknown type).
var ErrNotFound = errors.New("không có tệp này / no such asset")

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
}

// Static keeps the assets served so far, each compressed once. The zero
// value is ready to use.
type Static struct {
	mu    sync.Mutex
	files map[string]*File
}

// File returns the asset name (see Asset), compressed and tagged on first
// use. A name that is not servable gives ErrNotFound; one that is missing
// from the build, an error wrapping ErrAssetsMissing.
func (s *Static) File(name string) (*File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.files[name]; ok {
		return f, nil
	}
	if !fs.ValidPath(name) || strings.HasPrefix(path.Base(name), ".") {
		return nil, ErrNotFound
	}
	ctype, ok := contentTypes[path.Ext(name)]
	if !ok {
		return nil, ErrNotFound
	}
	b, err := Asset(name)
	if err != nil {
		return nil, err
	}
	return s.keep(name, b, ctype), nil
}

// Page returns the page (index.html) with the police year in its
// antq-police-year meta element, which sets app.js's default period.
func (s *Static) Page(policeYear string) (*File, error) {
	key := "index.html#" + policeYear
	s.mu.Lock()
	f, ok := s.files[key]
	s.mu.Unlock()
	if ok {
		return f, nil
	}
	page, err := s.File("index.html")
	if err != nil {
		return nil, err
	}
	body := bytes.Replace(page.Body, []byte(`<meta name="antq-police-year" content="">`),
		[]byte(`<meta name="antq-police-year" content="`+policeYear+`">`), 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keep(key, body, page.ContentType), nil
}

// keep compresses b and stores it under key; s.mu is held.
func (s *Static) keep(key string, b []byte, ctype string) *File {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	h := sha256.Sum256(b)
	f := &File{Body: b, Gzip: gz.Bytes(), ETag: `"` + hex.EncodeToString(h[:12]) + `"`, ContentType: ctype}
	if s.files == nil {
		s.files = map[string]*File{}
	}
	s.files[key] = f
	return f
}
