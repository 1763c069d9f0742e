package dashboard

import (
	"errors"

	"github.com/antq-atlas/antq/analytics"

	"github.com/gofiber/fiber/v2"
)

// statusOf maps domain error codes to HTTP statuses: the one table.
var statusOf = map[analytics.Code]int{
	analytics.CodeInvalid:     fiber.StatusBadRequest,
	analytics.CodeNotFound:    fiber.StatusNotFound,
	analytics.CodeUnavailable: fiber.StatusServiceUnavailable,
	analytics.CodeConflict:    fiber.StatusConflict,
	analytics.CodeInternal:    fiber.StatusInternalServerError,

	analytics.CodeUnauthenticated: fiber.StatusUnauthorized,
	analytics.CodeForbidden:       fiber.StatusForbidden,
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// errorHandler answers every error as {"error":{"code","message"}}, never
// with a stack or SQL text; unavailability carries Retry-After.
func (a *App) errorHandler(c *fiber.Ctx, err error) error {
	var body errorBody
	status := fiber.StatusInternalServerError
	var fe *fiber.Error
	if errors.As(err, &fe) {
		status = fe.Code
		body.Error.Code = "http_" + itoa(fe.Code)
		body.Error.Message = fe.Message
	} else {
		code := analytics.ErrorCode(err)
		if s, ok := statusOf[code]; ok {
			status = s
		}
		body.Error.Code = string(code)
		body.Error.Message = analytics.ErrorMessage(err)
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

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
