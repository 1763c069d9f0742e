package dashboard_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard"
	"github.com/antq-atlas/antq/dashboard/access"
)

var (
	geo2Once sync.Once
	geo2Set  *commune.Set
	geo2Err  error
)

// mustGeo2 loads Tuyên Quang (08) and Phú Thọ (25).
func mustGeo2(tb testing.TB) *commune.Set {
	tb.Helper()
	mustGeo(tb) // finds the bundle and fails helpfully when absent
	geo2Once.Do(func() { geo2Set, geo2Err = loadGeo("08", "25") })
	if geo2Err != nil {
		tb.Fatal(geo2Err)
	}
	return geo2Set
}

// sentinel marks every record of a province; a response showing another
// province's sentinel leaked.
func sentinel(p analytics.ProvinceCode) string { return "SENTINEL-" + string(p) }

// twoProvinceData: models, sites (with points) and incidents on the first
// 12 communes of each province, names carrying the province's sentinel.
func twoProvinceData(geo *commune.Set) analytics.Batch {
	b := analytics.Batch{Token: "access-fixture"}
	for _, p := range []analytics.ProvinceCode{"08", "25"} {
		for i, c := range geo.CommunesOf(p)[:12] {
			loc := analytics.Located{Province: p, Commune: c.Code, Rule: analytics.RuleExactCode, Confidence: 1, SourcePlace: c.FullName,
				Lon: c.Center[0], Lat: c.Center[1], HasPoint: true}
			mk := fmt.Sprintf("m-%s", c.Code)
			b.Models = append(b.Models, analytics.Model{Key: mk, Hash: 1, Name: sentinel(p) + " mô hình " + c.Name, Type: modelTypes[i%len(modelTypes)].name,
				Sector: modelTypes[i%len(modelTypes)].sector, Founded: day("2021-03-01"), Located: loc})
			for s := 0; s < 3; s++ {
				b.Sites = append(b.Sites, analytics.Site{Key: fmt.Sprintf("s-%s-%d", c.Code, s), Hash: 1, ModelKey: mk, ModelName: sentinel(p),
					ModelType: modelTypes[i%len(modelTypes)].name, Sector: modelTypes[i%len(modelTypes)].sector,
					Name: fmt.Sprintf("%s điểm %d", sentinel(p), s), Opened: day("2022-02-01"), Located: loc})
			}
			for n := 0; n < 5; n++ {
				rec := day("2025-02-01").AddDate(0, 0, n*20+i)
				b.Incidents = append(b.Incidents, analytics.Incident{Key: fmt.Sprintf("i-%s-%d", c.Code, n), Hash: 1, Category: categories[n%len(categories)],
					Received: rec, Closed: rec.AddDate(0, 0, 3), Outcome: analytics.Outcomes[n%len(analytics.Outcomes)], Located: loc})
			}
		}
	}
	return b
}

// accessFixture is the two-province dataset behind an app with access
// control on, and a token per principal of the tests.
type accessFixture struct {
	store  *chstore.Store
	geo    *commune.Set
	users  *access.Store
	dir    string
	app    *dashboard.App
	tokens map[string]string // user -> token
}

var accessUsers = []struct {
	name   string
	role   access.Role
	grants []string
}{
	{"admin", access.Admin, []string{access.All}},
	{"tq-viewer", access.Viewer, []string{"08"}},
	{"tq-analyst", access.Analyst, []string{"08"}},
	{"pt-viewer", access.Viewer, []string{"25"}},
}

const testPassword = "correct horse battery"

