package ingest

import (
	"sort"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
)

// fixtureResolver resolves places over a handful of communes of Tuyên
// Quang and Phú Thọ. The codes are made up for the tests. It is a resolver
// fixture, standing in for analytics/commune in unit tests.
type fixtureResolver struct{ calls int }

type fixtureCommune struct {
	code, name, province string
	old                  []string // pre-2025 names that went whole into it
	oldCode              string
}

var fixtureCommunes = []fixtureCommune{
	{code: "08001", name: "Xã Hùng Lợi", province: "08", old: []string{"Xã Trung Minh"}, oldCode: "09238"},
	{code: "08002", name: "Xã Yên Phú", province: "08", old: []string{"Xã Yên Lâm"}},
	{code: "08003", name: "Phường Hà Giang 1", province: "08", old: []string{"Phường Nguyễn Trãi"}},
	{code: "08004", name: "Xã Hàm Yên", province: "08", old: []string{"Xã Tân Thành"}},
	{code: "25001", name: "Phường Việt Trì", province: "25"},
}

func communeKey(s string) string {
	f := placename.Fold(s)
	for _, p := range []string{"xa ", "phuong ", "dac khu ", "thi tran "} {
		f = strings.TrimPrefix(f, p)
	}
	return f
}

func (r *fixtureResolver) Resolve(p analytics.Place) (analytics.Resolution, error) {
	r.calls++
	for _, c := range fixtureCommunes {
		res := analytics.Resolution{Province: analytics.ProvinceCode(c.province), Commune: analytics.CommuneCode(c.code), Name: c.name, Confidence: 1}
		if p.Code != "" {
			if p.Code == c.code {
				res.Rule = analytics.RuleExactCode
				return res, nil
			}
			if p.Code == c.oldCode {
				res.Rule, res.OldCode = analytics.RuleExactCode, c.oldCode
				return res, nil
			}
			continue
		}
		if communeKey(p.Commune) == communeKey(c.name) {
			res.Rule = analytics.RuleNormalisedName
			if p.Commune == c.name {
				res.Rule = analytics.RuleExactName
			}
			return res, nil
		}
		for _, o := range c.old {
			if communeKey(p.Commune) == communeKey(o) && (p.Date.IsZero() || p.Date.Before(analytics.MergerDate)) {
				res.Rule, res.Confidence = analytics.RuleNormalisedName, 0.9
				return res, nil
			}
		}
	}
	e := &analytics.ResolveError{Place: p, Reason: "unknown commune"}
	if p.Commune == "" {
		e.Reason = "unknown commune code"
	}
	for _, c := range fixtureCommunes {
		e.Candidates = append(e.Candidates, analytics.Candidate{Code: c.code, Name: c.name, Distance: float64(distance(communeKey(p.Commune), communeKey(c.name)))})
	}
	sort.SliceStable(e.Candidates, func(i, j int) bool { return e.Candidates[i].Distance < e.Candidates[j].Distance })
	return analytics.Resolution{}, e
}

// InProvince knows each fixture province by a rough box.
func (r *fixtureResolver) InProvince(p analytics.ProvinceCode, lon, lat float64) bool {
	switch p {
	case "08":
		return lon >= 104.3 && lon <= 105.7 && lat >= 21.4 && lat <= 23.4
	case "25":
		return lon >= 104.8 && lon <= 105.9 && lat >= 20.3 && lat <= 21.6
	}
	return false
}

func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// testNow is "today" in the tests.
var testNow = time.Date(2025, 11, 20, 10, 0, 0, 0, time.UTC)

// Exported for the store tests in package ingest_test.
var (
	NewFixtureResolver = func() analytics.Resolver { return &fixtureResolver{} }
	TestNow            = testNow
	CopyFixture        = copyFixture
	BenchIncidents     = benchIncidents
)

// RefData loads the reference geography once, for the store tests.
var RefData = refData
