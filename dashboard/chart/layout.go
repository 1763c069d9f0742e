package chart

import (
	"encoding/json"
	"fmt"
	"math"
)

// MinMapWidth and MinMapHeight are the smallest canvas (CSS px) on which a
// map is drawn: below it the communes are specks and the legend and
// footnote unreadable, so the renderer draws a message saying so instead
// (TooSmallOption) rather than an empty or illegible frame.
const (
	MinMapWidth  = 480
	MinMapHeight = 270
)

// Rect is a box on the canvas in CSS px, from its top left corner.
type Rect struct {
	X, Y, W, H float64
}

// Area is the box's area in px².
func (r Rect) Area() float64 { return r.W * r.H }

// MapLayout is where the parts of a map on a slide go: the map fills the
// canvas height on the right, the title, subtitle, legend and footnote
// stand in a column on the left. Every shipped province is taller than a
// 16:9 frame's right-hand box, so this puts the map at full height; a
// wide map is fitted to the width left after the narrowest column.
type MapLayout struct {
	// Map is the plot area: the box the map's extent is fitted to (with
	// the map's own aspect when known, so the map touches all four sides).
	Map Rect
	// Column holds the slide text and the legend, left of Map.
	Column Rect
	// K scales the reference layout (1280×720) to the canvas.
	K float64
}

// Layout of a map slide, in px of the reference canvas (see Decorate).
const (
	mapGap       = 24.0  // between the column and the map
	mapColumnMin = 300.0 // narrowest column: the legend and a wrapped title
	mapColumnPx  = 170.0 // … and never under this many canvas px
)

// LayoutMap returns the layout of a width×height slide whose map has the
// given aspect (drawn width over height; 0 when unknown: the map gets the
// whole box right of the narrowest column and ECharts keeps its shape).
func LayoutMap(width, height int, aspect float64) MapLayout {
	W, H := float64(width), float64(height)
	k := math.Min(W/refW, H/refH)
	m, gap := math.Round(margin*k), math.Round(mapGap*k)
	colMin := math.Max(math.Round(mapColumnMin*k), mapColumnPx)
	maxW := math.Max(W-2*m-gap-colMin, 1)
	box := Rect{W: maxW, H: math.Max(H-2*m, 1)}
	if aspect > 0 {
		if w := aspect * box.H; w <= maxW {
			box.W = w
		} else {
			box.H = maxW / aspect
		}
	}
	box.X = W - m - box.W
	box.Y = (H - box.H) / 2
	return MapLayout{
		Map:    box,
		Column: Rect{X: m, Y: m, W: math.Max(box.X-gap-m, 1), H: H - 2*m},
		K:      k,
	}
}

