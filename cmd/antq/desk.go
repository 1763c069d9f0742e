package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/desk"
	"github.com/antq-atlas/antq/ingest"
	"github.com/antq-atlas/antq/ingest/layout"
	"github.com/antq-atlas/antq/ingest/template"
)

// deskLoader runs the web page's uploads (dashboard/desk) through the
// ingest package and the store: the dashboard imports neither.
type deskLoader struct {
	store   *chstore.Store
	set     *commune.Set
	counted func(kind string, rows uint64) // may be nil: rows loaded, for /metrics
}

var _ desk.Loader = (*deskLoader)(nil)

// previewRows is how many records, rejects and skipped rows the page's
// preview shows per table.
const previewRows = 20

func (l *deskLoader) job(r desk.Request) *ingest.Job {
	return &ingest.Job{Writer: l.store, Resolver: commune.NewResolver(l.set), Kind: r.Kind,
		Context: layout.Context{Province: r.Province, District: r.District}, Actor: r.Actor, Lang: ingest.LangVI,
		BatchID: r.ID, Provinces: r.Provinces, PreviewRows: previewRows}
}

func (l *deskLoader) Preview(ctx context.Context, r desk.Request) (desk.Preview, error) {
	p, err := l.job(r).Preview(ctx, r.Files...)
	if err != nil {
		return desk.Preview{}, err
	}
	out := desk.Preview{Counts: analytics.BatchCounts{Read: p.Read, Loaded: p.Loaded, Rejected: p.Rejected, Duplicates: p.Duplicates, Skipped: p.Skipped}}
	for _, f := range p.Files {
		fp := desk.FilePreview{Name: filepath.Base(f.Path), Path: f.Path, Error: f.Err, Tables: []desk.TablePreview{}}
		for _, t := range f.Tables {
			tp := desk.TablePreview{Sheet: t.Sheet, Kind: t.Kind, KindName: kindVI[t.Kind], HeaderRows: t.HeaderRows, Context: t.Context.String(),
				Counts:  analytics.BatchCounts{Read: t.Counts.Read, Loaded: t.Counts.Loaded, Rejected: t.Counts.Rejected, Duplicates: t.Counts.Duplicates, Skipped: t.Counts.Skipped},
				Columns: []desk.ColumnPreview{}, Records: []desk.RecordPreview{}, Rejects: []desk.RejectPreview{}, Skips: []desk.SkipPreview{}}
			for _, c := range t.Columns {
				tp.Columns = append(tp.Columns, desk.ColumnPreview{Header: c.Header, Field: c.Field})
			}
			for _, rec := range t.Records {
				rp := desk.RecordPreview{Row: rec.Row, Text: rec.Text, Commune: string(rec.Commune), CommuneName: rec.CommuneName,
					Rule: string(rec.Rule), Confidence: rec.Confidence, SourcePlace: rec.SourcePlace}
				if !rec.Date.IsZero() {
					rp.Date = rec.Date.Format("02/01/2006")
				}
				tp.Records = append(tp.Records, rp)
			}
			for _, rj := range t.Rejects {
				tp.Rejects = append(tp.Rejects, desk.RejectPreview{Row: rj.Row, Field: rj.Field, Reason: rj.Reason})
			}
			for _, s := range t.Skips {
				tp.Skips = append(tp.Skips, desk.SkipPreview{Row: s.Row, Reason: s.Reason})
			}
			fp.Tables = append(fp.Tables, tp)
		}
		out.Files = append(out.Files, fp)
	}
	return out, nil
}

var kindVI = map[analytics.Kind]string{
	analytics.KindModels: "mô hình", analytics.KindSites: "điểm mô hình", analytics.KindGrades: "xếp loại", analytics.KindIncidents: "vụ việc",
}

