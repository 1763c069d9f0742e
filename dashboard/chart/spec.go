package chart

import (
	"encoding/json"
	"math"
	"sort"
	"strings"

	"github.com/antq-atlas/antq/analytics"
)

// Format is an output format of the renderer.
type Format string

// Output formats.
const (
	SVG Format = "svg"
	PNG Format = "png"
)

// Limits on a Spec. Sizes are in CSS pixels of the SVG canvas; a PNG has
// Width·Scale × Height·Scale device pixels.
const (
	MinSide     = 100
	MaxSide     = 4096
	MinScale    = 0.5
	MaxScale    = 4
	MaxPNGSide  = 8192 // device pixels on either side of a PNG
	DefaultW    = 1280
	DefaultH    = 720
	maxOptionSz = 8 << 20 // option JSON, bytes
)

// MaxPixels bounds a PNG's device pixels (16 Mpx: 4096×4096 at scale 1):
// rsvg-convert's memory grows with them (≈ 280 MiB for 64 Mpx).
const MaxPixels = 16 << 20

// Spec is one chart to render: an ECharts option and the canvas.
type Spec struct {
	// Option is ECharts option JSON, e.g. from Bar, Line, Pie or Map.
	// Formatter strings "antq:..." are revived by antq.js (see package doc).
	Option json.RawMessage
	// Width and Height of the canvas in CSS pixels; 0 means 1280×720.
	Width, Height int
	// Scale multiplies the PNG's pixels (2 for slides); 0 means 1. SVG is
	// vector and ignores it.
	Scale float64
	// Maps are GeoJSON FeatureCollections (WGS84 lon/lat) by the map name
	// the option's map series use; each is registered once per runtime and
	// MapVersion. A spec with Maps on a canvas under MinMapWidth×
	// MinMapHeight draws a message saying the map is too small to read.
	Maps map[string]json.RawMessage
	// MapVersion names the Maps' content, e.g. "tq-2025-simplified-1".
	// Leave it empty to have the bytes hashed on every call (≈ 1 ms per MB).
	MapVersion string
	// Slide, when set, adds a title, a subtitle and a footnote sized to the
	// canvas (see Decorate).
	Slide *Slide
}

// Preset is a named canvas for slides.
type Preset struct {
	Name          string
	Width, Height int
	Scale         float64
}

// Presets are the canvases offered for slides. PNGs use scale 2 so text stays
// crisp on a projector; the SVG is the same drawing.
var Presets = map[string]Preset{
	"16:9":       {Name: "16:9", Width: 1920, Height: 1080, Scale: 2},
	"16:9-small": {Name: "16:9-small", Width: 1280, Height: 720, Scale: 2},
	"hd":         {Name: "hd", Width: 1280, Height: 720, Scale: 2},
	"4:3":        {Name: "4:3", Width: 1440, Height: 1080, Scale: 2},
}

// PresetByName returns the preset called name, or an invalid error listing
// the names.
func PresetByName(name string) (Preset, error) {
	if p, ok := Presets[name]; ok {
		return p, nil
	}
	names := make([]string, 0, len(Presets))
	for n := range Presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return Preset{}, analytics.Errorf(analytics.CodeInvalid, "unknown chart size %q: use one of %s", name, strings.Join(names, ", "))
}

// Apply sets the spec's canvas from the preset.
func (p Preset) Apply(s Spec) Spec {
	s.Width, s.Height, s.Scale = p.Width, p.Height, p.Scale
	return s
}

// Normalized fills defaults and checks the ranges; errors have code invalid.
func (s Spec) Normalized(f Format) (Spec, error) {
	if s.Width == 0 && s.Height == 0 {
		s.Width, s.Height = DefaultW, DefaultH
	}
	if s.Scale == 0 {
		s.Scale = 1
	}
	if f == SVG {
		s.Scale = 1
	}
	switch {
	case len(s.Option) == 0:
		return s, analytics.Errorf(analytics.CodeInvalid, "chart option is empty")
	case len(s.Option) > maxOptionSz:
		return s, analytics.Errorf(analytics.CodeInvalid, "chart option is %d bytes, over the limit of %d", len(s.Option), maxOptionSz)
	case s.Width < MinSide || s.Width > MaxSide || s.Height < MinSide || s.Height > MaxSide:
		return s, analytics.Errorf(analytics.CodeInvalid, "chart size %d×%d out of range: each side must be %d–%d px", s.Width, s.Height, MinSide, MaxSide)
	case math.IsNaN(s.Scale) || s.Scale < MinScale || s.Scale > MaxScale:
		return s, analytics.Errorf(analytics.CodeInvalid, "chart scale %g out of range: must be %g–%g", s.Scale, float64(MinScale), float64(MaxScale))
	case float64(s.Width)*s.Scale > MaxPNGSide || float64(s.Height)*s.Scale > MaxPNGSide:
		return s, analytics.Errorf(analytics.CodeInvalid, "chart %d×%d at scale %g exceeds %d px per side", s.Width, s.Height, s.Scale, MaxPNGSide)
	case f == PNG && float64(s.Width)*s.Scale*float64(s.Height)*s.Scale > MaxPixels:
		return s, analytics.Errorf(analytics.CodeInvalid, "ảnh %d×%d ở tỉ lệ %g vượt quá 16 triệu điểm ảnh / chart %d×%d at scale %g exceeds %d pixels (16 Mpx)",
			s.Width, s.Height, s.Scale, s.Width, s.Height, s.Scale, MaxPixels)
	case !json.Valid(s.Option):
		return s, analytics.Errorf(analytics.CodeInvalid, "chart option is not valid JSON")
	}
	for name := range s.Maps {
		if name == "" {
			return s, analytics.Errorf(analytics.CodeInvalid, "chart map has an empty name")
		}
	}
	return s, nil
}

// Pixels is the PNG size in device pixels.
func (s Spec) Pixels() (int, int) {
	return int(math.Round(float64(s.Width) * s.Scale)), int(math.Round(float64(s.Height) * s.Scale))
}

// Sides and Scales are the canvas sizes served to requests (Snap): a chart
// URL may name any width, height and scale, and gets the nearest of these,
// so sizes a pixel apart share one rendering in the cache instead of each
// costing a rasterisation. The sides hold the common screen and slide sizes
// (the presets among them) at steps of 6–20 %.
var (
	Sides  = []int{100, 120, 160, 200, 240, 270, 320, 360, 400, 480, 540, 600, 640, 720, 800, 900, 960, 1024, 1080, 1200, 1280, 1440, 1600, 1920, 2048, 2160, 2560, 2880, 3200, 3840, 4096}
	Scales = []float64{0.5, 1, 1.5, 2, 3, 4}
)

// Snap returns the served canvas for a requested one: each side and the
// scale moved to the nearest value of Sides and Scales (the larger on a
// tie). Values already in the lists are kept.
func Snap(w, h int, scale float64) (int, int, float64) {
	return nearestInt(Sides, w), nearestInt(Sides, h), nearestFloat(Scales, scale)
}

func nearestInt(list []int, v int) int {
	best := list[0]
	for _, x := range list {
		if d, bd := abs(x-v), abs(best-v); d < bd || d == bd && x > best {
			best = x
		}
	}
	return best
}

func nearestFloat(list []float64, v float64) float64 {
	best := list[0]
	for _, x := range list {
		if d, bd := math.Abs(x-v), math.Abs(best-v); d < bd || d == bd && x > best {
			best = x
		}
	}
	return best
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
