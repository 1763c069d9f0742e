package dashboard

import (
	"context"
	"net/url"
	"strconv"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/briefing"
	"github.com/antq-atlas/antq/dashboard/charts"
	"github.com/antq-atlas/antq/dashboard/params"
	"github.com/antq-atlas/antq/internal/pptx"

	"golang.org/x/sync/errgroup"
)

// The briefing deck, /api/v1/briefing.pptx: eight slides written by
// dashboard/briefing, four of them pictures drawn here by the renderer.

// briefingEndpoint answers /api/v1/briefing.pptx?province=&period=&compare=
// (&metric=, default sites; &scale=1|2 of the pictures: 1 by default, a
// 1920×1080 picture fills a full-HD projector; 2 for print or 4K screens).
func (a *App) briefingEndpoint(ctx context.Context, r request) (response, error) {
	q := params.Clone(r.query)
	if q.Get("compare") == "" {
		q.Set("compare", "prev")
	}
	if q.Get("metric") == "" {
		q.Set("metric", "sites")
	}
	scale := 1.0
	if v := q.Get("scale"); v != "" {
		s, err := strconv.ParseFloat(v, 64)
		if err != nil || s < 1 || s > 2 {
			return response{}, params.Invalid("scale", v, "1 hoặc 2", "1 or 2")
		}
		scale = s
	}
	q.Del("scale")
	mp, err := a.svc.params.Map(ctx, q)
	if err != nil {
		return response{}, err
	}
	if mp.Province == "" {
		return response{}, params.Invalid("province", analytics.ProvinceAll, "một tỉnh (bản tin theo tỉnh)", "one province (the deck is per province)")
	}
	source := a.sourceOf(mp.Province)
	sum, err := a.svc.fig.Summary(ctx, mp.Province, mp.Window, mp.Compare, source)
	if err != nil {
		return response{}, err
	}
	rank, err := a.svc.fig.Ranking(ctx, mp, 0)
	if err != nil {
		return response{}, err
	}

	// A deck build is admitted as one piece of work costing the client's
	// share of the renderers (admission.go); its four pictures are drawn
	// that many at a time.
	cost := a.admit.Share()
	release, err := a.admit.Enter(ctx, r.client, cost)
	if err != nil {
		return response{}, err
	}
	defer release()
	rd, err := a.pages().renderer()
	if err != nil {
		return response{}, err
	}
	names := []string{"map", "delta", "trend", "breakdown"}
	pics := make([][]byte, len(names))
	titles := make([]string, len(names))
	var g errgroup.Group
	g.SetLimit(int(cost))
	for i, name := range names {
		bc, err := a.charts.FromQuery(ctx, name, q)
		if err != nil {
			g.Wait()
			return response{}, err
		}
		spec := bc.Spec
		spec.Width, spec.Height, spec.Scale = 1920, 1080, scale
		titles[i] = spec.Slide.Title
		g.Go(func() (err error) {
			pics[i], err = rd.PNG(ctx, spec)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return response{}, err
	}

	d := pptx.Deck{Title: "Bản tin phong trào Toàn dân bảo vệ ANTQ — " + sum.ProvinceName, Created: a.cfg.Now()}
	d.Slides = append(d.Slides, briefing.TitleSlide(sum, mp, source, a.deps.Synthetic, a.cfg.Now()))
	d.Slides = append(d.Slides, briefing.HeadlineSlide(sum, mp))
	fb, err := a.svc.find.Answer(ctx, mp.Province, mp.Window, mp.Compare, "vi", source, a.svc.sourceEN(mp.Province))
	if err != nil {
		return response{}, err
	}
	d.Slides = append(d.Slides, briefing.FindingsSlide(fb))
	for i := range names {
		d.Slides = append(d.Slides, pptx.Slide{Shapes: []string{pptx.PictureShape(2, titles[i], "rId2", 0, 0, pptx.SlideW, pptx.SlideH)}, Image: pics[i]})
	}
	d.Slides = append(d.Slides, briefing.RankingSlide(rank, mp, source, a.deps.Synthetic))
	b, err := d.Write()
	if err != nil {
		return response{}, analytics.Errorf(analytics.CodeInternal, "write briefing deck: %w", err)
	}
	file := charts.Filename("briefing", url.Values{"province": {string(mp.Province)}, "period": {mp.Window.Spec}}, "pptx")
	return response{body: b, contentType: ctPPTX, disposition: `attachment; filename="` + file + `"`}, nil
}
