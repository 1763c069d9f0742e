package dashboard

import (
	"bytes"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/antq-atlas/antq/dashboard/access"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"
)

// Prometheus metrics through client_golang, one registry per App (no
// global state): requests by route, method and status; latency histograms
// by route; the response cache's hits, misses, entries and bytes; rows
// ingested; rate-limited requests; requests in flight; and the standard Go
// runtime and process collectors. Labels come from the registered route
// patterns, never from request paths, so their number is bounded.

// latencyBuckets are the histogram's upper bounds in seconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	inFlight    prometheus.Gauge
	rateLimited prometheus.Counter
	ingestRows  *prometheus.CounterVec
}

// newMetrics registers the metrics of an App; cache gives the response
// cache's figures at scrape time.
func newMetrics(cache func() (hits, misses uint64, entries, bytes int)) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "antq_http_requests_total",
			Help: "HTTP requests by route pattern, method and status."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "antq_http_request_duration_seconds",
			Help: "Time from the request's arrival to its response, by route pattern.", Buckets: latencyBuckets}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "antq_http_in_flight", Help: "Requests being served."}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{Name: "antq_http_rate_limited_total",
			Help: "Requests answered 429 by the per-client rate limit."}),
		ingestRows: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "antq_ingest_rows_total",
			Help: "Rows loaded by ingests the server ran, by kind."}, []string{"kind"}),
	}
	cacheDesc := prometheus.NewDesc("antq_cache_requests_total", "Response cache lookups by result (hit rate = hit / (hit + miss)).", []string{"result"}, nil)
	reg.MustRegister(m.requests, m.latency, m.inFlight, m.rateLimited, m.ingestRows,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		cacheCollector{desc: cacheDesc, read: cache},
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "antq_cache_entries", Help: "Responses held in the cache."},
			func() float64 { _, _, e, _ := cache(); return float64(e) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "antq_cache_bytes", Help: "Compressed bytes held in the cache."},
			func() float64 { _, _, _, b := cache(); return float64(b) }),
	)
	return m
}

// cacheCollector reports the cache's hit and miss counters, which the cache
// keeps itself (a shared computation counts as a hit).
type cacheCollector struct {
	desc *prometheus.Desc
	read func() (hits, misses uint64, entries, bytes int)
}

func (c cacheCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	hits, misses, _, _ := c.read()
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(hits), "hit")
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(misses), "miss")
}

func (m *metrics) observe(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// CountIngest adds rows loaded by an ingest (cmd/antq calls it after a job
// run by the server) to antq_ingest_rows_total.
func (a *App) CountIngest(kind string, rows uint64) {
	a.metrics.ingestRows.WithLabelValues(kind).Add(float64(rows))
}

// observe is the outermost middleware: it answers errors through the one
// error handler (so the status is known here), counts and times the
// request, writes the request log line and the audit events of exports
// and ingests.
func (a *App) observe(c *fiber.Ctx) error {
	start := time.Now()
	a.metrics.inFlight.Inc()
	defer a.metrics.inFlight.Dec()
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
	c.Set(fiber.HeaderContentType, string(expfmt.NewFormat(expfmt.TypeTextPlain)))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// WriteMetrics writes every metric in the Prometheus text format.
func (a *App) WriteMetrics(w io.Writer) {
	families, err := a.metrics.reg.Gather()
	if err != nil {
		a.cfg.Logger.Error("gather metrics", "err", err)
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, f := range families {
		if err := enc.Encode(f); err != nil {
			return
		}
	}
}
