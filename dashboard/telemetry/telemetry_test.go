package telemetry

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestAuditKind(t *testing.T) {
	for _, tc := range []struct{ route, path, want string }{
		{"/api/v1/export.csv", "/api/v1/export.csv", "export"},
		{"/api/v1/export.xlsx", "/api/v1/export.xlsx", "export"},
		{"/api/v1/briefing.pptx", "/api/v1/briefing.pptx", "export"},
		{"/charts/:name.:ext", "/charts/map.png", "export"},
		{"/charts/:name.:ext", "/charts/map.json", ""},
		{"/api/v1/admin/ingest-local", "/api/v1/admin/ingest-local", "ingest"},
		{"/api/v1/map", "/api/v1/map", ""},
		{"unmatched", "/nowhere", ""},
	} {
		if got := AuditKind(tc.route, tc.path); got != tc.want {
			t.Errorf("AuditKind(%q, %q) = %q, want %q", tc.route, tc.path, got, tc.want)
		}
	}
}

// TestWrite: what was counted is in the text exposition, with the cache's
// figures read at scrape time and the standard collectors present.
func TestWrite(t *testing.T) {
	hits := uint64(0)
	m := New(func() (uint64, uint64, int, int) { return hits, 2, 3, 4096 })
	end := m.Begin()
	m.Observe("/api/v1/map", "GET", 200, 3*time.Millisecond)
	m.RateLimited()
	m.CountIngest("incidents", 12)
	hits = 7
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	end()
	text := buf.String()
	for _, want := range []string{
		`antq_http_requests_total{method="GET",route="/api/v1/map",status="200"} 1`,
		`antq_http_request_duration_seconds_count{route="/api/v1/map"} 1`,
		`antq_http_in_flight 1`,
		`antq_http_rate_limited_total 1`,
		`antq_ingest_rows_total{kind="incidents"} 12`,
		`antq_cache_requests_total{result="hit"} 7`,
		`antq_cache_requests_total{result="miss"} 2`,
		`antq_cache_entries 3`,
		`antq_cache_bytes 4096`,
		`go_goroutines `,
		`process_cpu_seconds_total `,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
}
