package charts

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/geo"
)

// TestFromQueryRefuses: each chart's own parameters are checked before a
// figure is read (the Builder here has no store: a period is given, so no
// default reads the data either).
func TestFromQueryRefuses(t *testing.T) {
	set, err := commune.Load(context.Background(), commune.Config{Provinces: []analytics.ProvinceCode{"08"}})
	if err != nil {
		t.Fatalf("reference geography: %v", err)
	}
	now := func() time.Time { return time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC) }
	fig := figures.NewService(nil, set, now, false)
	b := NewBuilder(fig, geo.NewMaps(fig, set, false, nil), set, now, nil, false)
	tests := []struct {
		name, chart, raw string
		code             analytics.Code
		says             string
	}{
		{"unknown chart", "pie", "province=08&period=2025", analytics.CodeNotFound, "pie"},
		{"show other than compare", "map", "province=08&period=2025&show=x", analytics.CodeInvalid, `show="x"`},
		{"show=compare without compare", "map", "province=08&period=2025&show=compare", analytics.CodeInvalid, "show=compare needs compare="},
		{"labels", "map", "province=08&period=2025&labels=some", analytics.CodeInvalid, `labels="some"`},
		{"map without province", "delta", "period=2025", analytics.CodeInvalid, "missing parameter province"},
		{"ranking limit", "ranking", "province=08&period=2025&limit=51", analytics.CodeInvalid, `limit="51"`},
		{"ranking side", "ranking", "province=08&period=2025&side=middle", analytics.CodeInvalid, `side="middle"`},
		{"breakdown by", "breakdown", "province=08&period=2025&by=colour", analytics.CodeInvalid, `by="colour"`},
		{"breakdown top", "breakdown", "province=08&period=2025&top=0", analytics.CodeInvalid, `top="0"`},
		{"trend bucket", "trend", "province=08&from=2023&to=2025&by=week", analytics.CodeInvalid, `by="week"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			_, err = b.FromQuery(context.Background(), tt.chart, q)
			if analytics.ErrorCode(err) != tt.code || !strings.Contains(analytics.ErrorMessage(err), tt.says) {
				t.Errorf("got %v; want a %s error saying %q", err, tt.code, tt.says)
			}
		})
	}
}
