package render

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/web"
	"github.com/antq-atlas/antq/internal/lru"

	"golang.org/x/sys/unix"
)

// DefaultFontFamily lists fonts with Vietnamese glyphs first. On Debian,
// fonts-dejavu-core provides DejaVu Sans, which rsvg-convert finds through
// fontconfig; browsers opening the SVG fall back along the list.
const DefaultFontFamily = "DejaVu Sans, Noto Sans, Arial, sans-serif"

// ErrNoRasteriser is a PNG asked of a machine without rsvg-convert (an
// unavailable error: SVG, JSON and CSV keep working).
var ErrNoRasteriser = errors.New("không tạo được ảnh PNG: máy chủ chưa cài rsvg-convert (gói Debian librsvg2-bin và fonts-dejavu-core); SVG, JSON và CSV vẫn dùng được / " +
	"PNG unavailable: rsvg-convert not found: install the Debian packages librsvg2-bin and fonts-dejavu-core; SVG, JSON and CSV still work")

// noRasteriser is the look-up's error; it is ErrNoRasteriser for errors.Is.
type noRasteriser struct{ err error }

func (e noRasteriser) Error() string        { return e.err.Error() }
func (e noRasteriser) Unwrap() error        { return e.err }
func (e noRasteriser) Is(target error) bool { return target == ErrNoRasteriser }

// Options configure a Renderer. The zero value is ready for production.
type Options struct {
	// Runtimes bounds the goja runtimes (≈ 5 MB and ≈ 0.2 s each to load),
	// hence concurrent renders. Default 2.
	Runtimes int
	// CacheBytes bounds the cache of rendered bytes. Default 64 MiB; negative
	// turns caching off.
	CacheBytes int64
	// RenderTimeout bounds one render (JavaScript and rasterising). Default 30 s.
	RenderTimeout time.Duration
	// RSVGConvert is the rasteriser's path; default "rsvg-convert" on PATH.
	RSVGConvert string
	// RasterMemory caps the address space of each rsvg-convert (RLIMIT_AS,
	// set with prlimit(2) before the SVG is written to it): a drawing that
	// needs more fails instead of taking the server's memory. Default
	// 512 MiB (a 16 Mpx map needs about 150); negative: no limit.
	RasterMemory int64
	// FontFamily is the default font of every text; default DefaultFontFamily.
	FontFamily string
	// Assets reads a built front-end file; default web.Asset (tests may
	// point it elsewhere).
	Assets func(name string) ([]byte, error)
}

// Renderer renders ECharts options to SVG and PNG. It is safe for concurrent
// use; Close stops background renders.
type Renderer struct {
	opts  Options
	pool  *pool
	cache *lru.Cache[[]byte] // cache.go

	base   context.Context // cancelled by Close; renders run under it
	cancel context.CancelFunc
	warm   sync.WaitGroup

	geoMu sync.Mutex
	geo   map[string]thinnedMap // name\x00version -> thinned GeoJSON

	hits, misses, renders, rasters, errs atomic.Int64
}

// Stats are counters for monitoring and benchmarks.
type Stats struct {
	Hits, Misses     int64 // cache lookups
	Renders, Rasters int64 // SVG renders in goja; PNG rasterisations
	Errors           int64
	Runtimes         int   // goja runtimes created so far
	CacheEntries     int   // entries in the cache
	CacheBytes       int64 // bytes in the cache
}

