package dashboard_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard"
)

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// outage is the store behind a switch: while down, the health check and
// every read fail as the store fails when its engine or server cannot be
// reached (analytics.CodeUnavailable, chstore's classify); up again, it
// answers — the app must recover without a restart.
type outage struct {
	analytics.Reader
	analytics.Health
	down atomic.Bool
}

var errDown = analytics.NewError(analytics.CodeUnavailable, "the database is not available", errors.New("dial tcp 127.0.0.1:9000: connect: connection refused"))

func (o *outage) Ping(ctx context.Context) error {
	if o.down.Load() {
		return errDown
	}
	return o.Health.Ping(ctx)
}

func (o *outage) MetricByCommune(ctx context.Context, id analytics.MetricID, p analytics.ProvinceCode, w analytics.Window) ([]analytics.CommuneFigure, error) {
	if o.down.Load() {
		return nil, errDown
	}
	return o.Reader.MetricByCommune(ctx, id, p, w)
}

func (o *outage) MetricGroup(ctx context.Context, id analytics.MetricID, p analytics.ProvinceCode, w analytics.Window) (float64, error) {
	if o.down.Load() {
		return 0, errDown
	}
	return o.Reader.MetricGroup(ctx, id, p, w)
}

func (o *outage) ProvinceFacts(ctx context.Context, p analytics.ProvinceCode, w analytics.Window) (analytics.ProvinceFacts, error) {
	if o.down.Load() {
		return analytics.ProvinceFacts{}, errDown
	}
	return o.Reader.ProvinceFacts(ctx, p, w)
}

func TestEngineDownAndRecovery(t *testing.T) {
	base := newAccessFixture(t, nil)
	o := &outage{Reader: base.store, Health: base.store}
	app, err := newApp(dashboard.Config{Version: "test", Now: func() time.Time { return today }, Logger: quietLogger(),
		Auth: &dashboard.Auth{Users: base.users}}, dashboard.Deps{Health: o, Reader: o, Geo: base.geo})
	if err != nil {
		t.Fatal(err)
	}
	base.app = app
	check := func(u string, want int) {
		t.Helper()
		r := base.do(t, http.MethodGet, u, "admin")
		if r.status != want {
			t.Fatalf("%s: %d, want %d: %s", u, r.status, want, r.body)
		}
		if want == 503 && r.header.Get("Retry-After") == "" {
			t.Errorf("%s: 503 without Retry-After", u)
		}
		if want == 503 && strings.Contains(string(r.body), "9000") {
			t.Errorf("%s: the cause leaks: %s", u, r.body)
		}
	}
	check("/readyz", 200)
	o.down.Store(true)
	check("/readyz", 503)
	check("/api/v1/map.geojson?province=08&period=2024", 503)
	check("/api/v1/summary?province=25", 503)
	check("/healthz", 200) // liveness: the process is fine
	o.down.Store(false)
	check("/readyz", 200)
	check("/api/v1/map.geojson?province=08&period=2024", 200) // the failure was not cached
	check("/api/v1/summary?province=25", 200)
}

// injections are classic attack strings for every parameter.
var injections = []string{
	"' OR '1'='1", "'; DROP TABLE sites; --", "08' --", "08; DROP TABLE incidents", "1 UNION SELECT * FROM system.users",
	"\") OR 1=1 --", "08`", "${jndi:ldap://x/a}", "<script>alert(1)</script>", "../../../../etc/passwd", "%00", "\x00",
	"{{7*7}}", "08\r\nX-Injected: 1", "SLEEP(10)", "1) FORMAT JSONEachRow", "' || (SELECT version()) || '",
	"file('/etc/passwd')", "url('http://127.0.0.1:1/')", strings.Repeat("A", 10000), "-1", "1e309", "NaN", "0x7fffffff",
	"9999999999999999999999", "2025-02-30", "🙂", "\xff\xfe", "%", "%%", "08,25", "[]", "{}", "null",
}

var paramNames = []string{"province", "commune", "metric", "period", "from", "to", "compare", "simplify", "limit", "by",
	"model_type", "sector", "bbox", "offset", "datetime", "f", "chart", "days", "lang", "show", "side", "width", "height",
	"scale", "preset", "exp", "sig", "code"}

