package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
)

// TestExportRowsCSV: the header, then one CSV line per stored row, fields
// quoted when they must be, a date left empty when there is none.
func TestExportRowsCSV(t *testing.T) {
	store := chstoretest.Open(t)
	ctx := context.Background()
	in := analytics.Incident{Key: "08:x", Hash: 1, Category: "mâu thuẫn", Received: time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC),
		Outcome: `đang "giải quyết", chờ`, // quotes and a comma: quoted in CSV
		Located: analytics.Located{Province: "08", Commune: "02512", Rule: analytics.RuleExactName, Confidence: 1}}
	if err := store.Write(ctx, analytics.Batch{Token: "t/0", Incidents: []analytics.Incident{in}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kind analytics.Kind
		p    analytics.ProvinceCode
		want string
		rows int
	}{
		{analytics.KindIncidents, "", "province_code,commune_code,received,closed,outcome,tip,tip_useful\n" +
			"08,02512,2025-03-02,,\"đang \"\"giải quyết\"\", chờ\",0,0\n", 1},
		{analytics.KindIncidents, "25", "province_code,commune_code,received,closed,outcome,tip,tip_useful\n", 0},
		{analytics.KindSites, "", "province_code,commune_code,opened,retired\n", 0},
	} {
		var buf bytes.Buffer
		n, err := exportRows(ctx, store, tc.kind, tc.p, &buf)
		if err != nil {
			t.Fatal(err)
		}
		if n != tc.rows || buf.String() != tc.want {
			t.Errorf("%s in %q: %d rows\n%s\nwant %d rows\n%s", tc.kind, tc.p, n, buf.String(), tc.rows, tc.want)
		}
	}
}
