package commune

// Fuzz tests of the resolver and ResolveCSV (the name normaliser's are in
// placename). The
// resolver targets load the real reference data once (mustSet).

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

var knownRules = []analytics.ResolveRule{analytics.RuleExactCode, analytics.RuleExactName, analytics.RuleNormalisedName,
	analytics.RuleDistrict, analytics.RuleSplitCoordinate, analytics.RuleSplitShare}

// checkResolution asserts what a resolved place must hold: a real 2025
// commune with its own province and name, a known rule, a confidence in
// (0, 1]; and an error is a *analytics.ResolveError or a domain error.
func checkResolution(t *testing.T, s *Set, p analytics.Place, res analytics.Resolution, err error) {
	t.Helper()
	if err != nil {
		var re *analytics.ResolveError
		var de *analytics.Error
		if !errors.As(err, &re) && !errors.As(err, &de) {
			t.Fatalf("Resolve(%+v): error %T %v is neither a ResolveError nor a domain error", p, err, err)
		}
		if re != nil && re.Reason == "" {
			t.Fatalf("Resolve(%+v): ResolveError without a reason", p)
		}
		return
	}
	c, ok := s.Commune(res.Commune)
	switch {
	case !ok:
		t.Fatalf("Resolve(%+v) = %+v: no such 2025 commune", p, res)
	case c.Province != res.Province || c.FullName != res.Name:
		t.Fatalf("Resolve(%+v) = %+v: the commune is %s of province %s", p, res, c.FullName, c.Province)
	case !slices.Contains(knownRules, res.Rule):
		t.Fatalf("Resolve(%+v) = %+v: unknown rule", p, res)
	case !(res.Confidence > 0 && res.Confidence <= 1):
		t.Fatalf("Resolve(%+v) = %+v: confidence out of (0, 1]", p, res)
	}
}

// FuzzResolve resolves arbitrary places: never a panic, a resolution is a
// real commune, an error is typed, and the same place resolves the same
// way twice (the name cache does not change answers).
func FuzzResolve(f *testing.F) {
	type seed struct {
		code, commune, district, province string
		days                              int32 // since 1 July 2025; 0 is no date
		lon, lat                          float64
		point                             bool
	}
	for _, s := range []seed{
		{"", "Xã Hùng Lợi", "", "Tỉnh Tuyên Quang", 40, 0, 0, false},
		{"", "Xã Trung Minh", "Huyện Yên Sơn", "Tuyên Quang", -400, 0, 0, false},
		{"", "xa trung minh", "h. yen son", "tuyen quang", 0, 0, 0, false},
		{"", "Phường Nguyễn Trãi", "TP Hà Giang", "Hà Giang", -30, 0, 0, false},
		{"02455", "", "", "", 0, 0, 0, false},
		{"9238", "Xã Trung Minh", "", "", -10, 0, 0, false},
		{"", "Xã Kim Phú", "TP Tuyên Quang", "Tuyên Quang", -500, 105.19, 21.83, true},
		{"", "Xã Kim Phú", "", "08", -500, 200, -100, true},
		{"", "Xã Cao Sơn", "", "Hòa Bình", 0, 0, 0, false},
		{"", "Phường 1", "", "HCM", 0, 0, 0, false},
		{"", "Xã Ba Đình", "", "Thành phố Hà Nội", 0, 0, 0, false},
		{"abc", "", "", "", 0, 0, 0, false},
		{"", "", "", "", 0, 0, 0, false},
		{"", "Xã Không Có", "", "Tỉnh Không Có", 0, 0, 0, false},
		{"000000000000000000000000", "X", "Q", "T", 1 << 30, math.NaN(), math.Inf(1), true},
	} {
		f.Add(s.code, s.commune, s.district, s.province, s.days, s.lon, s.lat, s.point)
	}
	set, r := mustSet(f)
	f.Fuzz(func(t *testing.T, code, commune, district, province string, days int32, lon, lat float64, point bool) {
		p := analytics.Place{Code: code, Commune: commune, District: district, Province: province, Lon: lon, Lat: lat, HasPoint: point}
		if days != 0 {
			p.Date = analytics.MergerDate.AddDate(0, 0, int(days%40000))
		}
		res, err := r.Resolve(p)
		checkResolution(t, set, p, res, err)
		res2, err2 := r.Resolve(p)
		if res2 != res || (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() {
			t.Fatalf("Resolve(%+v) twice: %+v, %v then %+v, %v", p, res, err, res2, err2)
		}
		// The Resolver contract: the day matters only through its side of
		// the merger (ingest caches answers by that).
		if !p.Date.IsZero() {
			q := p
			q.Date = analytics.MergerDate
			if p.Date.Before(analytics.MergerDate) {
				q.Date = analytics.MergerDate.AddDate(0, 0, -1)
			}
			res3, err3 := r.Resolve(q)
			if res3 != res || (err == nil) != (err3 == nil) || err != nil && err.Error() != err3.Error() {
				t.Fatalf("Resolve(%+v): %+v, %v; on %s: %+v, %v", p, res, err, q.Date.Format(time.DateOnly), res3, err3)
			}
		}
	})
}
