package dashboard

import (
	"github.com/antq-atlas/antq/dashboard/web"

	"github.com/gofiber/fiber/v2"
)

// sendEmbedError answers an embed request that cannot show its chart with
// the problem's page (web.EmbedErrorPage), status kept: 403 for a bad or
// expired link, 404 for an unknown chart.
func sendEmbedError(c *fiber.Ctx, status int, p web.EmbedProblem) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(web.EmbedErrorPage(p))
}
