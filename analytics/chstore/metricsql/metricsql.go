// Package metricsql makes a metric's SQL from its catalogue entry
// (analytics.Metric: Num and Den over a source's columns) through one
// template per source (<source>.sql.tmpl) inside one frame
// (shell.sql.tmpl), for analytics/chstore to run. Identifiers come only
// from the whitelists below; values (outcomes, grades) go as parameters. testdata/metric/<id>.sql holds each metric's
// generated SQL, so a change to a template or an entry shows in review.
package metricsql

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"github.com/antq-atlas/antq/analytics"
)

//go:embed *.sql.tmpl
var metricTemplateFS embed.FS

var metricTemplates = template.Must(template.New("").
	Funcs(template.FuncMap{"join": func(s []string) string { return strings.Join(s, ", ") }}).
	ParseFS(metricTemplateFS, "*.sql.tmpl"))

// sourceSQL is what the store knows of a source: its columns (the
// whitelist) and the column a record starts at (ActiveAt... conditions).
type sourceSQL struct {
	columns []analytics.Column
	start   analytics.Column
}

var sourcesSQL = map[analytics.Kind]sourceSQL{
	analytics.KindSites:     {columns: []analytics.Column{analytics.ColOpened, analytics.ColRetired, analytics.ColModelType}, start: analytics.ColOpened},
	analytics.KindModels:    {columns: []analytics.Column{analytics.ColFounded, analytics.ColRetired, analytics.ColAdvanced}, start: analytics.ColFounded},
	analytics.KindGrades:    {columns: []analytics.Column{analytics.ColGrade}},
	analytics.KindIncidents: {columns: []analytics.Column{analytics.ColTip, analytics.ColTipUseful, analytics.ColOutcome, analytics.ColClosed}},
}

// incidentCounters are the columns of the half-month aggregates
// (incidents_agg); national: also in incidents_agg_all.
var incidentCounters = map[string]struct{ national bool }{
	"incidents": {true}, "closed": {true}, "resolved_local": {true}, "mediated": {true},
	"mediation_concluded": {true}, "pending": {true}, "tips": {true}, "tips_useful": {true},
	"days_quantile":       {false}, // quantile states: only per province
	analytics.CounterRows: {true},
}

// communeColumns are the commune figures a denominator may use.
var communeColumns = map[analytics.CommuneColumn]bool{analytics.CommunePopulation: true, analytics.CommuneArea: true}

// Query is a metric's generated SQL and the parameters its values take.
type Query struct {
	SQL    string
	Params []string // name, value, name, value, ...
}

type sqlParam struct{ Name, Value string }

type sqlJoin struct{ Body, Alias, Key string }

// sourceData fills a source template.
type sourceData struct {
	Group     bool // one row for the whole province (or country), not one a commune
	Former    bool
	Select    []string
	Where     []string
	Aligned   bool
	AggSelect []string
	AggTable  string
}

// metricBuilder makes one metric's SQL, numbering its parameters.
type metricBuilder struct {
	m      analytics.Metric
	params []sqlParam
	group  bool
}

// Build makes the SQL of catalogue metric m.
func Build(m analytics.Metric) (Query, error) {
	if m.Composite() {
		return Query{}, fmt.Errorf("metric %s: a composite has no SQL", m.ID)
	}
	b := &metricBuilder{m: m}
	shell := struct {
		ID, Formula string
		Num, Den    string
		Joins       []sqlJoin
		Params      []sqlParam
	}{ID: string(m.ID), Formula: oneLine(m.Formula)}
	num, den := m.Num, m.Den
	var err error
	switch {
	case num.Source != "" && den.Source == num.Source:
		// One subquery for both: the source is read once.
		body, err := b.source(num.Source, []analytics.Expr{num, den})
		if err != nil {
			return Query{}, err
		}
		shell.Joins = append(shell.Joins, sqlJoin{Body: body, Alias: "f", Key: "commune_code"})
		shell.Num, shell.Den = "ifNull(f.num, 0)", "ifNull(f.den, 0)"
	default:
		if shell.Num, err = b.outer(num, "num", "n", &shell.Joins); err != nil {
			return Query{}, err
		}
		if shell.Den, err = b.outer(den, "den", "d", &shell.Joins); err != nil {
			return Query{}, err
		}
	}
	shell.Params = b.params
	var out bytes.Buffer
	if err := metricTemplates.ExecuteTemplate(&out, "shell.sql.tmpl", shell); err != nil {
		return Query{}, fmt.Errorf("metric %s: %w", m.ID, err)
	}
	q := Query{SQL: strings.TrimSpace(out.String())}
	for _, p := range b.params {
		q.Params = append(q.Params, p.Name, p.Value)
	}
	return q, nil
}

