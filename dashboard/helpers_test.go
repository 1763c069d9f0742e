package dashboard_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/analytics/memagg"
	"github.com/antq-atlas/antq/dashboard"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var ctx = context.Background()

// today is the tests' fixed date: police year 2025 runs 15/12/2024–14/12/2025.
var today = time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(chstoretest.Main(m))
}

var (
	geoOnce sync.Once
	geoSet  *commune.Set
	geoErr  error
)

// loadGeo loads the reference geography embedded in the binary, with the
// detailed level allowed for the provinces given.
func loadGeo(provinces ...analytics.ProvinceCode) (*commune.Set, error) {
	return commune.Load(context.Background(), commune.Config{Provinces: provinces})
}

// mustGeo loads the embedded reference geography once per test binary.
func mustGeo(tb testing.TB) *commune.Set {
	tb.Helper()
	geoOnce.Do(func() { geoSet, geoErr = loadGeo("08") })
	if geoErr != nil {
		tb.Fatalf("reference geography: %v", geoErr)
	}
	return geoSet
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture is a small real-engine dataset on the real Tuyên Quang communes.
type fixture struct {
	store *chstore.Store
	geo   *commune.Set
	app   *dashboard.App
	sites []analytics.Site
	mem   *memagg.Reader // the in-memory tables, when the figures come from them
}

var modelTypes = []struct{ name, sector string }{
	{"5 tự quản về ANTT", analytics.SectorResidential},
	{"Tự phòng, tự quản, tự bảo vệ", analytics.SectorResidential},
	{"Camera an ninh", analytics.SectorResidential},
	{"Hai quản, Hai tích cực", analytics.SectorCommune},
	{"An toàn về ANTT và PCCC", analytics.SectorAgency},
	{"Phòng chống tệ nạn xã hội và bạo lực học đường", analytics.SectorEducation},
	{"Dòng họ tự quản", analytics.SectorReligion},
}

var categories = []string{"mâu thuẫn/tranh chấp", "tệ nạn xã hội", "trật tự công cộng", "giao thông"}

// fixtureData builds the records: models, sites, grades and incidents on
// 40 of the 124 Tuyên Quang communes, 2020–2025, deterministic. Sites of
// communes with former units name an old unit (restated through the
// crosswalk); every fifth such site comes from a split unit.
func fixtureData(geo *commune.Set) analytics.Batch {
	cs := geo.CommunesOf("08")
	olds := map[analytics.CommuneCode][]commune.CrosswalkRow{}
	for _, x := range geo.Crosswalk {
		if x.NewProvince == "08" && x.OldCode != "" {
			olds[x.NewCode] = append(olds[x.NewCode], x)
		}
	}
	exemplary := map[string]bool{"Xã Trường Sinh": true, "Xã Hùng Lợi": true, "Phường Hà Giang 1": true}
	b := analytics.Batch{Token: "dashboard-fixture"}
	for i, c := range cs {
		if i%3 != 0 && !exemplary[c.FullName] { // 42 communes: every third, plus the exemplary ones
			continue
		}
		loc := func(j int, withPoint bool) analytics.Located {
			l := analytics.Located{Province: "08", Commune: c.Code, Rule: analytics.RuleExactCode, Confidence: 1, SourcePlace: c.FullName + ", Tỉnh Tuyên Quang"}
			if ox := olds[c.Code]; len(ox) > 0 {
				x := ox[j%len(ox)]
				l.OldCode, l.Rule, l.SourcePlace = x.OldCode, analytics.RuleNormalisedName, x.OldName+", "+x.OldDistrict+", "+x.OldProvince
				if j%5 == 4 {
					l.Rule, l.Split = analytics.RuleSplitShare, true
				}
			}
			if withPoint {
				l.Lon, l.Lat, l.HasPoint = c.Center[0]+float64(j%3)*0.001, c.Center[1]+float64(j%4)*0.001, true
			}
			return l
		}
		nModels := 1 + i%3
		for k := 0; k < nModels; k++ {
			mt := modelTypes[(i+k)%len(modelTypes)]
			key := fmt.Sprintf("m-%s-%d", c.Code, k)
			m := analytics.Model{Key: key, Hash: 1, Name: mt.name + " " + c.Name, Type: mt.name, Sector: mt.sector, HostUnit: "Công an " + c.FullName,
				Founded: day("2020-03-01").AddDate(0, (i*5+k*7)%60, 0), Advanced: (i+k)%4 == 0, Exemplary: k == 0 && exemplary[c.FullName], Located: loc(k, false)}
			b.Models = append(b.Models, m)
			nSites := 2 + (i*7+k)%6
			for s := 0; s < nSites; s++ {
				j := k*10 + s
				site := analytics.Site{Key: fmt.Sprintf("s-%s-%d-%d", c.Code, k, s), Hash: 1, ModelKey: key, ModelName: m.Name, ModelType: mt.name, Sector: mt.sector,
					Name: fmt.Sprintf("Điểm %d, %s", s+1, c.FullName), Opened: day("2021-01-10").AddDate(0, (i*3+s*5+k)%58, 0), Located: loc(j, s%2 == 0)}
				if (i+s)%7 == 3 {
					site.Retired = site.Opened.AddDate(1, 2, 0)
				}
				b.Sites = append(b.Sites, site)
				for y := 2023; y <= 2025; y++ {
					if site.Opened.Year() >= y {
						continue
					}
					b.Grades = append(b.Grades, analytics.Grade{Key: fmt.Sprintf("g-%s-%d", site.Key, y), Hash: 1, SiteKey: site.Key, Year: uint16(y),
						Grade: analytics.Grades[(i+s+y)%len(analytics.Grades)], Located: loc(j, false)})
				}
			}
		}
		for y := 2023; y <= 2025; y++ {
			for n := 0; n < 4+(i+y)%5+(y-2023)*((i/3)%3); n++ {
				rec := day(fmt.Sprintf("%d-01-05", y)).AddDate(0, 0, (i*13+n*31)%330)
				in := analytics.Incident{Key: fmt.Sprintf("i-%s-%d-%d", c.Code, y, n), Hash: 1, Category: categories[(i+n)%len(categories)], Received: rec,
					Outcome: analytics.Outcomes[(i+n+y)%len(analytics.Outcomes)], Located: loc(n, false)}
				if in.Outcome != analytics.OutcomePending {
					in.Closed = rec.AddDate(0, 0, 1+(n*7+i)%20)
				}
				if n%4 == 3 {
					in.Tip, in.TipUseful, in.Outcome, in.Closed, in.Category = true, n%8 == 3, "", time.Time{}, "tin báo"
				}
				b.Incidents = append(b.Incidents, in)
			}
		}
	}
	return b
}

// newFixture opens a fresh database, loads the Tuyên Quang reference
// tables and the records, and builds the app on it.
func newFixture(tb testing.TB, synthetic bool) *fixture {
	tb.Helper()
	return newFixtureReader(tb, synthetic, false)
}

// newFixtureReader is newFixture with, when memory, the figures read from
// the in-memory tables (analytics/memagg) over the store, refreshed at each
// commit before the app's caches are emptied, as `antq serve` wires them.
func newFixtureReader(tb testing.TB, synthetic, memory bool) *fixture {
	tb.Helper()
	geo := mustGeo(tb)
	s := chstoretest.Open(tb)
	if _, err := s.LoadReference(ctx, referenceFromSet(geo, "08")); err != nil {
		tb.Fatalf("load reference: %v", err)
	}
	b := fixtureData(geo)
	if err := s.Write(ctx, b); err != nil {
		tb.Fatalf("write fixture: %v", err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		tb.Fatalf("commit: %v", err)
	}
	var (
		reader analytics.Reader = s
		mem    *memagg.Reader
	)
	if memory {
		mem = memagg.New(s)
		if err := mem.Refresh(ctx, nil); err != nil {
			tb.Fatalf("in-memory tables: %v", err)
		}
		s.OnCommit(func(ps []analytics.ProvinceCode) {
			if err := mem.Refresh(ctx, ps); err != nil {
				tb.Errorf("in-memory tables: %v", err)
			}
		})
		reader = mem
	}
	app, err := newApp(dashboard.Config{Version: "test", Now: func() time.Time { return today }},
		dashboard.Deps{Health: s, Reader: reader, Geo: geo, Synthetic: synthetic})
	if err != nil {
		tb.Fatal(err)
	}
	s.OnCommit(func([]analytics.ProvinceCode) { app.Invalidate() })
	return &fixture{store: s, geo: geo, app: app, sites: b.Sites, mem: mem}
}

// result is a response read whole (gunzipped when it came compressed).
type result struct {
	status int
	header http.Header
	body   []byte
	raw    []byte // as sent
}

func (f *fixture) get(tb testing.TB, target string, headers ...string) result {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := f.app.Fiber().Test(req, -1)
	if err != nil {
		tb.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	r := result{status: resp.StatusCode, header: resp.Header, body: raw, raw: raw}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			tb.Fatalf("GET %s: gzip: %v", target, err)
		}
		if r.body, err = io.ReadAll(zr); err != nil {
			tb.Fatal(err)
		}
	}
	return r
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run with -update to accept):\n%s", name, firstDiff(want, got))
	}
}

