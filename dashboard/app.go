package dashboard

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/antq-atlas/antq/analytics"

	"github.com/gofiber/fiber/v2"
)

// Config configures the HTTP app.
type Config struct {
	Version      string        // the antq build version
	ReadTimeout  time.Duration // default 30s
	WriteTimeout time.Duration // default 60s
	BodyLimit    int           // bytes, default 64 MiB (ingest uploads)
	Logger       *slog.Logger
}

// Validate fills defaults.
func (c *Config) Validate() error {
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = 60 * time.Second
	}
	if c.BodyLimit <= 0 {
		c.BodyLimit = 64 << 20
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return nil
}

// Deps are what the app reads from; cmd/antq wires them.
type Deps struct {
	Health analytics.Health
}

// App is the HTTP application.
type App struct {
	cfg   Config
	deps  Deps
	fiber *fiber.App
}

// New builds the app and its routes.
func New(cfg Config, deps Deps) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Health == nil {
		return nil, errors.New("dashboard: Deps.Health is required")
	}
	a := &App{cfg: cfg, deps: deps}
	a.fiber = fiber.New(fiber.Config{
		AppName:               "antq",
		DisableStartupMessage: true,
		ReadTimeout:           cfg.ReadTimeout,
		WriteTimeout:          cfg.WriteTimeout,
		BodyLimit:             cfg.BodyLimit,
		ErrorHandler:          a.errorHandler,
	})
	a.routes()
	return a, nil
}

// Listen serves on addr until Shutdown.
func (a *App) Listen(addr string) error { return a.fiber.Listen(addr) }

// Shutdown stops accepting connections and waits for in-flight requests
// until ctx ends.
func (a *App) Shutdown(ctx context.Context) error { return a.fiber.ShutdownWithContext(ctx) }

// Fiber exposes the underlying app to tests (app.Test sends a request
// without a socket).
func (a *App) Fiber() *fiber.App { return a.fiber }
