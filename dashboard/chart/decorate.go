package chart

import (
	"bytes"
	"encoding/json"
	"math"
	"time"
	"unicode/utf8"

	"github.com/antq-atlas/antq/analytics"
)

// Slide is the text a chart carries on a slide: a title, a subtitle (the
// window, "Số liệu từ 15/12/2024 đến 14/12/2025") and a footnote ("Nguồn: …;
// Số liệu từ … đến …; Đơn vị tính: …").
type Slide struct {
	Title    string `json:"title,omitempty"`
	Subtitle string `json:"subtitle,omitempty"`
	Footnote string `json:"footnote,omitempty"`
}

// Window writes the period a figure covers: "Số liệu từ 15/12/2024 đến
// 14/12/2025" (analytics.Window.LabelVI of a whole window).
func Window(from, to time.Time) string {
	return analytics.Window{From: from, To: to.AddDate(0, 0, 1)}.LabelVI()
}

// Footnote writes the footnote of a whole window from its first to its last
// day: "Nguồn: Công an tỉnh Tuyên Quang; Số liệu từ 15/12/2024 đến
// 14/12/2025; Đơn vị tính: điểm" (analytics.Footnote, which the dashboard
// calls with the window itself so a partial one says so). Empty parts are
// left out.
func Footnote(source string, from, to time.Time, unit string) string {
	w := analytics.Window{}
	if !from.IsZero() && !to.IsZero() {
		w = analytics.Window{From: from, To: to.AddDate(0, 0, 1)}
	}
	return analytics.Footnote(analytics.LangVI, source, w, unit)
}

// Layout of a decorated slide at the reference canvas 1280×720 in px; Decorate
// scales it with the canvas so a 1920×1080 slide looks the same, only finer.
const (
	refW, refH     = 1280.0, 720.0
	margin         = 32.0
	titleSize      = 26.0
	subtitleSize   = 16.0
	footSize       = 13.0
	footLineHeight = 18.0
	textSize       = 14.0 // axis labels, legend, data labels
)

// Decorate merges slide text into an option for a width×height canvas: the
// title and subtitle at the top left, the footnote as a graphic text at the
// bottom, the plot area (grid, pie) kept clear of both, and the chart's
// own text sizes scaled with the canvas where the option did not set them.
// A map is laid out as LayoutMap says (the map at full height beside a
// column of text); Decorate does not know the map's extent, the renderer
// does and fits it to its box.
func Decorate(option json.RawMessage, s Slide, width, height int) (json.RawMessage, error) {
	return DecorateBounds(option, s, width, height, nil)
}

