package chstore

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"

	"github.com/ClickHouse/clickhouse-go/v2"
	"golang.org/x/sync/errgroup"
)

// Known returns the content hash of each of keys already stored for kind.
func (s *Store) Known(ctx context.Context, kind analytics.Kind, keys []string) (map[string]uint64, error) {
	table, ok := tables[string(kind)]
	if !ok {
		return nil, analytics.Errorf(analytics.CodeInvalid, "unknown kind %q", kind)
	}
	out := make(map[string]uint64, len(keys))
	const chunk = 20000 // keeps the parameter a few hundred kilobytes
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(start+chunk, len(keys))]
		qctx, cancel := s.qctx(withRawParams(ctx, "table", table, "keys", arrayLiteral(part)))
		rows, err := s.conn.Query(qctx, sqlText("known"))
		if err != nil {
			cancel()
			return nil, classify(fmt.Errorf("known %s keys: %w", kind, err))
		}
		for rows.Next() {
			var k string
			var h uint64
			if err := rows.Scan(&k, &h); err != nil {
				rows.Close()
				cancel()
				return nil, classify(fmt.Errorf("known %s keys: %w", kind, err))
			}
			out[k] = h
		}
		err = rows.Err()
		rows.Close()
		cancel()
		if err != nil {
			return nil, classify(fmt.Errorf("known %s keys: %w", kind, err))
		}
	}
	return out, nil
}

// Provinces returns the provinces holding at least one record of kind
// (analytics.ProvinceLister).
func (s *Store) Provinces(ctx context.Context, kind analytics.Kind) (map[analytics.ProvinceCode]bool, error) {
	table, ok := tables[string(kind)]
	if !ok {
		return nil, analytics.Errorf(analytics.CodeInvalid, "unknown kind %q", kind)
	}
	qctx, cancel := s.qctx(withParams(ctx, "table", table))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("provinces_held"))
	if err != nil {
		return nil, classify(fmt.Errorf("provinces holding %s: %w", kind, err))
	}
	defer rows.Close()
	out := map[analytics.ProvinceCode]bool{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, classify(fmt.Errorf("provinces holding %s: %w", kind, err))
		}
		out[analytics.ProvinceCode(p)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, classify(fmt.Errorf("provinces holding %s: %w", kind, err))
	}
	return out, nil
}

// arrayLiteral writes keys as a ClickHouse Array(String) literal.
func arrayLiteral(keys []string) string {
	var b strings.Builder
	b.Grow(len(keys) * 40)
	b.WriteByte('[')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\'')
		b.WriteString(literalEscaper.Replace(k))
		b.WriteByte('\'')
	}
	b.WriteByte(']')
	return b.String()
}

