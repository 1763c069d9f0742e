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
		Code string `json:"code"`
		// Message is "tiếng Việt / English", or one of them when the
		// request asked lang=vi or lang=en; MessageVI and MessageEN are
		// each language alone.
		Message   string `json:"message"`
		MessageVI string `json:"message_vi"`
		MessageEN string `json:"message_en"`
	} `json:"error"`
}

// setMessages fills the body's messages from the two languages, message
// by the request's lang= ("" keeps both).
func (b *errorBody) setMessages(vi, en, lang string) {
	b.Error.MessageVI, b.Error.MessageEN = vi, en
	switch {
	case lang == "vi":
		b.Error.Message = vi
	case lang == "en":
		b.Error.Message = en
	case vi == en:
		b.Error.Message = vi
	default:
		b.Error.Message = vi + " / " + en
	}
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
		vi, en := analytics.SplitMessage(fe.Message)
		body.setMessages(vi, en, c.Query("lang"))
	} else {
		code := analytics.ErrorCode(err)
		if s, ok := statusOf[code]; ok {
			status = s
		}
		body.Error.Code = string(code)
		vi, en := analytics.ErrorMessages(err)
		body.setMessages(vi, en, c.Query("lang"))
		if c.Query("lang") == "" {
			body.Error.Message = analytics.ErrorMessage(err) // as written
		}
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
