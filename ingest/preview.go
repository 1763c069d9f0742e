package ingest

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/layout"
	"github.com/antq-atlas/antq/ingest/record"
	"github.com/antq-atlas/antq/ingest/schema"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// PreviewRows is how many records, rejects and skipped rows a preview shows
// per table.
const PreviewRows = 5

// Preview is what loading files would do, found without writing anything:
// per table its header rows, each column's mapping, its context, its first
// records as they would be stored, and the counts. `antq ingest --dry-run`
// prints it; a web upload shows it before the load.
type Preview struct {
	Files []FilePreview
	Counts
}

// FilePreview is one file's preview.
type FilePreview struct {
	Path   string
	Err    string `json:",omitempty"` // the file, or a sheet, could not be read
	Tables []TablePreview
}

// TablePreview is one table (sheet) of a file.
type TablePreview struct {
	Sheet      string
	Kind       analytics.Kind
	HeaderRows []int
	Columns    []ColumnPreview
	Context    layout.Context
	Counts     Counts // Loaded: records that would be written (the store is not asked about duplicates)
	Records    []RecordPreview
	Rejects    []RejectPreview
	Skips      []Skip
}

// ColumnPreview is a column and the field it maps to; Field is empty when
// the column is kept only in the record's extra columns ("bỏ qua").
type ColumnPreview struct {
	Header string
	Field  string // the field's Vietnamese label: "Xã/Phường"
}

// RecordPreview is a record as it would be stored.
type RecordPreview struct {
	Row         int
	Text        string // name, or category, of the record
	Date        time.Time
	Commune     analytics.CommuneCode
	CommuneName string // the 2025 commune's name, when the resolver tells it
	Rule        analytics.ResolveRule
	Confidence  float64
	SourcePlace string
}

// RejectPreview is a row that would be rejected, and why.
type RejectPreview struct {
	Row     int
	Field   string
	Reason  string
	Problem []record.Problem
}

func (j *Job) previewRows() int {
	if j.PreviewRows > 0 {
		return j.PreviewRows
	}
	return PreviewRows
}

// preview collects a dry run's tables.
type preview struct {
	fp  *FilePreview
	cur int
}

func (p *preview) table(i int) *TablePreview {
	for len(p.fp.Tables) <= i {
		p.fp.Tables = append(p.fp.Tables, TablePreview{})
	}
	return &p.fp.Tables[i]
}

// item notes what becomes of a row; it runs before the collector counts
// it, so it judges in-file duplicates itself.
func (p *preview) item(r *fileRun, c *chunk, it *item) {
	if it.table < 0 {
		return
	}
	p.cur = it.table
	t := p.table(it.table)
	t.Counts.Read++
	switch {
	case it.skip != "":
		t.Counts.Skipped++
		if len(t.Skips) < r.job.previewRows() {
			t.Skips = append(t.Skips, Skip{Sheet: it.row.Sheet, Row: it.row.Num, Reason: it.skip})
		}
		return
	case it.pre != nil || !it.ok:
		t.Counts.Rejected++
		return
	}
	if s, dup := r.seen.get(xxhash.Sum64String(it.key)); dup {
		if s.hash == it.hash {
			t.Counts.Duplicates++
		} else {
			t.Counts.Rejected++
		}
		return
	}
	t.Counts.Loaded++
	if len(t.Records) >= r.job.previewRows() {
		return
	}
	var rp RecordPreview
	var loc *analytics.Located
	switch it.kind {
	case analytics.KindModels:
		x := &c.models[it.idx]
		rp.Text, rp.Date, loc = x.Name, x.Founded, &x.Located
	case analytics.KindSites:
		x := &c.sites[it.idx]
		rp.Text, rp.Date, loc = x.Name, x.Opened, &x.Located
	case analytics.KindGrades:
		x := &c.grades[it.idx]
		rp.Text, loc = fmt.Sprintf("%s %d", x.Grade, x.Year), &x.Located
	case analytics.KindIncidents:
		x := &c.incidents[it.idx]
		rp.Text, rp.Date, loc = x.Category, x.Received, &x.Located
	}
	rp.Row, rp.Commune, rp.Rule, rp.Confidence, rp.SourcePlace = it.row.Num, loc.Commune, loc.Rule, loc.Confidence, loc.SourcePlace
	if res, err := r.job.Resolver.Resolve(analytics.Place{Code: string(loc.Commune)}); err == nil {
		rp.CommuneName = res.Name
	}
	t.Records = append(t.Records, rp)
}