var literalEscaper = strings.NewReplacer(`\`, `\\`, `'`, `\'`)

// Count returns the number of records of kind, in one province or all ("").
func (s *Store) Count(ctx context.Context, kind analytics.Kind, province analytics.ProvinceCode) (uint64, error) {
	table, ok := tables[string(kind)]
	if !ok {
		return 0, analytics.Errorf(analytics.CodeInvalid, "unknown kind %q", kind)
	}
	qctx, cancel := s.qctx(withParams(ctx, "table", table, "province", string(province)))
	defer cancel()
	var n uint64
	if err := s.conn.QueryRow(qctx, sqlText("count")).Scan(&n); err != nil {
		return 0, classify(fmt.Errorf("count %s: %w", kind, err))
	}
	return n, nil
}

// Write loads one batch. Each kind's rows go in one INSERT whose
// deduplication token is derived from the batch token, so a batch retried
// after a crash or a timeout is not stored twice.
func (s *Store) Write(ctx context.Context, b analytics.Batch) error {
	version := uint64(time.Now().UnixNano())
	inserts := []struct {
		kind analytics.Kind
		n    int
		cols func(uint64) *columns
	}{
		{analytics.KindModels, len(b.Models), func(v uint64) *columns { return modelColumns(b.Models, v) }},
		{analytics.KindSites, len(b.Sites), func(v uint64) *columns { return siteColumns(b.Sites, v) }},
		{analytics.KindGrades, len(b.Grades), func(v uint64) *columns { return gradeColumns(b.Grades, v) }},
		{analytics.KindIncidents, len(b.Incidents), func(v uint64) *columns { return incidentColumns(b.Incidents, v) }},
	}
	if err := s.markDirty(ctx, b.Incidents); err != nil {
		return err
	}
	for _, in := range inserts {
		if in.n == 0 {
			continue
		}
		cols := in.cols(version)
		if b.BatchID != "" {
			cols.add("batch_id", constStr(in.n, b.BatchID))
		}
		set := factInsert
		if b.Token != "" {
			set = append(slices.Clone(set), [2]string{"insert_deduplication_token", b.Token + "/" + string(in.kind)})
		}
		if err := s.insert(ctx, tables[string(in.kind)], set, cols); err != nil {
			return fmt.Errorf("write %d %s: %w", in.n, in.kind, err)
		}
	}
	return nil
}

// columns is one INSERT's data, column by column.
type columns struct {
	names []string
	data  []any // each a slice of the column's Go type
}

func (c *columns) add(name string, v any) {
	c.names = append(c.names, name)
	c.data = append(c.data, v)
}

// opt adds an optional column unless every value in it is the column's
// default ("", 0, NULL): the engine then fills the default itself, and
// the batch is smaller to encode and to parse (a CSV export without
// coordinates or tips leaves out a third of the columns).
func (c *columns) opt(name string, v any) {
	if !allDefault(v) {
		c.add(name, v)
	}
}

func allDefault(v any) bool {
	switch x := v.(type) {
	case []string:
		for _, s := range x {
			if s != "" {
				return false
			}
		}
	case []uint8:
		for _, b := range x {
			if b != 0 {
				return false
			}
		}
	case []uint32:
		for _, n := range x {
			if n != 0 {
				return false
			}
		}
	case []*time.Time:
		for _, t := range x {
			if t != nil {
				return false
			}
		}
	case []*float64:
		for _, f := range x {
			if f != nil {
				return false
			}
		}
	default:
		return false
	}
	return true
}

// factInsert are the settings of an INSERT into a fact table. The engine's
// ReplacingMergeTree would otherwise collapse each block's rows by key as
// a merge does (optimize_on_insert): a batch holds no key twice (the
// ingest drops a file's own duplicates) and every read of the facts that
// counts them reads FINAL, so that pass would find nothing to do. Skipping
// it took an INSERT of 100,000 incidents (INSERT ... SELECT from a Memory
// table, in file order) from 0.14-0.20 s to 0.05-0.07 s, and
// BenchmarkWriteIncidents from 0.60-0.76 to 1.13-1.23 M rows/s.
var factInsert = [][2]string{{"optimize_on_insert", "0"}}

// insert writes c into table with the query settings set (name, value).
func (s *Store) insert(ctx context.Context, table string, set [][2]string, c *columns) error {
	if s.inserter != nil && !s.forceDriver {
		if ok, err := s.insertNative(ctx, table, set, c); ok || err != nil {
			return classify(err)
		}
	}
	settings := clickhouse.Settings{}
	for _, kv := range set {
		settings[kv[0]] = kv[1]
	}
	ctx, cancel := s.qctx(clickhouse.Context(ctx, clickhouse.WithSettings(settings)))
	defer cancel()
	batch, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+table+" ("+strings.Join(c.names, ", ")+")")
	if err != nil {
		return classify(err)
	}
	defer batch.Abort()
	for i, d := range c.data {
		if err := batch.Column(i).Append(d); err != nil {
			return classify(fmt.Errorf("column %s: %w", c.names[i], err))
		}
	}
	if err := batch.Send(); err != nil {
		return classify(err)
	}
	return nil
}

// dates makes a Nullable(Date) column: pointers into one backing array,
// not one allocation a row.
func dates(n int, f func(i int) time.Time) []*time.Time {
	out := make([]*time.Time, n)
	back := make([]time.Time, n)
	for i := range out {
		if back[i] = f(i); !back[i].IsZero() {
			out[i] = &back[i]
		}
	}
	return out
}

