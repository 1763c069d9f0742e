package dashboard

import (
	"context"

	"github.com/antq-atlas/antq/dashboard/chart"
)

// HoldRenderers takes cost admission slots as client would (a test's
// barrier: the renderers are busy until release).
func HoldRenderers(a *App, client string, cost int64) (release func(), err error) {
	return a.admit.Enter(context.Background(), client, cost)
}

// RendererStats are the chart renderer's counters.
func RendererStats(a *App) (chart.Stats, error) {
	rd, err := a.pages().renderer()
	if err != nil {
		return chart.Stats{}, err
	}
	return rd.Stats(), nil
}
