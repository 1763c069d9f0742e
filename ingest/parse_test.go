package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/ingesttest"
	"github.com/antq-atlas/antq/ingest/schema"
	"github.com/antq-atlas/antq/ingest/sheet"
	"github.com/antq-atlas/antq/ingest/template"
)

// A newcomer fills the template: the example row loads as it is.
func TestTemplates(t *testing.T) {
	for _, name := range []string{"models.xlsx", "sites.xlsx", "diem-mo-hinh.csv", "grades.xlsx", "xep_loai.csv", "incidents.xlsx", "vu viec 2025.csv"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if err := template.Write(path); err != nil {
				t.Fatal(err)
			}
			kind, _ := template.KindOfName(name)
			got := parseFile(t, path, "")
			if got.Err != "" || got.Counts.Read != 1 || got.Counts.Rejected != 0 || got.Batch.Len() != 1 {
				t.Fatalf("template of %s: %+v %s %s", kind, got.Counts, got.Err, got.Rejects)
			}
			if strings.HasSuffix(name, ".xlsx") {
				x, err := excelize.OpenFile(path)
				if err != nil {
					t.Fatal(err)
				}
				defer x.Close()
				guide, err := x.GetRows(sheet.GuideSheet)
				if err != nil {
					t.Fatal(err)
				}
				if len(guide) < len(schema.Columns(kind))+1 || guide[0][0] != "Cột" {
					t.Errorf("guide has %d rows for %d columns", len(guide), len(schema.Columns(kind)))
				}
			}
		})
	}
	if err := template.Write(filepath.Join(t.TempDir(), "data.xlsx")); err == nil {
		t.Error("a template name without a kind was accepted")
	}
}

func TestRejectsRemovedOnCleanRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sites.csv")
	os.WriteFile(path, ingesttest.CSVBytes(ingesttest.SitesRowsPlain[:3], ',', false), 0o644)
	os.WriteFile(RejectsPath(path), []byte("old"), 0o644)
	got := parseFile(t, path, "")
	if got.Counts.Rejected != 0 || got.Rejects != "" {
		t.Fatalf("%+v", got)
	}
	if _, err := os.Stat(RejectsPath(path)); !os.IsNotExist(err) {
		t.Errorf("old rejects file left: %v", err)
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		s    Summary
		err  error
		want int
	}{
		{"all loaded", Summary{Counts: Counts{Read: 3, Loaded: 2, Duplicates: 1}}, nil, ExitOK},
		{"some rejected", Summary{Counts: Counts{Read: 3, Loaded: 2, Rejected: 1}}, nil, ExitRejected},
		{"failure", Summary{}, context.Canceled, ExitFailure},
		{"unreadable file", Summary{Files: []FileSummary{{Err: analytics.Errorf(analytics.CodeInvalid, "bad")}}}, nil, ExitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.s, tt.err); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}
