package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/commune"
)

// testRefData finds the reference bundle as `make test` passes it
// ($ANTQ_REFDATA), else by walking up from the working directory to the
// first ancestor holding shared/geo (the clone's sibling on the build
// machines). Without it the test fails: it is not optional.
func testRefData(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("ANTQ_REFDATA"); d != "" {
		dir, err := commune.FindRefData(d)
		if err != nil {
			tb.Fatal(err)
		}
		return dir
	}
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if dir, err := commune.FindRefData(filepath.Join(d, "shared", "geo")); err == nil {
			return dir
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	tb.Fatalf("no reference data: set ANTQ_REFDATA (searched upward from %s for shared/geo)", wd)
	return ""
}

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
// the reference data and the engine found for it and no ANTQ_DATA (the
// tests pass --data).
func childEnv(tb testing.TB) []string {
	tb.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k == "ANTQ_DATA" || k == "ANTQ_REFDATA" || k == "ANTQ_LIBCHDB" {
			continue
		}
		env = append(env, kv)
	}
	vnad, err := commune.FindVNAD("")
	if err != nil {
		tb.Fatal(err)
	}
	return append(env, "ANTQ_REFDATA="+testRefData(tb), "ANTQ_LIBCHDB="+testLibCHDB(tb), "ANTQ_VNAD="+vnad)
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
