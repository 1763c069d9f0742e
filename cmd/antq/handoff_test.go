package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
)

func TestMain(m *testing.M) { os.Exit(chstoretest.Main(m)) }

func mustWrite(tb testing.TB, path, content string) string {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestAllowedFile: the hand-off opens only regular, ingestable files whose
// real path lies under an ingest directory.
func TestAllowedFile(t *testing.T) {
	root := t.TempDir()
	allowed := filepath.Join(root, "nap")
	outside := filepath.Join(root, "ngoai")
	good := mustWrite(t, filepath.Join(allowed, "sub", "diem.csv"), "a\n")
	secret := mustWrite(t, filepath.Join(outside, "secret.csv"), "a\n")
	mustWrite(t, filepath.Join(allowed, "passwd"), "root:x:0:0\n")
	if err := os.Symlink(secret, filepath.Join(allowed, "link.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(allowed, "etc.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(allowed, "dir.csv"), 0o700); err != nil {
		t.Fatal(err)
	}
	dirs := []string{mustReal(t, allowed)}
	for _, tc := range []struct {
		name, path string
		ok         bool
	}{
		{"file under the directory", good, true},
		{"dot-dot out of it", filepath.Join(allowed, "..", "ngoai", "secret.csv"), false},
		{"file elsewhere", secret, false},
		{"link to a file elsewhere", filepath.Join(allowed, "link.csv"), false},
		{"link to a system file", filepath.Join(allowed, "etc.csv"), false},
		{"not an ingestable name", filepath.Join(allowed, "passwd"), false},
		{"system file", "/etc/passwd", false},
		{"device", "/dev/zero", false},
		{"directory", filepath.Join(allowed, "dir.csv"), false},
		{"relative path", "diem.csv", false},
		{"missing file", filepath.Join(allowed, "none.csv"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			real, err := allowedFile(dirs, tc.path)
			if tc.ok != (err == nil) {
				t.Fatalf("allowedFile(%s) = %q, %v; want allowed %v", tc.path, real, err, tc.ok)
			}
			if err != nil && strings.Contains(err.Error(), "root:x") {
				t.Errorf("error echoes file content: %v", err)
			}
		})
	}
}

func mustReal(tb testing.TB, p string) string {
	tb.Helper()
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// TestIngestDirs: the default is the data directory and the working
// directory; "/" is refused when named and skipped by default.
func TestIngestDirs(t *testing.T) {
	data := t.TempDir()
	c := config{Data: data}
	dirs, err := c.ingestDirs()
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if len(dirs) != 2 || dirs[0] != mustReal(t, data) || dirs[1] != mustReal(t, wd) {
		t.Errorf("default ingest dirs %v, want the data and working directories", dirs)
	}
	c.IngestDirs = "/"
	if _, err := c.ingestDirs(); err == nil {
		t.Error("--ingest-dirs / was accepted")
	}
}

// TestLocalIngestHandOff drives the server side of the hand-off: the token
// is compared in full, paths outside the ingest directories are refused,
// and a file that cannot be parsed is reported without its content.
func TestLocalIngestHandOff(t *testing.T) {
	ctx := context.Background()
	store := chstoretest.Open(t)
	set, err := openReference(ctx, &config{}) // the embedded bundle
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syncReference(ctx, store, set); err != nil {
		t.Fatal(err)
	}
	dir := mustReal(t, t.TempDir())
	const token = "0123456789abcdef0123456789abcdef"
	h := localIngest(store, set, token, []string{dir}, nil)
	call := func(tok string, files ...string) (int, ingestReply) {
		t.Helper()
		body, _ := json.Marshal(ingestRequest{Files: files})
		status, b := h(ctx, tok, body)
		var r ingestReply
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("reply %s: %v", b, err)
		}
		return status, r
	}
	const secret = "SECRET-HEADER-VALUE"
	garbled := mustWrite(t, filepath.Join(dir, "garbled.csv"), secret+";khác\n1;2\n")
	outside := mustWrite(t, filepath.Join(t.TempDir(), "x.csv"), "a\n")

	for _, tc := range []struct {
		name, tok string
		file      string
		status    int
		errHas    string
	}{
		{"no token", "", garbled, http.StatusForbidden, "bad local token"},
		{"wrong token of the same length", strings.Repeat("x", len(token)), garbled, http.StatusForbidden, "bad local token"},
		{"prefix of the token", token[:10], garbled, http.StatusForbidden, "bad local token"},
		{"token with a suffix", token + "0", garbled, http.StatusForbidden, "bad local token"},
		{"file outside the ingest directories", token, outside, http.StatusForbidden, "--ingest-dirs"},
		{"system file", token, "/etc/hostname", http.StatusForbidden, "not a file kind"},
		{"unparseable file", token, garbled, http.StatusOK, "could not be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, r := call(tc.tok, tc.file)
			if status != tc.status || !strings.Contains(r.Error+r.Summary, tc.errHas) || r.ExitCode == 0 {
				t.Fatalf("status %d error %q summary %q; want %d and %q", status, r.Error, r.Summary, tc.status, tc.errHas)
			}
			if strings.Contains(r.Error+r.Summary, secret) || strings.Contains(r.Error+r.Summary, "khác") {
				t.Errorf("the reply echoes the file's content: %+v", r)
			}
		})
	}
	// The same file read directly (no hand-off, the caller's own file)
	// names what it found: the content check above can fail.
	text, _, err := runJob(ctx, store, set, ingestRequest{Files: []string{garbled}}, nil)
	if !strings.Contains(text+errMsg(err), secret) {
		t.Errorf("direct ingest does not name the header it found: %s %v", text, err)
	}
}
