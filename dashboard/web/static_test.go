package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestStatic(t *testing.T) {
	var s Static
	f, err := s.File(AntqJS)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Asset(AntqJS)
	if !bytes.Equal(f.Body, want) || f.ContentType != "text/javascript; charset=utf-8" || len(f.ETag) != 26 {
		t.Errorf("antq.js: %d bytes, type %q, etag %q", len(f.Body), f.ContentType, f.ETag)
	}
	zr, err := gzip.NewReader(bytes.NewReader(f.Gzip))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, f.Body) {
		t.Error("the gzip does not hold the body")
	}
	if again, _ := s.File(AntqJS); again != f {
		t.Error("the file was made twice")
	}
	for _, name := range []string{"../web.go", "/etc/passwd", ".hidden.js", "src/../x.js", "web.go", "app.exe"} {
		if _, err := s.File(name); !errors.Is(err, ErrNotFound) {
			t.Errorf("File(%q): %v, want ErrNotFound", name, err)
		}
	}
	if _, err := s.File("nothere.js"); !errors.Is(err, ErrAssetsMissing) {
		t.Errorf("a missing .js: %v, want ErrAssetsMissing", err)
	}
	p, err := s.Page("2026")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(p.Body), `<meta name="antq-police-year" content="2026">`) {
		t.Error("the page does not carry the police year")
	}
	if p2, _ := s.Page("2027"); p2.ETag == p.ETag {
		t.Error("two years share an ETag")
	}
}
