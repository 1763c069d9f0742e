package chart

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/antq-atlas/antq/analytics/commune/communetest"
	"github.com/antq-atlas/antq/dashboard/web"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

var (
	sharedOnce sync.Once
	shared     *Renderer
	sharedErr  error
)

// mustRenderer returns a renderer shared by the tests of this binary (a
// runtime takes ≈ 0.2 s to load). Missing assets fail the test: the
// Makefile builds them before go test.
func mustRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	mustAssets(tb)
	sharedOnce.Do(func() { shared, sharedErr = New(Options{}) })
	if sharedErr != nil {
		tb.Fatalf("new renderer: %v", sharedErr)
	}
	return shared
}

func mustAssets(tb testing.TB) {
	tb.Helper()
	if _, err := web.Asset(web.EChartsJS); err != nil {
		tb.Fatalf("%v\n(the chart tests need the real ECharts build: run `make -C dashboard/web` before `go test`)", err)
	}
}

func mustJSON(tb testing.TB, v any) json.RawMessage {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// mustWellFormed decodes the whole SVG with encoding/xml.
func mustWellFormed(tb testing.TB, svg []byte) {
	tb.Helper()
	d := xml.NewDecoder(strings.NewReader(string(svg)))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			tb.Fatalf("svg is not well-formed XML: %v", err)
		}
	}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(got) {
		tb.Errorf("%s differs from the golden file (go test -update rewrites it)\n got: %s\nwant: %s", name, got, want)
	}
}

// indent pretty-prints JSON for golden files.
func indent(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatalf("invalid JSON: %v\n%s", err, b)
	}
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		tb.Fatal(err)
	}
	return []byte(sb.String())
}

// refGeo reads a file of the reference sources (shared/geo, found by
// communetest, which fails the test when it is missing).
func refGeo(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(communetest.File(tb, name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func ctxT(tb testing.TB) context.Context {
	if t, ok := tb.(interface{ Context() context.Context }); ok {
		return t.Context()
	}
	return context.Background()
}

func ptr(v float64) *float64 { return &v }