func strs(n int, f func(i int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func bools(n int, f func(i int) bool) []uint8 {
	out := make([]uint8, n)
	for i := range out {
		if f(i) {
			out[i] = 1
		}
	}
	return out
}

func u32s(n int, f func(i int) uint32) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func constStr(n int, v string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func constU64(n int, v uint64) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// addLocated appends the place columns every fact table has; point says
// whether the table keeps coordinates.
func addLocated(c *columns, n int, loc func(i int) *analytics.Located, point bool) {
	c.add("province_code", strs(n, func(i int) string { return string(loc(i).Province) }))
	c.add("commune_code", strs(n, func(i int) string { return string(loc(i).Commune) }))
	c.opt("source_place", strs(n, func(i int) string { return loc(i).SourcePlace }))
	c.opt("resolve_rule", strs(n, func(i int) string { return string(loc(i).Rule) }))
	conf := make([]float32, n)
	for i := range conf {
		conf[i] = float32(loc(i).Confidence)
	}
	c.add("confidence", conf)
	c.opt("split", bools(n, func(i int) bool { return loc(i).Split }))
	c.opt("old_code", strs(n, func(i int) string { return loc(i).OldCode }))
	if point {
		lon, lat := make([]*float64, n), make([]*float64, n)
		back := make([]float64, 2*n)
		for i := 0; i < n; i++ {
			if l := loc(i); l.HasPoint {
				back[2*i], back[2*i+1] = l.Lon, l.Lat
				lon[i], lat[i] = &back[2*i], &back[2*i+1]
			}
		}
		c.opt("lon", lon)
		c.opt("lat", lat)
	}
}

func addSource(c *columns, n int, src func(i int) *analytics.Source) {
	c.add("source_file", strs(n, func(i int) string { return src(i).File }))
	c.opt("source_sheet", strs(n, func(i int) string { return src(i).Sheet }))
	c.opt("source_row", u32s(n, func(i int) uint32 { return uint32(src(i).Row) }))
	c.add("extra", strs(n, func(i int) string {
		if e := src(i).Extra; e != "" {
			return e
		}
		return "{}"
	}))
}

// addKey appends the columns every fact table starts with: the record key,
// its content hash and the batch's version.
func addKey(c *columns, n int, key func(i int) (string, uint64), version uint64) {
	keys, hashes := make([]string, n), make([]uint64, n)
	for i := 0; i < n; i++ {
		keys[i], hashes[i] = key(i)
	}
	c.add("record_key", keys)
	c.add("content_hash", hashes)
	c.add("version", constU64(n, version))
}

func modelColumns(rs []analytics.Model, version uint64) *columns {
	n := len(rs)
	c := &columns{}
	addKey(c, n, func(i int) (string, uint64) { return rs[i].Key, rs[i].Hash }, version)
	c.opt("source_id", strs(n, func(i int) string { return rs[i].SourceID }))
	c.opt("name", strs(n, func(i int) string { return rs[i].Name }))
	c.opt("model_type", strs(n, func(i int) string { return rs[i].Type }))
	c.opt("sector", strs(n, func(i int) string { return rs[i].Sector }))
	c.opt("level", strs(n, func(i int) string { return rs[i].Level }))
	c.opt("host_unit", strs(n, func(i int) string { return rs[i].HostUnit }))
	c.opt("founded", dates(n, func(i int) time.Time { return rs[i].Founded }))
	c.opt("retired", dates(n, func(i int) time.Time { return rs[i].Retired }))
	c.opt("advanced", bools(n, func(i int) bool { return rs[i].Advanced }))
	c.opt("exemplary", bools(n, func(i int) bool { return rs[i].Exemplary }))
	addLocated(c, n, func(i int) *analytics.Located { return &rs[i].Located }, true)
	addSource(c, n, func(i int) *analytics.Source { return &rs[i].Source })
	return c
}

func siteColumns(rs []analytics.Site, version uint64) *columns {
	n := len(rs)
	c := &columns{}
	addKey(c, n, func(i int) (string, uint64) { return rs[i].Key, rs[i].Hash }, version)
	c.opt("source_id", strs(n, func(i int) string { return rs[i].SourceID }))
	c.opt("model_key", strs(n, func(i int) string { return rs[i].ModelKey }))
	c.opt("model_name", strs(n, func(i int) string { return rs[i].ModelName }))
	c.opt("model_type", strs(n, func(i int) string { return rs[i].ModelType }))
	c.opt("sector", strs(n, func(i int) string { return rs[i].Sector }))
	c.opt("name", strs(n, func(i int) string { return rs[i].Name }))
	c.opt("opened", dates(n, func(i int) time.Time { return rs[i].Opened }))
	c.opt("retired", dates(n, func(i int) time.Time { return rs[i].Retired }))
	c.opt("teams", u32s(n, func(i int) uint32 { return rs[i].Teams }))
	c.opt("members", u32s(n, func(i int) uint32 { return rs[i].Members }))
	addLocated(c, n, func(i int) *analytics.Located { return &rs[i].Located }, true)
	addSource(c, n, func(i int) *analytics.Source { return &rs[i].Source })
	return c
}

func gradeColumns(rs []analytics.Grade, version uint64) *columns {
	n := len(rs)
	c := &columns{}
	addKey(c, n, func(i int) (string, uint64) { return rs[i].Key, rs[i].Hash }, version)
	c.opt("site_key", strs(n, func(i int) string { return rs[i].SiteKey }))
	years := make([]uint16, n)
	for i := range years {
		years[i] = rs[i].Year
	}
	c.add("year", years)
	c.opt("grade", strs(n, func(i int) string { return rs[i].Grade }))
	c.opt("advanced", bools(n, func(i int) bool { return rs[i].Advanced }))
	addLocated(c, n, func(i int) *analytics.Located { return &rs[i].Located }, false)
	addSource(c, n, func(i int) *analytics.Source { return &rs[i].Source })
	return c
}

func incidentColumns(rs []analytics.Incident, version uint64) *columns {
	n := len(rs)
	c := &columns{}
	addKey(c, n, func(i int) (string, uint64) { return rs[i].Key, rs[i].Hash }, version)
	c.opt("source_id", strs(n, func(i int) string { return rs[i].SourceID }))
	c.opt("site_key", strs(n, func(i int) string { return rs[i].SiteKey }))
	c.opt("category", strs(n, func(i int) string { return rs[i].Category }))
	received := make([]time.Time, n)
	for i := range received {
		received[i] = rs[i].Received
	}
	c.add("received", received)
	c.opt("closed", dates(n, func(i int) time.Time { return rs[i].Closed }))
	c.add("outcome", strs(n, func(i int) string { return rs[i].Outcome }))
	c.opt("tip", bools(n, func(i int) bool { return rs[i].Tip }))
	c.opt("tip_useful", bools(n, func(i int) bool { return rs[i].TipUseful }))
	addLocated(c, n, func(i int) *analytics.Located { return &rs[i].Located }, true)
	addSource(c, n, func(i int) *analytics.Source { return &rs[i].Source })
	return c
}

var provinceCodeRe = regexp.MustCompile(`^[0-9]{2}$`)

// Commit refreshes the derived tables of the provinces touched by a load and
// tells the OnCommit listeners (response caches). Commits are serialised;
// within one, provinces are rebuilt side by side (commitWorkers at a time):
// a province's rebuild keeps about one core busy, and a national load
// touches every province.
func (s *Store) Commit(ctx context.Context, provinces []analytics.ProvinceCode) error {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	for _, p := range provinces {
		// The code reaches SQL text in REPLACE PARTITION, which takes no
		// parameters: only two digits pass.
		if !provinceCodeRe.MatchString(string(p)) {
			return analytics.Errorf(analytics.CodeInvalid, "province code %q: want two digits", p)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(commitWorkers())
	for _, p := range provinces {
		g.Go(func() error {
			if err := s.refreshAggregates(gctx, p); err != nil {
				return fmt.Errorf("refresh aggregates of province %s: %w", p, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if len(provinces) > 0 {
		if err := s.refreshNational(ctx); err != nil {
			return fmt.Errorf("refresh national aggregates: %w", err)
		}
	}
	if err := s.cleared(ctx, provinces); err != nil {
		return err
	}
	for _, fn := range s.onCommit {
		fn(provinces)
	}
	return nil
}

// commitWorkers is how many provinces a commit rebuilds at a time: one per
// core, at most 4 (each rebuild holds its groups and part writers in
// memory, 10-20 MB for a province of 100k incidents).
func commitWorkers() int {
	return max(1, min(runtime.NumCPU(), 4))
}

// refreshNational rebuilds incidents_agg_all, the unpartitioned copy of
// every province's aggregates that national maps read, the same way as a
// province's: its one partition, tuple().
func (s *Store) refreshNational(ctx context.Context) error {
	return s.rebuild(ctx, "incidents_agg_all", sqlText("refresh_incidents_agg_all"), "tuple()", "1")
}

// outcomeParams are the outcome lists the aggregates count, from the one
// list in analytics.
var outcomeParams = []string{
	"resolved_local", arrayLiteral(analytics.OutcomesResolvedLocal),
	"mediated", analytics.OutcomeMediated,
	"mediation_concluded", arrayLiteral(analytics.OutcomesMediationConcluded),
	"pending", analytics.OutcomePending,
}

// refreshAggregates rebuilds one province's partition of each aggregate
// table.
func (s *Store) refreshAggregates(ctx context.Context, p analytics.ProvinceCode) error {
	for _, a := range []struct {
		table, query string
		params       []string
	}{
		{"incidents_agg", sqlText("refresh_incidents_agg"), outcomeParams},
		{"incidents_mix", sqlText("refresh_incidents_mix"), nil},
	} {
		if err := s.rebuild(ctx, a.table, a.query, "'"+string(p)+"'", "province_code = {province:String}", append([]string{"province", string(p)}, a.params...)...); err != nil {
			return err
		}
	}
	return nil
}

// rebuild refreshes one partition of a derived table: empty that partition
// of its staging table (of what a rebuild that stopped half-way left), fill it with fill (with the parameters params, name
// then value), then swap the partition in with REPLACE PARTITION, which
// readers see atomically. partition is SQL text (a checked province code or
// tuple()). Only the one partition of the staging table is touched, so that
// provinces are rebuilt side by side; where is the condition that selects
// its rows.
func (s *Store) rebuild(ctx context.Context, table, fill, partition, where string, params ...string) error {
	stage, target := table+"_stage", table
	if s.cfg.Cluster != "" {
		stage += "_local"
		target += "_local" + s.onCluster()
	}
	if err := s.exec(ctx, "ALTER TABLE "+stage+s.onCluster()+" DROP PARTITION "+partition); err != nil {
		return err
	}
	qctx, cancel := s.qctx(withParams(ctx, params...))
	err := s.conn.Exec(qctx, fill)
	cancel()
	if err != nil {
		return classify(fmt.Errorf("rebuild %s: %w", table, err))
	}
	// REPLACE PARTITION refuses a source without the partition: a
	// partition left with no rows is dropped instead.
	var n uint64
	cctx, ccancel := s.qctx(withParams(ctx, params...))
	err = s.conn.QueryRow(cctx, "SELECT count() FROM "+stage+" WHERE "+where).Scan(&n)
	ccancel()
	if err != nil {
		return classify(fmt.Errorf("count %s: %w", stage, err))
	}
	op := "REPLACE PARTITION " + partition + " FROM " + stage
	if n == 0 {
		op = "DROP PARTITION " + partition
	}
	if err := s.exec(ctx, "ALTER TABLE "+target+" "+op); err != nil {
		return err
	}
	// REPLACE PARTITION copies the parts: the staging partition is
	// emptied again, so that the staging tables do not keep a second copy
	// of every province's aggregates.
	return s.exec(ctx, "ALTER TABLE "+stage+s.onCluster()+" DROP PARTITION "+partition)
}
