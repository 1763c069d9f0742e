package ingest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/layout"
	"github.com/antq-atlas/antq/ingest/record"
	"github.com/antq-atlas/antq/ingest/schema"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// The rows of a file go through three stages: the reader maps them to
// their table's fields (in order, on the reading goroutine), workers build
// records from chunks of rows (in parallel, each with its own builder and
// caches), and the collector accepts, rejects, deduplicates and batches
// them in the file's order. Only the middle stage is parallel; it is where
// the time goes.

const chunkRows = 2048

// item is one row in a chunk and what became of it.
type item struct {
	row      sheet.Row
	m        *schema.Mapping // nil: the row's table is skipped
	kind     analytics.Kind
	pre      []record.Problem // rejected before building: a bad row or a table without required columns
	skip     string           // the row is not a record: why
	place    *layout.Context  // the places the row's table and section give; nil when none
	table    int              // index of the row's table in the file summary
	ok       bool
	probs    []record.Problem
	key      string
	hash     uint64
	province analytics.ProvinceCode
	idx      int // in the chunk's slice of its kind
}

type chunk struct {
	items     []item
	vals      []string
	models    []analytics.Model
	sites     []analytics.Site
	grades    []analytics.Grade
	incidents []analytics.Incident
	err       error
	done      chan struct{}
}

var chunks = sync.Pool{New: func() any { return &chunk{} }}

func getChunk() *chunk {
	c := chunks.Get().(*chunk)
	c.items, c.vals = c.items[:0], c.vals[:0]
	c.models, c.sites, c.grades, c.incidents = c.models[:0], c.sites[:0], c.grades[:0], c.incidents[:0]
	c.err, c.done = nil, make(chan struct{})
	return c
}

func putChunk(c *chunk) {
	clear(c.items[:cap(c.items)]) // drop references to strings and errors
	chunks.Put(c)
}

// stage maps a row to its table, tells whether it is a record and copies
// it into c.
func (r *fileRun) stage(c *chunk, row *sheet.Row) {
	it := item{row: *row}
	start := len(c.vals)
	c.vals = append(c.vals, row.Values...)
	it.row.Values = c.vals[start:len(c.vals):len(c.vals)]
	if row.Sheet != r.table || r.m == nil {
		r.newTable(row)
	} else if row.Err == nil && !sameHeader(row.Header, r.header) {
		r.remap(row.Header)
	}
	switch {
	case row.Err != nil:
		// A row that could not be read (a ragged CSV row, a bad JSON
		// line) is rejected as it is, under the table it belongs to.
		it.pre = []record.Problem{{Reason: row.Err.Error()}}
	case r.mapErr != nil:
		it.pre = []record.Problem{{Reason: r.mapErr.Error()}}
	}
	if !r.skipped {
		it.m, it.kind = r.m, r.kind
		if r.cls != nil {
			r.classify(&it)
		}
		it.place = r.place
	}
	it.table = len(r.fs.Tables) - 1
	c.items = append(c.items, it)
}

// classify skips the rows of a report that are not records, and carries
// the place a section row names down to the rows below it.
func (r *fileRun) classify(it *item) {
	rc := r.cls.Classify(it.row.Values)
	if rc.Skip == "" {
		return
	}
	it.skip, it.pre = rc.Skip, nil
	if rc.Section == "" {
		return
	}
	if sc, ok := layout.SectionContext(rc.Section); ok {
		r.section = r.section.Over(sc)
		r.setPlace()
	}
}

// setPlace makes the place context of the rows to come: the title block's,
// then the section's over it, then the one the job was given over both.
func (r *fileRun) setPlace() {
	c := r.title.Over(r.section)
	if e := r.job.Context; e.Province != "" || e.District != "" || e.Commune != "" {
		if e.Province != "" {
			c.Province = e.Province
		}
		if e.District != "" {
			c.District = e.District
		}
		if e.Commune != "" {
			c.Commune = e.Commune
		}
	}
	if c.Province == "" && c.District == "" && c.Commune == "" && c.Year == 0 {
		r.place = nil
		return
	}
	r.place = &layout.Context{Province: c.Province, District: c.District, Commune: c.Commune, Year: c.Year}
}

// buildChunk builds the records of c's rows.
func buildChunk(b *record.Builder, c *chunk) {
	for i := range c.items {
		it := &c.items[i]
		if it.m == nil || it.pre != nil || it.skip != "" {
			continue
		}
		ok, err := b.Build(it.m, &it.row, it.place)
		if err != nil {
			c.err = err
			return
		}
		rec := b.Record()
		it.ok, it.province = ok, rec.Province
		if !ok {
			it.probs = slices.Clone(b.Problems())
			continue
		}
		it.key, it.hash = rec.Key, rec.Hash
		switch it.kind {
		case analytics.KindModels:
			it.idx = len(c.models)
			c.models = append(c.models, rec.Model)
		case analytics.KindSites:
			it.idx = len(c.sites)
			c.sites = append(c.sites, rec.Site)
		case analytics.KindGrades:
			it.idx = len(c.grades)
			c.grades = append(c.grades, rec.Grade)
		case analytics.KindIncidents:
			it.idx = len(c.incidents)
			c.incidents = append(c.incidents, rec.Incident)
		}
	}
}