func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, w, g)
		}
	}
	return ""
}

// readable turns a JSON body into indented JSON with polygon coordinates
// summarised ("2 rings, 130 positions"), so golden files stay small and
// reviewable; the full geometry is checked by the GeoJSON validator.
func readable(tb testing.TB, body []byte) []byte {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		tb.Fatalf("not JSON: %v\n%s", err, body)
	}
	v = summarise(v)
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return append(out, '\n')
}

func summarise(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if t, _ := x["type"].(string); (t == "MultiPolygon" || t == "Polygon") && x["coordinates"] != nil {
			rings, pos := 0, 0
			var walk func(any, int)
			walk = func(a any, depth int) {
				l, _ := a.([]any)
				if depth == 0 {
					rings++
					pos += len(l)
					return
				}
				for _, e := range l {
					walk(e, depth-1)
				}
			}
			depth := 1
			if t == "MultiPolygon" {
				depth = 2
			}
			walk(x["coordinates"], depth)
			return map[string]any{"type": t, "coordinates": fmt.Sprintf("%d rings, %d positions", rings, pos)}
		}
		for k, e := range x {
			x[k] = summarise(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = summarise(e)
		}
		return x
	}
	return v
}

// activeSites counts the fixture's sites active at the end of a window.
func activeSites(sites []analytics.Site, w analytics.Window) int {
	n := 0
	for _, s := range sites {
		if s.Opened.Before(w.To) && (s.Retired.IsZero() || !s.Retired.Before(w.To)) {
			n++
		}
	}
	return n
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// newApp is dashboard.New with the render limits a loaded 2-core test
// machine needs: a render may take minutes and wait minutes for a slot. No
// test times a render; a test of the limits themselves sets its own.
func newApp(cfg dashboard.Config, deps dashboard.Deps) (*dashboard.App, error) {
	if cfg.RenderTimeout == 0 {
		cfg.RenderTimeout = 10 * time.Minute
	}
	if cfg.RenderWait == 0 {
		cfg.RenderWait = 10 * time.Minute
	}
	return dashboard.New(cfg, deps)
}
