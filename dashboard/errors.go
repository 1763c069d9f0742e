package dashboard

import (
	"errors"
	"strconv"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/apierr"

	"github.com/gofiber/fiber/v2"
)

// errorHandler answers every error as {"error":{"code","message"}}
// (dashboard/apierr: the status of each domain code, the body), never
// with a stack or SQL text; unavailability carries Retry-After.
func (a *App) errorHandler(c *fiber.Ctx, err error) error {
	var (
		status int
		body   apierr.Body
		fe     *fiber.Error
	)
	if errors.As(err, &fe) {
		vi, en := analytics.SplitMessage(fe.Message)
		status, body = fe.Code, apierr.New("http_"+strconv.Itoa(fe.Code), vi, en, c.Query("lang"))
	} else {
		status, body = apierr.Of(err, c.Query("lang"))
	}
	if status >= 500 {
		a.cfg.Logger.Error("request failed", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
	}
	if status == fiber.StatusUnauthorized {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="antq"`)
	}
	if status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, "5")
	}
	return c.Status(status).JSON(body)
}
