package dashboard

import (
	"bytes"
	"io"
	"log/slog"
	"time"

	"github.com/antq-atlas/antq/dashboard/access"
	"github.com/antq-atlas/antq/dashboard/telemetry"

	"github.com/gofiber/fiber/v2"
)

// The metrics themselves are in package telemetry; here are the
// middleware that feeds them and the route that serves them.

// CountIngest adds rows loaded by an ingest (cmd/antq calls it after a job
// run by the server) to antq_ingest_rows_total.
func (a *App) CountIngest(kind string, rows uint64) { a.metrics.CountIngest(kind, rows) }

// observe is the outermost middleware: it answers errors through the one
// error handler (so the status is known here), counts and times the
// request, writes the request log line and the audit events of exports
// and ingests.
func (a *App) observe(c *fiber.Ctx) error {
	start := time.Now()
	defer a.metrics.Begin()()
	if err := c.Next(); err != nil {
		if herr := a.errorHandler(c, err); herr != nil {
			return herr
		}
	}
	d := time.Since(start)
	status := c.Response().StatusCode()
	route := "unmatched"
	if r := c.Route(); r != nil && r.Method != "USE" {
		route = r.Path
	}
	a.metrics.Observe(route, c.Method(), status, d)

	var user, via string
	if pr, ok := c.Locals(localsPrincipal).(access.Principal); ok {
		user, via = pr.Name, pr.Via
	}
	if a.cfg.Logger.Enabled(c.UserContext(), slog.LevelInfo) {
		a.cfg.Logger.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
			slog.String("method", c.Method()), slog.String("path", c.Path()), slog.String("route", route),
			slog.Int("status", status), slog.Float64("ms", float64(d.Microseconds())/1000),
			slog.Int("bytes", bodyLen(c)), slog.String("client", a.clientIP(c)), slog.String("user", user))
	}
	if kind := telemetry.AuditKind(route, c.Path()); kind != "" && c.Method() != fiber.MethodHead {
		a.audit(access.Event{Event: kind, User: user, Via: via, Client: a.clientIP(c),
			Path: c.Path() + queryPart(c), Status: status})
	}
	return nil
}

// bodyLen is the length of the response body; a streamed body is not
// read for it (Body would read the whole stream into memory).
func bodyLen(c *fiber.Ctx) int {
	if c.Response().IsBodyStream() {
		return c.Response().Header.ContentLength()
	}
	return len(c.Response().Body())
}

func queryPart(c *fiber.Ctx) string {
	q := c.Request().URI().QueryString()
	if len(q) == 0 {
		return ""
	}
	if len(q) > 2048 {
		q = q[:2048]
	}
	return "?" + string(q)
}

// metricsHandler: GET /metrics (admin only; or on its own address with
// Config.MetricsAddr, see WriteMetrics).
func (a *App) metricsHandler(c *fiber.Ctx) error {
	var buf bytes.Buffer
	a.WriteMetrics(&buf)
	c.Set(fiber.HeaderContentType, telemetry.ContentType)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// WriteMetrics writes every metric in the Prometheus text format.
func (a *App) WriteMetrics(w io.Writer) {
	if err := a.metrics.Write(w); err != nil {
		a.cfg.Logger.Error("gather metrics", "err", err)
	}
}