func newAccessFixture(tb testing.TB, mod func(*dashboard.Config)) *accessFixture {
	tb.Helper()
	geo := mustGeo2(tb)
	s := chstoretest.Open(tb)
	if _, err := s.LoadReference(ctx, chstore.ReferenceFromSet(geo, "08", "25")); err != nil {
		tb.Fatal(err)
	}
	if err := s.Write(ctx, twoProvinceData(geo)); err != nil {
		tb.Fatal(err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08", "25"}); err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	users, err := access.OpenStore(filepath.Join(dir, access.UsersFile))
	if err != nil {
		tb.Fatal(err)
	}
	f := &accessFixture{store: s, geo: geo, users: users, dir: dir, tokens: map[string]string{}}
	err = users.Update(func(us *access.Users) error {
		for _, u := range accessUsers {
			if err := us.Add(u.name, u.role, testPassword, u.grants...); err != nil {
				return err
			}
			tok, _, err := us.AddToken(u.name, "test")
			if err != nil {
				return err
			}
			f.tokens[u.name] = tok
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	audit, err := access.OpenAudit(filepath.Join(dir, access.AuditFile))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { audit.Close() })
	cfg := dashboard.Config{Version: "test", Now: func() time.Time { return today }, Logger: quietLogger(),
		Auth: &dashboard.Auth{Users: users}, Audit: audit}
	if mod != nil {
		mod(&cfg)
	}
	app, err := newApp(cfg, dashboard.Deps{Health: s, Reader: s, Geo: geo})
	if err != nil {
		tb.Fatal(err)
	}
	f.app = app
	return f
}

// do sends a request as user ("" = anonymous).
func (f *accessFixture) do(tb testing.TB, method, target, user string, headers ...string) result {
	tb.Helper()
	req := httptest.NewRequest(method, target, nil)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[user])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := f.app.Fiber().Test(req, -1)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: body, raw: body}
}

// leak returns what of province p's records a body shows: a sentinel, or
// one of its commune codes as a JSON string or a CSV field.
func (f *accessFixture) leak(p analytics.ProvinceCode, body []byte) string {
	b := string(body)
	if strings.Contains(b, sentinel(p)) {
		return sentinel(p)
	}
	for _, c := range f.geo.CommunesOf(p) {
		code := string(c.Code)
		if strings.Contains(b, `"`+code+`"`) || strings.Contains(b, "\n"+code+",") || strings.Contains(b, `/`+code+`?`) {
			return code
		}
	}
	return ""
}

var routeParam = regexp.MustCompile(`:([A-Za-z]+)`)

// urlsFor expands a route pattern with every value its parameters may take
// to reach province p's records, and adds the province-selecting queries.
func (f *accessFixture) urlsFor(route string, p analytics.ProvinceCode) []string {
	cs := f.geo.CommunesOf(p)
	code := string(cs[0].Code)
	values := map[string][]string{
		"code":         {code},
		"collectionId": {"communes", "sites"},
		"featureId":    {code, code + "_s-" + code + "-0"},
		"name":         {"map", "delta", "trend", "breakdown", "ranking"},
		"ext":          {"json", "csv", "svg"},
	}
	paths := []string{route}
	if strings.HasSuffix(route, "*") {
		paths = []string{strings.TrimSuffix(route, "*") + "app.js"}
	}
	for _, m := range routeParam.FindAllStringSubmatch(route, -1) {
		var next []string
		for _, pth := range paths {
			for _, v := range values[m[1]] {
				next = append(next, strings.Replace(pth, m[0], url.PathEscape(v), 1))
			}
		}
		paths = next
	}
	b := cs[0].Bound
	bbox := fmt.Sprintf("%f,%f,%f,%f", b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	queries := []string{
		"",
		"province=" + string(p),
		"province=" + string(p) + "&metric=sites&by=model_type&chart=map&period=2025",
		"province=all",
		"province=all&by=grade",
		"commune=" + code,
		"province=08&commune=" + code,
		"bbox=" + bbox,
		"bbox=" + bbox + "&province=08",
	}
	var out []string
	for _, pth := range paths {
		for _, q := range queries {
			out = append(out, pth+"?"+q)
		}
	}
	return out
}

// TestNoRouteLeaksAnotherProvince: a viewer and an analyst of Tuyên Quang
// (08) get nothing of Phú Thọ (25) by any registered route, whatever the
// province=, commune=, path codes or OGC bbox; an admin does (so the check
// can see a leak).
func TestNoRouteLeaksAnotherProvince(t *testing.T) {
	f := newAccessFixture(t, nil)
	var urls []string
	for _, rt := range f.app.Fiber().GetRoutes(true) {
		if rt.Method != http.MethodGet {
			continue
		}
		urls = append(urls, f.urlsFor(rt.Path, "25")...)
	}
	if len(urls) < 100 {
		t.Fatalf("only %d URLs", len(urls))
	}
	adminSaw := 0
	for _, u := range urls {
		for _, user := range []string{"tq-viewer", "tq-analyst"} {
			r := f.do(t, http.MethodGet, u, user, "Accept-Encoding", "identity")
			if r.status >= 500 {
				t.Errorf("%s as %s: %d %s", u, user, r.status, r.body)
			}
			if what := f.leak("25", r.body); what != "" {
				t.Errorf("%s as %s: %d shows %s of Phú Thọ: %.300s", u, user, r.status, what, r.body)
			}
		}
		if r := f.do(t, http.MethodGet, u, "admin", "Accept-Encoding", "identity"); r.status == 200 && f.leak("25", r.body) != "" {
			adminSaw++
		}
	}
	if adminSaw < 10 {
		t.Errorf("the admin saw Phú Thọ in only %d responses: the leak check sees nothing", adminSaw)
	}
	t.Logf("%d URLs × 2 principals: no Phú Thọ record; the admin saw it in %d", len(urls), adminSaw)
}

func TestRolesAndStatuses(t *testing.T) {
	f := newAccessFixture(t, nil)
	tq := string(f.geo.CommunesOf("08")[0].Code)
	tests := []struct {
		name, user, url string
		status          int
	}{
		{"anonymous data", "", "/api/v1/map.geojson?province=08", 401},
		{"anonymous health", "", "/healthz", 200},
		{"anonymous readiness", "", "/readyz", 200},
		{"anonymous session", "", "/api/v1/session", 200},
		{"viewer map", "tq-viewer", "/api/v1/map.geojson?province=08", 200},
		{"viewer export", "tq-viewer", "/api/v1/export.csv?province=08", 200},
		{"viewer other province", "tq-viewer", "/api/v1/map.geojson?province=25", 403},
		{"viewer national", "tq-viewer", "/api/v1/summary?province=all", 403},
		{"viewer commune detail", "tq-viewer", "/api/v1/communes/" + tq, 403},
		{"viewer commune figures", "tq-viewer", "/api/v1/figures?commune=" + tq, 200},
		{"viewer commune figures other province", "tq-viewer", "/api/v1/figures?commune=" + string(f.geo.CommunesOf("25")[0].Code), 403},
		{"viewer sites", "tq-viewer", "/api/v1/sites.geojson?province=08", 403},
		{"viewer sites upper case", "tq-viewer", "/API/V1/SITES.GEOJSON?province=08", 403},
		{"viewer sites trailing slash", "tq-viewer", "/api/v1/sites.geojson/?province=08", 403},
		{"viewer OGC sites encoded", "tq-viewer", "/ogc/collections/%73ites/items?province=08", 403},
		{"viewer OGC sites", "tq-viewer", "/ogc/collections/sites/items?province=08", 403},
		{"viewer OGC communes", "tq-viewer", "/ogc/collections/communes/items?province=08", 200},
		{"viewer metrics", "tq-viewer", "/metrics", 403},
		{"viewer users", "tq-viewer", "/api/v1/admin/users", 403},
		{"analyst commune detail", "tq-analyst", "/api/v1/communes/" + tq, 200},
		{"analyst sites", "tq-analyst", "/api/v1/sites.geojson?province=08", 200},
		{"analyst OGC sites", "tq-analyst", "/ogc/collections/sites/items?province=08", 200},
		{"analyst metrics", "tq-analyst", "/metrics", 403},
		{"admin metrics", "admin", "/metrics", 200},
		{"admin users", "admin", "/api/v1/admin/users", 200},
		{"admin national", "admin", "/api/v1/summary?province=all", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(t, http.MethodGet, tt.url, tt.user)
			if r.status != tt.status {
				t.Fatalf("%s as %q: %d, want %d: %.300s", tt.url, tt.user, r.status, tt.status, r.body)
			}
			if r.status == 401 || r.status == 403 {
				var body struct {
					Error struct{ Code, Message string } `json:"error"`
				}
				if err := json.Unmarshal(r.body, &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
					t.Errorf("not an error body: %s", r.body)
				}
			}
		})
	}
	t.Run("bad token", func(t *testing.T) {
		r := f.do(t, http.MethodGet, "/api/v1/map.geojson?province=08", "", "Authorization", "Bearer antq_nope")
		if r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%d %v", r.status, r.header)
		}
	})
	t.Run("admin users list has no secrets", func(t *testing.T) {
		r := f.do(t, http.MethodGet, "/api/v1/admin/users", "admin")
		if strings.Contains(string(r.body), "argon2id") || strings.Contains(string(r.body), access.TokenHash(f.tokens["admin"])) {
			t.Errorf("secrets in %s", r.body)
		}
	})
	t.Run("metrics text", func(t *testing.T) {
		r := f.do(t, http.MethodGet, "/metrics", "admin")
		for _, want := range []string{`antq_http_requests_total{method="GET",route="/api/v1/map.geojson",status="200"}`,
			`antq_http_request_duration_seconds_bucket{route="/api/v1/map.geojson",le="+Inf"}`, `antq_cache_requests_total{result="hit"}`} {
			if !strings.Contains(string(r.body), want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}

// login signs in and returns the session cookie.
func (f *accessFixture) login(tb testing.TB, user, password string, headers ...string) (*http.Cookie, result) {
	tb.Helper()
	b, _ := json.Marshal(map[string]string{"user": user, "password": password})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/login", strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := f.app.Fiber().Test(req, -1)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	r := result{status: resp.StatusCode, header: resp.Header, body: body}
	for _, c := range resp.Cookies() {
		if c.Name == "antq_session" {
			return c, r
		}
	}
	return nil, r
}

func TestSessionLoginLogoutAndAudit(t *testing.T) {
	f := newAccessFixture(t, nil)
	if c, r := f.login(t, "tq-viewer", "wrong password!"); c != nil || r.status != 401 {
		t.Fatalf("bad password: %d %v", r.status, c)
	}
	if c, r := f.login(t, "nobody", testPassword); c != nil || r.status != 401 {
		t.Fatalf("unknown user: %d", r.status)
	}
	c, r := f.login(t, "tq-viewer", testPassword)
	if c == nil || r.status != 200 {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, not Secure on plain HTTP", c)
	}
	cookie := "antq_session=" + c.Value
	if r := f.do(t, http.MethodGet, "/api/v1/map.geojson?province=08", "", "Cookie", cookie); r.status != 200 {
		t.Errorf("with session: %d", r.status)
	}
	if r := f.do(t, http.MethodGet, "/api/v1/map.geojson?province=25", "", "Cookie", cookie); r.status != 403 {
		t.Errorf("with session, other province: %d", r.status)
	}
	var s struct{ User, Role, Auth string }
	r = f.do(t, http.MethodGet, "/api/v1/session", "", "Cookie", cookie)
	if json.Unmarshal(r.body, &s); s.User != "tq-viewer" || s.Role != "viewer" || s.Auth != "on" {
		t.Errorf("session %s", r.body)
	}
	if r := f.do(t, http.MethodPost, "/api/v1/logout", "", "Cookie", cookie); r.status != 200 {
		t.Errorf("logout %d", r.status)
	}
	if r := f.do(t, http.MethodGet, "/api/v1/map.geojson?province=08", "", "Cookie", cookie); r.status != 401 {
		t.Errorf("after logout: %d", r.status)
	}
	f.do(t, http.MethodGet, "/api/v1/export.csv?province=08", "tq-viewer")

	// The audit log has the failed and the good sign-in, the logout and the export.
	events := map[string]int{}
	af, err := os.Open(filepath.Join(f.dir, access.AuditFile))
	if err != nil {
		t.Fatal(err)
	}
	defer af.Close()
	sc := bufio.NewScanner(af)
	for sc.Scan() {
		var e access.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		events[e.Event]++
	}
	for _, want := range []string{"login_failed", "login", "logout", "export"} {
		if events[want] == 0 {
			t.Errorf("audit log lacks %s: %v", want, events)
		}
	}
	if st, _ := os.Stat(filepath.Join(f.dir, access.AuditFile)); st.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode %v", st.Mode())
	}
	if st, _ := os.Stat(filepath.Join(f.dir, access.UsersFile)); st.Mode().Perm() != 0o600 {
		t.Errorf("users file mode %v", st.Mode())
	}
}

func TestSecureCookieBehindTLSAndLoginLimit(t *testing.T) {
	f := newAccessFixture(t, func(c *dashboard.Config) { c.BehindTLS = true })
	c, _ := f.login(t, "tq-viewer", testPassword)
	if c == nil || !c.Secure {
		t.Fatalf("behind TLS: cookie %+v not Secure", c)
	}
	limited := false
	for i := 0; i < 15; i++ {
		if _, r := f.login(t, "tq-viewer", "wrong password!"); r.status == 429 {
			limited = r.header.Get("Retry-After") != ""
			break
		}
	}
	if !limited {
		t.Error("15 failed sign-ins in a row were not limited (429 with Retry-After)")
	}
}

// TestGrantChangesReachTheServer: `antq user revoke` edits the file from
// another process; the server sees it within a second, without a restart.
func TestGrantChangesReachTheServer(t *testing.T) {
	f := newAccessFixture(t, nil)
	if r := f.do(t, http.MethodGet, "/api/v1/summary?province=08", "tq-viewer"); r.status != 200 {
		t.Fatalf("before: %d", r.status)
	}
	other, err := access.OpenStore(filepath.Join(f.dir, access.UsersFile)) // as `antq user` would
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Update(func(us *access.Users) error { return us.Revoke("tq-viewer", "08") }); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute) // hang guard
	for {
		r := f.do(t, http.MethodGet, "/api/v1/summary?province=08", "tq-viewer")
		if r.status == 403 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("revoked grant still served after a minute: %d", r.status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestPublicMode(t *testing.T) {
	f := newAccessFixture(t, func(c *dashboard.Config) { c.Auth.Public = true })
	for u, want := range map[string]int{
		"/api/v1/map.geojson?province=25":                                   200,
		"/api/v1/summary?province=all":                                      200,
		"/api/v1/sites.geojson?province=25":                                 403,
		"/api/v1/communes/" + string(f.geo.CommunesOf("25")[0].Code):        403,
		"/api/v1/figures?commune=" + string(f.geo.CommunesOf("25")[0].Code): 200,
		"/api/v1/admin/users":                                               403,
	} {
		if r := f.do(t, http.MethodGet, u, ""); r.status != want {
			t.Errorf("anonymous %s: %d, want %d", u, r.status, want)
		}
	}
	// A signed-in user keeps their own scope on a public server.
	if r := f.do(t, http.MethodGet, "/api/v1/map.geojson?province=25", "tq-viewer"); r.status != 403 {
		t.Errorf("tq-viewer on a public server, province 25: %d", r.status)
	}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	f := newAccessFixture(t, nil)
	for _, u := range []string{"/healthz", "/api/v1/map.geojson?province=08", "/api/v1/map.geojson?province=25", "/nope", "/api/v1/map.geojson?province=x"} {
		r := f.do(t, http.MethodGet, u, "tq-viewer")
		h := r.header
		csp := h.Get("Content-Security-Policy")
		// No inline script ever; inline style attributes are allowed (ECharts'
		// tooltips use them).
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") ||
			!strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q", u, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", u, h)
		}
		if strings.HasPrefix(u, "/api/v1/map") && r.status == 200 && !strings.HasPrefix(h.Get("Cache-Control"), "private") {
			t.Errorf("%s: Cache-Control %q: with sign-in, responses are private", u, h.Get("Cache-Control"))
		}
	}
	r := f.do(t, http.MethodGet, "/embed/map?province=08", "")
	if r.header.Get("X-Frame-Options") != "" || strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("/embed/: framing refused: %v", r.header)
	}
}

func TestRateLimit(t *testing.T) {
	f := newAccessFixture(t, func(c *dashboard.Config) { c.RateLimit, c.RateBurst = 1, 3 })
	var last result
	for i := 0; i < 5; i++ {
		last = f.do(t, http.MethodGet, "/api/v1/metrics", "tq-viewer")
	}
	if last.status != 429 || last.header.Get("Retry-After") == "" {
		t.Fatalf("6th request in a burst of 3: %d %v", last.status, last.header)
	}
	// Another client is not affected; health probes are never limited.
	if r := f.do(t, http.MethodGet, "/api/v1/metrics", "pt-viewer"); r.status != 200 {
		t.Errorf("other client: %d", r.status)
	}
	for i := 0; i < 5; i++ {
		if r := f.do(t, http.MethodGet, "/healthz", ""); r.status != 200 {
			t.Errorf("healthz limited: %d", r.status)
		}
	}
}
