package dashboard

import (
	"github.com/gofiber/fiber/v2"
)

// localTokenHeader carries the data directory owner's local token.
const localTokenHeader = "X-Antq-Local-Token"

// localIngest runs an ingest handed over by `antq ingest` (see
// Deps.LocalIngest). The files are read from the server's own disk.
func (a *App) localIngest(c *fiber.Ctx) error {
	if a.deps.LocalIngest == nil {
		return fiber.ErrNotFound
	}
	status, reply := a.deps.LocalIngest(c.UserContext(), c.Get(localTokenHeader), c.Body())
	if status == fiber.StatusOK {
		a.Invalidate()
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Status(status).Send(reply)
}
