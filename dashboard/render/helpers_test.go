package render

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/antq-atlas/antq/analytics/commune/communetest"
	"github.com/antq-atlas/antq/dashboard/web"
)

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
