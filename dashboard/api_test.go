package dashboard_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/geojson"

	"github.com/xuri/excelize/v2"
)

// TestRoutesGolden answers every route on the fixture and compares the
// bodies with testdata/*.golden (go test -update rewrites them).
// TestRoutesGolden asks every route of the fixture twice: with the figures
// read by SQL from the store, and with them read from the in-memory tables
// (analytics/memagg, as `antq serve` does by default). Both must give the
// same golden files byte for byte.
func TestRoutesGolden(t *testing.T) {
	t.Run("sql", func(t *testing.T) { routesGolden(t, newFixture(t, true)) })
	t.Run("memory", func(t *testing.T) {
		f := newFixtureReader(t, true, true)
		routesGolden(t, f)
		// The tables were in use throughout (a dropped table would leave
		// every figure to SQL and this half of the test to prove nothing).
		if st := f.mem.Stats(); st.IncidentDay == 0 || st.Spans == 0 || st.Grades == 0 {
			t.Errorf("in-memory tables not in use: %+v", st)
		}
	})
}

func routesGolden(t *testing.T, f *fixture) {
	hungLoi := communeCode(t, f, "Xã Hùng Lợi")
	tests := []struct {
		name, url string
		metaOnly  bool // keep only the foreign member "antq" (large maps)
	}{
		{"provinces", "/api/v1/provinces", false},
		{"communes_08", "/api/v1/communes?province=08", false},
		{"metrics", "/api/v1/metrics", false},
		{"map_sites_2025", "/api/v1/map.geojson?province=08&metric=sites&period=2025&simplify=low", false},
		{"map_delta_incidents", "/api/v1/map.geojson?province=08&metric=incidents&period=2025&compare=prev&simplify=low", false},
		{"map_effectiveness", "/api/v1/map.geojson?province=08&metric=effectiveness&period=2025&compare=2024&simplify=low", false},
		{"map_all_sites", "/api/v1/map.geojson?province=all&metric=sites&period=2025", true},
		{"map_period_police_year", "/api/v1/map.geojson?province=08&metric=incidents&period=2024&simplify=low", true},
		{"map_period_cal_year", "/api/v1/map.geojson?province=08&metric=incidents&period=cal2024&simplify=low", true},
		{"map_period_half", "/api/v1/map.geojson?province=08&metric=incidents&period=2025H1&simplify=low", true},
		{"map_period_cal_half", "/api/v1/map.geojson?province=08&metric=incidents&period=cal2025H1&simplify=low", true},
		{"map_period_quarter", "/api/v1/map.geojson?province=08&metric=incidents&period=2025Q3&simplify=low", true},
		{"map_period_month", "/api/v1/map.geojson?province=08&metric=incidents&period=2025-08&simplify=low", true},
		{"map_period_cal_month", "/api/v1/map.geojson?province=08&metric=incidents&period=cal2025-08&simplify=low", true},
		{"map_period_post_merger", "/api/v1/map.geojson?province=08&metric=incidents&period=post-merger&simplify=low", true},
		{"map_period_ytd", "/api/v1/map.geojson?province=08&metric=incidents&period=ytd&simplify=low", true},
		{"map_period_range", "/api/v1/map.geojson?province=08&metric=incidents&from=2025-01-01&to=2025-06-30&simplify=low", true},
		{"map_period_default", "/api/v1/map.geojson?province=08&metric=share_good&simplify=low", true},
		{"sites_2025", "/api/v1/sites.geojson?province=08&period=2025&sector=" + url.QueryEscape(analytics.SectorResidential), false},
		{"sites_commune", "/api/v1/sites.geojson?province=08&period=2025&commune=" + hungLoi, false},
		{"series_year", "/api/v1/series?province=08&metric=sites&from=2022&to=2025&by=year", false},
		{"series_quarter_commune", "/api/v1/series?province=08&metric=incidents&from=2024&to=2025&by=quarter&commune=" + hungLoi, false},
		{"series_month_dates", "/api/v1/series?province=08&metric=resolution_rate&from=2025-01-01&to=2025-06-30&by=month", false},
		{"series_half", "/api/v1/series?province=08&metric=share_good&from=2023&to=2025&by=half", false},
		{"breakdown_model_type", "/api/v1/breakdown?province=08&by=model_type&period=2025", false},
		{"breakdown_sector", "/api/v1/breakdown?province=08&by=sector&period=2025&metric=sites", false},
		{"breakdown_grade", "/api/v1/breakdown?province=08&by=grade&period=2025", false},
		{"breakdown_category", "/api/v1/breakdown?province=08&by=category&period=2025", false},
		{"breakdown_outcome_commune", "/api/v1/breakdown?province=08&by=outcome&period=2025&commune=" + hungLoi, false},
		{"ranking_sites", "/api/v1/ranking?province=08&metric=sites&period=2025&limit=5", false},
		{"ranking_incidents_compare", "/api/v1/ranking?province=08&metric=incidents&period=2025&compare=prev&limit=5", false},
		{"commune_detail", "/api/v1/communes/" + hungLoi + "?period=2025", false},
		{"summary", "/api/v1/summary?province=08&period=2025&compare=prev", false},
		{"summary_all", "/api/v1/summary?province=all&period=2025", false},
		{"openapi", "/openapi.json", false},
		{"ogc_landing", "/ogc", false},
		{"ogc_conformance", "/ogc/conformance", false},
		{"ogc_collections", "/ogc/collections", false},
		{"ogc_collection_sites", "/ogc/collections/sites", false},
		{"ogc_items_communes", "/ogc/collections/communes/items?province=08&limit=3&offset=3&datetime=2024-12-15/2025-12-14&simplify=low", false},
		{"ogc_items_communes_bbox", "/ogc/collections/communes/items?bbox=105.0,21.9,105.1,22.0&limit=2&simplify=low", false},
		{"ogc_items_sites", "/ogc/collections/sites/items?province=08&limit=2&offset=2", false},
		{"ogc_item_commune", "/ogc/collections/communes/items/" + hungLoi + "?simplify=low&metric=sites,effectiveness", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.get(t, tt.url, "Accept-Encoding", "gzip")
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			ct := r.header.Get("Content-Type")
			if strings.Contains(tt.url, ".geojson") || strings.Contains(tt.url, "/items") {
				if !strings.HasPrefix(ct, "application/geo+json") {
					t.Errorf("Content-Type %q", ct)
				}
				if err := geojson.Validate(r.body); err != nil {
					t.Errorf("GeoJSON: %v", err)
				}
			}
			body := r.body
			if tt.metaOnly {
				var fc struct {
					Features []json.RawMessage `json:"features"`
					Antq     json.RawMessage   `json:"antq"`
				}
				if err := json.Unmarshal(body, &fc); err != nil {
					t.Fatal(err)
				}
				body = []byte(fmt.Sprintf(`{"features":%d,"antq":%s}`, len(fc.Features), fc.Antq))
			}
			golden(t, tt.name+".golden.json", readable(t, body))
		})
	}

	t.Run("export_csv", func(t *testing.T) {
		r := f.get(t, "/api/v1/export.csv?province=08&metric=incidents&period=2025&compare=prev")
		if r.status != 200 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		if !bytes.HasPrefix(r.body, []byte("\ufeff")) {
			t.Error("CSV without a UTF-8 byte-order mark")
		}
		if d := r.header.Get("Content-Disposition"); d != `attachment; filename="antq_08_incidents_2025.csv"` {
			t.Errorf("Content-Disposition %q", d)
		}
		golden(t, "export_csv.golden.csv", r.body)
	})
	t.Run("export_xlsx", func(t *testing.T) {
		r := f.get(t, "/api/v1/export.xlsx?province=08&metric=share_good&period=2025&compare=prev")
		if r.status != 200 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		x, err := excelize.OpenReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		var dump strings.Builder
		for _, sh := range x.GetSheetList() {
			fmt.Fprintf(&dump, "== %s\n", sh)
			rows, err := x.GetRows(sh) // formatted as Excel shows them
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range rows {
				dump.WriteString(strings.Join(row, "\t") + "\n")
			}
		}
		if !strings.Contains(dump.String(), "Dữ liệu minh họa") {
			t.Error("synthetic data without its note")
		}
		golden(t, "export_xlsx.golden.txt", []byte(dump.String()))
	})
}