// TestInjectionEveryParameter throws each string at each parameter of each
// GET route (and into path parameters): only 200, 400, 403 or 404, never a
// 5xx; afterwards the database holds every table and row it held.
func TestInjectionEveryParameter(t *testing.T) {
	f := newAccessFixture(t, nil)
	before := dbState(t, f)
	// Each route's own parameters: the OpenAPI document's, and those of
	// the page's routes (charts, embeds, the deck).
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if err := json.Unmarshal(f.do(t, http.MethodGet, "/openapi.json", "admin").body, &doc); err != nil {
		t.Fatal(err)
	}
	pageParams := map[string][]string{
		"/charts/:name.:ext":     {"province", "commune", "metric", "period", "from", "to", "compare", "by", "side", "limit", "lang", "show", "width", "height", "scale", "preset"},
		"/embed/:name":           {"province", "metric", "period", "exp", "sig"},
		"/api/v1/embed-link":     {"chart", "days", "province", "metric", "period"},
		"/api/v1/briefing.pptx":  {"province", "period", "compare"},
		"/api/v1/communes/:code": {"period", "from", "to"},
	}
	n := 0
	for _, rt := range f.app.Fiber().GetRoutes(true) {
		if rt.Method != http.MethodGet {
			continue
		}
		names := pageParams[rt.Path]
		for _, p := range doc.Paths[routeParam.ReplaceAllString(rt.Path, "{$1}")]["get"].Parameters {
			if p.In == "query" {
				names = append(names, p.Name)
			}
		}
		base := routeParam.ReplaceAllString(rt.Path, "08")
		base = strings.ReplaceAll(base, "*", "x")
		send := func(u string) {
			if len(u) > 15000 { // beyond the 16 KiB request head: 431 from the server (TestHTTPRobustness)
				return
			}
			n++
			r := f.do(t, http.MethodGet, u, "admin")
			switch r.status {
			case 200, 304, 400, 403, 404:
			default:
				t.Errorf("%s: %d %.200s", u, r.status, r.body)
			}
		}
		for _, inj := range injections {
			// Into the path parameters.
			if strings.Contains(rt.Path, ":") {
				send(routeParam.ReplaceAllString(rt.Path, url.PathEscape(inj)))
			}
			send(base + "?province=" + url.QueryEscape(inj))
			for _, p := range names {
				if p != "province" {
					send(base + "?province=08&" + p + "=" + url.QueryEscape(inj))
				}
			}
		}
	}
	if after := dbState(t, f); after != before {
		t.Errorf("database changed: before %s, after %s", before, after)
	}
	t.Logf("%d requests with injection strings", n)
}

