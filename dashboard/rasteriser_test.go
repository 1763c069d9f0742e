package dashboard_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/dashboard"
)

// TestPNGWithoutRasteriser: with rsvg-convert configured to a path that does
// not exist, every PNG route answers 503 with a message that says, Vietnamese
// first, what to install; SVG, JSON and CSV of the same charts still answer
// 200, and so does /readyz.
func TestPNGWithoutRasteriser(t *testing.T) {
	geo := mustGeo(t)
	s := chstoretest.Open(t)
	if _, err := s.LoadReference(ctx, referenceFromSet(geo, "08")); err != nil {
		t.Fatalf("load reference: %v", err)
	}
	if err := s.Write(ctx, fixtureData(geo)); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		t.Fatal(err)
	}
	app, err := newApp(dashboard.Config{Version: "test", Now: func() time.Time { return today },
		RSVGConvert: "/nonexistent/rsvg-convert"},
		dashboard.Deps{Health: s, Reader: s, Geo: geo})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: s, geo: geo, app: app}
	for _, name := range []string{"map", "trend"} {
		q := "?province=08&metric=sites&period=2025"
		r := f.get(t, "/charts/"+name+".png"+q)
		if r.status != 503 {
			t.Errorf("%s.png: status %d, want 503; body %s", name, r.status, r.body)
			continue
		}
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatalf("%s.png: %v: %s", name, err, r.body)
		}
		if !strings.HasPrefix(body.Error.Message, "không tạo được ảnh PNG") || !strings.Contains(body.Error.Message, "librsvg2-bin") ||
			!strings.Contains(body.Error.Message, "rsvg-convert") {
			t.Errorf("%s.png: message %q, want Vietnamese first, naming rsvg-convert and librsvg2-bin", name, body.Error.Message)
		}
		for _, ext := range []string{"svg", "json", "csv"} {
			if r := f.get(t, "/charts/"+name+"."+ext+q); r.status != 200 {
				t.Errorf("%s.%s without rsvg-convert: status %d, want 200: %s", name, ext, r.status, r.body)
			}
		}
	}
	if r := f.get(t, "/readyz"); r.status != 200 {
		t.Errorf("/readyz without rsvg-convert: %d", r.status)
	}
}
