package dashboard_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/dashboard"
)

// newRenderFixture is newFixture with two renderers whose queue gives up
// at once (the tests hold the slots; nothing is timed).
func newRenderFixture(tb testing.TB) *fixture {
	tb.Helper()
	geo := mustGeo(tb)
	s := chstoretest.Open(tb)
	if _, err := s.LoadReference(ctx, referenceFromSet(geo, "08")); err != nil {
		tb.Fatal(err)
	}
	if err := s.Write(ctx, fixtureData(geo)); err != nil {
		tb.Fatal(err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		tb.Fatal(err)
	}
	app, err := newApp(dashboard.Config{Version: "test", Now: func() time.Time { return today }, Logger: quietLogger(),
		Renderers: 2, RenderWait: time.Millisecond}, dashboard.Deps{Health: s, Reader: s, Geo: geo})
	if err != nil {
		tb.Fatal(err)
	}
	return &fixture{store: s, geo: geo, app: app}
}

// TestRenderAdmission: with every renderer busy (held by the test), a PNG
// that needs drawing and a deck are answered 503 with Retry-After while
// other routes answer; a client holding its share is refused even with a
// renderer free; once released, the same requests are drawn.
func TestRenderAdmission(t *testing.T) {
	f := newRenderFixture(t)
	const png = "/charts/trend.png?province=08&metric=sites"
	const me = "ip:0.0.0.0" // the client key of requests sent with app.Test

	t.Run("all renderers busy", func(t *testing.T) {
		r1, err := dashboard.HoldRenderers(f.app, "user:other-1", 1)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := dashboard.HoldRenderers(f.app, "user:other-2", 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{png, "/api/v1/briefing.pptx?province=08"} {
			r := f.get(t, u)
			if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
				t.Errorf("%s with every renderer busy: %d Retry-After %q, want 503 with Retry-After", u, r.status, r.header.Get("Retry-After"))
			}
		}
		for _, u := range []string{"/api/v1/summary?province=08", "/charts/trend.json?province=08", "/charts/trend.csv?province=08", "/healthz"} {
			if r := f.get(t, u); r.status != http.StatusOK {
				t.Errorf("%s while the renderers are busy: %d, want 200", u, r.status)
			}
		}
		r1()
		r2()
		r := f.get(t, png)
		if r.status != http.StatusOK || !bytes.HasPrefix(r.body, []byte("\x89PNG")) {
			t.Fatalf("after release: %d %s", r.status, r.header.Get("Content-Type"))
		}
	})

	t.Run("one client's share", func(t *testing.T) {
		rel, err := dashboard.HoldRenderers(f.app, me, 1) // half of two
		if err != nil {
			t.Fatal(err)
		}
		u := "/charts/breakdown.png?province=08"
		if r := f.get(t, u); r.status != http.StatusServiceUnavailable {
			t.Errorf("a client over its share: %d, want 503 although a renderer is free", r.status)
		}
		rel()
		if r := f.get(t, u); r.status != http.StatusOK {
			t.Errorf("after release: %d %s", r.status, r.body)
		}
	})

	t.Run("snapped sizes share one drawing", func(t *testing.T) {
		first := f.get(t, "/charts/ranking.png?province=08&width=1001&height=701")
		if first.status != http.StatusOK {
			t.Fatalf("%d %s", first.status, first.body)
		}
		before, err := dashboard.RendererStats(f.app)
		if err != nil {
			t.Fatal(err)
		}
		// Held renderers prove the next answers are not drawn: a drawing
		// would need a slot and get 503.
		r1, _ := dashboard.HoldRenderers(f.app, "user:other-1", 1)
		r2, _ := dashboard.HoldRenderers(f.app, "user:other-2", 1)
		defer r1()
		defer r2()
		for _, u := range []string{"/charts/ranking.png?province=08&width=1003&height=699", "/charts/ranking.png?province=08&width=1024&height=720&scale=1.1"} {
			r := f.get(t, u)
			if r.status != http.StatusOK || !bytes.Equal(r.body, first.body) {
				t.Errorf("%s: %d, want the cached drawing of 1024×720", u, r.status)
			}
		}
		after, _ := dashboard.RendererStats(f.app)
		if after.Rasters != before.Rasters {
			t.Errorf("rasterisations %d → %d: nearby sizes were drawn again", before.Rasters, after.Rasters)
		}
	})

	t.Run("over 16 Mpx", func(t *testing.T) {
		r := f.get(t, "/charts/trend.png?province=08&width=4096&height=4096&scale=2")
		if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "16 Mpx") {
			t.Errorf("64 Mpx: %d %s, want 400 naming 16 Mpx", r.status, r.body)
		}
	})
}
