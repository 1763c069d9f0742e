package chart

import (
	"math"
	"strings"
	"testing"
)

// TestLayoutMap: the map box sits right of the column inside the margins,
// keeps the map's aspect, spans the height for a tall map and the width
// left by the narrowest column for a wide one.
func TestLayoutMap(t *testing.T) {
	for _, c := range []struct {
		name          string
		w, h          int
		aspect        float64
		fullHeight    bool
		wantColumnMin bool
	}{
		{"tall province, 16:9", 1920, 1080, 0.63, true, false},
		{"tall province, 4:3", 1440, 1080, 0.69, true, false},
		{"tall province, 800×450", 800, 450, 0.63, true, false},
		{"tall province, smallest", MinMapWidth, MinMapHeight, 0.63, true, false},
		{"wide map, 16:9", 1920, 1080, 2.5, false, true},
		{"unknown aspect", 1280, 720, 0, true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := LayoutMap(c.w, c.h, c.aspect)
			m, col := l.Map, l.Column
			if m.X < col.X+col.W || m.X+m.W > float64(c.w)+0.01 || m.Y < 0 || m.Y+m.H > float64(c.h)+0.01 {
				t.Errorf("map %+v overlaps the column %+v or leaves the %d×%d canvas", m, col, c.w, c.h)
			}
			if c.aspect > 0 && math.Abs(m.W/m.H-c.aspect) > 1e-9 {
				t.Errorf("map box aspect %g, want %g", m.W/m.H, c.aspect)
			}
			if full := m.H >= float64(c.h)-2*math.Round(margin*l.K)-0.01; full != c.fullHeight {
				t.Errorf("map %+v at full height = %v, want %v", m, full, c.fullHeight)
			}
			minCol := math.Max(math.Round(mapColumnMin*l.K), mapColumnPx)
			if col.W < minCol-0.01 || (c.wantColumnMin && math.Abs(col.W-minCol) > 0.01) {
				t.Errorf("column %g px wide, want ≥ %g (exactly when the map is wide)", col.W, minCol)
			}
		})
	}
}

// TestTooSmallOption: the message names the canvas and the minimum, in
// Vietnamese first.
func TestTooSmallOption(t *testing.T) {
	s := string(TooSmallOption(320, 200))
	vi, en := strings.Index(s, "quá nhỏ để đọc bản đồ"), strings.Index(s, "too small for a legible map")
	if vi < 0 || en < vi || !strings.Contains(s, "320×200") || !strings.Contains(s, "480×270") {
		t.Errorf("message: %s", s)
	}
}
