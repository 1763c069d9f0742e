package ingest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/layout"
	"github.com/antq-atlas/antq/ingest/record"
	"github.com/antq-atlas/antq/ingest/schema"
	"github.com/antq-atlas/antq/ingest/sheet"
	"github.com/antq-atlas/antq/ingest/value"
)

// DefaultBatchSize is the number of records a Job writes at a time.
const DefaultBatchSize = 100_000

// DefaultMinDate is the earliest date a record may carry.
var DefaultMinDate = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)

// Job loads files into a Writer. The zero value needs a Writer and a
// Resolver; everything else has a default.
type Job struct {
	Writer    analytics.Writer
	Resolver  analytics.Resolver // may also implement record.ProvinceChecker
	BatchSize int                // records per Write; 0 is DefaultBatchSize
	Progress  io.Writer          // a progress bar when a terminal; nil or anything else is quiet

	Kind     analytics.Kind // the kind of every file; empty detects it from each table's header
	Sheet    string         // XLSX: read only this sheet
	Encoding sheet.Encoding // CSV: sheet.EncodingAuto by default
	MinDate  time.Time      // earliest accepted date; zero is DefaultMinDate
	Limits   sheet.Limits   // bounds on each file (cell, line, rows, unzipped size); zero fields are the defaults
	// BatchID names the run's batch; empty makes one (NewBatchID). Actor
	// is who runs it ("lan@may-chu"), for the batch log.
	BatchID string
	Actor   string
	// Lang is the language of the reasons in rejects files and previews:
	// LangVI (also when empty) or LangEN.
	Lang string
	// Context is the place the user says the files are about (antq ingest
	// --province, --district); it wins over what the files' title blocks
	// and section rows say. A row's own place columns win over any context.
	Context layout.Context
	Now     func() time.Time

	// Provinces, when not nil, are the only provinces whose records the
	// job may load (a data officer's grants): a record of another province
	// is rejected, naming it.
	Provinces []analytics.ProvinceCode
	// OnProgress, when set, is told the rows read so far of the file at
	// path, after each chunk of rows and at the file's end (the web
	// upload's progress bar). It is called from the reading goroutine.
	OnProgress func(path string, rows int)
	// PreviewRows is how many records, rejects and skipped rows Preview
	// shows per table; 0 is PreviewRows.
	PreviewRows int
}

// Validate checks the job's settings.
func (j *Job) Validate() error {
	switch {
	case j.Writer == nil:
		return analytics.Errorf(analytics.CodeInvalid, "ingest: no writer")
	case j.Resolver == nil:
		return analytics.Errorf(analytics.CodeInvalid, "ingest: no commune resolver")
	case j.BatchSize < 0:
		return analytics.Errorf(analytics.CodeInvalid, "ingest: negative batch size %d", j.BatchSize)
	case j.Kind != "" && !j.Kind.Valid():
		return analytics.Errorf(analytics.CodeInvalid, "ingest: unknown kind %q (models, sites, grades, incidents)", j.Kind)
	}
	return nil
}

func (j *Job) now() time.Time {
	if j.Now != nil {
		return j.Now()
	}
	return time.Now()
}

// provinceNamer gives a province's official full name (commune.Resolver
// does), so the summary names a province by its kind (tỉnh, thành phố).
type provinceNamer interface {
	ProvinceName(analytics.ProvinceCode) (string, bool)
}

// Run loads files: models before sites before grades and incidents, so
// that keys a record refers to are loaded first. A file that cannot be read
// is reported in the summary and the others go on; a failure of the writer
// or the resolver stops the run. After the files, the provinces of every
// accepted record are committed (also those only found as duplicates, so a
// run repeated after a crash refreshes what the crash left stale).
//
// The run is a batch: when the Writer is also an analytics.BatchLog, its
// records carry the batch's ID (Job.BatchID, or a new one) and the batch is
// recorded at the end — also after a failure, since rows may have been
// written — so that it can be listed and undone.
func (j *Job) Run(ctx context.Context, files ...string) (Summary, error) {
	start := time.Now()
	sum := newSummary()
	sum.Lang = j.Lang
	log, _ := j.Writer.(analytics.BatchLog)
	if log != nil {
		sum.BatchID = j.BatchID
		if sum.BatchID == "" {
			sum.BatchID = NewBatchID(j.now())
		}
	}
	err := j.run(ctx, sum, files)
	sum.Elapsed = time.Since(start)
	if pn, ok := j.Resolver.(provinceNamer); ok {
		sum.ProvinceNames = map[analytics.ProvinceCode]string{}
		for p := range sum.Provinces {
			if name, ok := pn.ProvinceName(p); ok {
				sum.ProvinceNames[p] = name
			}
		}
	}
	if log != nil && j.Validate() == nil {
		// Recorded even when the run was cancelled: its rows are in the store.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if rerr := log.RecordBatch(rctx, j.batchRecord(sum, start)); rerr != nil {
			err = errors.Join(err, fmt.Errorf("record batch %s: %w", sum.BatchID, rerr))
		}
	}
	return *sum, err
}

