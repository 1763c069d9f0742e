package params

import (
	"context"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// halfMonths is data in the half-months listed, in every province.
type halfMonths []time.Time

func (h halfMonths) DataHalfMonths(context.Context, analytics.ProvinceCode, ...analytics.Kind) ([]time.Time, error) {
	return h, nil
}

// failing is a store that does not answer.
type failing struct{}

func (failing) DataHalfMonths(context.Context, analytics.ProvinceCode, ...analytics.Kind) ([]time.Time, error) {
	return nil, analytics.Errorf(analytics.CodeUnavailable, "kho không trả lời / store down")
}

func half(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func parser(tb testing.TB, data HalfMonths) Parser {
	return Parser{Geo: mustGeo(tb), Now: func() time.Time { return now }, Data: data}
}

func TestParserWindow(t *testing.T) {
	data := halfMonths{half(2022, 12, 15), half(2024, 6, 1), half(2024, 12, 1)}
	tests := []struct {
		name, raw string
		data      HalfMonths
		spec      string
		unavail   bool
	}{
		{"the latest complete year with data", "", data, "2024", false},
		{"period= wins", "period=2023", data, "2023", false},
		{"from=&to= win", "from=2025-01-01&to=2025-01-31", data, "2025-01-01..2025-01-31", false},
		{"the store's error", "", failing{}, "", true},
		{"period= needs no store", "period=2023", failing{}, "2023", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := parser(t, tt.data).Window(context.Background(), query(t, tt.raw), "08")
			if tt.unavail {
				if analytics.ErrorCode(err) != analytics.CodeUnavailable {
					t.Fatalf("got %v, want the store's error", err)
				}
				return
			}
			if err != nil || w.Spec != tt.spec {
				t.Fatalf("got %q, %v; want %q", w.Spec, err, tt.spec)
			}
		})
	}
}

func TestParserMap(t *testing.T) {
	ps := parser(t, halfMonths{half(2024, 6, 1)})
	tests := []struct {
		name, raw string
		check     func(t *testing.T, mp mapQuery)
		bad       string
	}{
		{"defaults", "province=08", func(t *testing.T, mp mapQuery) {
			if mp.Metric.ID != "sites" || mp.Window.Spec != "2024" || mp.Compare != nil || mp.Level != "medium" || mp.Unit != "commune" {
				t.Errorf("%+v", mp)
			}
		}, ""},
		{"the country by province", "province=all&level=province&compare=prev", func(t *testing.T, mp mapQuery) {
			if mp.Province != "" || mp.Level != "low" || mp.Unit != "province" || mp.Compare == nil {
				t.Errorf("%+v", mp)
			}
		}, ""},
		{"provinces of one province", "province=08&level=province", nil, `level="province"`},
		{"no province", "metric=sites", nil, "missing parameter province"},
		{"bad metric", "province=08&metric=x", nil, `metric="x"`},
		{"bad compare", "province=08&compare=x", nil, `compare="x"`},
		{"full national", "province=all&simplify=full", nil, `simplify="full"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mp, err := ps.Map(context.Background(), query(t, tt.raw))
			if tt.bad != "" {
				wantInvalid(t, err, tt.bad)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, mapQuery{mp.Province, mp.Metric, mp.Window, mp.Compare, string(mp.Level), mp.Unit})
		})
	}
}

// mapQuery is figures.MapQuery with its level as a string, for the checks.
type mapQuery struct {
	Province analytics.ProvinceCode
	Metric   analytics.Metric
	Window   analytics.Window
	Compare  *analytics.Window
	Level    string
	Unit     string
}

func TestParserSeries(t *testing.T) {
	tests := []struct {
		name, raw string
		data      HalfMonths
		from, to  string // [from, to)
		bad       string
	}{
		{"the years with data", "province=08", halfMonths{half(2022, 3, 1), half(2023, 6, 1)}, "2021-12-15", "2023-12-15", ""},
		{"no data: the last four years", "province=08", halfMonths{}, "2021-12-15", "2025-12-15", ""},
		{"data past this year stop at it", "province=08", halfMonths{half(2024, 1, 1), half(2027, 1, 1)}, "2023-12-15", "2025-12-15", ""},
		{"from given", "province=08&from=2023", halfMonths{half(2024, 1, 1)}, "2022-12-15", "2024-12-15", ""},
		{"days", "province=all&from=2025-01-01&to=2025-01-31", nil, "2025-01-01", "2025-02-01", ""},
		{"reversed", "province=08&from=2025&to=2023", nil, "", "", "to=2023"},
		{"bad bucket", "province=08&by=week", nil, "", "", `by="week"`},
		{"commune of another province", "province=25&commune=00691", nil, "", "", `commune="00691"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp, err := parser(t, tt.data).Series(context.Background(), query(t, tt.raw))
			if tt.bad != "" {
				wantInvalid(t, err, tt.bad)
				return
			}
			if err != nil || sp.From.Format(day) != tt.from || sp.To.Format(day) != tt.to || sp.By != "year" {
				t.Fatalf("got %s..%s by %s, %v; want %s..%s by year", sp.From.Format(day), sp.To.Format(day), sp.By, err, tt.from, tt.to)
			}
		})
	}
	t.Run("the store's error", func(t *testing.T) {
		_, err := parser(t, failing{}).Series(context.Background(), query(t, "province=08"))
		if analytics.ErrorCode(err) != analytics.CodeUnavailable {
			t.Fatalf("got %v, want the store's error", err)
		}
	})
}

func TestParserSites(t *testing.T) {
	ps := parser(t, halfMonths{half(2024, 6, 1)})
	_, err := ps.Sites(context.Background(), query(t, "province=08&sector=x"))
	wantInvalid(t, err, `sector="x"`)
	f, err := ps.Sites(context.Background(), query(t, "province=08&commune=00691&model_type=Tổ"))
	if err != nil || f.Province != "08" || f.Commune != "00691" || f.ModelType != "Tổ" || f.Window.Spec != "2024" {
		t.Fatalf("got %+v, %v", f, err)
	}
}
