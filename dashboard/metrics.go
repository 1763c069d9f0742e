package dashboard

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/antq-atlas/antq/dashboard/access"

	"github.com/gofiber/fiber/v2"
)

// Prometheus metrics in the text exposition format (version 0.0.4),
// written here: requests by route, method and status; latency histograms
// by route; the response cache's hits and misses; rows ingested; rate
// limited requests. Labels come from the registered route patterns, never
// from request paths, so their number is bounded.

// latencyBuckets are the histogram's upper bounds in seconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

type reqKey struct {
	route, method string
	status        int
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

type metrics struct {
	mu       sync.Mutex
	requests map[reqKey]uint64
	latency  map[string]*histogram

	inFlight    atomic.Int64
	rateLimited atomic.Uint64
	ingestRows  sync.Map // kind -> *atomic.Uint64 (rows loaded)
}

func newMetrics() *metrics {
	return &metrics{requests: map[reqKey]uint64{}, latency: map[string]*histogram{}}
}

func (m *metrics) observe(route, method string, status int, d time.Duration) {
	s := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{route, method, status}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		m.latency[route] = h
	}
	i := sort.SearchFloat64s(latencyBuckets, s)
	h.counts[i]++
	h.sum += s
	h.n++
}

// CountIngest adds rows loaded by an ingest (cmd/antq calls it after a job
// run by the server) to antq_ingest_rows_total.
func (a *App) CountIngest(kind string, rows uint64) {
	v, _ := a.metrics.ingestRows.LoadOrStore(kind, new(atomic.Uint64))
	v.(*atomic.Uint64).Add(rows)
}

// observe is the outermost middleware: it answers errors through the one
// error handler (so the status is known here), counts and times the
// request, writes the request log line and the audit events of exports
// and ingests.
func (a *App) observe(c *fiber.Ctx) error {
	start := time.Now()
	a.metrics.inFlight.Add(1)
	defer a.metrics.inFlight.Add(-1)
	if err := c.Next(); err != nil {
		if herr := a.errorHandler(c, err); herr != nil {
			return herr
		}
	}
	d := time.Since(start)
	status := c.Response().StatusCode()
	route := "unmatched"
	if r := c.Route(); r != nil && r.Method != "USE" {
		route = r.Path
	}
	a.metrics.observe(route, c.Method(), status, d)

	var user, via string
	if pr, ok := c.Locals(localsPrincipal).(access.Principal); ok {
		user, via = pr.Name, pr.Via
	}
	if a.cfg.Logger.Enabled(c.UserContext(), slog.LevelInfo) {
		a.cfg.Logger.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
			slog.String("method", c.Method()), slog.String("path", c.Path()), slog.String("route", route),
			slog.Int("status", status), slog.Float64("ms", float64(d.Microseconds())/1000),
			slog.Int("bytes", len(c.Response().Body())), slog.String("client", a.clientIP(c)), slog.String("user", user))
	}
	if kind := auditKind(route, c.Path()); kind != "" && c.Method() != fiber.MethodHead {
		a.audit(access.Event{Event: kind, User: user, Via: via, Client: a.clientIP(c),
			Path: c.Path() + queryPart(c), Status: status})
	}
	return nil
}

// auditKind names the audited routes: exports (tables, chart files —
// not the chart options the page draws —, briefing decks) and ingests.
func auditKind(route, path string) string {
	switch route {
	case "/api/v1/export.csv", "/api/v1/export.xlsx", "/api/v1/briefing.pptx":
		return "export"
	case "/charts/:name.:ext":
		if strings.HasSuffix(path, ".json") {
			return ""
		}
		return "export"
	case "/api/v1/admin/ingest-local":
		return "ingest"
	}
	return ""
}

func queryPart(c *fiber.Ctx) string {
	q := c.Request().URI().QueryString()
	if len(q) == 0 {
		return ""
	}
	if len(q) > 2048 {
		q = q[:2048]
	}
	return "?" + string(q)
}

