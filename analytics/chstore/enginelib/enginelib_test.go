package enginelib

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// fakePackage is an npm tarball like the real one: package/package.json,
// package/libchdb.so (here a few hundred KiB of bytes) and a README.
func fakePackage(t *testing.T, lib []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range []struct {
		name string
		body []byte
	}{
		{"package/package.json", []byte(`{"name":"@chdb/lib-linux-x64-gnu","version":"0.0.0-test"}`)},
		{"package/libchdb.so", lib},
		{"package/README.md", []byte("fake")},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(f.body)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func integrity(b []byte) string {
	s := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(s[:])
}

// registry serves the package metadata and the tarball like npm; tgz may
// be altered by the test case.
type registry struct {
	srv       *httptest.Server
	announced string // integrity in the metadata
	tgz       []byte // bytes served
	truncate  bool   // declare the full length, send half, hang up
	tarballs  atomic.Int32
}

func newRegistry(t *testing.T, announced string, tgz []byte) *registry {
	r := &registry{announced: announced, tgz: tgz}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /@chdb%2flib-linux-x64-gnu", func(w http.ResponseWriter, req *http.Request) {
		if !strings.Contains(req.Header.Get("Accept"), "application/vnd.npm.install-v1+json") {
			t.Errorf("metadata request without npm's Accept header: %q", req.Header.Get("Accept"))
		}
		fmt.Fprintf(w, `{"name":"@chdb/lib-linux-x64-gnu","versions":{"0.0.0-test":{"dist":{"integrity":%q,"tarball":"%s/@chdb/lib-linux-x64-gnu/-/lib-linux-x64-gnu-0.0.0-test.tgz"}}}}`,
			r.announced, r.srv.URL)
	})
	mux.HandleFunc("GET /@chdb/lib-linux-x64-gnu/-/lib-linux-x64-gnu-0.0.0-test.tgz", func(w http.ResponseWriter, req *http.Request) {
		r.tarballs.Add(1)
		w.Header().Set("Content-Length", strconv.Itoa(len(r.tgz)))
		if r.truncate {
			w.Write(r.tgz[:len(r.tgz)/2])
			// Hang up mid-body: the client sees fewer bytes than declared.
			if hj, ok := w.(http.Hijacker); ok {
				w.(http.Flusher).Flush()
				c, _, _ := hj.Hijack()
				c.Close()
			}
			return
		}
		w.Write(r.tgz)
	})
	r.srv = httptest.NewServer(mux)
	t.Cleanup(r.srv.Close)
	return r
}

