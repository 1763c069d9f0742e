package ingest

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/layout"
)

// Counts of rows. Every row read ends in one of the four outcomes:
// Read = Loaded + Rejected + Duplicates + Skipped.
type Counts struct {
	Read       int // rows read under a header (blank rows are not rows)
	Loaded     int // records written
	Rejected   int // rows written to the rejects file
	Duplicates int // records already in the file or the store with the same content
	Skipped    int // rows that are not records: section rows, totals, the signature block, notes
}

func (c Counts) batch() analytics.BatchCounts {
	return analytics.BatchCounts{Read: c.Read, Loaded: c.Loaded, Rejected: c.Rejected, Duplicates: c.Duplicates, Skipped: c.Skipped}
}

type outcome int

const (
	loaded outcome = iota
	rejected
	duplicate
	skipped
)

// add counts n rows of outcome o in c, and as many rows read too when read
// is set.
func (o outcome) add(c *Counts, read bool, n int) {
	if read {
		c.Read += n
	}
	switch o {
	case loaded:
		c.Loaded += n
	case rejected:
		c.Rejected += n
	case duplicate:
		c.Duplicates += n
	case skipped:
		c.Skipped += n
	}
}

// FileSummary is what became of one file.
type FileSummary struct {
	Path   string
	SHA256 string // of the file's bytes
	Counts
	Kinds   map[analytics.Kind]Counts
	Tables  []Table // each table (sheet) read: header rows, context
	Skips   []Skip  // the rows skipped, in order (at most maxSkips)
	Rejects string  // the rejects file, when rows were rejected
	Err     error   // the file, or one of its sheets, could not be read
	Warning string  // read without error but nothing in it: empty, or a header without rows (Vietnamese, then English)
}

// Table is one table of a file as the ingest read it.
type Table struct {
	Sheet      string
	Kind       analytics.Kind
	HeaderRows []int
	Header     []string
	Context    layout.Context // the title block's context, with the one given over it
}

// Skip is a row that is not a record.
type Skip struct {
	Sheet  string
	Row    int
	Reason string
	Text   string // the row's first text, for the reader
}

// maxSkips bounds the skipped rows a file summary lists; all are counted.
const maxSkips = 10_000

// Summary is what a Job did.
type Summary struct {
	BatchID string // the batch the run's records carry; empty when the writer keeps no batch log
	Lang    string // of String: LangVI (also empty) or LangEN
	Counts
	Kinds     map[analytics.Kind]Counts
	Provinces map[analytics.ProvinceCode]Counts // "" holds rows rejected before their commune was known
	Files     []FileSummary
	Elapsed   time.Duration
	// ProvinceNames are the official full names of Provinces' codes when
	// the resolver knows them ("Thành phố Hà Nội"): the summary names each
	// by its kind.
	ProvinceNames map[analytics.ProvinceCode]string `json:",omitempty"`
}

func newSummary() *Summary {
	return &Summary{Kinds: map[analytics.Kind]Counts{}, Provinces: map[analytics.ProvinceCode]Counts{}}
}

func (s *Summary) outcome(kind analytics.Kind, p analytics.ProvinceCode, o outcome, n int) {
	o.add(&s.Counts, false, n)
	c := s.Kinds[kind]
	o.add(&c, true, n)
	s.Kinds[kind] = c
	if o == skipped {
		return // rows that are not records belong to no province
	}
	c = s.Provinces[p]
	o.add(&c, true, n)
	s.Provinces[p] = c
}

// check asserts that every row read had one outcome.
func (s *Summary) check() error {
	if n := s.Loaded + s.Rejected + s.Duplicates + s.Skipped; n != s.Read {
		return analytics.Errorf(analytics.CodeInternal, "ingest: %d rows read but %d loaded + %d rejected + %d duplicates + %d skipped = %d", s.Read, s.Loaded, s.Rejected, s.Duplicates, s.Skipped, n)
	}
	return nil
}

// RowsPerSecond is the rows read per second of the run.
func (s Summary) RowsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Read) / s.Elapsed.Seconds()
}

