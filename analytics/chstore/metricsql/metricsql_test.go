package metricsql

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestMetricSQLGolden: every catalogue metric's generated SQL equals
// testdata/metric/<id>.sql, so a change to a template or an entry is
// reviewed as SQL (go test -run MetricSQLGolden -update rewrites them), and
// no golden is left for a metric that is gone.
func TestMetricSQLGolden(t *testing.T) {
	dir := filepath.Join("testdata", "metric")
	want := map[string]bool{}
	for _, m := range analytics.Metrics {
		if m.Composite() {
			continue
		}
		t.Run(string(m.ID), func(t *testing.T) {
			q, err := Build(m)
			if err != nil {
				t.Fatal(err)
			}
			want[string(m.ID)+".sql"] = true
			checkMetricSQL(t, filepath.Join(dir, string(m.ID)+".sql"), q)
			if m.Roll != analytics.RollDistinct {
				if _, err := BuildGroup(m); err == nil {
					t.Errorf("a group figure for a metric that rolls up from its communes")
				}
				return
			}
			g, err := BuildGroup(m)
			if err != nil {
				t.Fatal(err)
			}
			want[string(m.ID)+".group.sql"] = true
			checkMetricSQL(t, filepath.Join(dir, string(m.ID)+".group.sql"), g)
		})
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.sql"))
	for _, f := range files {
		if !want[filepath.Base(f)] {
			t.Errorf("%s has no metric in the catalogue: remove it", f)
		}
	}
}

// checkMetricSQL compares q with its golden file (rewritten by -update)
// and checks that values never reach the text.
func checkMetricSQL(t *testing.T, golden string, q Query) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(q.SQL+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if q.SQL+"\n" != string(b) {
		t.Errorf("generated SQL differs from %s (run with -update after checking):\n%s", golden, q.SQL)
	}
	// Every parameter is used, and no quoted literal other than the empty
	// string and the date part 'day' appears.
	for i := 0; i < len(q.Params); i += 2 {
		if !strings.Contains(q.SQL, "{"+q.Params[i]+":String}") {
			t.Errorf("parameter %s not used", q.Params[i])
		}
	}
	body := stripComments(q.SQL)
	if n := strings.Count(body, "'") - 2*strings.Count(body, "''") - 2*strings.Count(body, "'day'"); n != 0 {
		t.Errorf("a quoted value in the SQL text:\n%s", body)
	}
}

func stripComments(sql string) string {
	var b strings.Builder
	for _, l := range strings.Split(sql, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestMetricSQLRejects: an entry naming what the store does not know is an
// error when its SQL is made, never SQL text.
func TestMetricSQLRejects(t *testing.T) {
	tests := []struct {
		name string
		num  analytics.Expr
		den  analytics.Expr
	}{
		{"unknown column", analytics.Count(analytics.KindSites, analytics.Is("opened; DROP TABLE sites")), analytics.One()},
		{"column of another source", analytics.Count(analytics.KindSites, analytics.Is(analytics.ColTip)), analytics.One()},
		{"unknown source", analytics.Count("people"), analytics.One()},
		{"unknown counter", analytics.Count(analytics.KindIncidents).From("x"), analytics.One()},
		{"no start date", analytics.Count(analytics.KindGrades, analytics.ActiveAtEnd()), analytics.One()},
		{"unknown commune column", analytics.Count(analytics.KindSites), analytics.OfCommune("households")},
		{"empty value list", analytics.Count(analytics.KindGrades, analytics.In(analytics.ColGrade)), analytics.One()},
		{"no denominator", analytics.Count(analytics.KindSites), analytics.Expr{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := analytics.Metric{ID: "x", Num: tt.num, Den: tt.den}
			if q, err := Build(m); err == nil {
				t.Errorf("made SQL:\n%s", q.SQL)
			}
		})
	}
}