// Preview reads files as Run would and reports what it would load, writing
// nothing: no records, no rejects files. The job needs a Resolver; its
// Writer is not used.
func (j *Job) Preview(ctx context.Context, files ...string) (Preview, error) {
	if j.Resolver == nil {
		return Preview{}, analytics.Errorf(analytics.CodeInvalid, "ingest: no commune resolver")
	}
	if j.Kind != "" && !j.Kind.Valid() {
		return Preview{}, analytics.Errorf(analytics.CodeInvalid, "ingest: unknown kind %q (models, sites, grades, incidents)", j.Kind)
	}
	var out Preview
	sum := newSummary()
	for _, path := range j.order(ctx, files) {
		fp := FilePreview{Path: path}
		err := j.previewFile(ctx, path, sum, &fp)
		if err != nil {
			return out, err
		}
		out.Files = append(out.Files, fp)
	}
	for _, f := range out.Files {
		for _, t := range f.Tables {
			out.Read += t.Counts.Read
			out.Loaded += t.Counts.Loaded
			out.Rejected += t.Counts.Rejected
			out.Duplicates += t.Counts.Duplicates
			out.Skipped += t.Counts.Skipped
		}
	}
	return out, nil
}

func (j *Job) previewFile(ctx context.Context, path string, sum *Summary, fp *FilePreview) error {
	pj := *j
	pj.BatchSize = 1 << 30 // everything stays in the pending batch: nothing is written
	pj.OnProgress = nil
	r, opt, err := pj.newDryRun(ctx, path, sum)
	if err != nil {
		return err
	}
	r.pv = &preview{fp: fp}
	r.rej.kept = func(kind analytics.Kind, row *sheet.Row, probs []record.Problem) {
		t := r.pv.table(r.pv.cur)
		if len(t.Rejects) >= j.previewRows() {
			return
		}
		rp := RejectPreview{Row: row.Num, Problem: probs}
		var fields, reasons []string
		for _, p := range probs {
			if p.Field != "" {
				fields = append(fields, record.FieldIn(p.Field, kind, analytics.Lang(j.Lang)))
			}
			reasons = append(reasons, record.ReasonIn(p.Reason, analytics.Lang(j.Lang)))
		}
		rp.Field, rp.Reason = strings.Join(fields, "; "), strings.Join(reasons, "; ")
		t.Rejects = append(t.Rejects, rp)
	}
	if r.fs.Err == nil {
		err = sheet.ReadFile(ctx, path, opt, r.row)
	}
	fs, err := r.finish(err)
	if err != nil {
		return err
	}
	for i, t := range fs.Tables {
		tp := r.pv.table(i)
		tp.Sheet, tp.Kind, tp.HeaderRows, tp.Context = t.Sheet, t.Kind, t.HeaderRows, t.Context
		tp.Columns = columnsOf(t.Kind, t.Header)
	}
	if fs.Err != nil {
		fp.Err = fs.Err.Error()
	}
	return nil
}

// newDryRun is newFileRun for a preview: the rejects are kept in memory.
func (j *Job) newDryRun(ctx context.Context, path string, sum *Summary) (*fileRun, sheet.ReadOptions, error) {
	return j.newFileRunWith(ctx, path, sum, map[analytics.ProvinceCode]bool{}, true)
}

