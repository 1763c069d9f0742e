package params

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
)

// now is the tests' today: 1 December 2025, in police year 2025.
var now = time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)

var (
	geoOnce sync.Once
	geoSet  *commune.Set
	geoErr  error
)

// mustGeo loads the embedded reference geography once per test binary.
func mustGeo(tb testing.TB) *commune.Set {
	tb.Helper()
	geoOnce.Do(func() {
		geoSet, geoErr = commune.Load(context.Background(), commune.Config{Provinces: []analytics.ProvinceCode{"08", "25"}})
	})
	if geoErr != nil {
		tb.Fatalf("reference geography: %v", geoErr)
	}
	return geoSet
}

// query parses a raw query string.
func query(tb testing.TB, raw string) url.Values {
	tb.Helper()
	q, err := url.ParseQuery(raw)
	if err != nil {
		tb.Fatalf("%q: %v", raw, err)
	}
	return q
}

// wantInvalid checks err is a bilingual invalid-parameter error naming
// what (when not "").
func wantInvalid(tb testing.TB, err error, what string) {
	tb.Helper()
	if err == nil {
		tb.Fatal("no error")
	}
	msg := analytics.ErrorMessage(err)
	if analytics.ErrorCode(err) != analytics.CodeInvalid || !strings.Contains(msg, " / ") || !strings.Contains(msg, what) {
		tb.Fatalf("error %q: want a bilingual invalid error naming %q", msg, what)
	}
}

func TestProvince(t *testing.T) {
	geo := mustGeo(t)
	tests := []struct {
		name, raw string
		all       bool
		want      analytics.ProvinceCode
		bad       string // the text the error names, "" when none
	}{
		{"code", "province=08", false, "08", ""},
		{"all allowed", "province=all", true, "", ""},
		{"all refused", "province=all", false, "", `province="all"`},
		{"missing", "", true, "", "missing parameter province"},
		{"unknown", "province=99", true, "", `province="99"`},
		{"one digit", "province=8", true, "", `province="8"`},
		{"upper case all", "province=ALL", true, "", `province="ALL"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Province(geo, query(t, tt.raw), tt.all)
			if tt.bad != "" {
				wantInvalid(t, err, tt.bad)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	t.Run("choices", func(t *testing.T) {
		_, err := Province(geo, url.Values{}, true)
		if msg := analytics.ErrorMessage(err); !strings.Contains(msg, "08 (Tuyên Quang)") || !strings.Contains(msg, ", all") {
			t.Errorf("the message does not list the provinces and all: %s", msg)
		}
	})
	t.Run("optional", func(t *testing.T) {
		if p, err := OptionalProvince(geo, url.Values{}); p != "" || err != nil {
			t.Errorf("absent: %q, %v", p, err)
		}
		if p, err := OptionalProvince(geo, query(t, "province=25")); p != "25" || err != nil {
			t.Errorf("25: %q, %v", p, err)
		}
		_, err := OptionalProvince(geo, query(t, "province=x"))
		wantInvalid(t, err, `province="x"`)
	})
}

func TestCommune(t *testing.T) {
	geo := mustGeo(t)
	other := geo.CommunesOf("25")[0].Code
	tests := []struct {
		name, raw string
		p         analytics.ProvinceCode
		want      analytics.CommuneCode
		bad       bool
	}{
		{"absent", "", "08", "", false},
		{"in the province", "commune=00691", "08", "00691", false},
		{"any province", "commune=00691", "", "00691", false},
		{"other province", "commune=" + string(other), "08", "", true},
		{"unknown", "commune=99999", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Commune(geo, query(t, tt.raw), tt.p)
			if tt.bad {
				wantInvalid(t, err, "commune=")
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestMetric(t *testing.T) {
	tests := []struct {
		name, raw string
		def       analytics.MetricID
		want      analytics.MetricID
		bad       string
	}{
		{"default", "", "sites", "sites", ""},
		{"given", "metric=incidents", "sites", "incidents", ""},
		{"required", "", "", "", "missing parameter metric"},
		{"unknown", "metric=nope", "sites", "", `metric="nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Metric(query(t, tt.raw), "metric", tt.def)
			if tt.bad != "" {
				wantInvalid(t, err, tt.bad)
				return
			}
			if err != nil || m.ID != tt.want {
				t.Fatalf("got %q, %v; want %q", m.ID, err, tt.want)
			}
		})
	}
}

