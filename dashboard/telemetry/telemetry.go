// Package telemetry holds the server's Prometheus metrics through
// client_golang, one registry per server (no global state): requests by
// route, method and status; latency histograms by route; the response
// cache's hits, misses, entries and bytes; rows ingested; rate-limited
// requests; requests in flight; and the standard Go runtime and process
// collectors. Labels come from the registered route patterns, never from
// request paths, so their number is bounded.
//
// It does not see Fiber: the dashboard shell's middleware calls Begin and
// Observe, and serves Write.
package telemetry

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"
)

// ContentType is the type of what Write writes.
var ContentType = string(expfmt.NewFormat(expfmt.TypeTextPlain))

// latencyBuckets are the histogram's upper bounds in seconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// Metrics is one server's registry.
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	inFlight    prometheus.Gauge
	rateLimited prometheus.Counter
	ingestRows  *prometheus.CounterVec
}

// CacheFigures gives the response cache's figures at scrape time.
type CacheFigures func() (hits, misses uint64, entries, bytes int)

// New registers the metrics of a server.
func New(cache CacheFigures) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
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
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "antq_cache_bytes", Help: "Bytes held in the cache: compressed responses, and the plain bodies kept beside them once a client without gzip asked."},
			func() float64 { _, _, _, b := cache(); return float64(b) }),
	)
	return m
}

// cacheCollector reports the cache's hit and miss counters, which the cache
// keeps itself (a shared computation counts as a hit).
type cacheCollector struct {
	desc *prometheus.Desc
	read CacheFigures
}

func (c cacheCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	hits, misses, _, _ := c.read()
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(hits), "hit")
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(misses), "miss")
}

// Begin counts a request in flight; the returned function ends it.
func (m *Metrics) Begin() (end func()) {
	m.inFlight.Inc()
	return m.inFlight.Dec
}

// Observe counts a served request and its time under its route pattern
// ("unmatched" when no route matched).
func (m *Metrics) Observe(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// RateLimited counts a request answered 429.
func (m *Metrics) RateLimited() { m.rateLimited.Inc() }

// CountIngest adds rows loaded by an ingest to antq_ingest_rows_total.
func (m *Metrics) CountIngest(kind string, rows uint64) {
	m.ingestRows.WithLabelValues(kind).Add(float64(rows))
}

// Write writes every metric in the Prometheus text format; a gathering
// error is returned after what could be gathered is written.
func (m *Metrics) Write(w io.Writer) error {
	families, gerr := m.reg.Gather()
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, f := range families {
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	return gerr
}

// AuditKind names the audited routes by their pattern: exports (tables,
// chart files — not the chart options the page draws —, briefing decks)
// and ingests; "" for the rest.
func AuditKind(route, path string) string {
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