// NewBatchID names a batch by its start time and a random suffix, so that
// IDs sort by time: "20251120-100000-3fa9".
func NewBatchID(t time.Time) string {
	var b [2]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return t.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}

// batchRecord is the run as the batch log keeps it.
func (j *Job) batchRecord(sum *Summary, start time.Time) analytics.IngestBatch {
	b := analytics.IngestBatch{ID: sum.BatchID, At: start.UTC(), Actor: j.Actor, Counts: sum.Counts.batch()}
	type tableCtx struct {
		File    string         `json:"file"`
		Sheet   string         `json:"sheet,omitempty"`
		Context layout.Context `json:"context"`
	}
	c := struct {
		Given  layout.Context `json:"given"`
		Tables []tableCtx     `json:"tables,omitempty"`
	}{Given: j.Context}
	for _, f := range sum.Files {
		bf := analytics.BatchFile{Path: f.Path, SHA256: f.SHA256, Counts: f.Counts.batch()}
		if f.Err != nil {
			bf.Err = f.Err.Error()
		}
		for _, k := range analytics.Kinds {
			if _, ok := f.Kinds[k]; ok {
				bf.Kinds = append(bf.Kinds, k)
			}
		}
		for _, t := range f.Tables {
			if !t.Context.IsZero() {
				c.Tables = append(c.Tables, tableCtx{filepath.Base(f.Path), t.Sheet, t.Context})
			}
		}
		b.Files = append(b.Files, bf)
	}
	for _, k := range analytics.Kinds {
		if _, ok := sum.Kinds[k]; ok {
			b.Kinds = append(b.Kinds, k)
		}
	}
	for p, n := range sum.Provinces {
		if p != "" && n.Loaded > 0 {
			b.Provinces = append(b.Provinces, p)
		}
	}
	slices.Sort(b.Provinces)
	js, _ := json.Marshal(c)
	b.Context = string(js)
	return b
}

func (j *Job) run(ctx context.Context, sum *Summary, files []string) error {
	if err := j.Validate(); err != nil {
		return err
	}
	files = j.order(ctx, files)
	bar := newProgress(j.Progress)
	defer bar.done()
	touched := make(map[analytics.ProvinceCode]bool)
	for i, path := range files {
		bar.file(i+1, len(files), filepath.Base(path))
		fs, err := j.runFile(ctx, path, sum, touched, bar)
		sum.Files = append(sum.Files, fs)
		if err != nil {
			return err
		}
	}
	if err := sum.check(); err != nil {
		return err
	}
	if len(touched) == 0 {
		return nil
	}
	provinces := make([]analytics.ProvinceCode, 0, len(touched))
	for p := range touched {
		provinces = append(provinces, p)
	}
	slices.Sort(provinces)
	if err := j.Writer.Commit(ctx, provinces); err != nil {
		return fmt.Errorf("commit %v: %w", provinces, err)
	}
	return nil
}

// order sorts files by the kind of their first table (stable; unreadable
// files last, where their error is reported).
func (j *Job) order(ctx context.Context, files []string) []string {
	if len(files) < 2 || j.Kind != "" {
		return files
	}
	rank := make(map[string]int, len(files))
	for _, f := range files {
		rank[f] = len(analytics.Kinds)
		if k, err := j.peekKind(ctx, f); err == nil {
			rank[f] = slices.Index(analytics.Kinds, k)
		}
	}
	out := slices.Clone(files)
	slices.SortStableFunc(out, func(a, b string) int { return rank[a] - rank[b] })
	return out
}