// New returns a Renderer. It compiles ECharts once but loads no runtime until
// the first render. Missing front-end assets are an error here, so a server
// built without `make assets` fails at start with that instruction.
func New(opts Options) (*Renderer, error) {
	if opts.Runtimes <= 0 {
		opts.Runtimes = 2
	}
	if opts.CacheBytes == 0 {
		opts.CacheBytes = 64 << 20
	}
	if opts.RenderTimeout <= 0 {
		opts.RenderTimeout = 30 * time.Second
	}
	if opts.RSVGConvert == "" {
		opts.RSVGConvert = "rsvg-convert"
	}
	if opts.RasterMemory == 0 {
		opts.RasterMemory = 512 << 20
	}
	if opts.FontFamily == "" {
		opts.FontFamily = DefaultFontFamily
	}
	if opts.Assets == nil {
		opts.Assets = web.Asset
	}
	var src [3][]byte
	for i, name := range []string{web.EChartsJS, web.LocaleVIJS, web.AntqJS} {
		b, err := opts.Assets(name)
		if err != nil {
			return nil, analytics.NewError(analytics.CodeInternal, "chart renderer: "+err.Error(), err)
		}
		src[i] = b
	}
	progs, err := compile(src[0], src[1], src[2])
	if err != nil {
		return nil, analytics.NewError(analytics.CodeInternal, "chart renderer: "+err.Error(), err)
	}
	r := &Renderer{
		opts:  opts,
		pool:  newPool(progs, opts.Runtimes),
		cache: newCache(opts.CacheBytes),
		geo:   map[string]thinnedMap{},
	}
	r.base, r.cancel = context.WithCancel(context.Background())
	return r, nil
}

// Close cancels background and in-flight renders and waits for Warm calls to
// end. The Renderer must not be used afterwards.
func (r *Renderer) Close() error {
	r.cancel()
	r.warm.Wait()
	return nil
}

// SVG returns the chart as an SVG document. The bytes may be shared with
// other callers and must not be modified.
func (r *Renderer) SVG(ctx context.Context, spec chart.Spec) ([]byte, error) {
	return r.get(ctx, spec, chart.SVG)
}

// PNG returns the chart as a PNG of Width·Scale × Height·Scale pixels. The
// bytes may be shared with other callers and must not be modified.
func (r *Renderer) PNG(ctx context.Context, spec chart.Spec) ([]byte, error) {
	return r.get(ctx, spec, chart.PNG)
}

// Warm renders spec into the cache in the background, for charts too slow to
// render on request (a national map takes seconds). It checks spec at once
// and returns; ctx only bounds how long the background goroutine waits, the
// render itself runs until done, RenderTimeout or Close.
func (r *Renderer) Warm(ctx context.Context, spec chart.Spec, f chart.Format) error {
	if _, err := spec.Normalized(f); err != nil {
		return err
	}
	if f != chart.SVG && f != chart.PNG {
		return analytics.Errorf(analytics.CodeInvalid, "unknown chart format %q", f)
	}
	r.warm.Add(1)
	go func() {
		defer r.warm.Done()
		_, _ = r.get(ctx, spec, f) // counted in Stats.Errors
	}()
	return nil
}

// Stats returns the counters.
func (r *Renderer) Stats() Stats {
	n, b := r.cache.Stats()
	r.pool.mu.Lock()
	created := r.pool.created
	r.pool.mu.Unlock()
	return Stats{
		Hits: r.hits.Load(), Misses: r.misses.Load(), Renders: r.renders.Load(), Rasters: r.rasters.Load(),
		Errors: r.errs.Load(), Runtimes: created, CacheEntries: n, CacheBytes: b,
	}
}

func (r *Renderer) get(ctx context.Context, spec chart.Spec, f chart.Format) ([]byte, error) {
	if r.base.Err() != nil {
		return nil, analytics.Errorf(analytics.CodeUnavailable, "chart renderer is closed")
	}
	s, err := spec.Normalized(f)
	if err != nil {
		return nil, err
	}
	versions := mapVersions(s)
	key := cacheKey(s, f, r.opts.FontFamily, versions)
	if b, ok := r.cache.Get(key); ok {
		r.hits.Add(1)
		return b, nil
	}
	r.misses.Add(1)
	b, _, err := r.cache.Do(ctx, key, func() ([]byte, error) {
		rctx, cancel := context.WithTimeout(r.base, r.opts.RenderTimeout)
		defer cancel()
		var b []byte
		var err error
		if f == chart.PNG {
			b, err = r.png(rctx, s, versions)
		} else {
			b, err = r.svg(rctx, s, versions)
		}
		if err != nil {
			r.errs.Add(1)
			return nil, err
		}
		return b, nil
	})
	if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return nil, analytics.NewError(analytics.CodeUnavailable, "render chart: request ended", err)
	}
	return b, err
}