// Err returns the errors of the files that could not be read, joined.
func (s Summary) Err() error {
	var errs []error
	for _, f := range s.Files {
		if f.Err != nil {
			errs = append(errs, f.Err)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return analytics.Errorf(analytics.CodeInvalid, "%w", joinErrors(errs))
}

func joinErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return fmt.Errorf("%s", strings.Join(msgs, "; "))
}

// Exit codes of an ingest run.
const (
	ExitOK       = 0 // every row loaded (or already there)
	ExitFailure  = 1 // the run failed, or a file could not be read
	ExitRejected = 2 // some rows were rejected, or a file held no rows (empty, headers only)
)

// ExitCode is the process exit code for a run's summary and error.
func ExitCode(s Summary, err error) int {
	switch {
	case err != nil || s.Err() != nil:
		return ExitFailure
	case s.Rejected > 0:
		return ExitRejected
	}
	for _, f := range s.Files {
		if f.Warning != "" {
			return ExitRejected
		}
	}
	return ExitOK
}

// String reports the run in a few lines, in Vietnamese (English when the
// job's Lang was LangEN), through analytics' catalogue of texts: numbers
// in the language's format, kinds of records and provinces by name and
// kind ("Thành phố Hà Nội (01)", "Hà Nội City (01)").
func (s Summary) String() string {
	lang := analytics.LangVI
	w := summaryWords[0]
	if s.Lang == LangEN {
		lang, w = analytics.LangEN, summaryWords[1]
	}
	num := func(n int) string { return analytics.Number(lang, float64(n), 0) }
	var b strings.Builder
	line := func(label string, c Counts) {
		fmt.Fprintf(&b, w.line, label, num(c.Read), num(c.Loaded), num(c.Rejected), num(c.Duplicates), num(c.Skipped))
	}
	line(w.total, s.Counts)
	for _, k := range analytics.Kinds {
		if c, ok := s.Kinds[k]; ok {
			line(analytics.KindLabel(lang, k), c)
		}
	}
	provinces := make([]analytics.ProvinceCode, 0, len(s.Provinces))
	for p := range s.Provinces {
		provinces = append(provinces, p)
	}
	slices.Sort(provinces)
	for _, p := range provinces {
		label := lang.Pick("tỉnh/thành phố ", "province ") + string(p)
		if full, ok := s.ProvinceNames[p]; ok {
			label = analytics.PlaceName(lang, full, "") + " (" + string(p) + ")"
		}
		if p == "" {
			label = w.noProvince
		}
		line(label, s.Provinces[p])
	}
	for _, f := range s.Files {
		for _, t := range f.Tables {
			if !t.Context.IsZero() {
				fmt.Fprintf(&b, "%s: %s\n", where(filepath.Base(f.Path), t.Sheet), t.Context)
			}
		}
		if line := skipLine(lang, f.Skips); line != "" {
			fmt.Fprintf(&b, w.skipped, filepath.Base(f.Path), line)
		}
		if f.Rejects != "" {
			fmt.Fprintf(&b, w.rejects, f.Rejects)
		}
		if f.Err != nil {
			fmt.Fprintf(&b, w.err, f.Err)
		}
		if f.Warning != "" {
			fmt.Fprintf(&b, w.warn, filepath.Base(f.Path), f.Warning)
		}
	}
	if s.BatchID != "" {
		fmt.Fprintf(&b, w.batch, s.BatchID, s.BatchID)
	}
	fmt.Fprintf(&b, w.time, s.Elapsed.Round(time.Millisecond), num(int(s.RowsPerSecond())))
	return b.String()
}

// summaryWords are the summary's words, Vietnamese then English.
var summaryWords = [2]struct {
	line, total, noProvince, skipped, rejects, err, warn, batch, time string
}{
	{"%-12s đọc %s, nạp %s, loại %s, trùng %s, bỏ qua %s\n", "tổng", "chưa rõ tỉnh", "%s bỏ qua: %s\n", "dòng bị loại: %s\n", "lỗi: %v\n", "cảnh báo: %s: %s\n",
		"lô nạp %s (hoàn tác: antq batches undo %s)\n", "thời gian %s, %s dòng/giây\n"},
	{"%-12s read %s, loaded %s, rejected %s, duplicates %s, skipped %s\n", "total", "no province", "%s skipped: %s\n", "rejected rows: %s\n", "error: %v\n", "warning: %s: %s\n",
		"batch %s (undo: antq batches undo %s)\n", "time %s, %s rows/s\n"},
}

// skipReasonsEN are the skip reasons in English.
var skipReasonsEN = map[string]string{
	layout.SkipColumnNumbers: "column-number row", layout.SkipHeaderAgain: "header repeated", layout.SkipSection: "section row",
	layout.SkipTotal: "total or subtotal row", layout.SkipFooter: "signature block", layout.SkipNote: "note",
}

// skipLine words the skipped rows of a file by reason, with their row
// numbers: "dòng mục (dòng 5, 12); dòng cộng, tổng (dòng 30)", English
// "section row (rows 5, 12); total or subtotal row (row 30)".
func skipLine(lang analytics.Lang, skips []Skip) string {
	var reasons []string
	rows := map[string][]string{}
	for _, k := range skips {
		if _, ok := rows[k.Reason]; !ok {
			reasons = append(reasons, k.Reason)
		}
		if len(rows[k.Reason]) < 20 {
			n := fmt.Sprint(k.Row)
			if k.Sheet != "" {
				n = k.Sheet + "!" + n
			}
			rows[k.Reason] = append(rows[k.Reason], n)
		} else if len(rows[k.Reason]) == 20 {
			rows[k.Reason] = append(rows[k.Reason], "…")
		}
	}
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		word := "dòng "
		if lang == analytics.LangEN {
			word = "row "
			if len(rows[r]) > 1 {
				word = "rows "
			}
			if en, ok := skipReasonsEN[r]; ok {
				r = en
			}
		}
		parts[i] = r + " (" + word + strings.Join(rows[reasons[i]], ", ") + ")"
	}
	return strings.Join(parts, "; ")
}

// vnInt writes n with dots between thousands: 2.025 (analytics.Number).
func vnInt(n int) string { return analytics.Number(analytics.LangVI, float64(n), 0) }

// LangVI and LangEN are the languages of rejects and summaries.
const (
	LangVI = "vi"
	LangEN = "en"
)