// decorateMap lays out a map slide (LayoutMap): the map series in the plot
// area at its own aspect, the title and subtitle at the top of the column,
// the footnote at its bottom, the no-data entry and the class legend above
// the footnote. Text sizes follow the canvas with a floor that keeps them
// legible down to MinMapWidth×MinMapHeight.
func decorateMap(m map[string]any, s Slide, width, height int, bounds map[string]Bounds) {
	aspect := 0.0
	eachObject(m["series"], func(sr map[string]any) {
		if sr["type"] != "map" || aspect > 0 {
			return
		}
		name, _ := sr["map"].(string)
		as := 0.75 // ECharts' default aspectScale for GeoJSON
		if n, ok := sr["aspectScale"].(json.Number); ok {
			if f, err := n.Float64(); err == nil {
				as = f
			}
		}
		aspect = bounds[name].Aspect(as)
	})
	l := LayoutMap(width, height, aspect)
	k := l.K
	px := func(v, floor float64) int { return int(math.Max(math.Round(v*k), floor)) }
	col := l.Column
	colW := int(col.W)

	if s.Title != "" || s.Subtitle != "" {
		m["title"] = map[string]any{
			"left": int(col.X), "top": int(col.Y), "itemGap": px(8, 4),
			"text": s.Title, "subtext": s.Subtitle,
			"textStyle": map[string]any{"fontSize": px(titleSize, 14), "fontWeight": "bold", "color": "#1f2937",
				"width": colW, "overflow": "break"},
			"subtextStyle": map[string]any{"fontSize": px(subtitleSize, 11), "color": "#4b5563",
				"width": colW, "overflow": "break"},
		}
	}

	bottom := int(col.Y) // from the canvas' bottom edge: the column's foot
	if s.Footnote != "" {
		fs, lh := px(footSize, 9), px(footLineHeight, 12)
		lines := int(math.Max(1, math.Ceil(float64(runeCount(s.Footnote))*float64(fs)*0.55/col.W)))
		m["graphic"] = appendGraphic(m["graphic"], map[string]any{
			"type": "text", "id": "antq-footnote", "silent": true,
			"left": int(col.X), "bottom": bottom,
			"style": map[string]any{
				"text": s.Footnote, "fontSize": fs, "lineHeight": lh,
				"fill": "#4b5563", "width": colW, "overflow": "break",
			},
		})
		bottom += lines*lh + px(24, 8)
	}

	fs := px(textSize, 10)
	itemW, itemH := px(24, 14), px(16, 10)
	eachObject(m["series"], func(sr map[string]any) {
		if l, ok := sr["label"].(map[string]any); ok {
			if f, ok := l["fontSize"].(json.Number); ok {
				v, _ := f.Float64()
				l["fontSize"] = px(v, 9)
			} else {
				l["fontSize"] = fs
			}
		}
		if sr["type"] != "map" {
			return
		}
		delete(sr, "right")
		delete(sr, "bottom")
		sr["left"], sr["top"] = round2(l.Map.X), round2(l.Map.Y)
		sr["width"], sr["height"] = round2(l.Map.W), round2(l.Map.H)
		sr["preserveAspect"] = "contain" // a no-op when the aspect was known
	})
	hasNoData := false
	eachObject(m["graphic"], func(g map[string]any) {
		if g["id"] != "antq-nodata" {
			return
		}
		hasNoData = true
		g["left"], g["bottom"] = int(col.X), bottom
		g["children"] = []any{
			map[string]any{"type": "rect", "shape": map[string]any{"x": 0, "y": 0, "width": itemW, "height": itemH}, "style": map[string]any{"fill": NoDataColor}},
			map[string]any{"type": "text", "x": itemW + px(8, 4), "y": px(1, 0), "style": map[string]any{"text": noDataText(g), "fill": "#333333", "fontSize": fs}},
		}
	})
	if hasNoData {
		bottom += itemH + px(14, 6)
	}
	eachObject(m["visualMap"], func(v map[string]any) {
		setDefault(sub(v, "textStyle"), "fontSize", fs)
		setDefault(v, "itemWidth", itemW)
		setDefault(v, "itemHeight", itemH)
		setDefault(v, "itemGap", px(8, 4))
		v["left"], v["bottom"] = int(col.X), bottom
		delete(v, "top")
		delete(v, "right")
	})
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// TooSmallOption is the picture drawn instead of a map on a canvas under
// MinMapWidth×MinMapHeight: what happened and what to ask for, in
// Vietnamese first, then English.
func TooSmallOption(width, height int) []byte {
	vi := fmt.Sprintf("Khung %d×%d px quá nhỏ để đọc bản đồ. Hãy chọn ít nhất %d×%d px (ví dụ preset=16:9-small).", width, height, MinMapWidth, MinMapHeight)
	en := fmt.Sprintf("%d×%d px is too small for a legible map: use at least %d×%d px (e.g. preset=16:9-small).", width, height, MinMapWidth, MinMapHeight)
	fs := math.Max(9, math.Min(16, float64(width)/28))
	w := float64(width) - 2*math.Max(8, float64(width)/20)
	opt := map[string]any{
		"animation": false,
		"graphic": []any{map[string]any{
			"type": "text", "id": "antq-too-small", "left": "center", "top": "middle", "silent": true,
			"style": map[string]any{
				"text": vi + "\n\n" + en, "fontSize": fs, "lineHeight": math.Round(fs * 1.35), "fill": "#1f2937",
				"width": int(w), "overflow": "break", "align": "center",
			},
		}},
	}
	b, _ := json.Marshal(opt) // plain values: cannot fail
	return b
}