// BuildGroup makes the SQL of the group figure of a metric whose figures
// do not add up over communes (analytics.RollDistinct): the numerator over
// all the rows of the province, or of the country.
func BuildGroup(m analytics.Metric) (Query, error) {
	if m.Roll != analytics.RollDistinct || m.Num.Source == "" {
		return Query{}, fmt.Errorf("metric %s: only a distinct count over a source has a group figure", m.ID)
	}
	b := &metricBuilder{m: m, group: true}
	body, err := b.source(m.Num.Source, []analytics.Expr{m.Num, {}})
	if err != nil {
		return Query{}, err
	}
	frame := struct {
		ID, Formula, Body string
		Params            []sqlParam
	}{ID: string(m.ID), Formula: oneLine(m.Formula), Body: body, Params: b.params}
	var out bytes.Buffer
	if err := metricTemplates.ExecuteTemplate(&out, "group.sql.tmpl", frame); err != nil {
		return Query{}, fmt.Errorf("metric %s: %w", m.ID, err)
	}
	q := Query{SQL: strings.TrimSpace(out.String())}
	for _, p := range b.params {
		q.Params = append(q.Params, p.Name, p.Value)
	}
	return q, nil
}

// outer returns the frame's expression for e (as column name), adding the
// join it needs.
func (b *metricBuilder) outer(e analytics.Expr, name, alias string, joins *[]sqlJoin) (string, error) {
	switch {
	case e.One:
		return "1.0", nil
	case e.Commune != "":
		if !communeColumns[e.Commune] {
			return "", fmt.Errorf("metric %s: unknown commune column %q", b.m.ID, e.Commune)
		}
		return "ifNull(c." + string(e.Commune) + ", 0)", nil
	case e.Former:
		*joins = append(*joins, sqlJoin{Alias: alias, Key: "new_code", Body: "    SELECT new_code, uniqExact(old_code) AS " + name + "\n" +
			"    FROM ref_crosswalk FINAL\n    WHERE old_code != ''\n    GROUP BY new_code"})
		return "ifNull(" + alias + "." + name + ", 0)", nil
	case e.Source != "":
		x := []analytics.Expr{{}, {}}
		if name == "num" {
			x[0] = e
		} else {
			x[1] = e
		}
		body, err := b.source(e.Source, x)
		if err != nil {
			return "", err
		}
		*joins = append(*joins, sqlJoin{Body: body, Alias: alias, Key: "commune_code"})
		return "ifNull(" + alias + "." + name + ", 0)", nil
	}
	return "", fmt.Errorf("metric %s: %s is not set", b.m.ID, name)
}

// source renders the subquery of source k computing exprs[0] AS num and
// exprs[1] AS den (a zero Expr is left out). Conditions both share go to
// WHERE (a commune without rows counts 0 either way), the rest into the
// aggregates' -If.
func (b *metricBuilder) source(k analytics.Kind, exprs []analytics.Expr) (string, error) {
	src, ok := sourcesSQL[k]
	if !ok {
		return "", fmt.Errorf("metric %s: unknown source %q", b.m.ID, k)
	}
	var used []analytics.Expr
	for _, e := range exprs {
		if e.Source != "" {
			used = append(used, e)
		}
	}
	common := used[0].Where
	for _, e := range used[1:] {
		common = slices.DeleteFunc(slices.Clone(common), func(c analytics.Cond) bool {
			return !slices.ContainsFunc(e.Where, func(d analytics.Cond) bool { return sameCond(c, d) })
		})
	}
	d := sourceData{}
	prefix := ""
	for _, e := range used {
		if e.Agg == analytics.AggDistinctFormer {
			if k != analytics.KindSites || len(used) > 1 {
				return "", fmt.Errorf("metric %s: former units are counted from sites alone", b.m.ID)
			}
			d.Former, prefix = true, "s."
		}
	}
	for _, c := range common {
		s, err := b.cond(src, c, prefix)
		if err != nil {
			return "", err
		}
		d.Where = append(d.Where, s)
	}
	aligned := k == analytics.KindIncidents && !b.group
	d.Group = b.group
	national := true
	for i, e := range exprs {
		if e.Source == "" {
			continue
		}
		name := [2]string{"num", "den"}[i]
		var rest []string
		for _, c := range e.Where {
			if slices.ContainsFunc(common, func(d analytics.Cond) bool { return sameCond(c, d) }) {
				continue
			}
			s, err := b.cond(src, c, prefix)
			if err != nil {
				return "", err
			}
			rest = append(rest, s)
		}
		agg, err := b.agg(src, e, strings.Join(rest, " AND "), prefix)
		if err != nil {
			return "", err
		}
		d.Select = append(d.Select, agg+" AS "+name)
		if !aligned || e.Counter == "" {
			aligned = false
			continue
		}
		ctr, ok := incidentCounters[e.Counter]
		if !ok {
			return "", fmt.Errorf("metric %s: no incident counter %q", b.m.ID, e.Counter)
		}
		national = national && ctr.national
		switch e.Agg {
		case analytics.AggCount:
			d.AggSelect = append(d.AggSelect, "sum("+e.Counter+") AS "+name)
		case analytics.AggAny:
			if e.Counter == analytics.CounterRows {
				d.AggSelect = append(d.AggSelect, "count() > 0 AS "+name)
				break
			}
			d.AggSelect = append(d.AggSelect, "sum("+e.Counter+") > 0 AS "+name)
		case analytics.AggMedianDays:
			d.AggSelect = append(d.AggSelect, "quantileTDigestMerge(0.5)("+e.Counter+") AS "+name)
		default:
			return "", fmt.Errorf("metric %s: %s cannot be read from counter %q", b.m.ID, name, e.Counter)
		}
	}
	if aligned {
		d.Aligned, d.AggTable = true, "{agg:Identifier}"
		if !national {
			d.AggTable = "incidents_agg"
		}
	}
	var out bytes.Buffer
	if err := metricTemplates.ExecuteTemplate(&out, string(k)+".sql.tmpl", d); err != nil {
		return "", fmt.Errorf("metric %s: %w", b.m.ID, err)
	}
	return strings.Trim(out.String(), "\n"), nil
}

