package analytics

// A metric's numerator and denominator are typed expressions over the
// columns of one source (a kind of record). The store turns them into SQL
// through one template per source (chstore/metricsql); nothing here is SQL.
//
// Every expression is evaluated per 2025 commune. A commune with no row of
// the source counts 0, the same as a commune whose rows all fail the
// conditions, so an expression's conditions may be read as a WHERE or as
// an aggregate's -If filter alike.

// Column names a column of a source's table. The store keeps a whitelist
// per source; a column it does not know is an error when the SQL is made.
type Column string

// Columns the catalogue uses, by source.
const (
	// sites
	ColOpened    Column = "opened"
	ColRetired   Column = "retired" // sites and models
	ColModelType Column = "model_type"
	// models
	ColFounded  Column = "founded"
	ColAdvanced Column = "advanced"
	// grades
	ColGrade Column = "grade"
	// incidents
	ColTip       Column = "tip"
	ColTipUseful Column = "tip_useful"
	ColOutcome   Column = "outcome"
	ColClosed    Column = "closed"
)

// CondOp is the kind of a condition.
type CondOp int

// Conditions over a row. The window is that of the request: From
// inclusive, To exclusive.
const (
	// OpActiveAtEnd: started (opened, founded) before the window ends and
	// not retired by then; a missing start date counts as "always was".
	OpActiveAtEnd CondOp = iota + 1
	// OpActiveAtStart: the same at the window's start.
	OpActiveAtStart
	// OpWithin: Col falls within the window.
	OpWithin
	// OpStartedBefore: started before the window (or no start date).
	OpStartedBefore
	// OpTrue / OpFalse: the flag Col is set / not set.
	OpTrue
	OpFalse
	// OpIn: Col is one of Values.
	OpIn
	// OpNotNull: Col has a value.
	OpNotNull
)

// Cond is one condition over a source's rows.
type Cond struct {
	Op     CondOp
	Col    Column
	Values []string
}

// ActiveAtEnd holds for records active at the end of the window.
func ActiveAtEnd() Cond { return Cond{Op: OpActiveAtEnd} }

// ActiveAtStart holds for records active at the start of the window.
func ActiveAtStart() Cond { return Cond{Op: OpActiveAtStart} }

// Within holds when date column c falls within the window.
func Within(c Column) Cond { return Cond{Op: OpWithin, Col: c} }

// StartedBefore holds for records started before the window.
func StartedBefore() Cond { return Cond{Op: OpStartedBefore} }

// Is holds when flag c is set.
func Is(c Column) Cond { return Cond{Op: OpTrue, Col: c} }

// Not holds when flag c is not set.
func Not(c Column) Cond { return Cond{Op: OpFalse, Col: c} }

// In holds when c is one of values (sent to the engine as parameters).
func In(c Column, values ...string) Cond { return Cond{Op: OpIn, Col: c, Values: values} }

// Has holds when c has a value (is not NULL).
func Has(c Column) Cond { return Cond{Op: OpNotNull, Col: c} }

// Agg is how an expression aggregates a commune's rows.
type Agg int

// Aggregates.
const (
	// AggCount counts the rows.
	AggCount Agg = iota + 1
	// AggAny is 1 when the commune has at least one row, else 0.
	AggAny
	// AggDistinct counts the distinct values of Col.
	AggDistinct
	// AggDistinctFormer counts the distinct pre-2025 units (sites' old
	// codes) that the crosswalk puts inside the commune.
	AggDistinctFormer
	// AggMedianDays is the median of days from receipt to closure
	// (incidents); its denominator is AnyOf the same rows.
	AggMedianDays
)

// Expr is a numerator or a denominator. Exactly one form is set:
//   - One: the constant 1 per commune (counts have no denominator);
//   - Commune: a column of the commune itself (population, area), no data
//     where it is NULL;
//   - Former: the pre-2025 units the crosswalk puts inside the commune;
//   - Source+Agg+Where: an aggregate over the source's rows of the commune.
//
// Incident expressions are read from the half-month aggregates when the
// window falls on half-months and Counter names the aggregate column that
// holds the same figure (a test checks both ways agree); with no Counter
// the store reads the incidents themselves.
type Expr struct {
	One     bool
	Commune CommuneColumn
	Former  bool

	Source  Kind
	Agg     Agg
	Col     Column // AggDistinct
	Where   []Cond
	Counter string // incidents: the incidents_agg column with this figure
}

