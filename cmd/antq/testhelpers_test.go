package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics/chstore"
)

// testLibCHDB is the engine library: $ANTQ_LIBCHDB or the set-up's cache.
func testLibCHDB(tb testing.TB) string {
	tb.Helper()
	p := os.Getenv("ANTQ_LIBCHDB")
	if p == "" {
		p = chstore.DefaultLibPath()
	}
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("libchdb.so: %v (run `make engine`, or set ANTQ_LIBCHDB)", err)
	}
	return p
}

// buildAntq builds the antq binary into a temporary directory.
func buildAntq(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "antq")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// childEnv is the environment of an antq child process: this one's, with
// the engine found for it, no ANTQ_DATA (the tests pass --data) and no
// reference-data overrides (the child uses the bundle built into it).
func childEnv(tb testing.TB) []string {
	tb.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k == "ANTQ_DATA" || k == "ANTQ_REFDATA" || k == "ANTQ_VNAD" || k == "ANTQ_LIBCHDB" {
			continue
		}
		env = append(env, kv)
	}
	// A loaded 2-core machine draws slowly: no test times a render.
	return append(env, "ANTQ_LIBCHDB="+testLibCHDB(tb), "ANTQ_RENDER_TIMEOUT=10m")
}

// envInt reads a positive integer from the environment, else def.
func envInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		tb.Fatalf("%s=%q: want a whole number", name, s)
	}
	return n
}