// agg renders an aggregate over the rows matching cond ("" = all).
func (b *metricBuilder) agg(src sourceSQL, e analytics.Expr, cond, prefix string) (string, error) {
	if1 := func(f, arg string) string {
		switch {
		case cond == "" && arg == "":
			return f + "()"
		case cond == "":
			return f + "(" + arg + ")"
		case arg == "":
			return f + "If(" + cond + ")"
		}
		return f + "If(" + arg + ", " + cond + ")"
	}
	switch e.Agg {
	case analytics.AggCount:
		return if1("count", ""), nil
	case analytics.AggAny:
		return if1("count", "") + " > 0", nil
	case analytics.AggDistinct:
		if !slices.Contains(src.columns, e.Col) {
			return "", fmt.Errorf("metric %s: source has no column %q", b.m.ID, e.Col)
		}
		return if1("uniqExact", prefix+string(e.Col)), nil
	case analytics.AggDistinctFormer:
		return if1("uniqExact", "s.old_code"), nil
	case analytics.AggMedianDays:
		return if1("median", "greatest(dateDiff('day', received, assumeNotNull(closed)), 0)"), nil
	}
	return "", fmt.Errorf("metric %s: unknown aggregate %d", b.m.ID, e.Agg)
}

// cond renders a condition over src's columns.
func (b *metricBuilder) cond(src sourceSQL, c analytics.Cond, prefix string) (string, error) {
	col := func(x analytics.Column) (string, error) {
		if !slices.Contains(src.columns, x) {
			return "", fmt.Errorf("metric %s: source has no column %q", b.m.ID, x)
		}
		return prefix + string(x), nil
	}
	active := func(at string) (string, error) {
		if src.start == "" {
			return "", fmt.Errorf("metric %s: source has no start date for an active condition", b.m.ID)
		}
		st, ret := prefix+string(src.start), prefix+string(analytics.ColRetired)
		return fmt.Sprintf("(%s IS NULL OR %s < %s) AND (%s IS NULL OR %s >= %s)", st, st, at, ret, ret, at), nil
	}
	switch c.Op {
	case analytics.OpActiveAtEnd:
		return active("{to:Date}")
	case analytics.OpActiveAtStart:
		return active("{from:Date}")
	case analytics.OpStartedBefore:
		if src.start == "" {
			return "", fmt.Errorf("metric %s: source has no start date", b.m.ID)
		}
		st := prefix + string(src.start)
		return fmt.Sprintf("(%s IS NULL OR %s < {from:Date})", st, st), nil
	case analytics.OpWithin:
		x, err := col(c.Col)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s >= {from:Date} AND %s < {to:Date}", x, x), nil
	case analytics.OpTrue, analytics.OpFalse:
		x, err := col(c.Col)
		if err != nil {
			return "", err
		}
		if c.Op == analytics.OpTrue {
			return x + " = 1", nil
		}
		return x + " = 0", nil
	case analytics.OpNotNull:
		x, err := col(c.Col)
		if err != nil {
			return "", err
		}
		return x + " IS NOT NULL", nil
	case analytics.OpIn:
		x, err := col(c.Col)
		if err != nil {
			return "", err
		}
		if len(c.Values) == 0 {
			return "", fmt.Errorf("metric %s: %s IN an empty list", b.m.ID, c.Col)
		}
		ps := make([]string, len(c.Values))
		for i, v := range c.Values {
			ps[i] = "{" + b.param(v) + ":String}"
		}
		if len(ps) == 1 {
			return x + " = " + ps[0], nil
		}
		return x + " IN (" + strings.Join(ps, ", ") + ")", nil
	}
	return "", fmt.Errorf("metric %s: unknown condition %d", b.m.ID, c.Op)
}

// param names value v (the same value, the same name).
func (b *metricBuilder) param(v string) string {
	for _, p := range b.params {
		if p.Value == v {
			return p.Name
		}
	}
	name := fmt.Sprintf("v%d", len(b.params)+1)
	b.params = append(b.params, sqlParam{Name: name, Value: v})
	return name
}

func sameCond(a, b analytics.Cond) bool {
	return a.Op == b.Op && a.Col == b.Col && slices.Equal(a.Values, b.Values)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