// DecorateBounds is Decorate with the extents of the maps the option draws, by
// map name.
func DecorateBounds(option json.RawMessage, s Slide, width, height int, bounds map[string]Bounds) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(option))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, analytics.Errorf(analytics.CodeInvalid, "chart option is not a JSON object")
	}
	isMap := false
	eachObject(m["series"], func(sr map[string]any) { isMap = isMap || sr["type"] == "map" })
	if isMap {
		decorateMap(m, s, width, height, bounds)
		return encodeOption(m)
	}
	k := math.Min(float64(width)/refW, float64(height)/refH)
	px := func(v float64) int { return int(math.Round(v * k)) }

	top := px(margin)
	if s.Title != "" || s.Subtitle != "" {
		t := map[string]any{
			"left": px(margin), "top": px(20), "itemGap": px(8),
			"text": s.Title, "subtext": s.Subtitle,
			"textStyle":    map[string]any{"fontSize": px(titleSize), "fontWeight": "bold", "color": "#1f2937"},
			"subtextStyle": map[string]any{"fontSize": px(subtitleSize), "color": "#4b5563"},
		}
		m["title"] = t
		h := 20.0
		if s.Title != "" {
			h += titleSize * 1.25
		}
		if s.Subtitle != "" {
			h += 8 + subtitleSize*1.25
		}
		top = px(h + 28)
	}

	bottom := px(margin)
	if s.Footnote != "" {
		avail := float64(width) - 2*float64(px(margin))
		// DejaVu Sans averages ≈ 0.55 em per character of Vietnamese text.
		lines := math.Max(1, math.Ceil(float64(utf8.RuneCountInString(s.Footnote))*float64(px(footSize))*0.55/avail))
		foot := map[string]any{
			"type": "text", "id": "antq-footnote", "silent": true,
			"left": px(margin), "bottom": px(16),
			"style": map[string]any{
				"text": s.Footnote, "fontSize": px(footSize), "lineHeight": px(footLineHeight),
				"fill": "#4b5563", "width": int(avail), "overflow": "break",
			},
		}
		m["graphic"] = appendGraphic(m["graphic"], foot)
		bottom = px(16) + int(lines)*px(footLineHeight) + px(32)
	}

	fs := px(textSize)
	if l, ok := m["legend"].(map[string]any); ok {
		setDefault(l, "top", px(24))
		setDefault(l, "right", px(margin))
		setDefault(l, "itemWidth", px(24))
		setDefault(l, "itemHeight", px(14))
		setDefault(sub(l, "textStyle"), "fontSize", fs)
		if show, _ := l["show"].(bool); show && s.Title == "" {
			top = max(top, px(24)+fs+px(24))
		}
	}
	_, hasX := m["xAxis"]
	if hasX {
		g, _ := m["grid"].(map[string]any)
		if g == nil {
			g = map[string]any{"containLabel": true, "left": px(margin), "right": px(margin)}
			m["grid"] = g
		}
		g["top"], g["bottom"] = top+px(8), bottom
		if l, ok := g["left"].(json.Number); ok {
			g["left"] = scaleNumber(l, k)
		}
		if r, ok := g["right"].(json.Number); ok {
			g["right"] = scaleNumber(r, k)
		}
		for _, ax := range []string{"xAxis", "yAxis"} {
			eachObject(m[ax], func(a map[string]any) {
				setDefault(sub(a, "axisLabel"), "fontSize", fs)
				setDefault(sub(a, "nameTextStyle"), "fontSize", fs)
			})
		}
	}
	eachObject(m["series"], func(sr map[string]any) {
		if l, ok := sr["label"].(map[string]any); ok {
			if f, ok := l["fontSize"].(json.Number); ok {
				l["fontSize"] = scaleNumber(f, k)
			} else {
				l["fontSize"] = fs
			}
		}
		if sr["type"] == "pie" {
			setDefault(sr, "center", []any{"50%", (top + height - bottom) / 2})
		}
	})
	return encodeOption(m)
}

// encodeOption writes a decorated option (no HTML escaping: the text is
// drawn, not embedded in a page).
func encodeOption(m map[string]any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, analytics.Errorf(analytics.CodeInvalid, "decorate chart option: %v", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// appendGraphic adds el to an option's graphic, which may be absent, one
// element, a list, or an object with elements.
func appendGraphic(g any, el map[string]any) any {
	switch v := g.(type) {
	case []any:
		return append(v, el)
	case map[string]any:
		if els, ok := v["elements"].([]any); ok {
			v["elements"] = append(els, el)
			return v
		}
		return []any{v, el}
	}
	return []any{el}
}

func eachObject(v any, fn func(map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		fn(v)
	case []any:
		for _, e := range v {
			if o, ok := e.(map[string]any); ok {
				fn(o)
			}
		}
	}
}

// sub returns m[key] as an object, creating it when absent.
func sub(m map[string]any, key string) map[string]any {
	if o, ok := m[key].(map[string]any); ok {
		return o
	}
	o := map[string]any{}
	m[key] = o
	return o
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }

func setDefault(m map[string]any, key string, v any) {
	if _, ok := m[key]; !ok {
		m[key] = v
	}
}

func scaleNumber(n json.Number, k float64) any {
	f, err := n.Float64()
	if err != nil {
		return n
	}
	return int(math.Round(f * k))
}

// noDataText is the label of the no-data entry g (noDataLegend).
func noDataText(g map[string]any) string {
	if ch, ok := g["children"].([]any); ok {
		for _, c := range ch {
			if o, ok := c.(map[string]any); ok {
				if st, ok := o["style"].(map[string]any); ok {
					if t, ok := st["text"].(string); ok {
						return t
					}
				}
			}
		}
	}
	return "Không có số liệu"
}