func dbState(tb testing.TB, f *accessFixture) string {
	tb.Helper()
	var b strings.Builder
	v, err := f.store.SchemaVersion(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	fp, err := f.store.ReferenceFingerprint(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	fmt.Fprintf(&b, "schema=%d ref=%s", v, fp)
	for _, k := range []analytics.Kind{analytics.KindModels, analytics.KindSites, analytics.KindIncidents} {
		for _, p := range []analytics.ProvinceCode{"08", "25"} {
			n, err := f.store.Count(ctx, k, p)
			if err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintf(&b, " %s/%s=%d", k, p, n)
		}
	}
	return b.String()
}

// TestHTTPRobustness sends random and malformed requests to a running
// server: random paths and methods, parameters with injection strings,
// huge values, bad percent-encodings and raw malformed HTTP. No response
// may be 5xx, and the goroutines must settle back afterwards (fasthttp
// keeps idle workers for 10 s, so settling takes that long). 100,000
// requests by default (about 15 s of requests on 2 cores); -short sends
// 5,000; ANTQ_HTTP_FUZZ_N sets the number.
func TestHTTPRobustness(t *testing.T) {
	total := 100_000
	if v := os.Getenv("ANTQ_HTTP_FUZZ_N"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("ANTQ_HTTP_FUZZ_N=%q", v)
		}
		total = n
	}
	if testing.Short() && os.Getenv("ANTQ_HTTP_FUZZ_N") == "" {
		total = 5000
	}
	f := newAccessFixture(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go f.app.Serve(ln)
	addr := ln.Addr().String()
	var routes []string
	for _, rt := range f.app.Fiber().GetRoutes(true) {
		routes = append(routes, rt.Path)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	// Warm up (the renderer, geometry, the engine's pools) before counting goroutines.
	for _, u := range []string{"/api/v1/map.geojson?province=08", "/readyz"} {
		if resp, err := client.Get("http://" + addr + u); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	tr.CloseIdleConnections()
	time.Sleep(200 * time.Millisecond)
	g0 := runtime.NumGoroutine()

	var sent, bad, transport atomic.Int64
	var mu sync.Mutex
	var samples []string
	fail := func(what string) {
		bad.Add(1)
		mu.Lock()
		if len(samples) < 20 {
			samples = append(samples, what)
		}
		mu.Unlock()
	}
	const workers = 16
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 7))
			tokens := []string{"", f.tokens["admin"], f.tokens["tq-viewer"], f.tokens["tq-analyst"], "antq_bogus"}
			for sent.Add(1) <= int64(total) {
				if rng.IntN(10) == 0 {
					if status, err := rawRequest(addr, randomRaw(rng)); err == nil && status >= 500 {
						fail(fmt.Sprintf("raw: %d", status))
					}
					continue
				}
				method, target := randomRequest(rng, routes)
				req, err := http.NewRequest(method, "http://"+addr+"/", nil)
				if err != nil {
					continue
				}
				req.URL.Opaque = target // sent as written, bad encodings included
				if tok := tokens[rng.IntN(len(tokens))]; tok != "" {
					req.Header.Set("Authorization", "Bearer "+tok)
				}
				if rng.IntN(4) == 0 {
					req.Header.Set("Accept-Encoding", "gzip")
				}
				resp, err := client.Do(req)
				if err != nil {
					transport.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					fail(fmt.Sprintf("%s %s: %d", method, target, resp.StatusCode))
				}
			}
		}(uint64(w + 1))
	}
	wg.Wait()
	elapsed := time.Since(start)
	tr.CloseIdleConnections()
	if bad.Load() > 0 {
		t.Errorf("%d responses ≥ 500, e.g.:\n%s", bad.Load(), strings.Join(samples, "\n"))
	}
	if transport.Load() > int64(total/100) {
		t.Errorf("%d transport errors", transport.Load())
	}
	// Goroutines settle back (keep-alive connections closed, no handler stuck).
	var g1 int
	for i := 0; i < 100; i++ {
		runtime.GC()
		if g1 = runtime.NumGoroutine(); g1 <= g0+2 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if g1 > g0+2 {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines %d before, %d after:\n%s", g0, g1, buf[:runtime.Stack(buf, true)])
	}
	t.Logf("%d requests in %v (%.0f/s), %d transport errors, goroutines %d → %d", total, elapsed.Round(time.Millisecond),
		float64(total)/elapsed.Seconds(), transport.Load(), g0, g1)
}

var fuzzMethods = []string{"GET", "GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "PROPFIND"}

func randomRequest(rng *rand.Rand, routes []string) (string, string) {
	method := fuzzMethods[rng.IntN(len(fuzzMethods))]
	var p string
	switch rng.IntN(5) {
	case 0: // random bytes as a path
		b := make([]byte, 1+rng.IntN(40))
		for i := range b {
			b[i] = byte(0x21 + rng.IntN(0x5e))
		}
		p = "/" + string(b)
	default:
		p = routes[rng.IntN(len(routes))]
		p = routeParam.ReplaceAllStringFunc(p, func(string) string {
			return []string{"08", "25", "08001", "communes", "sites", "map", "json", "x", "%zz", "%2e%2e", url.PathEscape(injections[rng.IntN(len(injections))])}[rng.IntN(11)]
		})
		p = strings.ReplaceAll(p, "*", "x")
		if rng.IntN(8) == 0 {
			p = strings.ToUpper(p)
		}
	}
	var q []string
	for i := rng.IntN(5); i > 0; i-- {
		name := paramNames[rng.IntN(len(paramNames))]
		var v string
		switch rng.IntN(6) {
		case 0:
			v = url.QueryEscape(injections[rng.IntN(len(injections))])
		case 1:
			v = strings.Repeat("9", rng.IntN(3000))
		case 2:
			v = []string{"%", "%zz", "%ff%fe", "%00", "+", "&&", "=="}[rng.IntN(7)]
		default:
			v = []string{"08", "25", "all", "2025", "2024H1", "2025Q3", "2025-08", "sites", "incidents", "prev", "low", "10", "0",
				"model_type", "105,21,106,22", "2025-01-01/2025-06-30"}[rng.IntN(16)]
		}
		q = append(q, name+"="+v)
	}
	if len(q) > 0 {
		p += "?" + strings.Join(q, "&")
	}
	return method, p
}

// randomRaw makes a malformed HTTP/1.1 request.
func randomRaw(rng *rand.Rand) string {
	switch rng.IntN(8) {
	case 0:
		return "GET /api/v1/map.geojson?province=08 HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"
	case 1:
		return "GET /" + strings.Repeat("a", 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"
	case 2:
		return "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("b", 20000) + "\r\n\r\n"
	case 3:
		return "G\x00T /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	case 4:
		return "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{\"user\":"
	case 5:
		return "GET /api/v1/summary?province=08 HTTP/9.9\r\nHost: x\r\n\r\n"
	case 6:
		return "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
	default:
		b := make([]byte, 1+rng.IntN(200))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return string(b) + "\r\n\r\n"
	}
}

// rawRequest writes s and reads the status line, if any (the server may
// close a malformed connection without an answer).
func rawRequest(addr, s string) (int, error) {
	c, err := net.DialTimeout("tcp", addr, time.Minute)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute)) // hang guard
	if _, err := io.WriteString(c, s); err != nil {
		return 0, err
	}
	if tc, ok := c.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return 0, err
	}
	f := strings.Fields(line)
	if len(f) < 2 {
		return 0, errors.New("no status")
	}
	return strconv.Atoi(f[1])
}
