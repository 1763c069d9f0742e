package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/dashboard"
	"github.com/antq-atlas/antq/dashboard/desk"
	"github.com/antq-atlas/antq/ingest/demo"
)

func runServe(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := newFlags("serve", &c, stderr)
	withDemo := fs.Bool("demo", false, "on first start (no models loaded), generate and load the synthetic demo dataset")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	log := c.logger(stderr)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	store, err := openStore(ctx, &c, stderr)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer store.Close()
	if c.Engine == "" || c.Engine == chstore.EngineEmbedded {
		applied, err := store.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if len(applied) > 0 {
			log.Info("schema migrated", "applied", applied)
		}
	}
	set, err := openReference(ctx, &c)
	if err != nil {
		return err
	}
	if loaded, err := syncReference(ctx, store, set); err != nil {
		return fmt.Errorf("load reference tables: %w", err)
	} else if loaded {
		log.Info("reference tables loaded", "provinces", len(set.Provinces), "communes", len(set.Communes), "crosswalk", len(set.Crosswalk))
	}
	if *withDemo {
		if err := loadDemoIfEmpty(ctx, &c, store, set, log); err != nil {
			return fmt.Errorf("demo dataset: %w", err)
		}
	}
	synthetic, err := store.HasSourcePrefix(ctx, demo.FilePrefix)
	if err != nil {
		return err
	}
	rate, burst, proxies, err := c.httpSecurity()
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	cacheBytes, err := c.cacheBytes()
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	users, audit, err := openAccess(&c, log)
	if err != nil {
		return err
	}
	defer audit.Close()
	token := newToken()
	ingestDirs, err := c.ingestDirs()
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	var app *dashboard.App
	counted := func(kind string, rows uint64) { app.CountIngest(kind, rows) }
	keys, keysPath, err := embedKeys(&c)
	if err != nil {
		return err
	}
	log.Info("embed links", "keys", len(keys), "file", keysPath)
	dcfg, err := c.deskConfig()
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	dataDesk, err := desk.Open(ctx, dcfg, &deskLoader{store: store, set: set, counted: counted})
	if err != nil {
		return err
	}
	defer dataDesk.Close()
	go purgeDaily(ctx, dataDesk)
	app, err = dashboard.New(dashboard.Config{
		Version: version, Logger: log, EmbedKeys: keys, CacheBytes: cacheBytes, RSVGConvert: c.RSVGConvert, RenderTimeout: c.RenderTimeout,
		Auth:  &dashboard.Auth{Users: users, Public: c.Public},
		Audit: audit, RateLimit: rate, RateBurst: burst, TrustedProxies: proxies, BehindTLS: c.BehindTLS,
	}, dashboard.Deps{
		Health: store, Reader: store, Geo: set, Synthetic: synthetic,
		LocalIngest: localIngest(store, set, token, ingestDirs, counted),
		Desk:        dataDesk,
	})
	if err != nil {
		return err
	}
	if c.MetricsAddr != "" {
		stopMetrics, err := serveMetrics(c.MetricsAddr, app, log)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	// Cached responses end when an ingest commits.
	store.OnCommit(func([]analytics.ProvinceCode) { app.Invalidate() })
	if err := store.SetOwner(chstore.Owner{Command: "serve", Addr: c.Addr, Token: token}); err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- app.Listen(c.Addr) }()
	log.Info("antq serving", "addr", c.Addr, "engine", store.EngineKind(), "clickhouse", store.EngineVersion(), "data", c.Data,
		"public", c.Public, "users", users.Count(), "rate_limit", rate)
	select {
	case err := <-errc:
		return fmt.Errorf("listen %s: %w", c.Addr, err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := app.Shutdown(sctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// purgeDaily removes the data desk's uploads past their retention, daily.
func purgeDaily(ctx context.Context, d *desk.Desk) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.Purge()
		}
	}
}