func TestLevel(t *testing.T) {
	tests := []struct {
		name, raw string
		national  bool
		want      commune.Level
		bad       bool
	}{
		{"province default", "", false, commune.LevelMedium, false},
		{"national default", "", true, commune.LevelLow, false},
		{"full for a province", "simplify=full", false, commune.LevelFull, false},
		{"full for the country", "simplify=full", true, "", true},
		{"medium for the country", "simplify=medium", true, commune.LevelMedium, false},
		{"unknown", "simplify=tiny", false, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Level(query(t, tt.raw), tt.national)
			if tt.bad {
				wantInvalid(t, err, "simplify=")
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		name, raw string
		want      int
		bad       bool
	}{
		{"default", "", 10, false},
		{"low end", "limit=0", 0, false},
		{"high end", "limit=50", 50, false},
		{"too high", "limit=51", 0, true},
		{"negative", "limit=-1", 0, true},
		{"not a number", "limit=ten", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Int(query(t, tt.raw), "limit", 10, 0, 50)
			if tt.bad {
				wantInvalid(t, err, "số nguyên 0–50")
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %d, %v; want %d", got, err, tt.want)
			}
		})
	}
}

func TestEnumAndText(t *testing.T) {
	allowed := []string{"top", "bottom"}
	tests := []struct {
		name string
		read func(url.Values) (string, error)
		raw  string
		want string
		bad  string
	}{
		{"enum default", func(q url.Values) (string, error) { return Enum(q, "side", allowed, "top") }, "", "top", ""},
		{"enum given", func(q url.Values) (string, error) { return Enum(q, "side", allowed, "top") }, "side=bottom", "bottom", ""},
		{"enum required", func(q url.Values) (string, error) { return Enum(q, "side", allowed, "") }, "", "", "missing parameter side; allowed: top, bottom"},
		{"enum other", func(q url.Values) (string, error) { return Enum(q, "side", allowed, "top") }, "side=left", "", `side="left"`},
		{"text absent", func(q url.Values) (string, error) { return Text(q, "model_type", nil) }, "", "", ""},
		{"text free", func(q url.Values) (string, error) { return Text(q, "model_type", nil) }, "model_type=Tổ+tự+quản", "Tổ tự quản", ""},
		{"text too long", func(q url.Values) (string, error) { return Text(q, "model_type", nil) }, "model_type=" + strings.Repeat("a", 201), "", "200"},
		{"text newline", func(q url.Values) (string, error) { return Text(q, "model_type", nil) }, "model_type=a%0Ab", "", "model_type="},
		{"text listed", func(q url.Values) (string, error) { return Text(q, "sector", allowed) }, "sector=top", "top", ""},
		{"text not listed", func(q url.Values) (string, error) { return Text(q, "sector", allowed) }, "sector=x", "", `sector="x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.read(query(t, tt.raw))
			if tt.bad != "" {
				wantInvalid(t, err, tt.bad)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestCSVStyle(t *testing.T) {
	tests := []struct {
		name, raw string
		want      figures.CSVStyle
		bad       bool
	}{
		{"default", "", figures.CSVVI, false},
		{"english", "lang=en", figures.CSVEN, false},
		{"tab", "sep=tab", figures.CSVStyle{Sep: '\t', Decimal: ','}, false},
		{"english with a decimal comma", "lang=en&decimal=,", figures.CSVStyle{Sep: ',', Decimal: ','}, false},
		{"empty sep", "sep=", figures.CSVVI, false},
		{"bad sep", "sep=|", figures.CSVStyle{}, true},
		{"bad lang", "lang=fr", figures.CSVStyle{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CSVStyle(query(t, tt.raw))
			if tt.bad {
				wantInvalid(t, err, "=")
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestCanvas(t *testing.T) {
	type size struct {
		w, h  int
		scale float64
	}
	snap := func(w, h int, scale float64) size { w, h, scale = chart.Snap(w, h, scale); return size{w, h, scale} }
	tests := []struct {
		name, raw string
		want      size
		bad       bool
	}{
		{"default", "", snap(chart.DefaultW, chart.DefaultH, 1), false},
		{"preset", "preset=hd", snap(1280, 720, 2), false},
		{"preset with a width", "preset=4:3&width=1000", snap(1000, 1080, 2), false},
		{"scale", "scale=1.5", snap(chart.DefaultW, chart.DefaultH, 1.5), false},
		{"unknown preset", "preset=huge", size{}, true},
		{"too narrow", "width=10", size{}, true},
		{"scale too large", "scale=5", size{}, true},
		{"scale not a number", "scale=x", size{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h, scale, err := Canvas(query(t, tt.raw))
			if tt.bad {
				if err == nil || analytics.ErrorCode(err) != analytics.CodeInvalid {
					t.Fatalf("got %v, want an invalid error", err)
				}
				return
			}
			if got := (size{w, h, scale}); err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestCloneAndIsNational(t *testing.T) {
	q := query(t, "province=all&metric=sites")
	c := Clone(q)
	c.Set("province", "08")
	c["metric"][0] = "incidents"
	if q.Get("province") != "all" || q.Get("metric") != "sites" {
		t.Errorf("changing the clone changed the original: %v", q)
	}
	if !IsNational(q) || IsNational(c) || IsNational(url.Values{}) {
		t.Error("IsNational: want true for province=all only")
	}
}
