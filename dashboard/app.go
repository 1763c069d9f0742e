package dashboard

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/access"
	"github.com/antq-atlas/antq/dashboard/admission"
	"github.com/antq-atlas/antq/dashboard/cache"
	"github.com/antq-atlas/antq/dashboard/charts"
	"github.com/antq-atlas/antq/dashboard/desk"
	"github.com/antq-atlas/antq/dashboard/telemetry"

	"github.com/gofiber/fiber/v2"
)

// Config configures the HTTP app.
type Config struct {
	Version      string        // the antq build version
	ReadTimeout  time.Duration // default 30s
	WriteTimeout time.Duration // default 60s
	// BodyLimit bounds a request body (413 beyond); default 1 MiB: the API
	// takes no uploads (the local ingest hand-off sends file paths).
	BodyLimit int
	// Logger receives one line per request ("request": method, path, route,
	// status, ms, bytes, client, user) and the errors.
	Logger *slog.Logger

	// Auth turns access control on: sign-in, roles and province grants (see
	// Auth). nil is open: every request is allowed and unscoped — for tests
	// of other packages only; `antq serve` always sets it (--public is
	// Auth.Public).
	Auth *Auth
	// Audit receives logins, exports and ingests; nil: none kept.
	Audit *access.Audit
	// RateLimit is each client's sustained requests per second (token
	// bucket, RateBurst deep; 429 with Retry-After beyond); 0 turns it off.
	RateLimit float64
	RateBurst int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (client address, Secure cookies).
	TrustedProxies []netip.Prefix
	// BehindTLS says a TLS-terminating proxy is in front: cookies are
	// Secure and HSTS is sent even if the proxy does not say so.
	BehindTLS bool

	// EmbedKeys sign and verify embed links (HMAC-SHA256): the first signs,
	// every one verifies, so a new key goes first and an old one is dropped
	// once its links have expired. Empty: a random key for this process
	// (links die with it; a warning is logged).
	EmbedKeys [][]byte

	// CacheBytes bounds the response cache (compressed bytes); default
	// 64 MiB. Negative turns the cache off (every request is computed).
	CacheBytes int64
	// MaxAge is the Cache-Control max-age of API responses; default 60s.
	// Clients revalidate with If-None-Match afterwards (304 when unchanged).
	MaxAge time.Duration
	// Source names the data's owner in exports and footnotes; default
	// "Công an tỉnh" (the province's police).
	Source string
	// RSVGConvert is the chart rasteriser (rsvg-convert, Debian
	// librsvg2-bin); default "rsvg-convert" on PATH. Without it PNG routes
	// answer 503 and SVG, JSON and CSV work.
	RSVGConvert string
	// RenderTimeout bounds one chart render (JavaScript and rasterising);
	// default 30 s (render.Options).
	RenderTimeout time.Duration
	// Renderers is the number of charts drawn and briefing decks built at
	// once (render admission, admission.go); default the CPU count.
	// RenderQueue is how many more may wait for one (default 4 ×
	// Renderers) and RenderWait how long (default 10 s); beyond, 503 with
	// Retry-After.
	Renderers   int
	RenderQueue int
	RenderWait  time.Duration
	// Now gives today's date for default periods ("the current police year");
	// default time.Now. Tests fix it.
	Now func() time.Time
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
		c.BodyLimit = 1 << 20
	}
	if c.Auth != nil && c.Auth.Users == nil {
		return errors.New("dashboard: Config.Auth.Users is required")
	}
	if c.RateLimit < 0 {
		return errors.New("dashboard: RateLimit must not be negative")
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.CacheBytes == 0 {
		c.CacheBytes = 64 << 20
	}
	if c.MaxAge <= 0 {
		c.MaxAge = 60 * time.Second
	}
	if c.Source == "" {
		c.Source = analytics.PoliceVI
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return nil
}

// Deps are what the app reads from; cmd/antq wires them.
type Deps struct {
	Health analytics.Health
	// Reader answers every figure (the ClickHouse store implements it).
	Reader analytics.Reader
	// Geo is the reference geography: provinces, 2025 communes, boundaries
	// and the crosswalk. Read-only and shared.
	Geo *commune.Set
	// Synthetic marks the loaded data as the synthetic demo dataset: map
	// responses say so ("synthetic": true) and exports carry a note.
	Synthetic bool
	// LocalIngest runs an ingest handed over by `antq ingest` on the same
	// machine when this server owns the data directory: it checks the local
	// token (from the owner file, readable by the server's user only) and
	// returns the status and JSON reply. nil: the route answers 404.
	LocalIngest func(ctx context.Context, token string, body []byte) (status int, reply []byte)
	// Desk is the data desk of the page (uploads, batches, undo; deskapi.go).
	// nil: its routes answer 404.
	Desk *desk.Desk
}

// App is the HTTP application.
type App struct {
	cfg    Config
	deps   Deps
	svc    *service
	charts *charts.Builder // the charts of /charts and the deck (dashboard/charts)
	cache  *cache.Responses
	fiber  *fiber.App

	sess         *access.Sessions
	rateLimit    fiber.Handler // per client (Config.RateLimit)
	ogcRateLimit fiber.Handler // per client, the OGC API (ogcRateFactor × Config.RateLimit)
	loginLimit   fiber.Handler // sign-in attempts per address
	metrics      *telemetry.Metrics
	admit        *admission.Admission
	page         *pages // the page routes' state (page.go)
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
	a.rateLimit = newRateLimit(cfg.RateLimit, cfg.RateBurst, a.clientKey, noRateLimit, func() { a.metrics.RateLimited() })
	a.ogcRateLimit = newRateLimit(cfg.RateLimit*ogcRateFactor, cfg.RateBurst*ogcRateFactor, a.clientKey, ogcOnly, func() { a.metrics.RateLimited() })
	// Sign-in attempts per address: 10 in any minute.
	a.loginLimit = newRateLimit(1.0/6, 10, func(c *fiber.Ctx) string { return a.clientIP(c) }, nil, nil)
	a.admit = admission.New(cfg.Renderers, cfg.RenderQueue, cfg.RenderWait)
	if cfg.Auth != nil {
		a.sess = access.NewSessions(cfg.Auth.SessionTTL)
		// Every figure of every route is read through the scope check.
		if deps.Reader != nil && deps.Geo != nil {
			a.deps.Reader = access.NewScopedReader(deps.Reader, deps.Geo)
		}
	}
	deps = a.deps
	// Without a Reader and reference geography the API answers 503
	// (unavailable) and the health routes still work.
	if deps.Reader != nil && deps.Geo != nil {
		a.svc = newService(deps.Reader, deps.Geo, cfg.Now, deps.Synthetic)
		a.svc.sourceIn = a.sourceIn
		a.charts = charts.NewBuilder(a.svc.fig, a.svc.maps, deps.Geo, cfg.Now, a.sourceIn, deps.Synthetic)
	}
	a.cache = cache.New(cfg.CacheBytes)
	a.metrics = telemetry.New(func() (uint64, uint64, int, int) {
		entries, bytes := a.cache.Stats()
		return a.cache.Hits(), a.cache.Misses(), entries, int(bytes)
	})
	a.fiber = fiber.New(fiber.Config{
		AppName:               "antq",
		DisableStartupMessage: true,
		ReadTimeout:           cfg.ReadTimeout,
		WriteTimeout:          cfg.WriteTimeout,
		BodyLimit:             cfg.BodyLimit,
		// Request line and headers: 16 KiB (long map and chart URLs fit;
		// beyond, fasthttp answers 431).
		ReadBufferSize: 16 << 10,
		ErrorHandler:   a.errorHandler,
		// Uploads stream to disk (deskapi.go); bodyGuard keeps BodyLimit
		// on every other route.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		// Every string a handler reads (params, queries, headers) is its
		// own copy, not a view of the connection's buffer: values kept
		// past the handler (a desk load, a cache key, an audit line) stay
		// what they were. Without it a confirmed load's batch ID changed
		// under it when the next request arrived (a CI panic).
		Immutable: true,
	})
	if deps.Desk != nil {
		deps.Desk.OnFinish(a.deskFinished)
	}
	a.page = newPages(a)
	a.routes()
	return a, nil
}

// Invalidate drops every cached response. The store calls it after each
// commit: store.OnCommit(func([]analytics.ProvinceCode) { app.Invalidate() }).
// Responses computed while it runs are not kept.
func (a *App) Invalidate() {
	a.svc.fig.Forget()
	a.cache.Invalidate()
}

// Listen serves on addr until Shutdown.
func (a *App) Listen(addr string) error { return a.fiber.Listen(addr) }

// Serve serves on an open listener until Shutdown (tests listen on
// 127.0.0.1:0).
func (a *App) Serve(ln net.Listener) error { return a.fiber.Listener(ln) }

// Shutdown stops accepting connections and waits for in-flight requests
// until ctx ends.
func (a *App) Shutdown(ctx context.Context) error { return a.fiber.ShutdownWithContext(ctx) }

// Fiber exposes the underlying app to tests (app.Test sends a request
// without a socket).
func (a *App) Fiber() *fiber.App { return a.fiber }
