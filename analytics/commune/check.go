package commune

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/antq-atlas/antq/analytics"
)

// ProvinceCheck is one province's line of the check report.
type ProvinceCheck struct {
	Code              analytics.ProvinceCode
	Name              string
	Communes          int
	WithPolygon       int
	WithPopulation    int // usable population
	FlaggedPopulation int // flagged or missing: shown as "no data"
	WithoutOldUnits   int // 2025 communes no old unit maps to
	Totals
}

// Totals compares the sum over a province's communes with the official
// province figures.
type Totals struct {
	AreaKm2           float64 // official province area
	SumAreaKm2        float64 // Σ commune area (portal)
	AreaRatio         float64 // SumAreaKm2 / AreaKm2
	Population        int64   // official province population
	SumPopulation     int64   // Σ usable commune populations
	PopulationRatio   float64 // SumPopulation / Population
	CommunesNoPopData int     // communes left out of SumPopulation
}

// ProvinceTotals returns the area and population sums of a province's
// communes against the official province figures. Flagged populations are
// left out (and counted), never rescaled.
func (s *Set) ProvinceTotals(p analytics.ProvinceCode) (Totals, bool) {
	pr, ok := s.Province(p)
	if !ok {
		return Totals{}, false
	}
	t := Totals{AreaKm2: pr.AreaKm2, Population: pr.Population}
	for i := range s.Communes {
		c := &s.Communes[i]
		if c.Province != p {
			continue
		}
		t.SumAreaKm2 += c.AreaKm2
		if pop, ok := c.Population(); ok {
			t.SumPopulation += pop
		} else {
			t.CommunesNoPopData++
		}
	}
	if t.AreaKm2 > 0 {
		t.AreaRatio = t.SumAreaKm2 / t.AreaKm2
	}
	if t.Population > 0 {
		t.PopulationRatio = float64(t.SumPopulation) / float64(t.Population)
	}
	return t, true
}

// Report is the result of Check (`antq refdata check`).
type Report struct {
	Provinces       []ProvinceCheck
	Communes        int
	OldUnits        int
	LegacyUnits     int // name-only old units (no code)
	CrosswalkRows   int
	Repairs         map[RepairRule]int
	SplitUnits      int
	PortalUnmatched map[string]int
	NoPolygon       []analytics.CommuneCode
	LoadSeconds     map[string]float64
}

// Check summarises the reference data: counts per province, the repairs
// of the official table by rule, splits, flagged populations and any
// commune without a polygon.
func Check(s *Set) Report {
	rep := Report{Communes: len(s.Communes), OldUnits: len(s.OldUnits), CrosswalkRows: len(s.Crosswalk),
		Repairs: s.Repairs, PortalUnmatched: s.PortalUnmatched, LoadSeconds: s.LoadTime}
	hasOld := map[analytics.CommuneCode]bool{}
	for i := range s.OldUnits {
		u := &s.OldUnits[i]
		if u.Split() {
			rep.SplitUnits++
		}
		if u.Code == "" {
			rep.LegacyUnits++
		}
		for _, x := range u.Successors {
			hasOld[x.Commune] = true
		}
	}
	for _, p := range s.Provinces {
		pc := ProvinceCheck{Code: p.Code, Name: p.Name}
		pc.Totals, _ = s.ProvinceTotals(p.Code)
		for i := range s.Communes {
			c := &s.Communes[i]
			if c.Province != p.Code {
				continue
			}
			pc.Communes++
			if s.levels[LevelMedium][i] != nil {
				pc.WithPolygon++
			} else {
				rep.NoPolygon = append(rep.NoPolygon, c.Code)
			}
			if _, ok := c.Population(); ok {
				pc.WithPopulation++
			} else {
				pc.FlaggedPopulation++
			}
			if !hasOld[c.Code] {
				pc.WithoutOldUnits++
			}
		}
		rep.Provinces = append(rep.Provinces, pc)
	}
	return rep
}

// WriteText writes the report as a plain-text table.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "reference data: %d communes (2025), %d pre-2025 units (%d name-only), %d crosswalk rows, %d split units\n",
		r.Communes, r.OldUnits, r.LegacyUnits, r.CrosswalkRows, r.SplitUnits)
	fmt.Fprintf(&b, "%-4s %-28s %8s %8s %8s %8s %8s %10s %10s %7s %7s\n",
		"code", "province", "communes", "polygon", "pop", "no-pop", "no-old", "area", "Σarea", "area%", "pop%")
	for _, p := range r.Provinces {
		fmt.Fprintf(&b, "%-4s %-28s %8d %8d %8d %8d %8d %10.2f %10.2f %7.2f %7.2f\n",
			p.Code, p.Name, p.Communes, p.WithPolygon, p.WithPopulation, p.FlaggedPopulation, p.WithoutOldUnits,
			p.AreaKm2, p.SumAreaKm2, 100*p.AreaRatio, 100*p.PopulationRatio)
	}
	b.WriteString("crosswalk repairs (rows per rule):\n")
	for _, k := range sortedKeys(r.Repairs) {
		fmt.Fprintf(&b, "  %-24s %6d\n", k, r.Repairs[RepairRule(k)])
	}
	b.WriteString("portal former-unit entries not used:\n")
	for _, k := range sortedKeys(r.PortalUnmatched) {
		fmt.Fprintf(&b, "  %-36s %6d\n", k, r.PortalUnmatched[k])
	}
	if len(r.NoPolygon) == 0 {
		b.WriteString("every commune has a polygon\n")
	} else {
		fmt.Fprintf(&b, "communes without a polygon: %v\n", r.NoPolygon)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedKeys[K ~string, V any](m map[K]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}
