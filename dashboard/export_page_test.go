package dashboard

import (
	"net/url"
	"time"

	"github.com/antq-atlas/antq/dashboard/access"
)

// PageRoutes registers the page routes on a test app, unless routes.go
// already does.
func PageRoutes(a *App) {
	for _, r := range a.fiber.GetRoutes() {
		if r.Path == "/charts/:name.:ext" {
			return
		}
	}
	a.pageRoutes()
}

// SignEmbed mints an embed path with any expiry (tests of expired links).
func SignEmbed(a *App, name string, params url.Values, exp time.Time) string {
	return access.SignEmbed(a.pages().keys, name, params, exp)
}