// accept counts, rejects, deduplicates and batches c's records in order.
func (r *fileRun) accept(c *chunk) error {
	if c.err != nil {
		return &fatalError{c.err}
	}
	if r.job.OnProgress != nil {
		defer func() { r.job.OnProgress(r.path, r.fs.Read) }()
	}
	for i := range c.items {
		it := &c.items[i]
		if it.m == nil {
			continue
		}
		r.fs.Read++
		r.sum.Read++
		if it.ok && it.skip == "" && it.pre == nil && r.job.Provinces != nil && !slices.Contains(r.job.Provinces, it.province) {
			it.ok = false
			it.probs = []record.Problem{{Field: "province", Reason: fmt.Sprintf("province %s not granted to this account (granted: %s)", it.province, joinCodes(r.job.Provinces))}}
		}
		if r.pv != nil {
			r.pv.item(r, c, it)
		}
		switch {
		case it.skip != "":
			r.skipRow(it)
			continue
		case it.pre != nil:
			if err := r.reject(it.kind, "", &it.row, it.pre); err != nil {
				return err
			}
			continue
		case !it.ok:
			if err := r.reject(it.kind, it.province, &it.row, it.probs); err != nil {
				return err
			}
			continue
		}
		if s, added := r.seen.add(xxhash.Sum64String(it.key), it.hash, it.row.Num); !added {
			if s.hash == it.hash {
				r.outcome(it.kind, it.province, duplicate)
				continue
			}
			p := []record.Problem{{Field: "key", Reason: fmt.Sprintf("duplicate key %s with different content (first at row %d)", it.key, s.row)}}
			if err := r.reject(it.kind, it.province, &it.row, p); err != nil {
				return err
			}
			continue
		}
		switch it.kind {
		case analytics.KindModels:
			r.batch.Models = append(r.batch.Models, c.models[it.idx])
		case analytics.KindSites:
			r.batch.Sites = append(r.batch.Sites, c.sites[it.idx])
		case analytics.KindGrades:
			r.batch.Grades = append(r.batch.Grades, c.grades[it.idx])
		case analytics.KindIncidents:
			if cap(r.batch.Incidents) == 0 {
				// A fresh batch is made at its size once, not grown by
				// doubling (each doubling copies the records so far).
				r.batch.Incidents = make([]analytics.Incident, 0, min(r.size, DefaultBatchSize, max(r.rowHint, 64)))
			}
			r.batch.Incidents = append(r.batch.Incidents, c.incidents[it.idx])
		}
		if r.batch.Len() >= r.size {
			if err := r.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// lockedResolver serialises calls to a resolver that workers share: the
// interface does not promise to be safe for concurrent use, and each
// worker's cache answers most places without it.
type lockedResolver struct {
	mu sync.Mutex
	r  analytics.Resolver
	pc record.ProvinceChecker
}

func (l *lockedResolver) Resolve(p analytics.Place) (analytics.Resolution, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Resolve(p)
}

type lockedChecker struct{ *lockedResolver }

func (l lockedChecker) InProvince(p analytics.ProvinceCode, lon, lat float64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pc.InProvince(p, lon, lat)
}

// ProvinceName passes the resolver's province names through (provinceNamer).
func (l lockedChecker) ProvinceName(p analytics.ProvinceCode) (string, bool) {
	pn, ok := l.r.(provinceNamer)
	if !ok {
		return "", false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return pn.ProvinceName(p)
}

// read runs the file's rows through the stages. With one CPU the stages
// run in turn on one goroutine.
func (r *fileRun) read(opt sheet.ReadOptions, bar *progress) error {
	workers := runtime.GOMAXPROCS(0)
	if workers == 1 {
		c := getChunk()
		err := sheet.ReadFile(r.ctx, r.path, opt, func(row *sheet.Row) error {
			bar.add(1)
			r.stage(c, row)
			if len(c.items) < chunkRows {
				return nil
			}
			buildChunk(r.b, c)
			err := r.accept(c)
			putChunk(c)
			c = getChunk()
			return err
		})
		if err == nil {
			buildChunk(r.b, c)
			err = r.accept(c)
		}
		return err
	}

	lr := &lockedResolver{r: r.job.Resolver}
	var shared analytics.Resolver = lr
	if pc, ok := r.job.Resolver.(record.ProvinceChecker); ok {
		lr.pc = pc
		shared = struct {
			analytics.Resolver
			record.ProvinceChecker
		}{lr, lockedChecker{lr}}
	}
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	work := make(chan *chunk, workers)
	ordered := make(chan *chunk, 2*workers+2)
	var wg sync.WaitGroup
	for range workers {
		b := record.NewBuilder(shared, r.minDate, r.now)
		wg.Go(func() {
			for c := range work {
				buildChunk(b, c)
				close(c.done)
			}
		})
	}
	var acceptErr error
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for c := range ordered {
			<-c.done
			if acceptErr == nil {
				if acceptErr = r.accept(c); acceptErr != nil {
					cancel()
				}
			}
			putChunk(c)
		}
	}()
	c := getChunk()
	send := func() {
		ordered <- c
		work <- c
		c = getChunk()
	}
	readErr := sheet.ReadFile(ctx, r.path, opt, func(row *sheet.Row) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		bar.add(1)
		r.stage(c, row)
		if len(c.items) == chunkRows {
			send()
		}
		return nil
	})
	if len(c.items) > 0 {
		send()
	}
	close(work)
	close(ordered)
	wg.Wait()
	<-collected
	if acceptErr != nil {
		return acceptErr
	}
	if errors.Is(readErr, context.Canceled) && r.ctx.Err() == nil {
		return nil
	}
	return readErr
}

// row runs one row through every stage at once; tests use it.
func (r *fileRun) row(row *sheet.Row) error {
	c := getChunk()
	defer putChunk(c)
	r.stage(c, row)
	buildChunk(r.b, c)
	return r.accept(c)
}

// joinCodes lists province codes for a reason: "08, 25".
func joinCodes(ps []analytics.ProvinceCode) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