// svg renders in a pooled runtime.
func (r *Renderer) svg(ctx context.Context, s chart.Spec, versions map[string]string) ([]byte, error) {
	opt := []byte(s.Option)
	if len(s.Maps) > 0 && (s.Width < chart.MinMapWidth || s.Height < chart.MinMapHeight) {
		// No map a reader could read: a message saying so, not an empty
		// frame or a smudge.
		opt, s.Maps = chart.TooSmallOption(s.Width, s.Height), nil
	} else if s.Slide != nil {
		// The slide layout fits each map's extent to its box (MapLayout):
		// thin the maps first to know their extents.
		bounds := make(map[string]chart.Bounds, len(s.Maps))
		for name, raw := range s.Maps {
			tm, err := r.thinned(name, versions[name], raw)
			if err != nil {
				return nil, err
			}
			bounds[name] = tm.bounds
		}
		d, err := chart.DecorateBounds(s.Option, *s.Slide, s.Width, s.Height, bounds)
		if err != nil {
			return nil, err
		}
		opt = d
	}
	rt, err := r.pool.get(ctx)
	if err != nil {
		return nil, renderError(err)
	}
	var out string
	interrupted, err := rt.run(ctx, func() error {
		for _, name := range sortedKeys(s.Maps) {
			raw := s.Maps[name]
			if err := rt.ensureMap(name, versions[name], func() ([]byte, error) {
				tm, err := r.thinned(name, versions[name], raw)
				return tm.geoJSON, err
			}); err != nil {
				return err
			}
		}
		var err error
		out, err = rt.svg(opt, s.Width, s.Height, r.opts.FontFamily)
		return err
	})
	r.pool.put(rt, interrupted)
	if err != nil {
		return nil, renderError(err)
	}
	r.renders.Add(1)
	return officeSVG([]byte(out)), nil // what PowerPoint and LibreOffice draw (office.go)
}

// png rasterises the (cached) SVG with rsvg-convert.
func (r *Renderer) png(ctx context.Context, s chart.Spec, versions map[string]string) ([]byte, error) {
	svgSpec := s
	svgSpec.Scale = 1
	svgKey := cacheKey(svgSpec, chart.SVG, r.opts.FontFamily, versions)
	svg, ok := r.cache.Get(svgKey)
	if !ok {
		var err error
		if svg, err = r.svg(ctx, svgSpec, versions); err != nil {
			return nil, err
		}
		r.cache.Add(svgKey, svg)
	}
	bin, err := exec.LookPath(r.opts.RSVGConvert)
	if err != nil {
		// A documented system dependency: only PNG is unavailable.
		return nil, analytics.NewError(analytics.CodeUnavailable, ErrNoRasteriser.Error(), noRasteriser{err})
	}
	w, h := s.Pixels()
	out, err := rasterise(ctx, bin, svg, w, h, r.opts.RasterMemory)
	if err != nil {
		return nil, err
	}
	r.rasters.Add(1)
	return out, nil
}

// rasterise runs rsvg-convert on svg under ctx (RenderTimeout kills it) and,
// when limit > 0, an address-space limit: the process starts waiting on its
// standard input, gets RLIMIT_AS through prlimit(2) (no cgo, no wrapper
// process), and only then reads the SVG, so everything the drawing
// allocates counts against the limit.
func rasterise(ctx context.Context, bin string, svg []byte, w, h int, limit int64) ([]byte, error) {
	cmd := exec.CommandContext(ctx, bin, "--format", "png", "--width", strconv.Itoa(w), "--height", strconv.Itoa(h))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, analytics.NewError(analytics.CodeInternal, "png: rsvg-convert", err)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		return nil, analytics.NewError(analytics.CodeInternal, "png: start rsvg-convert", err)
	}
	if limit > 0 {
		rl := unix.Rlimit{Cur: uint64(limit), Max: uint64(limit)}
		if err := unix.Prlimit(cmd.Process.Pid, unix.RLIMIT_AS, &rl, nil); err != nil {
			stdin.Close()
			cmd.Process.Kill()
			cmd.Wait()
			return nil, analytics.NewError(analytics.CodeInternal, "png: limit rsvg-convert's memory", err)
		}
	}
	_, werr := stdin.Write(svg) // a failed write shows in Wait (the process died)
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, renderError(ctx.Err())
		}
		return nil, analytics.NewError(analytics.CodeInternal, "png: rsvg-convert failed",
			fmt.Errorf("%w (memory limit %d MiB): %s", errors.Join(err, werr), limit>>20, bytes.TrimSpace(stderr.Bytes())))
	}
	return stdout.Bytes(), nil
}

