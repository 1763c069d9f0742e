package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
)

// runExportRows writes the stored rows of one kind, restated to their 2025
// communes, as CSV with a header: `antq export-rows --kind incidents
// [--province P] [--out FILE]`. For loading the same rows into a peer
// system (deploy/bench-peer.sh).
func runExportRows(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("export-rows", &c, stderr)
	kind := fs.String("kind", "", "sites or incidents")
	province := fs.String("province", "", "one province's code (default: every province)")
	out := fs.String("out", "", "CSV file to write (default: standard output)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: antq export-rows --kind sites|incidents [--province P] [--out FILE]\n  write the stored rows (restated to 2025 communes) as CSV")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fs.Usage()
		return &exitError{code: 2}
	}
	if chstore.ExportColumns(analytics.Kind(*kind)) == nil {
		return &exitError{code: 2, msg: fmt.Sprintf("--kind %q: phải là sites hoặc incidents / must be sites or incidents", *kind)}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	store, err := chstore.Open(ctx, c.storeConfig())
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer store.Close()
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("export-rows: %w", err)
		}
		defer f.Close()
		w = f
	}
	n, err := exportRows(ctx, store, analytics.Kind(*kind), analytics.ProvinceCode(*province), w)
	if err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && *out != "" {
		if err := f.Close(); err != nil {
			return fmt.Errorf("export-rows: %w", err)
		}
	}
	fmt.Fprintf(stderr, "%d rows of %s\n", n, *kind)
	return nil
}

// rowExporter is what exportRows reads (chstore.Store).
type rowExporter interface {
	ExportRows(ctx context.Context, kind analytics.Kind, p analytics.ProvinceCode, each func(row []string) error) error
}

// exportRows writes kind's rows in province p ("" = all) to w as CSV, the
// header first (chstore.ExportColumns), and returns how many rows it wrote.
func exportRows(ctx context.Context, src rowExporter, kind analytics.Kind, p analytics.ProvinceCode, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := csv.NewWriter(bw)
	if err := cw.Write(chstore.ExportColumns(kind)); err != nil {
		return 0, fmt.Errorf("export-rows: %w", err)
	}
	n := 0
	err := src.ExportRows(ctx, kind, p, func(row []string) error {
		n++
		return cw.Write(row)
	})
	if err != nil {
		return n, fmt.Errorf("export-rows %s: %w", kind, err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("export-rows: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("export-rows: %w", err)
	}
	return n, nil
}
