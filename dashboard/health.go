package dashboard

import (
	"github.com/gofiber/fiber/v2"
)

type healthBody struct {
	Status  string `json:"status"`
	Version string `json:"version"`
	Engine  string `json:"engine"`
	Kind    string `json:"engine_kind"`
}

// healthz: the process is up; names the build and the engine.
func (a *App) healthz(c *fiber.Ctx) error {
	return c.JSON(healthBody{Status: "ok", Version: a.cfg.Version, Engine: a.deps.Health.EngineVersion(), Kind: a.deps.Health.EngineKind()})
}

// readyz: the engine answers now; 503 with Retry-After when it does not.
func (a *App) readyz(c *fiber.Ctx) error {
	if err := a.deps.Health.Ping(c.UserContext()); err != nil {
		return err
	}
	return c.JSON(healthBody{Status: "ready", Version: a.cfg.Version, Engine: a.deps.Health.EngineVersion(), Kind: a.deps.Health.EngineKind()})
}
