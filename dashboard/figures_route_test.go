package dashboard_test

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestFiguresRoute: /api/v1/figures?commune= answers exactly the metrics of
// the commune detail (the public part of it) with no models or sites, and
// refuses a missing or unknown commune with a Vietnamese message.
func TestFiguresRoute(t *testing.T) {
	f := newFixture(t, true)
	code := string(f.geo.CommunesOf("08")[0].Code)
	var detail, figs map[string]json.RawMessage
	for target, v := range map[string]*map[string]json.RawMessage{
		"/api/v1/communes/" + code + "?period=2025":        &detail,
		"/api/v1/figures?commune=" + code + "&period=2025": &figs,
	} {
		r := f.get(t, target)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", target, r.status, r.body)
		}
		if err := json.Unmarshal(r.body, v); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
	}
	for _, k := range []string{"commune", "window", "metrics", "synthetic"} {
		if !bytes.Equal(detail[k], figs[k]) {
			t.Errorf("%s differs:\n detail  %.300s\n figures %.300s", k, detail[k], figs[k])
		}
	}
	if len(figs["metrics"]) < 100 {
		t.Errorf("figures metrics %.200s", figs["metrics"])
	}
	for _, k := range []string{"models", "sites", "restated", "crosswalk"} {
		if _, ok := figs[k]; ok {
			t.Errorf("figures carry %s", k)
		}
	}
	for target, want := range map[string]int{
		"/api/v1/figures":                                 400,
		"/api/v1/figures?commune=99999":                   404,
		"/api/v1/figures?commune=" + code + "&period=bad": 400,
	} {
		r := f.get(t, target)
		if r.status != want {
			t.Errorf("%s: %d, want %d", target, r.status, want)
		}
		if !bytes.Contains(r.body, []byte("xã")) && !bytes.Contains(r.body, []byte("kỳ")) && !bytes.Contains(r.body, []byte("không")) {
			t.Errorf("%s: message not in Vietnamese: %s", target, r.body)
		}
	}
}
