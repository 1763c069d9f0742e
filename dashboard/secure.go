package dashboard

import (
	"math"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/antq-atlas/antq/analytics"

	"github.com/gofiber/fiber/v2"
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
// X-Forwarded-For.
func (a *App) clientIP(c *fiber.Ctx) string {
	peer := c.Context().RemoteIP()
	ip, ok := netip.AddrFromSlice(peer)
	if !ok {
		return peer.String()
	}
	ip = ip.Unmap()
	if !a.trusted(ip) {
		return ip.String()
	}
	xff := c.Get(fiber.HeaderXForwardedFor)
	hops := strings.Split(xff, ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		h = h.Unmap()
		if !a.trusted(h) {
			return h.String()
		}
		ip = h
	}
	return ip.String()
}

func (a *App) trusted(ip netip.Addr) bool {
	for _, p := range a.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
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
	return ok && a.trusted(ip.Unmap()) && strings.EqualFold(c.Get(fiber.HeaderXForwardedProto), "https")
}

// limiter is a token bucket per client: rate tokens a second up to burst.
// The table is pruned of idle (full) buckets as it grows, so a scan from
// many addresses cannot grow it without bound.
type limiter struct {
	rate, burst float64

	mu        sync.Mutex
	buckets   map[string]*tokenBucket
	lastPrune time.Time
}

type tokenBucket struct {
	tokens float64
	last   time.Time
}

const maxClients = 200_000

func newLimiter(rate float64, burst int) *limiter {
	if rate <= 0 {
		return nil
	}
	if burst < 1 {
		burst = int(math.Max(1, math.Ceil(rate)))
	}
	return &limiter{rate: rate, burst: float64(burst), buckets: map[string]*tokenBucket{}}
}

// allow takes a token for key; when none is left it returns the wait until
// the next one. A nil limiter allows everything.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxClients/2 && now.Sub(l.lastPrune) > time.Second {
			l.prune(now)
		}
		if len(l.buckets) >= maxClients { // pruning did not help: start over
			l.buckets = map[string]*tokenBucket{}
		}
		b = &tokenBucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

func (l *limiter) prune(now time.Time) {
	l.lastPrune = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// tooMany answers 429 with Retry-After (whole seconds, at least 1).
func tooMany(c *fiber.Ctx, wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	var body errorBody
	body.Error.Code = "rate_limited"
	body.Error.Message = "quá nhiều yêu cầu; thử lại sau " + strconv.Itoa(secs) + " giây / too many requests; retry after " + strconv.Itoa(secs) + "s"
	return c.Status(fiber.StatusTooManyRequests).JSON(body)
}

// clientKey names the client for render admission as the rate limit does:
// a signed-in user or token wherever it comes from, else the address.
func (a *App) clientKey(c *fiber.Ctx) string {
	if pr, ok := principalOf(c.UserContext()); ok && pr.Name != "" && pr.Via != "embed" {
		return "user:" + pr.Name
	}
	return "ip:" + a.clientIP(c)
}

// rateLimit applies the per-client limit (Config.RateLimit): a signed-in
// user or token is one client wherever it comes from; anyone else is their
// address. Health and readiness probes are not limited.
func (a *App) rateLimit(c *fiber.Ctx) error {
	if a.limit == nil {
		return c.Next()
	}
	switch normPath(c.Path()) {
	case "/healthz", "/readyz":
		return c.Next()
	}
	key := "ip:" + a.clientIP(c)
	if pr, ok := principalOf(c.UserContext()); ok && pr.Name != "" && pr.Via != "embed" {
		key = "user:" + pr.Name
	}
	if ok, wait := a.limit.allow(key, time.Now()); !ok {
		a.metrics.rateLimited.Add(1)
		return tooMany(c, wait)
	}
	return c.Next()
}