func communeCode(tb testing.TB, f *fixture, fullName string) string {
	tb.Helper()
	for _, c := range f.geo.CommunesOf("08") {
		if c.FullName == fullName {
			return string(c.Code)
		}
	}
	tb.Fatalf("no commune %q in Tuyên Quang", fullName)
	return ""
}

// TestBadRequests: bad parameters are 400 (unknown things 404) with
// {"error":{"code","message"}} naming the parameter in Vietnamese and
// English; never 500.
func TestBadRequests(t *testing.T) {
	f := newFixture(t, false)
	tests := []struct {
		url    string
		status int
		names  string // the message must contain this
	}{
		{"/api/v1/map.geojson", 400, "province"},
		{"/api/v1/map.geojson?province=99", 400, "province"},
		{"/api/v1/map.geojson?province=8", 400, "province"},
		{"/api/v1/map.geojson?province=08%27%3B%20DROP", 400, "province"},
		{"/api/v1/map.geojson?province=all&simplify=full", 400, "simplify"},
		{"/api/v1/map.geojson?province=08&metric=foo", 400, "metric"},
		{"/api/v1/map.geojson?province=08&period=2024H3", 400, "period"},
		{"/api/v1/map.geojson?province=08&period=abc", 400, "period"},
		{"/api/v1/map.geojson?province=08&period=1999", 400, "period"},
		{"/api/v1/map.geojson?province=08&from=2025-01-01", 400, "to="},
		{"/api/v1/map.geojson?province=08&from=2025-01-01&to=2025-02-01&period=2025", 400, "period"},
		{"/api/v1/map.geojson?province=08&from=2025-03-01&to=2025-02-01", 400, "from/to"},
		{"/api/v1/map.geojson?province=08&from=2025-02-30&to=2025-03-01", 400, "from"},
		{"/api/v1/map.geojson?province=08&compare=last", 400, "compare"},
		{"/api/v1/map.geojson?province=08&simplify=ultra", 400, "simplify"},
		{"/api/v1/communes?province=xx", 400, "province"},
		{"/api/v1/sites.geojson?province=08&sector=foo", 400, "sector"},
		{"/api/v1/sites.geojson?province=08&commune=99999", 400, "commune"},
		{"/api/v1/sites.geojson?province=08&commune=26734", 400, "commune"},
		{"/api/v1/series?province=08&by=week", 400, "by"},
		{"/api/v1/series?province=08&from=abc", 400, "from"},
		{"/api/v1/series?province=08&from=2025&to=2022", 400, "to"},
		{"/api/v1/series?province=08&from=2000-01-01&to=2100-12-31&by=month", 400, "240"},
		{"/api/v1/breakdown?province=08", 400, "by"},
		{"/api/v1/breakdown?province=08&by=grade%3B", 400, "by"},
		{"/api/v1/breakdown?province=08&by=grade&metric=x", 400, "metric"},
		{"/api/v1/ranking?province=08&limit=-1", 400, "limit"},
		{"/api/v1/ranking?province=08&limit=abc", 400, "limit"},
		{"/api/v1/ranking?province=08&limit=99999", 400, "limit"},
		{"/api/v1/summary?province=08&compare=2024Q9", 400, "compare"},
		{"/api/v1/communes/99999", 404, "99999"},
		{"/api/v1/communes/abc?period=2025", 404, "abc"},
		{"/api/v1/export.csv?province=08&metric=nope", 400, "metric"},
		{"/api/v1/export.csv?province=08&sep=%7C", 400, "sep"},
		{"/api/v1/export.csv?province=08&decimal=%3B", 400, "decimal"},
		{"/api/v1/export.csv?province=08&lang=fr", 400, "lang"},
		{"/charts/ranking.csv?province=08&sep=x", 400, "sep"},
		{"/charts/breakdown.csv?province=08&top=0", 400, "top"},
		{"/charts/map.json?province=08&labels=some", 400, "labels"},
		{"/charts/breakdown.csv?province=08&top=x", 400, "top"},
		{"/api/v1/export.xlsx?province=", 400, "province"},
		{"/ogc/collections/roads", 404, "roads"},
		{"/ogc/collections/roads/items", 404, "roads"},
		{"/ogc/collections/communes/items?bbox=1,2,3", 400, "bbox"},
		{"/ogc/collections/communes/items?bbox=106,23,105,22", 400, "bbox"},
		{"/ogc/collections/communes/items?limit=0", 400, "limit"},
		{"/ogc/collections/communes/items?offset=-3", 400, "offset"},
		{"/ogc/collections/communes/items?datetime=yesterday", 400, "datetime"},
		{"/ogc/collections/communes/items?f=xml", 400, "f="},
		{"/ogc/collections/communes/items?metric=sites,bogus", 400, "metric"},
		{"/ogc/collections/communes/items/99999", 404, "99999"},
		{"/ogc/collections/sites/items/nokey", 404, "nokey"},
		{"/ogc/collections/sites/items/00691_nokey", 404, "00691_nokey"},
		{"/api/v1/map.geojson?province=08&%zz", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			r := f.get(t, tt.url)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			var body struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(r.body, &body); err != nil {
				t.Fatalf("not an error body: %s", r.body)
			}
			wantCode := map[int]string{400: "invalid", 404: "not_found"}[tt.status]
			if body.Error.Code != wantCode || !strings.Contains(body.Error.Message, tt.names) {
				t.Errorf("error %+v, want code %s naming %q", body.Error, wantCode, tt.names)
			}
			if tt.status == 400 && !strings.Contains(body.Error.Message, " / ") {
				t.Errorf("message not bilingual (Vietnamese / English): %q", body.Error.Message)
			}
		})
	}
}

