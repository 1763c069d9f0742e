package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/analytics/finding"
)

type findingsResp struct {
	Province string `json:"province"`
	Window   struct {
		Spec string `json:"spec"`
	} `json:"window"`
	Findings []struct {
		Rank     int    `json:"rank"`
		Kind     string `json:"kind"`
		Severity string `json:"severity"`
		Metric   string `json:"metric"`
		Text     string `json:"text"`
		TextVI   string `json:"text_vi"`
		TextEN   string `json:"text_en"`
		Communes []struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"communes"`
		Figures struct {
			Den    *float64 `json:"den"`
			CmpDen *float64 `json:"den_compare"`
			Value  *float64 `json:"value"`
			Z      *float64 `json:"z"`
		} `json:"figures"`
		Link string `json:"link"`
	} `json:"findings"`
}

// TestFindingsDemo pins the findings of the demo dataset (golden): Tuyên
// Quang 2025 against 2024 and Phú Thọ 2025 against 2022, in both
// languages; every change and outlier rests on at least
// finding.MinCases cases; each kind the data support appears (the
// synthetic communes are alike, report every year and restate no split
// unit: no outlier, gap or data-quality finding, which TestFindingsFixture
// covers).
func TestFindingsDemo(t *testing.T) {
	base := demoServer(t)
	tests := []struct {
		name, query string
		kinds       []string // kinds the demo data support
	}{
		{"findings_08_2025_vs_2024", "province=08&period=2025&compare=2024", []string{"coverage", "change", "models"}},
		{"findings_25_2025_vs_2022", "province=25&period=2025&compare=2022", []string{"change", "models"}},
		{"findings_08_2025_vs_2024_en", "province=08&period=2025&compare=2024&lang=en", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Get(base + "/api/v1/findings?" + tc.query)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var raw json.RawMessage
			if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil || resp.StatusCode != 200 {
				t.Fatalf("status %d, %v", resp.StatusCode, err)
			}
			var body findingsResp
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, f := range body.Findings {
				seen[f.Kind] = true
				if (f.Kind == "change" || f.Kind == "outlier") && f.Metric != "incidents" {
					if f.Figures.Den == nil || *f.Figures.Den < finding.MinCases {
						t.Errorf("%s on too few cases: %s", f.Kind, f.TextVI)
					}
					if f.Kind == "change" && (f.Figures.CmpDen == nil || *f.Figures.CmpDen < finding.MinCases) {
						t.Errorf("change on too few cases before: %s", f.TextVI)
					}
				}
				if f.Link == "" && f.Kind != "data_quality" || !strings.Contains(f.Link, "province="+body.Province) && f.Link != "" {
					t.Errorf("link %q of %s", f.Link, f.TextVI)
				}
				want := f.TextVI
				if strings.HasSuffix(tc.name, "_en") {
					want = f.TextEN
				}
				if f.Text != want {
					t.Errorf("text %q, want %q", f.Text, want)
				}
			}
			for _, k := range tc.kinds {
				if !seen[k] {
					t.Errorf("no finding of kind %s", k)
				}
			}
			golden(t, tc.name+".json", indent(t, raw))
		})
	}
}

func indent(tb testing.TB, raw []byte) []byte {
	tb.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		tb.Fatal(err)
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return append(b, '\n')
}

// TestFindingsFixture pins the findings of the small fixture, to which it
// adds two communes outside it: Xã Silent reported incidents in police
// years 2022–2024 and none in 2025 (a reporting gap); Xã Busy concluded 40
// mediations in 2024, all successful, and 40 in 2025, all failed (a fall
// and an outlier on enough cases). The fixture's own communes have 4–12
// incidents a year: too few for a change or an outlier.
func TestFindingsFixture(t *testing.T) {
	f := newFixture(t, false)
	cs := f.geo.CommunesOf("08")
	var outside []*commune.Commune // communes the fixture leaves empty (it takes every third, and the exemplary ones)
	for i, c := range cs {
		if i%3 != 0 && c.FullName != "Xã Trường Sinh" && c.FullName != "Xã Hùng Lợi" && c.FullName != "Phường Hà Giang 1" {
			outside = append(outside, c)
		}
	}
	silent, busy := outside[0], outside[1]
	loc := func(c analytics.CommuneCode) analytics.Located {
		return analytics.Located{Province: "08", Commune: c, Rule: analytics.RuleExactCode, Confidence: 1, SourcePlace: "test"}
	}
	b := analytics.Batch{Token: "findings-extra"}
	for y := 2022; y <= 2024; y++ {
		for n := range 5 {
			rec := day(fmt.Sprintf("%d-03-%02d", y, 10+n))
			b.Incidents = append(b.Incidents, analytics.Incident{Key: fmt.Sprintf("gap-%d-%d", y, n), Hash: 1, Category: categories[0], Received: rec,
				Closed: rec.AddDate(0, 0, 3), Outcome: analytics.OutcomeResolvedLocal, Located: loc(silent.Code)})
		}
	}
	for _, y := range []int{2024, 2025} {
		outcome := analytics.OutcomeMediated
		if y == 2025 {
			outcome = analytics.OutcomeNotMediated
		}
		for n := range 40 {
			rec := day(fmt.Sprintf("%d-02-01", y)).AddDate(0, 0, n*5)
			b.Incidents = append(b.Incidents, analytics.Incident{Key: fmt.Sprintf("busy-%d-%d", y, n), Hash: 1, Category: categories[0], Received: rec,
				Closed: rec.AddDate(0, 0, 2), Outcome: outcome, Located: loc(busy.Code)})
		}
	}
	if err := f.store.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		t.Fatal(err)
	}
	r := f.get(t, "/api/v1/findings?province=08&period=2025&compare=2024")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var body findingsResp
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, fd := range body.Findings {
		kinds[fd.Kind]++
		if fd.Kind == "change" || fd.Kind == "outlier" {
			if len(fd.Communes) != 1 || fd.Communes[0].Code != string(busy.Code) {
				t.Errorf("%s finding on a commune with too few cases: %s", fd.Kind, fd.TextVI)
			}
		}
		if fd.Kind == "reporting_gap" && (len(fd.Communes) != 1 || fd.Communes[0].Code != string(silent.Code)) {
			t.Errorf("reporting gap: %s", fd.TextVI)
		}
	}
	for _, k := range finding.Kinds {
		if kinds[string(k)] == 0 {
			t.Errorf("no finding of kind %s", k)
		}
	}
	golden(t, "findings_fixture_08_2025_vs_2024.json", indent(t, r.body))

	// The XLSX export carries the same findings on its own sheet.
	x := f.get(t, "/api/v1/export.xlsx?province=08&metric=mediation_rate&period=2025&compare=2024")
	if x.status != 200 {
		t.Fatalf("export.xlsx: %d", x.status)
	}
	xf, err := excelize.OpenReader(bytes.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	defer xf.Close()
	rows, err := xf.GetRows("Điểm cần chú ý")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < len(body.Findings)+1 {
		t.Fatalf("findings sheet has %d rows, want %d findings", len(rows)-1, len(body.Findings))
	}
	for i, fd := range body.Findings {
		if rows[i+1][4] != fd.TextVI {
			t.Errorf("sheet row %d: %q, want %q", i+2, rows[i+1][4], fd.TextVI)
		}
	}

	for _, bad := range []string{"province=all", "province=08&lang=fr", "province=08&compare=x", "period=2025"} {
		if r := f.get(t, "/api/v1/findings?"+bad); r.status != 400 {
			t.Errorf("%s: status %d, want 400", bad, r.status)
		}
	}
}

// TestFindingsInBrowser: the page lists the findings beside the headline
// figures ("Điểm cần chú ý"); a real click on a finding about one commune
// selects its metric, the comparison (a change) and the commune: the map
// highlights it and its panel opens.
func TestFindingsInBrowser(t *testing.T) {
	chromiumPath(t) // fail (or skip) before building the demo data
	base := demoServer(t)
	var api findingsResp
	getJSON(t, base+"/api/v1/findings?province=08&period=2025&compare=prev", &api)
	pickIdx := -1
	for i, f := range api.Findings {
		if i < 8 && len(f.Communes) == 1 && f.Kind == "change" {
			pickIdx = i
			break
		}
	}
	if pickIdx < 0 {
		t.Fatal("no change finding about one commune among the first 8")
	}
	want := api.Findings[pickIdx]

	bctx := newBrowser(t)
	// Hang guard only: each step normally takes well under a second.
	poll := func(what, expr string) string {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, time.Minute)
		defer cancel()
		v, err := chromedp.Run(c, chromedp.Poll[string](expr, chromedp.WithPollingInterval(20*time.Millisecond)))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	c, cancelNav := context.WithTimeout(bctx, time.Minute)
	err := chromedp.Do(c, chromedp.Navigate(base+"/?province=08&period=2025"))
	cancelNav()
	if err != nil {
		t.Fatal(err)
	}
	poll("page ready", `document.body.getAttribute('data-ready') && document.querySelectorAll('#findings button').length > 0 ? 'ok' : null`)
	shown := poll("findings shown", fmt.Sprintf(`(function(){var b=document.querySelector('#findings button[data-finding="%d"]'); return b ? b.textContent : null;})()`, pickIdx))
	if shown != want.TextVI {
		t.Errorf("finding %d shows %q, API says %q", pickIdx, shown, want.TextVI)
	}
	c, cancelClick := context.WithTimeout(bctx, time.Minute)
	err = chromedp.Do(c, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#findings button[data-finding="%d"]`, pickIdx))))
	cancelClick()
	if err != nil {
		t.Fatal(err)
	}
	code, name := want.Communes[0].Code, want.Communes[0].Name
	got := poll("finding applied", fmt.Sprintf(`(function(){var p=window.antqPage; var ok=p.state.commune===%q && !document.getElementById('panel').classList.contains('hidden') && document.getElementById('panel-title').textContent===%q && p.highlighted().indexOf(%q)>=0; return ok ? p.state.metric+'|'+document.getElementById('metric').value+'|'+p.state.compare : null;})()`, code, name, code))
	if wantState := want.Metric + "|" + want.Metric + "|delta"; got != wantState {
		t.Errorf("after the click: metric|picker|compare = %q, want %q", got, wantState)
	}
	if q := poll("url", `location.search`); !strings.Contains(q, "commune="+code) || !strings.Contains(q, "metric="+want.Metric) {
		t.Errorf("URL %s does not hold the selection", q)
	}
}