// thinnedMap is a map's GeoJSON thinned for drawing, and its extent.
type thinnedMap struct {
	geoJSON []byte
	bounds  chart.Bounds
}

// thinned returns the map's GeoJSON thinned for drawing, computed once per
// name and version for all runtimes.
func (r *Renderer) thinned(name, version string, raw []byte) (thinnedMap, error) {
	k := name + "\x00" + version
	r.geoMu.Lock()
	defer r.geoMu.Unlock()
	if tm, ok := r.geo[k]; ok {
		return tm, nil
	}
	b, bounds, err := thinGeoJSON(name, raw)
	if err != nil {
		return thinnedMap{}, err
	}
	if len(r.geo) >= 32 { // a handful of maps are live at once; start over
		clear(r.geo)
	}
	tm := thinnedMap{geoJSON: b, bounds: bounds}
	r.geo[k] = tm
	return tm, nil
}

func renderError(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return analytics.NewError(analytics.CodeUnavailable, "render chart: timed out", err)
	case errors.Is(err, context.Canceled):
		return analytics.NewError(analytics.CodeUnavailable, "render chart: cancelled", err)
	}
	var ae *analytics.Error
	if errors.As(err, &ae) {
		return err
	}
	// An exception from ECharts means an option it cannot draw.
	return analytics.Errorf(analytics.CodeInvalid, "render chart: %w", err)
}

// mapVersions names each map's content: Spec.MapVersion, or a hash of the
// bytes when it is empty.
func mapVersions(s chart.Spec) map[string]string {
	v := make(map[string]string, len(s.Maps))
	for name, raw := range s.Maps {
		if s.MapVersion != "" {
			v[name] = s.MapVersion
		} else {
			h := sha256.Sum256(raw)
			v[name] = "sha256:" + hex.EncodeToString(h[:12])
		}
	}
	return v
}

// cacheKey hashes everything that changes the output bytes.
func cacheKey(s chart.Spec, f chart.Format, font string, versions map[string]string) string {
	h := sha256.New()
	var num [8]byte
	writeStr := func(s string) {
		binary.LittleEndian.PutUint64(num[:], uint64(len(s)))
		h.Write(num[:])
		h.Write([]byte(s))
	}
	writeStr(string(f))
	writeStr(strconv.Itoa(s.Width) + "x" + strconv.Itoa(s.Height))
	binary.LittleEndian.PutUint64(num[:], math.Float64bits(s.Scale))
	h.Write(num[:])
	writeStr(font)
	writeStr(string(s.Option))
	if s.Slide != nil {
		b, _ := json.Marshal(s.Slide)
		writeStr(string(b))
	} else {
		writeStr("")
	}
	for _, name := range sortedKeys(s.Maps) {
		writeStr(name)
		writeStr(versions[name])
	}
	return string(f) + ":" + hex.EncodeToString(h.Sum(nil))
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Cached reports whether spec is already rendered in format f (so serving it
// costs nothing).
func (r *Renderer) Cached(spec chart.Spec, f chart.Format) bool {
	s, err := spec.Normalized(f)
	if err != nil {
		return false
	}
	_, ok := r.cache.Get(cacheKey(s, f, r.opts.FontFamily, mapVersions(s)))
	return ok
}
