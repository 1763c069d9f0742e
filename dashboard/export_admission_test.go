package dashboard

import (
	"context"

	"github.com/antq-atlas/antq/dashboard/render"
)

// HoldRenderers takes cost admission slots as client would (a test's
// barrier: the renderers are busy until release).
func HoldRenderers(a *App, client string, cost int64) (release func(), err error) {
	return a.admit.Enter(context.Background(), client, cost)
}

// RendererStats are the chart renderer's counters.
func RendererStats(a *App) (render.Stats, error) {
	rd, err := a.pages().renderer()
	if err != nil {
		return render.Stats{}, err
	}
	return rd.Stats(), nil
}
