package dashboard

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/access"
	"github.com/antq-atlas/antq/dashboard/ogc"
	"github.com/antq-atlas/antq/dashboard/params"
)

// Fuzz targets for what a request controls: query parameters, paths and
// embed signatures. `go test -fuzz FuzzX ./dashboard/` runs one; the seeds
// run in every `go test`. The period parameters' target is in
// dashboard/params.

var fuzzNow = time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)

func FuzzProvinceParam(f *testing.F) {
	for _, s := range []string{"province=08", "province=25", "province=all", "province=08&province=25", "commune=08001",
		"province=", "province=08%27", "province=%00", "province=8", "province=ALL"} {
		f.Add(s)
	}
	tq := access.Principal{Name: "v", Role: access.Viewer, Provinces: []analytics.ProvinceCode{"08"}}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		// Without the reference geography every code counts as known: a
		// viewer of 08 passes only with province values "" or "08".
		if access.GuardParams(nil, tq, q) == nil {
			for _, v := range q["province"] {
				if v != "" && v != "08" {
					t.Fatalf("%q: province %q passed the guard of a viewer of 08", raw, v)
				}
			}
		}
		all := access.Principal{Name: "a", Role: access.Admin, AllProvinces: true}
		if err := access.GuardParams(nil, all, q); err != nil {
			t.Fatalf("%q: the grant of all provinces was refused: %v", raw, err)
		}
	})
}

// FuzzAccessFor: no spelling of a path reaches an analyst or admin route
// with a weaker check (Fiber routes case-insensitively, ignores trailing
// slashes, and handlers unescape path parameters).
func FuzzAccessFor(f *testing.F) {
	for _, s := range []string{"/api/v1/sites.geojson", "/API/V1/SITES.GEOJSON/", "/ogc/collections/%73ites/items", "/api/v1/communes/08001",
		"/api/v1/admin/users", "/metrics/", "/embed/../api/v1/sites.geojson", "/assets/%2e%2e/metrics", "/%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		level := accessFor(p)
		forms := []string{strings.ToLower(p)}
		if dec, err := url.PathUnescape(p); err == nil {
			forms = append(forms, strings.ToLower(dec))
		}
		for _, fm := range forms {
			fm = strings.TrimRight(fm, "/")
			switch {
			case fm == "/metrics" || strings.HasPrefix(fm, "/api/v1/admin/") && fm != "/api/v1/admin/ingest-local":
				if accessRank[level] < accessRank[accessAdmin] {
					t.Fatalf("%q: access %s, want admin", p, level)
				}
			case fm == "/api/v1/sites.geojson" || strings.HasPrefix(fm, "/api/v1/communes/") || strings.HasPrefix(fm, "/ogc/collections/sites/items"):
				if accessRank[level] < accessRank[accessAnalyst] {
					t.Fatalf("%q: access %s, want analyst", p, level)
				}
			}
		}
	})
}

func FuzzParseBBox(f *testing.F) {
	for _, s := range []string{"bbox=105,21,106,22", "bbox=1,2,3", "bbox=106,23,105,22", "bbox=NaN,1,2,3", "bbox=1e309,0,0,0", "bbox=-180,-90,180,90,0,1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		b, ok, err := ogc.ParseBBox(q)
		if err == nil && ok && (b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1]) {
			t.Fatalf("%q: inverted bbox %v accepted", raw, b)
		}
		if _, err := params.Datetime(q, fuzzNow); err != nil && analytics.ErrorCode(err) != analytics.CodeInvalid {
			t.Fatalf("%q: datetime error %v is not invalid", raw, err)
		}
	})
}