// TestRestatedTotalsConserveCounts: the sites of every commune, restated
// from old units or not, add up to the active site records, per commune
// map and in the province total, for several windows.
func TestRestatedTotalsConserveCounts(t *testing.T) {
	f := newFixture(t, false)
	for _, period := range []string{"2022", "2023", "2024", "2025", "2025H1", "cal2024"} {
		t.Run(period, func(t *testing.T) {
			w, err := analytics.ParsePeriod(period, today)
			if err != nil {
				t.Fatal(err)
			}
			want := activeSites(f.sites, w)
			r := f.get(t, "/api/v1/map.geojson?province=08&metric=sites&simplify=low&period="+period)
			var fc struct {
				Features []struct {
					Properties struct {
						Value *float64 `json:"value"`
					} `json:"properties"`
				} `json:"features"`
				Antq struct {
					Totals struct {
						Value    float64 `json:"value"`
						Communes int     `json:"communes"`
					} `json:"totals"`
				} `json:"antq"`
			}
			if err := json.Unmarshal(r.body, &fc); err != nil {
				t.Fatal(err)
			}
			var sum float64
			for _, ft := range fc.Features {
				if ft.Properties.Value != nil {
					sum += *ft.Properties.Value
				}
			}
			if int(sum) != want || int(fc.Antq.Totals.Value) != want {
				t.Errorf("Σ communes = %v, province total = %v, active site records = %d", sum, fc.Antq.Totals.Value, want)
			}
			if len(fc.Features) != 124 || fc.Antq.Totals.Communes != 124 {
				t.Errorf("%d features, %d communes: want all 124", len(fc.Features), fc.Antq.Totals.Communes)
			}
			// The restated records are among them.
			var restated int
			for _, s := range f.sites {
				if s.OldCode != "" && s.Opened.Before(w.To) && (s.Retired.IsZero() || !s.Retired.Before(w.To)) {
					restated++
				}
			}
			if restated == 0 && period == "2025" {
				t.Error("fixture has no restated sites")
			}
		})
	}
}

// TestCommuneDetailRestated: the detail lists the rules behind the
// commune's restated figures and the crosswalk rows naming it.
func TestCommuneDetailRestated(t *testing.T) {
	f := newFixture(t, false)
	code := communeCode(t, f, "Xã Hùng Lợi")
	r := f.get(t, "/api/v1/communes/"+code+"?period=2025")
	var d struct {
		Restated []struct {
			Kind, Resolve_rule, Old_code string
			N                            int
		} `json:"restated"`
		Crosswalk []struct{ Old_code string } `json:"crosswalk"`
		Metrics   []struct {
			Metric struct{ ID string } `json:"metric"`
			Value  *float64            `json:"value"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal(r.body, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Restated) == 0 || len(d.Crosswalk) == 0 {
		t.Fatalf("restated %d rows, crosswalk %d rows", len(d.Restated), len(d.Crosswalk))
	}
	if len(d.Metrics) != len(analytics.Metrics) || d.Metrics[len(d.Metrics)-1].Metric.ID != "effectiveness" {
		t.Errorf("metrics: %d, want the catalogue with the composite index", len(d.Metrics))
	}
}