// metricsHandler: GET /metrics (admin only; or on its own address with
// Config.MetricsAddr, see WriteMetrics).
func (a *App) metricsHandler(c *fiber.Ctx) error {
	var buf bytes.Buffer
	a.WriteMetrics(&buf)
	c.Set(fiber.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

func escLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// WriteMetrics writes every metric in the Prometheus text format.
func (a *App) WriteMetrics(w io.Writer) {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	m := a.metrics
	m.mu.Lock()
	keys := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].route != keys[j].route {
			return keys[i].route < keys[j].route
		}
		if keys[i].method != keys[j].method {
			return keys[i].method < keys[j].method
		}
		return keys[i].status < keys[j].status
	})
	fmt.Fprintln(bw, "# HELP antq_http_requests_total HTTP requests by route pattern, method and status.")
	fmt.Fprintln(bw, "# TYPE antq_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(bw, "antq_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %d\n", escLabel(k.route), escLabel(k.method), k.status, m.requests[k])
	}
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	fmt.Fprintln(bw, "# HELP antq_http_request_duration_seconds Time from the request's arrival to its response, by route pattern.")
	fmt.Fprintln(bw, "# TYPE antq_http_request_duration_seconds histogram")
	for _, r := range routes {
		h := m.latency[r]
		var cum uint64
		for i, ub := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(bw, "antq_http_request_duration_seconds_bucket{route=\"%s\",le=\"%s\"} %d\n", escLabel(r), fmtFloat(ub), cum)
		}
		fmt.Fprintf(bw, "antq_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %d\n", escLabel(r), h.n)
		fmt.Fprintf(bw, "antq_http_request_duration_seconds_sum{route=\"%s\"} %s\n", escLabel(r), fmtFloat(h.sum))
		fmt.Fprintf(bw, "antq_http_request_duration_seconds_count{route=\"%s\"} %d\n", escLabel(r), h.n)
	}
	m.mu.Unlock()

	hits, misses := a.cache.hits.Load(), a.cache.misses.Load()
	entries, bytes := a.cache.stats()
	fmt.Fprintln(bw, "# HELP antq_cache_requests_total Response cache lookups by result (hit rate = hit / (hit + miss)).")
	fmt.Fprintln(bw, "# TYPE antq_cache_requests_total counter")
	fmt.Fprintf(bw, "antq_cache_requests_total{result=\"hit\"} %d\nantq_cache_requests_total{result=\"miss\"} %d\n", hits, misses)
	fmt.Fprintln(bw, "# HELP antq_cache_entries Responses held in the cache.")
	fmt.Fprintln(bw, "# TYPE antq_cache_entries gauge")
	fmt.Fprintf(bw, "antq_cache_entries %d\n", entries)
	fmt.Fprintln(bw, "# HELP antq_cache_bytes Compressed bytes held in the cache.")
	fmt.Fprintln(bw, "# TYPE antq_cache_bytes gauge")
	fmt.Fprintf(bw, "antq_cache_bytes %d\n", bytes)

	fmt.Fprintln(bw, "# HELP antq_ingest_rows_total Rows loaded by ingests the server ran, by kind.")
	fmt.Fprintln(bw, "# TYPE antq_ingest_rows_total counter")
	var kinds []string
	m.ingestRows.Range(func(k, _ any) bool { kinds = append(kinds, k.(string)); return true })
	sort.Strings(kinds)
	for _, k := range kinds {
		v, _ := m.ingestRows.Load(k)
		fmt.Fprintf(bw, "antq_ingest_rows_total{kind=\"%s\"} %d\n", escLabel(k), v.(*atomic.Uint64).Load())
	}
	fmt.Fprintln(bw, "# HELP antq_http_rate_limited_total Requests answered 429 by the per-client rate limit.")
	fmt.Fprintln(bw, "# TYPE antq_http_rate_limited_total counter")
	fmt.Fprintf(bw, "antq_http_rate_limited_total %d\n", m.rateLimited.Load())
	fmt.Fprintln(bw, "# HELP antq_http_in_flight Requests being served.")
	fmt.Fprintln(bw, "# TYPE antq_http_in_flight gauge")
	fmt.Fprintf(bw, "antq_http_in_flight %d\n", m.inFlight.Load())
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintln(bw, "# HELP antq_go_goroutines Goroutines.")
	fmt.Fprintln(bw, "# TYPE antq_go_goroutines gauge")
	fmt.Fprintf(bw, "antq_go_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintln(bw, "# HELP antq_go_heap_bytes Heap bytes in use.")
	fmt.Fprintln(bw, "# TYPE antq_go_heap_bytes gauge")
	fmt.Fprintf(bw, "antq_go_heap_bytes %d\n", ms.HeapInuse)
}
