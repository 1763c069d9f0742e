package dashboard

import (
	"net/http"

	"github.com/antq-atlas/antq/analytics"

	"github.com/gofiber/fiber/v2"
)

// sameOrigin refuses state-changing requests (every method but GET, HEAD
// and OPTIONS: sign-in, sign-out, the ingest hand-off) that a browser
// sends from another site, so a page elsewhere cannot sign a visitor in as
// someone else (login CSRF) or out. The check is the standard library's
// http.CrossOriginProtection: Sec-Fetch-Site must be same-origin or none,
// or, from browsers older than 2023 that lack it, Origin must name this
// host; requests without either (curl, `antq ingest`) are not from a
// browser and pass. The session cookie is also SameSite=Lax.
func (a *App) sameOrigin(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	req := &http.Request{Method: c.Method(), Host: string(c.Request().Host()), Header: http.Header{}}
	for _, h := range []string{"Sec-Fetch-Site", fiber.HeaderOrigin} {
		if v := c.Get(h); v != "" {
			req.Header.Set(h, v)
		}
	}
	if err := crossOrigin.Check(req); err != nil {
		return analytics.Errorf(analytics.CodeForbidden, "yêu cầu từ trang khác bị từ chối / cross-origin request refused")
	}
	return c.Next()
}

var crossOrigin = http.NewCrossOriginProtection()
