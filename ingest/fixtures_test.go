package ingest

import (
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/ingest/ingesttest"
)

// -update rewrites the fixtures under testdata/ and the golden files.
var update = flag.Bool("update", false, "rewrite testdata fixtures and golden files")

func itoa(n int) string { return strconv.Itoa(n) }

// fixture returns the path of a fixture, writing it first under -update.
func fixture(t testing.TB, name string) string {
	t.Helper()
	return ingesttest.Fixture(t, "testdata", name, *update)
}

// copyFixture copies a fixture into a temporary directory, where the job
// may write its rejects.
func copyFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(fixture(t, name))
	if err != nil {
		t.Fatalf("read fixture (run go test -update once): %v", err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func csvReader(s string) [][]string {
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		panic(err)
	}
	return recs
}
