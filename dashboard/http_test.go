package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// TestCaching: one computation per full URL (query order does not matter),
// gzip bytes for clients that accept them and plain bytes for others, 304
// on If-None-Match, and a commit empties the cache.
func TestCaching(t *testing.T) {
	f := newFixture(t, false)
	const u = "/api/v1/map.geojson?province=08&metric=sites&period=2025&simplify=low"
	gz := f.get(t, u, "Accept-Encoding", "gzip, deflate")
	if gz.header.Get("Content-Encoding") != "gzip" || len(gz.raw) >= len(gz.body) {
		t.Fatalf("Content-Encoding %q, %d bytes sent for %d", gz.header.Get("Content-Encoding"), len(gz.raw), len(gz.body))
	}
	plain := f.get(t, "/api/v1/map.geojson?simplify=low&period=2025&metric=sites&province=08") // same URL, other order
	if plain.header.Get("Content-Encoding") != "" || !bytes.Equal(plain.body, gz.body) {
		t.Fatal("plain response differs from the gzip one")
	}
	etag := gz.header.Get("ETag")
	if etag == "" || plain.header.Get("ETag") != etag {
		t.Fatalf("ETag %q / %q", etag, plain.header.Get("ETag"))
	}
	if cc := gz.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
		t.Errorf("Cache-Control %q", cc)
	}
	if v := gz.header.Get("Vary"); !strings.Contains(v, "Accept-Encoding") {
		t.Errorf("Vary %q", v)
	}
	nm := f.get(t, u, "If-None-Match", etag)
	if nm.status != http.StatusNotModified || len(nm.body) != 0 {
		t.Fatalf("If-None-Match: status %d, %d bytes", nm.status, len(nm.body))
	}
	if r := f.get(t, u, "Accept-Encoding", "gzip;q=0"); r.header.Get("Content-Encoding") != "" {
		t.Error("gzip sent although q=0")
	}

	// A commit (new sites) invalidates: the next answer has the new figure.
	site := analytics.Site{Key: "new-site", Hash: 9, ModelType: "Camera an ninh", Opened: day("2025-02-01"),
		Located: analytics.Located{Province: "08", Commune: f.geo.CommunesOf("08")[0].Code, Rule: analytics.RuleExactCode, Confidence: 1}}
	if err := f.store.Write(ctx, analytics.Batch{Token: "one-more", Sites: []analytics.Site{site}}); err != nil {
		t.Fatal(err)
	}
	if r := f.get(t, u); r.header.Get("ETag") != etag {
		t.Fatal("response changed before the commit")
	}
	if err := f.store.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		t.Fatal(err)
	}
	after := f.get(t, u, "If-None-Match", etag)
	if after.status != http.StatusOK || after.header.Get("ETag") == etag {
		t.Fatalf("after commit: status %d, ETag %q (was %q)", after.status, after.header.Get("ETag"), etag)
	}
	var fc struct {
		Antq struct{ Totals struct{ Value float64 } } `json:"antq"`
	}
	if err := json.Unmarshal(after.body, &fc); err != nil {
		t.Fatal(err)
	}
	w, _ := analytics.ParsePeriod("2025", today)
	if want := activeSites(append(f.sites, site), w); int(fc.Antq.Totals.Value) != want {
		t.Errorf("total after commit %v, want %d", fc.Antq.Totals.Value, want)
	}
}

// TestOpenAPICoversRoutes: every registered /api and /ogc route is in
// /openapi.json, and the document names nothing that is not served.
func TestOpenAPICoversRoutes(t *testing.T) {
	f := newFixture(t, false)
	r := f.get(t, "/openapi.json")
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	param := regexp.MustCompile(`:([A-Za-z]+)`)
	served := map[string]bool{}
	for _, rt := range f.app.Fiber().GetRoutes(true) {
		if !(strings.HasPrefix(rt.Path, "/api/") || strings.HasPrefix(rt.Path, "/ogc") || rt.Path == "/openapi.json") {
			continue
		}
		// Every GET route, and the data desk's routes of other methods.
		if rt.Method == http.MethodHead || rt.Method != http.MethodGet && !(strings.HasPrefix(rt.Path, "/api/v1/admin/") && rt.Path != "/api/v1/admin/ingest-local") {
			continue
		}
		p := param.ReplaceAllString(rt.Path, "{$1}")
		served[p] = true
		if _, ok := doc.Paths[p][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("route %s %s (%s) is not in openapi.json", rt.Method, rt.Path, p)
		}
	}
	for p := range doc.Paths {
		if !served[p] {
			t.Errorf("openapi.json describes %s, which is not served", p)
		}
	}
}

// TestOGRInfo reads the OGC API with GDAL's OAPIF driver from a running
// server: the collections are listed and features are read across pages.
// Without ogrinfo it fails under make test (requireTool).
func TestOGRInfo(t *testing.T) {
	ogr := requireTool(t, "gdal-bin", "ogrinfo")
	f := newFixture(t, false)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go f.app.Serve(ln)
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		f.app.Shutdown(sctx)
	})
	base := "http://" + ln.Addr().String() + "/ogc"
	run := func(args ...string) string {
		t.Helper()
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(cctx, ogr, args...)
		cmd.Env = append(cmd.Environ(), "GDAL_HTTP_TIMEOUT=60", "CPL_DEBUG=OFF")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	list := run("-ro", "-q", "OAPIF:"+base)
	for _, c := range []string{"communes", "sites"} {
		if !strings.Contains(list, c) {
			t.Errorf("ogrinfo lists no %s:\n%s", c, list)
		}
	}
	// Summary of the sites layer: GDAL pages through every feature
	// (limit + next links) to count them.
	w, _ := analytics.ParsePeriod("2025", today)
	want := activeSites(f.sites, w)
	sum := run("-ro", "-so", "-oo", "PAGE_SIZE=50", "OAPIF:"+base, "sites")
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindStringSubmatch(sum)
	if m == nil || m[1] != itoa(want) {
		t.Errorf("sites feature count %v, want %d:\n%s", m, want, sum)
	}
	// Features of communes with their properties and geometry, bbox-filtered.
	feat := run("-ro", "-spat", "105.0", "21.9", "105.1", "22.0", "-oo", "PAGE_SIZE=5", "OAPIF:"+base, "communes")
	if !strings.Contains(feat, "MULTIPOLYGON") || !strings.Contains(feat, "code (String)") {
		t.Errorf("communes features lack geometry or properties:\n%.3000s", feat)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