func testLib(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

// cacheFiles lists what the fetch left in the cache directory.
func cacheFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	es, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestFetch(t *testing.T) {
	lib := testLib(300 << 10)
	tgz := fakePackage(t, lib)
	good := integrity(tgz)
	src := Source{Package: Package, Version: "0.0.0-test", Integrity: good}

	t.Run("good integrity: unpacked, atomically in place, progress shown", func(t *testing.T) {
		reg := newRegistry(t, good, tgz)
		dest := filepath.Join(t.TempDir(), "chdb", "0.0.0-test", FileName)
		var progress bytes.Buffer
		f := &Fetcher{Registry: reg.srv.URL, Source: src, Progress: &progress}
		fetched, err := f.Ensure(context.Background(), dest)
		if err != nil || !fetched {
			t.Fatalf("Ensure = %v, %v", fetched, err)
		}
		got, err := os.ReadFile(dest)
		if err != nil || !bytes.Equal(got, lib) {
			t.Fatalf("cached library: %d bytes, %v; want the package's %d bytes", len(got), err, len(lib))
		}
		if st, _ := os.Stat(dest); st.Mode().Perm()&0o100 == 0 {
			t.Errorf("mode %v, want executable like the npm file", st.Mode())
		}
		for _, n := range cacheFiles(t, filepath.Dir(dest)) {
			if strings.HasSuffix(n, ".part") {
				t.Errorf("temporary file %s left behind", n)
			}
		}
		if !strings.Contains(progress.String(), "@chdb/lib-linux-x64-gnu@0.0.0-test: 100%") || strings.Contains(progress.String(), "\r") {
			t.Errorf("progress output %q: want lines (not a terminal) naming the package, up to 100%%", progress.String())
		}
		// A second Ensure uses the cache: no new download.
		if fetched, err := f.Ensure(context.Background(), dest); err != nil || fetched {
			t.Errorf("second Ensure = %v, %v; want the cached file", fetched, err)
		}
		if n := reg.tarballs.Load(); n != 1 {
			t.Errorf("%d tarball downloads, want 1", n)
		}
	})

	t.Run("bad integrity: clear error, nothing cached", func(t *testing.T) {
		reg := newRegistry(t, good, fakePackage(t, append(testLib(300 << 10)[:1000], 'x'))) // another library
		dir := t.TempDir()
		dest := filepath.Join(dir, FileName)
		_, err := (&Fetcher{Registry: reg.srv.URL, Source: src}).Ensure(context.Background(), dest)
		if !errors.Is(err, ErrIntegrity) || !strings.Contains(err.Error(), good) || !strings.Contains(err.Error(), "nothing cached") {
			t.Fatalf("err = %v, want an integrity mismatch naming the pinned sha512", err)
		}
		if names := cacheFiles(t, dir); len(names) != 0 {
			t.Errorf("cache holds %v after a bad download, want nothing", names)
		}
	})

	t.Run("registry announces another integrity: refused before downloading", func(t *testing.T) {
		reg := newRegistry(t, integrity([]byte("other")), tgz)
		dir := t.TempDir()
		_, err := (&Fetcher{Registry: reg.srv.URL, Source: src}).Ensure(context.Background(), filepath.Join(dir, FileName))
		if !errors.Is(err, ErrIntegrity) {
			t.Fatalf("err = %v, want ErrIntegrity", err)
		}
		if reg.tarballs.Load() != 0 || len(cacheFiles(t, dir)) != 0 {
			t.Errorf("downloaded %d times, cache %v; want neither", reg.tarballs.Load(), cacheFiles(t, dir))
		}
	})

	t.Run("truncated download: clear error, nothing cached", func(t *testing.T) {
		reg := newRegistry(t, good, tgz)
		reg.truncate = true
		dir := t.TempDir()
		_, err := (&Fetcher{Registry: reg.srv.URL, Source: src}).Ensure(context.Background(), filepath.Join(dir, FileName))
		if err == nil || !strings.Contains(err.Error(), "cut short") {
			t.Fatalf("err = %v, want a download cut short", err)
		}
		if names := cacheFiles(t, dir); len(names) != 0 {
			t.Errorf("cache holds %v after a truncated download, want nothing", names)
		}
	})

	t.Run("package without libchdb.so", func(t *testing.T) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		tw := tar.NewWriter(zw)
		tw.WriteHeader(&tar.Header{Name: "package/README.md", Mode: 0o644, Size: 1, Typeflag: tar.TypeReg})
		tw.Write([]byte("x"))
		tw.Close()
		zw.Close()
		reg := newRegistry(t, integrity(buf.Bytes()), buf.Bytes())
		dir := t.TempDir()
		_, err := (&Fetcher{Registry: reg.srv.URL, Source: Source{Package: Package, Version: "0.0.0-test", Integrity: integrity(buf.Bytes())}}).
			Ensure(context.Background(), filepath.Join(dir, FileName))
		if err == nil || !strings.Contains(err.Error(), "no package/libchdb.so") || len(cacheFiles(t, dir)) != 0 {
			t.Fatalf("err = %v, cache %v", err, cacheFiles(t, dir))
		}
	})

	t.Run("offline: a FetchError, and the help says what to copy where", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := "http://" + ln.Addr().String()
		ln.Close() // nothing listens there any more
		dir := t.TempDir()
		dest := filepath.Join(dir, "chdb", Version, FileName)
		_, err = (&Fetcher{Registry: addr, Source: src}).Ensure(context.Background(), dest)
		var fe *FetchError
		if !errors.As(err, &fe) {
			t.Fatalf("err = %v (%T), want a *FetchError", err, err)
		}
		if names := cacheFiles(t, filepath.Dir(dest)); len(names) != 0 {
			t.Errorf("cache holds %v, want nothing", names)
		}
		help := OfflineHelp(dest, addr)
		for _, want := range []string{dest, "--libchdb PATH", Package + "@" + Version, "package/libchdb.so", Integrity,
			addr + "/@chdb/lib-linux-x64-gnu/-/lib-linux-x64-gnu-" + Version + ".tgz", "không tải được"} {
			if !strings.Contains(help, want) {
				t.Errorf("offline help lacks %q:\n%s", want, help)
			}
		}
		if !strings.HasPrefix(help, "không") {
			t.Errorf("offline help is not Vietnamese first:\n%s", help)
		}
	})

	t.Run("unknown version", func(t *testing.T) {
		reg := newRegistry(t, good, tgz)
		_, err := (&Fetcher{Registry: reg.srv.URL, Source: Source{Package: Package, Version: "9.9.9", Integrity: good}}).
			Ensure(context.Background(), filepath.Join(t.TempDir(), FileName))
		var fe *FetchError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "no @chdb/lib-linux-x64-gnu@9.9.9") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestPathAndTarballURL(t *testing.T) {
	if got, want := Path("/c"), "/c/chdb/"+Version+"/libchdb.so"; got != want {
		t.Errorf("Path = %s, want %s", got, want)
	}
	if got, want := TarballURL("https://registry.npmjs.org/"), "https://registry.npmjs.org/@chdb/lib-linux-x64-gnu/-/lib-linux-x64-gnu-"+Version+".tgz"; got != want {
		t.Errorf("TarballURL = %s, want %s", got, want)
	}
}
