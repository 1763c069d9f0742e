package commune

import (
	"bytes"
	"strings"
	"testing"
)

func TestCheckReport(t *testing.T) {
	s, _ := mustSet(t)
	rep := Check(s)
	if len(rep.Provinces) != 34 || rep.Communes != 3321 {
		t.Fatalf("%d provinces, %d communes", len(rep.Provinces), rep.Communes)
	}
	for _, p := range rep.Provinces {
		if p.Code == "08" && (p.Communes != 124 || p.WithPolygon != 124 || p.FlaggedPopulation != 14) {
			t.Errorf("TQ: %+v", p)
		}
		if p.Code == "25" && (p.Communes != 148 || p.WithPolygon != 148 || p.FlaggedPopulation != 13) {
			t.Errorf("PT: %+v", p) // 12 implausibly low + Đại Đồng missing
		}
	}
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Tỉnh Tuyên Quang", string(RepairLegacyName), string(RepairPortalSplit), "every commune has a polygon"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
	t.Log("\n" + b.String())
}
