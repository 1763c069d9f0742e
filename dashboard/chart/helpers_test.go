package chart

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/dashboard/web"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func mustAssets(tb testing.TB) {
	tb.Helper()
	if _, err := web.Asset(web.EChartsJS); err != nil {
		tb.Fatalf("%v\n(the chart tests need the real ECharts build: run `make -C dashboard/web` before `go test`)", err)
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

func ptr(v float64) *float64 { return &v }