// columnsOf maps each column of a header to its field's label, or "" for a
// column kept as extra.
func columnsOf(kind analytics.Kind, header []string) []ColumnPreview {
	out := make([]ColumnPreview, len(header))
	if kind == "" {
		for i, h := range header {
			out[i] = ColumnPreview{Header: h}
		}
		return out
	}
	m, _ := schema.NewMapping(kind, append([]string(nil), header...))
	for i, h := range header {
		out[i].Header = h
		for f := schema.Field(1); f < schema.NumFields; f++ {
			if m.Col(f) == i {
				out[i].Field = schema.Label(kind, f)
			}
		}
		for _, oc := range m.Outcomes {
			if oc.Col == i {
				out[i].Field = schema.Label(kind, schema.Outcome) + ": " + oc.Outcome
			}
		}
	}
	return out
}

// kindNames are the kinds in Vietnamese.
var kindNames = map[analytics.Kind]string{
	analytics.KindModels: "mô hình", analytics.KindSites: "điểm mô hình", analytics.KindGrades: "xếp loại", analytics.KindIncidents: "vụ việc",
}

// WriteText prints the preview for a terminal, in Vietnamese.
func (p Preview) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, f := range p.Files {
		name := filepath.Base(f.Path)
		if len(f.Tables) == 0 {
			fmt.Fprintf(&b, "%s: không có bảng nào đọc được\n", name)
		}
		for _, t := range f.Tables {
			label := name
			if t.Sheet != "" {
				label += ", trang " + t.Sheet
			}
			fmt.Fprintf(&b, "%s — %s (%s)\n", label, kindNames[t.Kind], t.Kind)
			if len(t.HeaderRows) > 0 {
				rows := make([]string, len(t.HeaderRows))
				for i, n := range t.HeaderRows {
					rows[i] = fmt.Sprint(n)
				}
				fmt.Fprintf(&b, "  dòng tiêu đề: %s\n", strings.Join(rows, ", "))
			}
			b.WriteString("  cột:\n")
			for _, c := range t.Columns {
				to := c.Field
				if to == "" {
					to = "bỏ qua (giữ ở cột phụ)"
				}
				fmt.Fprintf(&b, "    %-40s → %s\n", c.Header, to)
			}
			fmt.Fprintf(&b, "  bối cảnh: %s\n", t.Context)
			if len(t.Records) > 0 {
				b.WriteString("  các dòng đầu sẽ được nạp như sau:\n")
				for _, r := range t.Records {
					date := ""
					if !r.Date.IsZero() {
						date = " " + r.Date.Format("02/01/2006")
					}
					fmt.Fprintf(&b, "    dòng %d: %s%s → %s %s (%s, %.2f) [ghi: %s]\n", r.Row, r.Text, date, r.Commune, r.CommuneName, r.Rule, r.Confidence, r.SourcePlace)
				}
			}
			for _, r := range t.Rejects {
				fmt.Fprintf(&b, "    dòng %d bị loại: %s\n", r.Row, r.Reason)
			}
			if len(t.Skips) > 0 {
				fmt.Fprintf(&b, "  bỏ qua: %s\n", skipLine(analytics.LangVI, t.Skips))
			}
			c := t.Counts
			fmt.Fprintf(&b, "  đếm: đọc %s, sẽ nạp %s, loại %s, trùng %s, bỏ qua %s\n", vnInt(c.Read), vnInt(c.Loaded), vnInt(c.Rejected), vnInt(c.Duplicates), vnInt(c.Skipped))
		}
		if f.Err != "" {
			fmt.Fprintf(&b, "  lỗi: %s\n", f.Err)
		}
	}
	fmt.Fprintf(&b, "tổng: đọc %s, sẽ nạp %s, loại %s, trùng %s, bỏ qua %s — chạy thử, chưa ghi gì\n",
		vnInt(p.Read), vnInt(p.Loaded), vnInt(p.Rejected), vnInt(p.Duplicates), vnInt(p.Skipped))
	_, err := io.WriteString(w, b.String())
	return err
}