func (l *deskLoader) Load(ctx context.Context, r desk.Request, progress func(path string, rows int)) (desk.Summary, error) {
	defer ingestGC()()
	job := l.job(r)
	job.OnProgress = progress
	sum, err := job.Run(ctx, r.Files...)
	if l.counted != nil {
		for kind, n := range sum.Kinds {
			l.counted(string(kind), uint64(n.Loaded))
		}
	}
	return deskSummary(sum), err
}

func batchCounts(c ingest.Counts) analytics.BatchCounts {
	return analytics.BatchCounts{Read: c.Read, Loaded: c.Loaded, Rejected: c.Rejected, Duplicates: c.Duplicates, Skipped: c.Skipped}
}

func deskSummary(sum ingest.Summary) desk.Summary {
	out := desk.Summary{Counts: batchCounts(sum.Counts), Kinds: map[string]analytics.BatchCounts{}, Provinces: map[string]analytics.BatchCounts{}, Text: sum.String()}
	for k, c := range sum.Kinds {
		out.Kinds[string(k)] = batchCounts(c)
	}
	for p, c := range sum.Provinces {
		out.Provinces[string(p)] = batchCounts(c)
	}
	for _, f := range sum.Files {
		fr := desk.FileResult{Name: filepath.Base(f.Path), Path: f.Path, SHA256: f.SHA256, Counts: batchCounts(f.Counts), Rejects: f.Rejects, Warning: f.Warning}
		if f.Err != nil {
			fr.Error = analytics.ErrorMessage(f.Err)
		}
		out.Files = append(out.Files, fr)
	}
	return out
}

// Discard takes back what a load the server did not finish wrote: its rows
// carry the batch ID but the batch was never recorded, so it is recorded
// (as failed) and undone.
func (l *deskLoader) Discard(ctx context.Context, r desk.Request) error {
	logged, err := l.store.Batches(ctx)
	if err != nil {
		return err
	}
	for _, lb := range logged {
		if lb.ID == r.ID { // killed after the run recorded itself
			if !lb.Undone.IsZero() {
				return nil
			}
			_, err := l.store.UndoBatch(ctx, r.ID, "antq serve (load interrupted)")
			return err
		}
	}
	b := analytics.IngestBatch{ID: r.ID, At: time.Now().UTC(), Actor: r.Actor, Context: `{"interrupted":true}`}
	for _, f := range r.Files {
		b.Files = append(b.Files, analytics.BatchFile{Path: f, Err: "interrupted: the server stopped during the load"})
	}
	if err := l.store.RecordBatch(ctx, b); err != nil {
		return err
	}
	_, err = l.store.UndoBatch(ctx, r.ID, "antq serve (load interrupted)")
	return err
}

func (l *deskLoader) Undo(ctx context.Context, id, actor string) (analytics.UndoResult, error) {
	return l.store.UndoBatch(ctx, id, actor)
}

func (l *deskLoader) Batches(ctx context.Context) ([]analytics.IngestBatch, error) {
	return l.store.Batches(ctx)
}

// templateNames are the template files by kind, named so the ingest tells
// the kind from the name.
var templateNames = map[analytics.Kind]string{
	analytics.KindModels: "mau_mo_hinh.xlsx", analytics.KindSites: "mau_diem_mo_hinh.xlsx",
	analytics.KindGrades: "mau_xep_loai.xlsx", analytics.KindIncidents: "mau_vu_viec.xlsx",
}

func (l *deskLoader) Template(kind analytics.Kind) (string, []byte, error) {
	name, ok := templateNames[kind]
	if !ok {
		return "", nil, analytics.Errorf(analytics.CodeNotFound, "không có mẫu cho loại %q (models, sites, grades, incidents) / no template for kind %q", kind, kind)
	}
	dir, err := os.MkdirTemp("", "antq-template-")
	if err != nil {
		return "", nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, name)
	if err := template.Write(path); err != nil {
		return "", nil, fmt.Errorf("template %s: %w", kind, err)
	}
	body, err := os.ReadFile(path)
	return name, body, err
}