var errStop = errors.New("stop")

func (j *Job) peekKind(ctx context.Context, path string) (analytics.Kind, error) {
	var kind analytics.Kind
	err := sheet.ReadFile(ctx, path, sheet.ReadOptions{Sheet: j.Sheet, Encoding: j.Encoding, Limits: j.Limits}, func(r *sheet.Row) error {
		var err error
		kind, err = schema.DetectKind(r.Header)
		if err != nil {
			return err
		}
		return errStop
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	if err == nil && kind == "" {
		err = errors.New("no rows")
	}
	return kind, err
}

// fileRun is the state of one file's load.
type fileRun struct {
	job     *Job
	ctx     context.Context
	path    string
	token   string // content hash of the file
	sum     *Summary
	fs      *FileSummary
	touched map[analytics.ProvinceCode]bool
	b       *record.Builder
	minDate time.Time // earliest date accepted
	rej     rejects
	mu      sync.Mutex // guards the counts and touched: the batch writer counts too
	w       *batchWriter
	heldMu  sync.Mutex
	held    map[analytics.Kind]map[analytics.ProvinceCode]bool // by the batch writers
	seen    *keySet                                            // in-file keys
	rowHint int                                                // the file's rows, guessed from its size
	batch   analytics.Batch
	batchNo int
	size    int
	now     time.Time

	table   string // sheet of the current table
	kind    analytics.Kind
	header  []string // header the mapping was made for
	m       *schema.Mapping
	mapErr  error
	skipped bool     // the current table's kind is unknown: its rows are not read
	pv      *preview // a dry run: what each table would become
	cls     *layout.Classifier
	title   layout.Context  // the current table's title block
	section layout.Context  // the last section row's place
	place   *layout.Context // the place context of the current rows
}

func (j *Job) runFile(ctx context.Context, path string, sum *Summary, touched map[analytics.ProvinceCode]bool, bar *progress) (FileSummary, error) {
	r, opt, err := j.newFileRun(ctx, path, sum, touched)
	if err != nil || r.fs.Err != nil {
		return *r.fs, err
	}
	err = r.read(opt, bar)
	// The rows read before a file error (a sheet cut short) are loaded all
	// the same; after a failure of the writer or the resolver, or a
	// cancellation, nothing more is written.
	var fatal *fatalError
	stop := err != nil && (errors.As(err, &fatal) || ctx.Err() != nil)
	// A failed write stops the run, whatever else went wrong meanwhile (the
	// read may have stopped on that same failure).
	if werr := r.finishWrites(stop); werr != nil {
		err = werr
	}
	fs, err := r.finish(err)
	if err == nil && fs.Err == nil && fs.Read == 0 {
		fs.Warning = noRowsWarning(path)
	}
	return fs, err
}

// noRowsWarning says why a file that read without error gave no row.
func noRowsWarning(path string) string {
	if st, err := os.Stat(path); err == nil && st.Size() == 0 {
		return "tệp trống, không có dòng nào (the file is empty)"
	}
	return "không có dòng dữ liệu nào: tệp chỉ có dòng tiêu đề hoặc dòng trống (no data rows: the file holds only its header or blank rows)"
}

// newFileRun prepares the load of one file: its content hash, its encoding,
// and no rejects from an earlier run. A file that cannot be read gets its
// error in the file summary.
func (j *Job) newFileRun(ctx context.Context, path string, sum *Summary, touched map[analytics.ProvinceCode]bool) (*fileRun, sheet.ReadOptions, error) {
	return j.newFileRunWith(ctx, path, sum, touched, false)
}

// newFileRunWith is newFileRun; a dry run writes no rejects file.
func (j *Job) newFileRunWith(ctx context.Context, path string, sum *Summary, touched map[analytics.ProvinceCode]bool, dry bool) (*fileRun, sheet.ReadOptions, error) {
	fs := &FileSummary{Path: path, Kinds: map[analytics.Kind]Counts{}}
	r := &fileRun{job: j, ctx: ctx, path: path, sum: sum, fs: fs, touched: touched, rej: rejects{path: RejectsPath(path), dry: dry, lang: j.Lang}}
	if err := r.rej.reset(); err != nil {
		return r, sheet.ReadOptions{}, err
	}
	format, err := sheet.FormatOf(path)
	if err != nil {
		fs.Err = err
		return r, sheet.ReadOptions{}, nil
	}
	sha, enc, err := sheet.Fingerprint(path, format == sheet.FormatCSV && j.Encoding == sheet.EncodingAuto)
	if err != nil {
		fs.Err = analytics.NewError(analytics.CodeInvalid, fmt.Sprintf("read %s: %v", filepath.Base(path), err), err)
		return r, sheet.ReadOptions{}, nil
	}
	if j.Encoding != sheet.EncodingAuto {
		enc = j.Encoding
	}
	minDate := j.MinDate
	if minDate.IsZero() {
		minDate = DefaultMinDate
	}
	r.size = j.BatchSize
	if r.size == 0 {
		r.size = DefaultBatchSize
	}
	r.token = sha[:16]
	fs.SHA256 = sha
	r.now = j.now()
	r.minDate = minDate
	r.b = record.NewBuilder(j.Resolver, minDate, r.now)
	r.rowHint = seenHint(path)
	r.seen = newKeySet(r.rowHint)
	return r, sheet.ReadOptions{Sheet: j.Sheet, Encoding: enc, Kind: j.Kind, Limits: j.Limits}, nil
}

// seenHint guesses the rows of a file from its size (a row of a CSV
// export is rarely under 100 bytes), to size the in-file key map once.
func seenHint(path string) int {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return int(min(st.Size()/100, 4<<20))
}

// finish closes the rejects and sorts err: a failure of the writer or the
// resolver, or a cancellation, stops the run; anything else is the file's
// error and the run goes on.
func (r *fileRun) finish(err error) (FileSummary, error) {
	if cerr := r.rej.close(); err == nil {
		err = cerr
	}
	if r.rej.n > 0 && !r.rej.dry {
		r.fs.Rejects = r.rej.path
	}
	if err != nil {
		var fatal *fatalError
		if errors.As(err, &fatal) || r.ctx.Err() != nil {
			return *r.fs, err
		}
		r.fs.Err = errors.Join(r.fs.Err, err)
	}
	return *r.fs, nil
}

// fatalError stops the whole run: the writer or the resolver failed.
type fatalError struct{ err error }

func (e *fatalError) Error() string { return e.err.Error() }
func (e *fatalError) Unwrap() error { return e.err }

func sameHeader(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return slices.Equal(a, b)
}

// newTable starts a sheet (or a file): its kind is the job's or is told by
// its header; its title block gives its context.
func (r *fileRun) newTable(row *sheet.Row) {
	r.table, r.skipped, r.mapErr = row.Sheet, false, nil
	r.cls, r.title, r.section = nil, layout.Context{}, layout.Context{}
	if row.Layout != nil {
		r.title = layout.TitleContext(row.Layout.Title)
	}
	r.setPlace()
	defer r.noteTable(row)
	r.kind = r.job.Kind
	if r.kind == "" {
		k, err := schema.DetectKind(r.mappedHeader(row.Header))
		if err != nil {
			r.skipped = true
			r.m = &schema.Mapping{}
			r.fs.Err = errors.Join(r.fs.Err, fmt.Errorf("%s: %w", where(row.File, row.Sheet), err))
			return
		}
		r.kind = k
	}
	r.remap(row.Header)
	if r.mapErr != nil && r.job.Kind != "" {
		// The kind was given but the table lacks its required columns: a
		// file error, not a reject per row.
		r.skipped = true
		r.fs.Err = errors.Join(r.fs.Err, fmt.Errorf("%s: %w", where(row.File, row.Sheet), r.mapErr))
	}
}

// virtualCommune is the column a table without one gets when its context
// names the commune (a commune's own report: "CÔNG AN XÃ HÙNG LỢI"). It
// has no values: the context fills them.
const virtualCommune = "Xã/Phường"

// mappedHeader is the header the table is mapped with: its own, and a
// commune column when it has none and the context names the commune.
//
// Likewise a grading without a year column gets one when its title names
// the year ("KẾT QUẢ XẾP LOẠI NĂM 2024") or its window line gives it.
func (r *fileRun) mappedHeader(header []string) []string {
	h := slices.Clone(header)
	if r.place == nil {
		return h
	}
	var commune, grade, year bool
	for _, x := range header {
		if f := schema.Lookup(analytics.KindSites, x); f == schema.Commune || f == schema.CommuneCode {
			commune = true
		}
		switch schema.Lookup(analytics.KindGrades, x) {
		case schema.Grade:
			grade = true
		case schema.Year:
			year = true
		}
	}
	if !commune && r.place.Commune != "" {
		h = append(h, virtualCommune)
	}
	if grade && !year && r.place.Year > 0 {
		h = append(h, virtualYear)
	}
	return h
}

// virtualYear is the year column a grading without one gets from its title.
const virtualYear = "Năm"

func (r *fileRun) remap(header []string) {
	r.header = header
	r.m, r.mapErr = schema.NewMapping(r.kind, r.mappedHeader(header))
	if r.cls != nil {
		r.cls.SetMapping(r.m)
	}
}

// noteTable records the table just started in the file summary and sets
// up its classifier.
func (r *fileRun) noteTable(row *sheet.Row) {
	t := Table{Sheet: row.Sheet, Kind: r.kind, Header: row.Header, Context: r.title}
	if r.place != nil {
		t.Context.Province, t.Context.District, t.Context.Commune = r.place.Province, r.place.District, r.place.Commune
	}
	if row.Layout != nil {
		t.HeaderRows = row.Layout.HeaderRows
		if !r.skipped && r.m != nil {
			r.cls = layout.NewClassifier(r.m, row.Layout)
		}
	}
	r.mu.Lock()
	r.fs.Tables = append(r.fs.Tables, t)
	r.mu.Unlock()
}

// skipRow counts a row that is not a record.
func (r *fileRun) skipRow(it *item) {
	r.outcome(it.kind, "", skipped)
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.fs.Skips) < maxSkips {
		text := ""
		for _, v := range it.row.Values {
			if v = value.Clean(v); v != "" && !value.Numeric(v) {
				text = v
				break
			}
		}
		r.fs.Skips = append(r.fs.Skips, Skip{Sheet: it.row.Sheet, Row: it.row.Num, Reason: it.skip, Text: text})
	}
}

func where(file, sheet string) string {
	if sheet == "" {
		return file
	}
	return file + " sheet " + sheet
}

func (r *fileRun) reject(kind analytics.Kind, p analytics.ProvinceCode, row *sheet.Row, probs []record.Problem) error {
	r.outcome(kind, p, rejected)
	return r.rej.add(kind, row, probs)
}

// outcome counts one row's outcome in the file's, the run's, the kind's
// and the province's counts; rows read are counted as they are read, so
// that the run can check every row had one outcome.
func (r *fileRun) outcome(kind analytics.Kind, p analytics.ProvinceCode, o outcome) {
	r.outcomes(kind, p, o, 1, false)
}

// outcomes counts n rows of one outcome, and marks their province touched
// when asked. The batch writer counts while the file is still read: the
// counts are shared.
func (r *fileRun) outcomes(kind analytics.Kind, p analytics.ProvinceCode, o outcome, n int, touch bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o.add(&r.fs.Counts, false, n)
	c := r.fs.Kinds[kind]
	o.add(&c, true, n)
	r.fs.Kinds[kind] = c
	r.sum.outcome(kind, p, o, n)
	if touch {
		r.touched[p] = true
	}
}

// The batches of a file are written by goroutines of their own while the
// file is still read: the collector hands a full batch over (flush) and
// goes on filling the next one. Two batches are written at a time: with
// one writer, the writes were what the rest of the pipeline waited on (a
// 2 M-row sample: one INSERT of 100k incidents after another, 0.27 s
// each); with two, reading to written took 5.4 s instead of 5.9. After a
// failure the other writer may still finish the batch it holds; both are
// in the run's batch, which undo removes whole. A batch is numbered when
// it is handed over, so its number and token do not depend on which writer
// finishes first. The records of a file's batches never share a key (the
// collector drops the file's own duplicates), so the order in which they
// reach the store does not matter.
type batchWriter struct {
	in   chan numberedBatch   // full batches
	free chan analytics.Batch // emptied batches, for reuse
	done chan struct{}        // closed when every writer has stopped
	err  atomic.Pointer[error]
}

// batchWriters is how many batches of a file are written at a time.
const batchWriters = 2

// numberedBatch is a batch and its number in the file, from 1.
type numberedBatch struct {
	analytics.Batch
	no int
}

// flush hands the pending batch to the writer. It returns the writer's
// error, if it failed on an earlier batch.
func (r *fileRun) flush() error {
	if r.batch.Len() == 0 {
		return r.writeErr()
	}
	if r.w == nil {
		r.w = &batchWriter{in: make(chan numberedBatch), free: make(chan analytics.Batch, batchWriters+1), done: make(chan struct{})}
		var wg sync.WaitGroup
		for range batchWriters {
			wg.Go(func() { r.writeLoop(r.w) })
		}
		go func() { wg.Wait(); close(r.w.done) }()
	}
	r.batchNo++
	select {
	case r.w.in <- numberedBatch{r.batch, r.batchNo}:
	case <-r.w.done:
		return r.writeErr()
	}
	select {
	case b := <-r.w.free:
		r.batch = b
	default:
		r.batch = analytics.Batch{}
	}
	return r.writeErr()
}

// finishWrites flushes what is pending (unless the load stops) and waits
// for the writer to write it.
func (r *fileRun) finishWrites(stop bool) error {
	var err error
	if !stop {
		err = r.flush()
	}
	if r.w == nil {
		return err
	}
	close(r.w.in)
	<-r.w.done
	werr := r.writeErr()
	r.w = nil
	if werr != nil {
		return werr // flush's error, if any, is this one
	}
	return err
}

func (r *fileRun) writeErr() error {
	if r.w == nil {
		return nil
	}
	if p := r.w.err.Load(); p != nil {
		return *p
	}
	return nil
}

// writeLoop writes the batches handed over until the channel closes; after
// a failure it only drains them.
func (r *fileRun) writeLoop(w *batchWriter) {
	for nb := range w.in {
		b := nb.Batch
		if w.err.Load() == nil {
			if err := r.write(&b, nb.no); err != nil {
				w.err.CompareAndSwap(nil, &err)
			}
		}
		// Reuse the slices: the writer has copied what it needed.
		b = analytics.Batch{Models: b.Models[:0], Sites: b.Sites[:0], Grades: b.Grades[:0], Incidents: b.Incidents[:0]}
		select {
		case w.free <- b:
		default:
		}
	}
}

// write writes batch number no: records the store already holds with the
// same content are duplicates; the others are written.
func (r *fileRun) write(b *analytics.Batch, no int) error {
	ctx := r.ctx
	var err error
	b.Models, err = keepNew(ctx, r, analytics.KindModels, b.Models, func(x *analytics.Model) (string, uint64, analytics.ProvinceCode) { return x.Key, x.Hash, x.Province })
	if err == nil {
		b.Sites, err = keepNew(ctx, r, analytics.KindSites, b.Sites, func(x *analytics.Site) (string, uint64, analytics.ProvinceCode) { return x.Key, x.Hash, x.Province })
	}
	if err == nil {
		b.Grades, err = keepNew(ctx, r, analytics.KindGrades, b.Grades, func(x *analytics.Grade) (string, uint64, analytics.ProvinceCode) { return x.Key, x.Hash, x.Province })
	}
	if err == nil {
		b.Incidents, err = keepNew(ctx, r, analytics.KindIncidents, b.Incidents, func(x *analytics.Incident) (string, uint64, analytics.ProvinceCode) { return x.Key, x.Hash, x.Province })
	}
	if err != nil {
		return &fatalError{err}
	}
	if b.Len() == 0 {
		return nil
	}
	b.Token = r.batchToken(b, no)
	b.BatchID = r.sum.BatchID
	if err := r.job.Writer.Write(ctx, *b); err != nil {
		return &fatalError{fmt.Errorf("write %s batch %d (%d records): %w", filepath.Base(r.path), no, b.Len(), err)}
	}
	countProvinces(r, analytics.KindModels, b.Models, loaded, func(x *analytics.Model) analytics.ProvinceCode { return x.Province })
	countProvinces(r, analytics.KindSites, b.Sites, loaded, func(x *analytics.Site) analytics.ProvinceCode { return x.Province })
	countProvinces(r, analytics.KindGrades, b.Grades, loaded, func(x *analytics.Grade) analytics.ProvinceCode { return x.Province })
	countProvinces(r, analytics.KindIncidents, b.Incidents, loaded, func(x *analytics.Incident) analytics.ProvinceCode { return x.Province })
	return nil
}

// batchToken names a batch by the file's content, its number and the keys
// and hashes it holds: a batch written again after a crash has the same
// token (and the store drops it), while a batch that differs — because the
// store meanwhile got some of its records from elsewhere — does not.
func (r *fileRun) batchToken(b *analytics.Batch, no int) string {
	d := xxhash.New()
	add := func(k string, h uint64) {
		d.WriteString(k)
		d.WriteString(strconv.FormatUint(h, 16))
	}
	for i := range b.Models {
		add(b.Models[i].Key, b.Models[i].Hash)
	}
	for i := range b.Sites {
		add(b.Sites[i].Key, b.Sites[i].Hash)
	}
	for i := range b.Grades {
		add(b.Grades[i].Key, b.Grades[i].Hash)
	}
	for i := range b.Incidents {
		add(b.Incidents[i].Key, b.Incidents[i].Hash)
	}
	// The batch ID is part of the token: after an undo, the same file
	// loads again instead of being taken for a retried insert.
	return fmt.Sprintf("%s/%s/%d/%016x", r.token, r.sum.BatchID, no, d.Sum64())
}

// heldProvinces returns the provinces that held records of kind when the
// file's first batch of that kind was written, or nil when the writer
// cannot tell (then every key is looked up). Only the batch writers call
// it; the first asks the writer while the others wait.
func (r *fileRun) heldProvinces(ctx context.Context, kind analytics.Kind) (map[analytics.ProvinceCode]bool, error) {
	pl, ok := r.job.Writer.(analytics.ProvinceLister)
	if !ok {
		return nil, nil
	}
	r.heldMu.Lock()
	defer r.heldMu.Unlock()
	if h, ok := r.held[kind]; ok {
		return h, nil
	}
	h, err := pl.Provinces(ctx, kind)
	if err != nil {
		return nil, err
	}
	if h == nil {
		h = map[analytics.ProvinceCode]bool{}
	}
	if r.held == nil {
		r.held = map[analytics.Kind]map[analytics.ProvinceCode]bool{}
	}
	r.held[kind] = h
	return h, nil
}

// keepNew asks the writer which keys it knows and drops, as duplicates, the
// records it holds with the same content. Records of a province that held
// none of kind when the file began are new without asking: the file's own
// keys were checked in memory.
func keepNew[T any](ctx context.Context, r *fileRun, kind analytics.Kind, recs []T, id func(*T) (string, uint64, analytics.ProvinceCode)) ([]T, error) {
	if len(recs) == 0 {
		return recs, nil
	}
	held, err := r.heldProvinces(ctx, kind)
	if err != nil {
		return nil, fmt.Errorf("provinces holding %s: %w", kind, err)
	}
	keys := make([]string, 0, len(recs))
	for i := range recs {
		k, _, p := id(&recs[i])
		if held == nil || held[p] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return recs, nil
	}
	known, err := r.job.Writer.Known(ctx, kind, keys)
	if err != nil {
		return nil, fmt.Errorf("look up %d %s keys: %w", len(keys), kind, err)
	}
	if len(known) == 0 {
		return recs, nil
	}
	out := recs[:0]
	dups := map[analytics.ProvinceCode]int{}
	for i := range recs {
		k, h, p := id(&recs[i])
		if kh, ok := known[k]; ok && kh == h {
			dups[p]++
			continue
		}
		out = append(out, recs[i])
	}
	for p, n := range dups {
		r.outcomes(kind, p, duplicate, n, true)
	}
	return out, nil
}

// countProvinces counts recs as having outcome o, province by province.
func countProvinces[T any](r *fileRun, kind analytics.Kind, recs []T, o outcome, prov func(*T) analytics.ProvinceCode) {
	if len(recs) == 0 {
		return
	}
	n := map[analytics.ProvinceCode]int{}
	last, run := prov(&recs[0]), 0
	for i := range recs {
		// Records of a file come mostly province by province: count runs.
		if p := prov(&recs[i]); p != last {
			n[last] += run
			last, run = p, 0
		}
		run++
	}
	n[last] += run
	for p, c := range n {
		r.outcomes(kind, p, o, c, true)
	}
}
