package figures

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
)

func TestBreaksOf(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		want   []float64
	}{
		{"none", nil, []float64{}},
		{"one value", []float64{3, 3, 3}, []float64{3}},
		{"ten values", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []float64{2, 4, 6, 8, 10}},
		{"skewed counts: five values, five classes", []float64{0, 0, 0, 0, 0, 0, 1, 2, 5, 40}, []float64{0, 1, 2, 5, 40}},
		{"skewed counts: quantiles", []float64{0, 0, 0, 0, 0, 0, 1, 2, 5, 40, 41}, []float64{0, 1, 5, 41}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BreaksOf(tt.values, 0)
			if !reflect.DeepEqual(got.Breaks, tt.want) {
				t.Fatalf("breaks %v, want %v", got.Breaks, tt.want)
			}
			for _, v := range tt.values {
				c := got.ClassOf(v)
				if c < 0 || c >= len(got.Breaks) || v > got.Breaks[c] || (c > 0 && v <= got.Breaks[c-1]) {
					t.Errorf("value %v in class %d of %v", v, c, got.Breaks)
				}
			}
		})
	}
}

func TestBuildRowsRanks(t *testing.T) {
	cs := []*commune.Commune{{Code: "A"}, {Code: "B"}, {Code: "C"}, {Code: "D"}, {Code: "E"}}
	table := func(higher bool) *Table {
		return &Table{Metric: analytics.Metric{ID: "x", HigherIsBetter: higher}, ByCode: map[analytics.CommuneCode]Figure{
			"A": {Value: 5, OK: true}, "B": {Value: 9, OK: true}, "C": {Value: 5, OK: true}, "D": {OK: false}, "E": {Value: 1, OK: true}}}
	}
	ranks := func(rows []Row) string {
		s := ""
		for _, r := range rows {
			if r.Rank == nil {
				s += "-"
			} else {
				s += fmt.Sprint(*r.Rank)
			}
		}
		return s
	}
	if got := ranks(first(BuildRows(cs, table(true), nil))); got != "212-4" {
		t.Errorf("higher is better: ranks %s, want 212-4", got)
	}
	if got := ranks(first(BuildRows(cs, table(false), nil))); got != "242-1" {
		t.Errorf("lower is better: ranks %s, want 242-1", got)
	}
	cmp := &Table{Metric: analytics.Metric{ID: "x"}, ByCode: map[analytics.CommuneCode]Figure{"A": {Value: 4, OK: true}, "B": {Value: 0, OK: true}}}
	rows, _ := BuildRows(cs, table(true), cmp)
	if *rows[0].Delta != 1 || *rows[0].DeltaPct != 25 || rows[1].DeltaPct != nil || rows[2].Compare != nil {
		t.Errorf("deltas: %+v %+v %+v", rows[0], rows[1], rows[2])
	}
}

func first[A, B any](a A, _ B) A { return a }

func TestChange(t *testing.T) {
	table := func(v float64, ok bool) *Table { return &Table{Total: v, TotalOK: ok} }
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name       string
		cur, cmp   *Table
		delta, pct *float64
	}{
		{"up", table(125, true), table(100, true), f(25), f(25)},
		{"down from a negative", table(-3, true), table(-2, true), f(-1), f(-50)},
		{"from zero: no percent", table(4, true), table(0, true), f(4), nil},
		{"rounded to 6 decimals", table(1.0000004, true), table(1, true), f(0), f(0)},
		{"no value now", table(0, false), table(3, true), nil, nil},
		{"no value before", table(3, true), table(0, false), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, p := Change(tt.cur, tt.cmp)
			if !reflect.DeepEqual(d, tt.delta) || !reflect.DeepEqual(p, tt.pct) {
				t.Errorf("Change = %v, %v; want %v, %v", deref(d), deref(p), deref(tt.delta), deref(tt.pct))
			}
		})
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func TestMainReason(t *testing.T) {
	tests := []struct {
		name string
		n    map[analytics.Reason]int
		want analytics.Reason
	}{
		{"none", nil, ""},
		{"most communes", map[analytics.Reason]int{analytics.ReasonNoReports: 1, analytics.ReasonNotApplicable: 3}, analytics.ReasonNotApplicable},
		{"tie: the more telling", map[analytics.Reason]int{analytics.ReasonPartialPeriod: 2, analytics.ReasonNoReports: 2}, analytics.ReasonNoReports},
		{"not started first", map[analytics.Reason]int{analytics.ReasonPeriodNotStarted: 2, analytics.ReasonNoReports: 2}, analytics.ReasonPeriodNotStarted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mainReason(tt.n); got != tt.want {
				t.Errorf("mainReason = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRankingSide(t *testing.T) {
	r := Ranking{Communes: []Ranked{{Rank: 1, Name: "a"}, {Rank: 2, Name: "b"}, {Rank: 3, Name: "c"}}}
	names := func(rs []Ranked) (out []string) {
		for _, x := range rs {
			out = append(out, x.Name)
		}
		return out
	}
	tests := []struct {
		side string
		n    int
		want []string
	}{
		{"top", 2, []string{"a", "b"}},
		{"bottom", 2, []string{"c", "b"}},
		{"top", 10, []string{"a", "b", "c"}},
		{"bottom", 10, []string{"c", "b", "a"}},
		{"top", 0, nil},
		{"bottom", 0, nil},
	}
	for _, tt := range tests {
		if got := names(r.Side(tt.side, tt.n)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Side(%q, %d) = %v, want %v", tt.side, tt.n, got, tt.want)
		}
	}
	if got := (Ranking{}).Side("bottom", 5); len(got) != 0 {
		t.Errorf("empty ranking: %v", got)
	}
}
