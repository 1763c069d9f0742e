package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics/commune/communetest"
)

// TestBundleReproducible rebuilds the bundle from the sources into a
// temporary folder and compares it byte for byte with the committed one
// (analytics/commune/bundle): the bundle is what the builder makes, and
// the builder is deterministic. Gzip'd files are compared after
// decompression, so a Go release that changes compress/flate's output does
// not fail it while the data are the same. It fails when the sources are
// missing (make test provides them).
func TestBundleReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("rebuilds the bundle from the full-resolution sources (about 20 s)")
	}
	from, vnad := communetest.RefDir(t), communetest.VNAD(t)
	out := t.TempDir()
	if err := build(from, vnad, out, io.Discard); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "bundle")
	want, err := os.ReadDir(committed)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("rebuilt %d files, committed %d", len(got), len(want))
	}
	for _, e := range want {
		a, err := os.ReadFile(filepath.Join(committed, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Errorf("%s: not rebuilt: %v", e.Name(), err)
			continue
		}
		if strings.HasSuffix(e.Name(), ".gz") {
			if a, err = gunzip(a); err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			if b, err = gunzip(b); err != nil {
				t.Fatalf("%s (rebuilt): %v", e.Name(), err)
			}
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: the committed file (%d bytes) differs from the rebuild (%d bytes): run make refdata-bundle", e.Name(), len(a), len(b))
		}
	}
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}
