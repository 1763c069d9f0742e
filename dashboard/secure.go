package dashboard

import (
	"math"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/access"
	"github.com/antq-atlas/antq/dashboard/apierr"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
)

// Security headers. The page loads no inline script and nothing from
// another origin (dashboard/web), so scripts are 'self' only; images may
// also be data: and blob: URLs (chart downloads). Inline style attributes
// are allowed: ECharts' tooltips are built with them, and a style cannot
// run code. Only /embed/* may be
// framed: there the page code sets its own frame-ancestors and no
// X-Frame-Options is sent.
const (
	cspBase = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; " +
		"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
	csp      = cspBase + "; frame-ancestors 'none'"
	embedCSP = cspBase + "; frame-ancestors *"
)

// isEmbedPath: the routes that may be framed by other sites.
func isEmbedPath(p string) bool { return strings.HasPrefix(normPath(p), "/embed/") }

// secureHeaders sets the security headers on every response, before the
// handler runs, so errors carry them too.
func (a *App) secureHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	h.Set(fiber.HeaderReferrerPolicy, "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if isEmbedPath(c.Path()) {
		h.Set(fiber.HeaderContentSecurityPolicy, embedCSP)
	} else {
		h.Set(fiber.HeaderContentSecurityPolicy, csp)
		h.Set(fiber.HeaderXFrameOptions, "DENY")
	}
	if a.isTLS(c) {
		h.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000")
	}
	return c.Next()
}

// recoverPanic turns a handler's panic into a logged 500 (the process and
// the other requests live on).
func (a *App) recoverPanic(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			a.cfg.Logger.Error("panic in handler", "method", c.Method(), "path", c.Path(), "panic", r, "stack", string(debug.Stack()))
			err = analytics.Errorf(analytics.CodeInternal, "lỗi nội bộ / internal error")
		}
	}()
	return c.Next()
}

// clientIP is the client's address: the peer, or, when the peer is a
// trusted proxy (Config.TrustedProxies), the nearest untrusted address in
// X-Forwarded-For (access.Proxies).
func (a *App) clientIP(c *fiber.Ctx) string {
	peer := c.Context().RemoteIP()
	ip, ok := netip.AddrFromSlice(peer)
	if !ok {
		return peer.String()
	}
	return access.Proxies(a.cfg.TrustedProxies).Client(ip, c.Get(fiber.HeaderXForwardedFor))
}

// isTLS: the connection is TLS, or Config.BehindTLS says a TLS proxy is in
// front, or a trusted proxy says X-Forwarded-Proto: https.
func (a *App) isTLS(c *fiber.Ctx) bool {
	if a.cfg.BehindTLS || c.Context().IsTLS() {
		return true
	}
	if len(a.cfg.TrustedProxies) == 0 {
		return false
	}
	ip, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	return ok && access.Proxies(a.cfg.TrustedProxies).Trusts(ip.Unmap()) && strings.EqualFold(c.Get(fiber.HeaderXForwardedProto), "https")
}

// newRateLimit is Fiber's limiter middleware (sliding window, in-memory
// storage whose entries expire, so a scan from many addresses cannot grow it
// without bound) configured as "burst requests at once, rate a second on
// average": at most burst requests in any window of burst/rate seconds.
// key names the client; skip exempts a request. rate ≤ 0 turns it off.
func newRateLimit(rate float64, burst int, key func(*fiber.Ctx) string, skip func(*fiber.Ctx) bool, reached func()) fiber.Handler {
	if rate <= 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	if burst < 1 {
		burst = int(math.Max(1, math.Ceil(rate)))
	}
	return limiter.New(limiter.Config{
		Max:               burst,
		Expiration:        time.Duration(math.Max(1, math.Ceil(float64(burst)/rate))) * time.Second,
		KeyGenerator:      key,
		Next:              skip,
		LimiterMiddleware: limiter.SlidingWindow{},
		LimitReached: func(c *fiber.Ctx) error {
			if reached != nil {
				reached()
			}
			secs, _ := strconv.Atoi(string(c.Response().Header.Peek(fiber.HeaderRetryAfter)))
			return tooMany(c, time.Duration(secs)*time.Second)
		},
	})
}

// tooMany answers 429 with Retry-After (whole seconds, at least 1).
func tooMany(c *fiber.Ctx, wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	return c.Status(fiber.StatusTooManyRequests).JSON(apierr.New("rate_limited", "quá nhiều yêu cầu; thử lại sau "+strconv.Itoa(secs)+" giây",
		"too many requests; retry after "+analytics.Plural(analytics.LangEN, float64(secs), "second", "seconds"), c.Query("lang")))
}

// clientKey names a client, for the rate limits and render admission: a
// signed-in user or token is one client wherever it comes from; anyone else
// is their address.
func (a *App) clientKey(c *fiber.Ctx) string {
	if pr, ok := access.PrincipalOf(c.UserContext()); ok && pr.Name != "" && pr.Via != "embed" {
		return "user:" + pr.Name
	}
	return "ip:" + a.clientIP(c)
}

// ogcRateFactor multiplies the per-client budget for the OGC API: GIS
// clients page through a collection in many small requests (GDAL 3.6 asks
// 10 features a page: 333 requests for the country's communes), each cheap,
// and a copy must not fail half-way on 429.
const ogcRateFactor = 10

func isOGCPath(p string) bool {
	p = normPath(p)
	return p == "/ogc" || strings.HasPrefix(p, "/ogc/")
}

// noRateLimit exempts health and readiness probes, and the OGC API, which
// has its own budget (ogcOnly).
func noRateLimit(c *fiber.Ctx) bool {
	switch normPath(c.Path()) {
	case "/healthz", "/readyz":
		return true
	}
	return isOGCPath(c.Path())
}

// ogcOnly exempts every request but the OGC API's from its budget.
func ogcOnly(c *fiber.Ctx) bool { return !isOGCPath(c.Path()) }
