package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics/chstore/enginelib"
)

// TestRunFromAnywhere is issue 17's "Done when": a binary made by `go build
// -o` alone, run in an empty directory outside the checkout with HOME
// holding only the engine cache and no ANTQ_* variable, serves the demo:
// /readyz 200, the Tuyên Quang map with its 124 communes and a PNG chart.
// It needs the reference data inside the binary (the refdata branch).
func TestRunFromAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary with the demo dataset")
	}
	checkServesAnywhere(t, buildAntq(t))
}

// TestDistTarball: `make dist` writes the tarball; unpacked, it holds the
// binary, README, INSTALL, NOTICE, the licences (ECharts', the Go
// modules'), the systemd unit and env example, and its binary runs
// `antq version` and then passes the run-from-anywhere check.
func TestDistTarball(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the release tarball")
	}
	out := t.TempDir()
	const ver = "0.0.0-disttest"
	cmd := exec.Command("make", "--no-print-directory", "-C", "../..", "dist", "VERSION="+ver, "DIST_DIR="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make dist: %v\n%s", err, b)
	}
	name := "antq-" + ver + "-linux-amd64"
	files := untar(t, filepath.Join(out, name+".tar.gz"), out)
	for _, want := range []string{"antq", "README.md", "INSTALL.md", "NOTICE", "deploy/antq.service", "deploy/antq.env.example",
		"licenses/dashboard/web/dist/LICENSE.echarts.txt", "licenses/dashboard/web/dist/NOTICE.echarts.txt",
		"licenses/go/github.com/gofiber/fiber/v2/LICENSE", "licenses/go/github.com/ebitengine/purego/LICENSE"} {
		if !files[name+"/"+want] {
			t.Errorf("the tarball lacks %s/%s", name, want)
		}
	}
	bin := filepath.Join(out, name, "antq")
	b, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(b), "antq "+ver+" ") {
		t.Fatalf("antq version from the tarball: %v: %q, want it to print version %s", err, b, ver)
	}
	if t.Failed() {
		return
	}
	checkServesAnywhere(t, bin)
}

// untar unpacks a .tar.gz into dir and returns the names it held.
func untar(t *testing.T, path, dir string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the tarball: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	names := map[string]bool{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(h.Name, "/")
		names[name] = true
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if !strings.HasPrefix(dst, filepath.Clean(dir)+string(filepath.Separator)) {
			t.Fatalf("tarball entry %q escapes", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			os.MkdirAll(dst, 0o755)
		case tar.TypeReg:
			os.MkdirAll(filepath.Dir(dst), 0o755)
			w, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode)&0o777)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(w, tr); err != nil {
				t.Fatal(err)
			}
			w.Close()
		}
	}
	return names
}

// syncBuffer collects a child's output for the failure message.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// checkServesAnywhere runs bin as a new user would on a fresh machine: in
// an empty directory outside any checkout (so no ./refdata, no
// ../shared/geo), HOME holding only the engine cache, and no environment
// but PATH (for rsvg-convert) and HOME. It adds a user and an API token
// with the binary itself (the server is closed by default), serves the demo
// and checks the readiness, the map and a PNG chart.
func checkServesAnywhere(t *testing.T, bin string) {
	t.Helper()
	root := t.TempDir()
	home := filepath.Join(root, "home")
	work := filepath.Join(root, "work")
	cacheLib := enginelib.Path(filepath.Join(home, ".cache", "antq"))
	if err := os.MkdirAll(filepath.Dir(cacheLib), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(testLibCHDB(t), cacheLib); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}
	antq := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env, cmd.Stdin = work, env, strings.NewReader(stdin)
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("antq %s: %v\n%s", strings.Join(args, " "), err, b)
		}
		return string(b)
	}
	antq("", "user", "add", "checker", "--role", "viewer", "--province", "all")
	tok := regexp.MustCompile(`antq_[A-Za-z0-9_-]+`).FindString(antq("", "user", "token", "checker", "--label", "run-anywhere test"))
	if tok == "" {
		t.Fatal("antq user token printed no token")
	}

	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	var logs syncBuffer
	cmd := exec.Command(bin, "serve", "--demo", "--render-timeout", "10m", "--addr", fmt.Sprintf("127.0.0.1:%d", port))
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = work, env, &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(time.Minute): // hang guard
			cmd.Process.Kill()
			<-exited
		}
	}()

	// Ready: poll /readyz; the deadline is a hang guard, not a measure.
	client := &http.Client{Timeout: 2 * time.Minute}
	hang := time.Now().Add(10 * time.Minute)
	for {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("antq serve --demo exited before it was ready: %v\n%s", err, logs.String())
		default:
		}
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(hang) {
			t.Fatalf("antq serve --demo not ready (last: %v)\n%s", err, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}

	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, logs.String())
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	resp, body := get("/api/v1/map.geojson?province=08")
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &fc) != nil || fc.Type != "FeatureCollection" {
		t.Fatalf("map.geojson: %s %.300s", resp.Status, body)
	}
	if len(fc.Features) != 124 {
		t.Errorf("map.geojson?province=08: %d features, want the 124 communes of Tuyên Quang", len(fc.Features))
	}
	resp, body = get("/charts/map.png?province=08")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("map.png: %s %s %.300s", resp.Status, resp.Header.Get("Content-Type"), body)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(body)); err != nil || cfg.Width == 0 {
		t.Errorf("map.png is not a PNG: %v", err)
	}
}
