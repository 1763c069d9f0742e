package memagg

import (
	"slices"

	"github.com/antq-atlas/antq/analytics"
)

// plan is how memory computes one catalogue metric: its numerator and
// denominator, each evaluated per commune exactly as the metric SQL does
// (metricsql/*.sql.tmpl): a commune without rows counts 0.
type plan struct{ num, den expr }

// expr is one side of a metric.
type expr struct {
	kind    exprKind
	commune analytics.CommuneColumn // exprCommune
	counter int                     // exprIncidents
	source  analytics.Kind          // exprSpans: sites or models
	conds   []analytics.Cond        // exprSpans, exprGrades
	any     bool                    // AggAny: 1 when the count is above 0
}

type exprKind int

const (
	exprOne exprKind = iota + 1
	exprCommune
	exprIncidents
	exprSpans
	exprGrades
)

// planOf returns the plan of m, and false when memory cannot answer it
// exactly: composites, medians, distinct counts, former units,
// incident figures without a counter held here, conditions on columns the
// spans do not keep. Those stay with the SQL.
func planOf(m analytics.Metric) (plan, bool) {
	if m.Composite() {
		return plan{}, false
	}
	num, ok1 := exprOf(m.Num)
	den, ok2 := exprOf(m.Den)
	return plan{num: num, den: den}, ok1 && ok2
}

func exprOf(e analytics.Expr) (expr, bool) {
	switch {
	case e.One:
		return expr{kind: exprOne}, true
	case e.Commune != "":
		if e.Commune != analytics.CommunePopulation && e.Commune != analytics.CommuneArea {
			return expr{}, false
		}
		return expr{kind: exprCommune, commune: e.Commune}, true
	case e.Former:
		return expr{}, false
	}
	if e.Agg != analytics.AggCount && e.Agg != analytics.AggAny {
		return expr{}, false
	}
	x := expr{any: e.Agg == analytics.AggAny}
	switch e.Source {
	case analytics.KindIncidents:
		// The counters are the half-month aggregates' (the SQL reads them
		// for aligned windows; chstore's tests check they agree with the
		// incidents' conditions for the others).
		k, ok := counterIndex[e.Counter]
		if !ok {
			return expr{}, false
		}
		x.kind, x.counter = exprIncidents, k
		return x, true
	case analytics.KindGrades:
		// The grades of the police year the window ends in; conditions
		// only on the grade.
		for _, c := range e.Where {
			if c.Op != analytics.OpIn || c.Col != analytics.ColGrade || len(c.Values) == 0 {
				return expr{}, false
			}
		}
		x.kind, x.conds = exprGrades, slices.Clone(e.Where)
		return x, true
	case analytics.KindSites, analytics.KindModels:
		start := analytics.ColOpened
		if e.Source == analytics.KindModels {
			start = analytics.ColFounded
		}
		for _, c := range e.Where {
			switch c.Op {
			case analytics.OpActiveAtEnd, analytics.OpActiveAtStart, analytics.OpStartedBefore:
			case analytics.OpWithin:
				if c.Col != start && c.Col != analytics.ColRetired {
					return expr{}, false
				}
			case analytics.OpTrue, analytics.OpFalse:
				if e.Source != analytics.KindModels || c.Col != analytics.ColAdvanced {
					return expr{}, false
				}
			default:
				return expr{}, false
			}
		}
		x.kind, x.source, x.conds, x.any = exprSpans, e.Source, slices.Clone(e.Where), e.Agg == analytics.AggAny
		return x, true
	}
	return expr{}, false
}

// eval is the expression's value for commune c with its data ds (one entry
// per province holding records of it) over the days [from, to); rs is
// the window's days in each of ds (rangeOf), for an incidents expression.
func (x expr) eval(c *analytics.CommuneRef, ds []*communeData, rs []dayRange, w window) float64 {
	from, to := w.from, w.to
	switch x.kind {
	case exprOne:
		return 1
	case exprCommune:
		if x.commune == analytics.CommunePopulation {
			return c.Population
		}
		return c.AreaKm2
	}
	var n uint64
	for i, d := range ds {
		switch x.kind {
		case exprIncidents:
			if x.any && x.counter == ctrRows {
				n += d.dayCount(rs[i]) // days, each with a row: only n > 0 counts
				continue
			}
			n += d.sumRange(x.counter, rs[i])
			continue
		case exprGrades:
			for _, g := range d.grades {
				if int(g.year) == w.gradeYear && x.gradeHolds(g.grade) {
					n += uint64(g.n)
				}
			}
			continue
		}
		spans := d.sites
		if x.source == analytics.KindModels {
			spans = d.models
		}
		for _, sp := range spans {
			if x.holds(sp, from, to) {
				n += uint64(sp.n)
			}
		}
	}
	if x.any {
		if n > 0 {
			return 1
		}
		return 0
	}
	return float64(n)
}

// holds evaluates the conditions as the SQL does (the cond of package chstore/metricsql): a
// missing start is before every day, a missing retirement after every day,
// so "IS NULL OR" and a comparison with NULL come out the same.
func (x expr) holds(sp span, from, to int32) bool {
	for _, c := range x.conds {
		var ok bool
		switch c.Op {
		case analytics.OpActiveAtEnd:
			ok = sp.start < to && sp.end >= to
		case analytics.OpActiveAtStart:
			ok = sp.start < from && sp.end >= from
		case analytics.OpStartedBefore:
			ok = sp.start < from
		case analytics.OpWithin:
			v := sp.start
			if c.Col == analytics.ColRetired {
				v = sp.end
			}
			ok = v >= from && v < to
		case analytics.OpTrue:
			ok = sp.advanced
		case analytics.OpFalse:
			ok = !sp.advanced
		}
		if !ok {
			return false
		}
	}
	return true
}

// gradeHolds evaluates the grade conditions (grade IN values).
func (x expr) gradeHolds(grade string) bool {
	for _, c := range x.conds {
		if !slices.Contains(c.Values, grade) {
			return false
		}
	}
	return true
}
