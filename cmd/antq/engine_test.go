package main

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics/chstore/enginelib"
)

// TestEngineOffline: with the engine missing from the cache and the
// registry unreachable, a command that opens the store and `antq setup`
// fail with the offline instructions: the package, the file, the cache path
// to copy it to and --libchdb; nothing is left in the cache.
func TestEngineOffline(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("ANTQ_CACHE", cache)
	t.Setenv("ANTQ_LIBCHDB", "")
	t.Setenv("ANTQ_NPM_REGISTRY", fmt.Sprintf("http://127.0.0.1:%d/", freePort(t))) // nobody listens
	dest := enginelib.Path(cache)
	for _, args := range [][]string{{"setup"}, {"migrate", "--data", filepath.Join(t.TempDir(), "data")}} {
		var stdout, stderr bytes.Buffer
		err := run(args, &stdout, &stderr)
		if err == nil {
			t.Fatalf("antq %s offline: no error", args[0])
		}
		for _, want := range []string{"không tải được", dest, "--libchdb PATH", enginelib.Package + "@" + enginelib.Version, "package/libchdb.so"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("antq %s offline: the error lacks %q:\n%v", args[0], want, err)
			}
		}
		if !strings.Contains(stderr.String(), "fetching "+enginelib.Package) {
			t.Errorf("antq %s: stderr %q does not say what it fetches", args[0], stderr.String())
		}
		if m, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), "*")); len(m) > 0 {
			t.Errorf("antq %s offline left %v in the cache", args[0], m)
		}
	}
}

// TestEngineExplicitPathMissing: a --libchdb that names no file is not
// fetched into; the error names the path and the way out.
func TestEngineExplicitPathMissing(t *testing.T) {
	t.Setenv("ANTQ_CACHE", t.TempDir())
	t.Setenv("ANTQ_NPM_REGISTRY", fmt.Sprintf("http://127.0.0.1:%d/", freePort(t)))
	missing := filepath.Join(t.TempDir(), "nope", "libchdb.so")
	err := run([]string{"migrate", "--data", t.TempDir(), "--libchdb", missing}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "no engine library at --libchdb "+missing) || !strings.Contains(err.Error(), "antq setup") {
		t.Errorf("err = %v", err)
	}
}

// TestVersionCheckMissing: `antq version --check` lists the engine library
// and rsvg-convert as missing, with what to do, and fails.
func TestVersionCheckMissing(t *testing.T) {
	t.Setenv("ANTQ_LIBCHDB", "")
	dir := t.TempDir()
	var stdout bytes.Buffer
	err := run([]string{"version", "--check", "--libchdb", filepath.Join(dir, "libchdb.so"), "--rsvg-convert", filepath.Join(dir, "rsvg-convert"),
		"--data", filepath.Join(dir, "data")}, &stdout, &bytes.Buffer{})
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != 1 || !strings.Contains(ex.msg, "engine, rsvg-convert") {
		t.Fatalf("err = %v, want exit 1 naming engine and rsvg-convert", err)
	}
	out := stdout.String()
	for _, want := range []string{"MISSING engine", "antq setup", "MISSING rsvg-convert", "librsvg2-bin", "fonts"} {
		if !strings.Contains(out, want) {
			t.Errorf("version --check output lacks %q:\n%s", want, out)
		}
	}
	// With everything present it says ok and opens the engine.
	stdout.Reset()
	if err := run([]string{"version", "--check", "--libchdb", testLibCHDB(t), "--data", filepath.Join(dir, "data2")}, &stdout, &bytes.Buffer{}); err != nil {
		t.Fatalf("version --check: %v\n%s", err, stdout.String())
	}
	for _, want := range []string{"ok      engine", "ok      rsvg-convert", "ok      fonts", "clickhouse "} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("version --check output lacks %q:\n%s", want, stdout.String())
		}
	}
}
