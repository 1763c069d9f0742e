package ogc_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/ogc"
)

func TestParseBBoxFormatMetrics(t *testing.T) {
	for _, tc := range []struct {
		query   string
		hasBBox bool
		metrics int
		bad     bool
	}{
		{"", false, 3, false},
		{"f=json&bbox=105,21,106,22", true, 3, false},
		{"f=geojson&bbox=105,21,0,106,22,100&metric=sites", true, 1, false},
		{"bbox=106,21,105,22", false, 0, true},  // inverted
		{"bbox=105,21,106", false, 0, true},     // three numbers
		{"bbox=-181,0,0,1", false, 0, true},     // off the globe
		{"f=xml", false, 0, true},               // no such encoding
		{"metric=sites,nosuch", false, 0, true}, // no such metric
	} {
		q, _ := url.ParseQuery(tc.query)
		_, has, err1 := ogc.ParseBBox(q)
		err2 := ogc.ParseFormat(q)
		ms, err3 := ogc.ParseMetrics(q)
		bad := err1 != nil || err2 != nil || err3 != nil
		if bad != tc.bad {
			t.Errorf("%q: errors %v, %v, %v; want bad=%v", tc.query, err1, err2, err3, tc.bad)
			continue
		}
		for _, err := range []error{err1, err2, err3} {
			if err != nil && analytics.ErrorCode(err) != analytics.CodeInvalid {
				t.Errorf("%q: %v is not CodeInvalid", tc.query, err)
			}
		}
		if !tc.bad && (has != tc.hasBBox || len(ms) != tc.metrics) {
			t.Errorf("%q: bbox %v, %d metrics; want %v, %d", tc.query, has, len(ms), tc.hasBBox, tc.metrics)
		}
	}
}

func TestCommuneProperties(t *testing.T) {
	w, err := analytics.ParseRange("2025-07-01", "2025-12-31")
	if err != nil {
		t.Fatal(err)
	}
	pop := int64(12345)
	props := ogc.CommuneProperties(ogc.Commune{Code: "08001", Name: "Xã A", Kind: "xã", Province: "08", AreaKm2: 12.5, Population: &pop},
		w, []ogc.MetricValue{
			{Metric: "sites", Value: 3, OK: true},
			{Metric: "models"}, // no figure at all: no reports
			{Metric: "incidents", Reason: analytics.ReasonPartialPeriod},
		})
	raw, _ := json.Marshal(props)
	var got map[string]any
	_ = json.Unmarshal(raw, &got)
	for k, want := range map[string]any{
		"sites": 3.0, "models": nil, "models_reason": "no_reports", "incidents": nil, "incidents_reason": string(analytics.ReasonPartialPeriod),
		"period_from": "2025-07-01", "period_to": "2025-12-31", "population": 12345.0, "code": "08001", "name": "Xã A",
	} {
		if v, ok := got[k]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", k, v, ok, want)
		}
	}
	if _, ok := got["sites_reason"]; ok {
		t.Errorf("a value carries a reason: %s", raw)
	}
	props = ogc.CommuneProperties(ogc.Commune{Code: "08002"}, w, nil)
	if raw, _ := json.Marshal(props["population"]); string(raw) != "null" {
		t.Errorf("missing population encodes as %s, want null (no data is never zero)", raw)
	}
}

func TestSitesIn(t *testing.T) {
	sites := []analytics.SitePoint{
		{Key: "in", HasPoint: true, Lon: 105.5, Lat: 21.5},
		{Key: "none"}, // no coordinates: in no bbox, though 0,0 is inside the one below
		{Key: "out", HasPoint: true, Lon: 107, Lat: 21.5},
		{Key: "edge", HasPoint: true, Lon: 106, Lat: 22},
	}
	bb, _, err := ogc.ParseBBox(url.Values{"bbox": {"-1,-1,106,22"}})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, sp := range ogc.SitesIn(sites, bb) {
		keys = append(keys, sp.Key)
	}
	if fmt.Sprint(keys) != "[in edge]" {
		t.Errorf("kept %v, want [in edge]", keys)
	}
}
