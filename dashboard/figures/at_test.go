package figures

import (
	"reflect"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
)

// TestTableAt: a table's figures read by position over the communes it
// was made over, and by code over any other list or order (Lookup, whose
// map is made from the table's order on first use), are the figures set.
func TestTableAt(t *testing.T) {
	cs := make([]*commune.Commune, 6)
	for i := range cs {
		cs[i] = &commune.Commune{Code: analytics.CommuneCode(string(rune('a' + i)))}
	}
	ts := &Tables{s: &Service{geo: &commune.Set{}}}
	tab := ts.newTable(analytics.Metric{}, "", analytics.Window{}, cs)
	set := map[analytics.CommuneCode]Figure{}
	for i, c := range cs {
		set[c.Code] = Figure{Num: float64(i), Value: float64(10 * i), OK: i%2 == 0}
		tab.setAt(i, set[c.Code])
	}
	same := append([]*commune.Commune(nil), cs...) // another slice, the same communes
	reversed := []*commune.Commune{cs[5], cs[4], cs[3], cs[2], cs[1], cs[0]}
	copied := *cs[2] // the same code, another commune value
	others := []*commune.Commune{cs[0], &copied, {Code: "zz"}}
	for _, list := range [][]*commune.Commune{cs, same, reversed, others} {
		for i, c := range list {
			want, wantOK := set[c.Code]
			if got, ok := tab.Lookup(c.Code); !reflect.DeepEqual(got, want) || ok != wantOK {
				t.Errorf("Lookup(%s) = %+v, %v; want %+v, %v", c.Code, got, ok, want, wantOK)
			}
			got, ok := tab.At(i, c)
			if !reflect.DeepEqual(got, want) || ok != wantOK {
				t.Errorf("At(%d, %s) = %+v, %v; want %+v, %v", i, c.Code, got, ok, want, wantOK)
			}
			v, vok := tab.ValueAt(i, c)
			if wv, wok := want.Value, wantOK && want.OK; v != wv && wok || vok != wok {
				t.Errorf("ValueAt(%d, %s) = %v, %v; want %v, %v", i, c.Code, v, vok, wv, wok)
			}
		}
	}
	if _, ok := tab.At(-1, cs[0]); !ok {
		t.Error("At(-1) found nothing")
	}
}
