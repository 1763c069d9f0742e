package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/ingest/demo"
)

// writeDemo generates the demo files and returns the reference geography it
// loaded (for the ingest that follows) and the files' paths.
func writeDemo(ctx context.Context, c *config, out string, seed uint64, national bool, log io.Writer) (*commune.Set, []string, error) {
	if out == "" {
		out = filepath.Join(c.Data, "demo")
		if national {
			out += "-national"
		}
	}
	set, err := openReference(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	t0 := time.Now()
	res, err := demo.Generate(ctx, set, demo.Config{Out: out, Seed: seed, National: national})
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(log, "antq demo: %d rows (%d deliberately invalid, %d duplicates) in %v\n", res.Rows, res.Invalid, res.Duplicates, time.Since(t0).Round(time.Millisecond))
	return set, res.Files, nil
}

// loadDemoIfEmpty loads the synthetic demo dataset when the store holds no
// models yet (the first `make run`).
func loadDemoIfEmpty(ctx context.Context, c *config, store *chstore.Store, set *commune.Set, log *slog.Logger) error {
	n, err := store.Count(ctx, analytics.KindModels, "")
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("demo dataset: data already loaded", "models", n)
		return nil
	}
	res, err := demo.Generate(ctx, set, demo.Config{Out: filepath.Join(c.Data, "demo"), Seed: 1})
	if err != nil {
		return err
	}
	text, code, err := runJob(ctx, store, set, ingestRequest{Files: res.Files}, nil)
	if err != nil {
		return err
	}
	log.Info("demo dataset loaded (synthetic data)", "files", len(res.Files), "exit_code", code)
	fmt.Print(text)
	return nil
}
