package dashboard

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/access"
	"github.com/antq-atlas/antq/dashboard/charts"
	"github.com/antq-atlas/antq/dashboard/params"
	"github.com/antq-atlas/antq/dashboard/render"
	"github.com/antq-atlas/antq/dashboard/web"
	"github.com/antq-atlas/antq/internal/gzbody"

	"github.com/gofiber/fiber/v2"
)

// The page (GET /), its assets (/assets/*), charts as a service
// (/charts/{name}.{json,svg,png,csv}, chart_serve.go over dashboard/charts),
// signed embeds (/embed/{name}) and the briefing deck
// (/api/v1/briefing.pptx, briefing.go). Everything the browser loads comes from dashboard/web's
// embedded dist/: no CDN, no tiles, no web fonts, no inline script or style
// (the page works under a CSP of script-src 'self'; style-src 'self').

// pageRoutes registers the page's routes. routes.go calls it.
func (a *App) pageRoutes() {
	p := a.pages()
	f := a.fiber
	f.Get("/", p.index)
	f.Get("/index.html", p.index)
	f.Get("/assets/*", p.asset)
	f.Get("/charts/:name.:ext", a.cachedEndpoint(a.chartEndpoint, "name", "ext"))
	f.Get("/embed/:name", p.embed)
	f.Get("/api/v1/embed-link", p.embedLink)
	f.Get("/api/v1/briefing.pptx", a.cachedEndpoint(a.briefingEndpoint))
}

// pages is the state of the page routes: the chart renderer (made on first
// use), the embed keys, and compressed assets.
type pages struct {
	a *App

	renderOnce sync.Once
	rend       *render.Renderer
	rendErr    error

	keys [][]byte // embed keys: the first signs, all verify

	assets web.Static
}

// newPages makes the page state of a; New keeps it in App.page.
func newPages(a *App) *pages {
	p := &pages{a: a}
	p.keys = a.embedKeyring()
	return p
}

func (a *App) pages() *pages { return a.page }

// embedKeyring returns the keys to sign and verify embed links with
// (access.Keyring): the configured ones, else one random key for this
// process (links then stop working at restart), which a log line says.
func (a *App) embedKeyring() [][]byte {
	keys, random := access.Keyring(a.cfg.EmbedKeys)
	if random {
		a.cfg.Logger.Warn("embed links: no embed key configured; using a random key, so embed links stop working when the server restarts")
	}
	return keys
}

// renderer returns the chart renderer, made on first use (ECharts is
// compiled once; runtimes load lazily).
func (p *pages) renderer() (*render.Renderer, error) {
	p.renderOnce.Do(func() {
		p.rend, p.rendErr = render.New(render.Options{RSVGConvert: p.a.cfg.RSVGConvert, RenderTimeout: p.a.cfg.RenderTimeout})
	})
	return p.rend, p.rendErr
}

// static returns the asset name, mapping the errors to 404s.
func (p *pages) static(name string) (*web.File, error) {
	f, err := p.assets.File(name)
	return f, assetError(name, err)
}

func assetError(name string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, web.ErrNotFound):
		return fiber.ErrNotFound
	case errors.Is(err, web.ErrAssetsMissing):
		return fiber.NewError(fiber.StatusNotFound, "no asset "+name)
	}
	return err
}

// sendStatic answers with an embedded file; the browser revalidates with
// its ETag (the binary's assets change only with a new build).
func (p *pages) sendStatic(c *fiber.Ctx, s *web.File) error {
	c.Set(fiber.HeaderETag, s.ETag)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	if gzbody.ETagMatches(c.Get(fiber.HeaderIfNoneMatch), s.ETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, s.ContentType)
	if gzbody.AcceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(s.Gzip)
	}
	return c.Send(s.Body)
}

// index serves the page with today's police year (the server's clock,
// which sets the API's default period) in a meta element for app.js.
func (p *pages) index(c *fiber.Ctx) error {
	s, err := p.assets.Page(strconv.Itoa(analytics.PoliceYearOf(p.a.cfg.Now())))
	if err != nil {
		return assetError("index.html", err)
	}
	return p.sendStatic(c, s)
}

func (p *pages) asset(c *fiber.Ctx) error {
	name, err := url.PathUnescape(c.Params("*"))
	if err != nil || name == "index.html" || name == "embed.html" {
		return fiber.ErrNotFound
	}
	s, err := p.static(strings.Clone(name)) // kept as a cache key: not Fiber's buffer
	if err != nil {
		return err
	}
	return p.sendStatic(c, s)
}

// embed serves the one-chart page for iframes after checking the link.
// Only these responses may be framed (frame-ancestors *).
func (p *pages) embed(c *fiber.Ctx) error {
	name := strings.Clone(c.Params("name"))
	if !charts.IsName(name) {
		return sendEmbedError(c, fiber.StatusNotFound, web.EmbedUnknown)
	}
	q, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return sendEmbedError(c, fiber.StatusForbidden, web.EmbedBroken)
	}
	if err := access.VerifyEmbed(p.keys, name, q, time.Now()); err != nil {
		if errors.Is(err, access.ErrEmbedExpired) {
			return sendEmbedError(c, fiber.StatusForbidden, web.EmbedExpired)
		}
		return sendEmbedError(c, fiber.StatusForbidden, web.EmbedBroken)
	}
	s, err := p.static("embed.html")
	if err != nil {
		return err
	}
	// The security middleware sets the embed policy (frame-ancestors *).
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentType, s.ContentType)
	return c.Send(s.Body)
}

// embedLinkBody answers /api/v1/embed-link.
type embedLinkBody struct {
	URL     string `json:"url"`
	Path    string `json:"path"`
	Expires string `json:"expires"`
	Days    int    `json:"days"`
}

// embedLink mints a signed embed URL: chart= names the chart, days= (1–366,
// default 30) its life; every other parameter is the chart's. Not cached.
func (p *pages) embedLink(c *fiber.Ctx) error {
	q, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return analytics.Errorf(analytics.CodeInvalid, "chuỗi truy vấn không hợp lệ / malformed query string")
	}
	name := q.Get("chart")
	if !charts.IsName(name) {
		return params.Invalid("chart", name, strings.Join(charts.Names, ", "), strings.Join(charts.Names, ", "))
	}
	days, err := params.Int(q, "days", 30, 1, access.MaxEmbedDays)
	if err != nil {
		return err
	}
	params := params.Clone(q)
	params.Del("chart")
	params.Del("days")
	params.Del("exp")
	// The chart must build: a link to an error is no use.
	if p.a.svc == nil {
		return analytics.Errorf(analytics.CodeUnavailable, "chưa có dữ liệu / no data configured")
	}
	if _, err := p.a.charts.FromQuery(c.UserContext(), name, params); err != nil {
		return err
	}
	exp := time.Now().Add(time.Duration(days) * 24 * time.Hour).Truncate(time.Second)
	pth := access.SignEmbed(p.keys, name, params, exp)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(embedLinkBody{URL: strings.Clone(c.BaseURL()) + pth, Path: pth, Expires: exp.UTC().Format(time.RFC3339), Days: days})
}
