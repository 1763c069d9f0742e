package main

import (
	"context"
	"log/slog"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
)

// loadDemoIfEmpty loads the synthetic demo dataset when the store holds no
// models yet.
func loadDemoIfEmpty(ctx context.Context, c *config, store *chstore.Store, log *slog.Logger) error {
	n, err := store.Count(ctx, analytics.KindModels, "")
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("demo dataset: data already loaded", "models", n)
		return nil
	}
	log.Warn("demo dataset: the generator is not built yet; serving an empty database")
	return nil
}
