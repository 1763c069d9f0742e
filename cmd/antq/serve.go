package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/memagg"
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
	reader, loading := memAggregates(ctx, &c, store, log)
	defer loading.Wait() // before the store closes
	app, err = dashboard.New(dashboard.Config{
		Version: version, Logger: log, EmbedKeys: keys, CacheBytes: cacheBytes, RSVGConvert: c.RSVGConvert, RenderTimeout: c.RenderTimeout,
		Auth:  &dashboard.Auth{Users: users, Public: c.Public},
		Audit: audit, RateLimit: rate, RateBurst: burst, TrustedProxies: proxies, BehindTLS: c.BehindTLS,
	}, dashboard.Deps{
		Health: store, Reader: reader, Geo: set, Synthetic: synthetic,
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
	// Cached responses end when an ingest commits (after memAggregates'
	// hook, registered first, has refreshed the tables they are computed
	// from).
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

// memAggregates returns the reader the dashboard asks: with
// --mem-aggregates, the in-memory tables (memagg) over the store, loaded in
// the background (the store answers until then) and refreshed at every
// commit before the response caches are emptied; else the store itself. A
// refresh that fails is logged and the store answers until the next commit.
// The caller waits for the first load before closing the store.
func memAggregates(ctx context.Context, c *config, store *chstore.Store, log *slog.Logger) (analytics.Reader, *sync.WaitGroup) {
	var loading sync.WaitGroup
	if !c.MemAggregates {
		return store, &loading
	}
	mem := memagg.New(store)
	refresh := func(ps []analytics.ProvinceCode) {
		start := time.Now()
		if err := mem.Refresh(ctx, ps); err != nil {
			log.Warn("in-memory aggregates dropped: figures come from SQL until the next commit", "err", err)
			return
		}
		st := mem.Stats()
		log.Info("in-memory aggregates refreshed", "provinces", len(ps), "communes", st.Communes, "incident_days", st.IncidentDay,
			"spans", st.Spans, "grades", st.Grades, "bytes", st.Bytes, "took", time.Since(start).Round(time.Millisecond))
	}
	// Registered before the caches' Invalidate: a response computed after
	// a commit reads the new tables.
	store.OnCommit(refresh)
	loading.Go(func() { refresh(nil) })
	return mem, &loading
}
