package dashboard

import (
	"github.com/antq-atlas/antq/dashboard/params"

	"context"
)

// /api/v1/findings: the sentences a leader reads first, answered by
// dashboard/findings (what counts as a finding: analytics/finding).

func (a *App) apiFindings(ctx context.Context, r request) (response, error) {
	p, err := params.Province(a.deps.Geo, r.query, false)
	if err != nil {
		return response{}, err
	}
	now := a.cfg.Now()
	w, err := params.Period(r.query, now)
	if err != nil {
		return response{}, err
	}
	cmp, err := params.Compare(r.query, w, now)
	if err != nil {
		return response{}, err
	}
	lang, err := params.Enum(r.query, "lang", []string{"vi", "en"}, "vi")
	if err != nil {
		return response{}, err
	}
	body, err := a.svc.find.Answer(ctx, p, w, cmp, lang, a.sourceOf(p), a.svc.sourceEN(p))
	if err != nil {
		return response{}, err
	}
	return jsonResponse(body, ctJSON)
}
