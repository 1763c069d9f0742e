package figures_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"
)

func TestMain(m *testing.M) { os.Exit(chstoretest.Main(m)) }

// tuyenQuang is the reference data of Tuyên Quang and a store holding it.
func tuyenQuang(t *testing.T) (*commune.Set, *chstore.Store) {
	t.Helper()
	ctx := context.Background()
	geo, err := commune.Load(ctx, commune.Config{Provinces: []analytics.ProvinceCode{"08"}})
	if err != nil {
		t.Fatalf("reference geography: %v", err)
	}
	s := chstoretest.Open(t)
	if _, err := s.LoadReference(ctx, chstore.ReferenceFromSet(geo, "08")); err != nil {
		t.Fatalf("load reference: %v", err)
	}
	return geo, s
}

// TestServiceOverStore computes a table, its rows, a ranking and the
// national table by province on the real engine: 3 sites in one commune of
// Tuyên Quang and 1 in another.
func TestServiceOverStore(t *testing.T) {
	ctx := context.Background()
	geo, s := tuyenQuang(t)
	cs := geo.CommunesOf("08")
	a, b := cs[0], cs[1]
	batch := analytics.Batch{Token: "figures-test"}
	for i, n := range []struct {
		c *commune.Commune
		n int
	}{{a, 3}, {b, 1}} {
		loc := analytics.Located{Province: "08", Commune: n.c.Code, Rule: analytics.RuleExactCode, Confidence: 1, SourcePlace: n.c.FullName + ", Tỉnh Tuyên Quang"}
		key := fmt.Sprintf("m-%d", i)
		batch.Models = append(batch.Models, analytics.Model{Key: key, Hash: 1, Name: "Camera an ninh " + n.c.Name, Type: "Camera an ninh",
			Sector: analytics.SectorResidential, HostUnit: "Công an " + n.c.FullName, Founded: time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), Located: loc})
		for j := range n.n {
			batch.Sites = append(batch.Sites, analytics.Site{Key: fmt.Sprintf("s-%d-%d", i, j), Hash: 1, ModelKey: key, ModelName: "Camera an ninh " + n.c.Name,
				ModelType: "Camera an ninh", Sector: analytics.SectorResidential, Name: fmt.Sprintf("Điểm %d", j+1),
				Opened: time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC), Located: loc})
		}
	}
	if err := s.Write(ctx, batch); err != nil {
		t.Fatalf("write: %v", err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		t.Fatalf("commit: %v", err)
	}
	now := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	svc := figures.NewService(s, geo, func() time.Time { return now }, false)
	w, err := analytics.ParsePeriod("2025", now)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := analytics.MetricByID("sites")

	tab, err := svc.Tables().Get(ctx, m, "08", w)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := tab.Value(a.Code); !ok || v != 3 {
		t.Errorf("%s: %v, %v; want 3", a.FullName, v, ok)
	}
	if v, ok := tab.Value(b.Code); !ok || v != 1 {
		t.Errorf("%s: %v, %v; want 1", b.FullName, v, ok)
	}
	if !tab.TotalOK || tab.Total != 4 || tab.Communes != len(cs) {
		t.Errorf("province: total %v (%v) over %d communes; want 4 over %d", tab.Total, tab.TotalOK, tab.Communes, len(cs))
	}

	rows, _ := figures.BuildRows(svc.Communes("08"), tab, nil)
	if r := rows[0]; r.Code != a.Code || r.Rank == nil || *r.Rank != 1 {
		t.Errorf("first row %s rank %v; want %s ranked 1", r.Code, r.Rank, a.Code)
	}

	rk, err := svc.Ranking(ctx, figures.MapQuery{Province: "08", Metric: m, Window: w}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rk.Communes) != 2 || rk.Communes[0].Code != a.Code || rk.Communes[1].Code != b.Code || rk.Order != "desc" {
		t.Errorf("ranking %+v; want %s then %s, desc", rk.Communes, a.Code, b.Code)
	}

	all, err := svc.Tables().Get(ctx, m, "", w)
	if err != nil {
		t.Fatal(err)
	}
	byProvince, err := svc.Tables().ByProvince(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := byProvince.Value("08"); !ok || v != 4 {
		t.Errorf("Tuyên Quang in the national table: %v, %v; want 4", v, ok)
	}
	other := geo.Provinces[0].Code
	if other == "08" {
		other = geo.Provinces[1].Code
	}
	if f := byProvince.ByCode[analytics.CommuneCode(other)]; f.OK || f.Reason != analytics.ReasonNoReports {
		t.Errorf("province %s, which reported nothing: %+v; want no value, %s", other, f, analytics.ReasonNoReports)
	}
}

// orderReader answers MetricByCommune with every commune of order, in
// that order (as the figures in memory come), or reversed.
type orderReader struct {
	analytics.Reader
	order    []*commune.Commune
	reversed bool
}

func (r orderReader) MetricByCommune(ctx context.Context, id analytics.MetricID, p analytics.ProvinceCode, w analytics.Window) ([]analytics.CommuneFigure, error) {
	figs, err := r.Reader.MetricByCommune(ctx, id, p, w)
	if err != nil {
		return nil, err
	}
	by := map[analytics.CommuneCode]analytics.CommuneFigure{}
	for _, f := range figs {
		by[f.Commune] = f
	}
	out := make([]analytics.CommuneFigure, len(r.order))
	for i, c := range r.order {
		f := by[c.Code]
		f.Commune = c.Code
		out[i] = f
	}
	if r.reversed {
		slices.Reverse(out)
	}
	return out, nil
}

// TestTableFigureOrder: figures in the communes' order (read by position)
// and in any other order (read by code) make the same table as the
// store's own answer.
func TestTableFigureOrder(t *testing.T) {
	ctx := context.Background()
	geo, s := tuyenQuang(t)
	cs := geo.CommunesOf("08")
	loc := analytics.Located{Province: "08", Commune: cs[3].Code, Rule: analytics.RuleExactCode, Confidence: 1, SourcePlace: cs[3].FullName}
	batch := analytics.Batch{Token: "order-test"}
	for i := range 4 {
		in := analytics.Incident{Key: fmt.Sprintf("i-%d", i), Hash: 1, Category: "mâu thuẫn/tranh chấp", Received: time.Date(2025, 1, 5+i, 0, 0, 0, 0, time.UTC),
			Outcome: analytics.OutcomePending, Located: loc}
		if i%2 == 0 {
			in.Outcome, in.Closed = analytics.OutcomeResolvedLocal, in.Received.AddDate(0, 0, 3)
		}
		batch.Incidents = append(batch.Incidents, in)
	}
	if err := s.Write(ctx, batch); err != nil {
		t.Fatalf("write: %v", err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		t.Fatalf("commit: %v", err)
	}
	now := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	w, err := analytics.ParsePeriod("2025", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []analytics.MetricID{"incidents", "resolution_rate", "sites"} {
		m, _ := analytics.MetricByID(id)
		var tables []*figures.Table
		for _, r := range []analytics.Reader{s, orderReader{s, cs, false}, orderReader{s, cs, true}} {
			tab, err := figures.NewService(r, geo, func() time.Time { return now }, false).Tables().Get(ctx, m, "08", w)
			if err != nil {
				t.Fatal(err)
			}
			tables = append(tables, tab)
		}
		for i, tab := range tables[1:] {
			if !reflect.DeepEqual(tab, tables[0]) {
				t.Errorf("%s, reader %d: %+v\nwant %+v", id, i+1, tab, tables[0])
			}
		}
		if id == "incidents" {
			if v, ok := tables[1].Value(cs[3].Code); !ok || v != 4 {
				t.Errorf("incidents of %s: %v, %v; want 4", cs[3].Code, v, ok)
			}
		}
	}
}