// CommuneColumn is a figure of the commune itself.
type CommuneColumn string

// Commune figures usable as denominators.
const (
	CommunePopulation CommuneColumn = "population" // residents, NULL where flagged
	CommuneArea       CommuneColumn = "area_km2"   // official area, km²
)

// One is the constant denominator of counts.
func One() Expr { return Expr{One: true} }

// Count counts the rows of source k matching where.
func Count(k Kind, where ...Cond) Expr { return Expr{Source: k, Agg: AggCount, Where: where} }

// AnyOf is 1 for a commune with at least one row of k matching where.
func AnyOf(k Kind, where ...Cond) Expr { return Expr{Source: k, Agg: AggAny, Where: where} }

// Distinct counts distinct values of c among the rows of k matching where.
func Distinct(k Kind, c Column, where ...Cond) Expr {
	return Expr{Source: k, Agg: AggDistinct, Col: c, Where: where}
}

// FormerWithSites counts the pre-2025 units with a site matching where
// recorded under them.
func FormerWithSites(where ...Cond) Expr {
	return Expr{Source: KindSites, Agg: AggDistinctFormer, Where: where}
}

// FormerUnits is the number of pre-2025 units inside the commune.
func FormerUnits() Expr { return Expr{Former: true} }

// OfCommune is a figure of the commune itself.
func OfCommune(c CommuneColumn) Expr { return Expr{Commune: c} }

// MedianDays is the median of days to close over the incidents matching
// where.
func MedianDays(where ...Cond) Expr {
	return Expr{Source: KindIncidents, Agg: AggMedianDays, Where: where}
}

// From returns e read from the incident aggregates' column counter.
func (e Expr) From(counter string) Expr {
	e.Counter = counter
	return e
}

// Outcome sets: the one list of which outcomes count as what. The store's
// aggregates and the catalogue both take them from here.
var (
	// OutcomesResolvedLocal: resolved at the grassroots (tại cơ sở).
	OutcomesResolvedLocal = []string{OutcomeMediated, OutcomeResolvedLocal}
	// OutcomesMediationConcluded: a mediation that reached an end.
	OutcomesMediationConcluded = []string{OutcomeMediated, OutcomeNotMediated}
	// GradesGood: the grades counted as good (Tốt, Khá).
	GradesGood = []string{GradeGood, GradeFair}
)

// Incident counters: the half-month aggregates (incidents_agg) hold these
// figures per commune; a catalogue expression names one with From to be
// read from them.
var (
	IncidentsReceived = Count(KindIncidents, Not(ColTip)).From("incidents")
	IncidentsResolved = Count(KindIncidents, Not(ColTip), In(ColOutcome, OutcomesResolvedLocal...)).From("resolved_local")
	IncidentsMediated = Count(KindIncidents, Not(ColTip), In(ColOutcome, OutcomeMediated)).From("mediated")
	MediationsEnded   = Count(KindIncidents, Not(ColTip), In(ColOutcome, OutcomesMediationConcluded...)).From("mediation_concluded")
	TipsReceived      = Count(KindIncidents, Is(ColTip)).From("tips")
	TipsUseful        = Count(KindIncidents, Is(ColTip), Is(ColTipUseful)).From("tips_useful")
	IncidentsClosed   = Count(KindIncidents, Not(ColTip), Has(ColClosed)).From("closed")
	// IncidentRecords is 1 for a commune with any incident or tip received
	// in the window (any row of the aggregates), else 0: the denominator of
	// the incident counts, which have no figure where nothing was received.
	IncidentRecords = AnyOf(KindIncidents).From(CounterRows)
)

// CounterRows names the aggregates' rows themselves, for AnyOf.
const CounterRows = "rows"

// Roll is how a province's and the country's figure is made from the
// communes'.
type Roll int

// Roll-ups.
const (
	// RollRatio: Σnum / Σden × Scale over the communes with a value; ratios
	// are never averaged.
	RollRatio Roll = iota
	// RollSum: Σnum × Scale (counts).
	RollSum
	// RollDistinct: distinct values do not add up; the group figure is the
	// group's own distinct count, read by the store.
	RollDistinct
	// RollComposite: the composite index of the group's component figures.
	RollComposite
)

// sources lists the kinds an expression reads.
func (e Expr) sources() []Kind {
	if e.Source == "" {
		return nil
	}
	return []Kind{e.Source}
}
