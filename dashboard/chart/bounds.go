package chart

// Bounds is a map's extent in degrees (WGS84 lon/lat): the rectangle
// ECharts fits into a map series' box, so the slide layout knows the map's
// shape before drawing it (MapLayout).
type Bounds struct {
	MinX, MinY, MaxX, MaxY float64
}

// Aspect is the drawn width over height of the bounds with ECharts'
// aspectScale (x is scaled by it); 0 when the bounds are empty.
func (b Bounds) Aspect(aspectScale float64) float64 {
	w, h := b.MaxX-b.MinX, b.MaxY-b.MinY
	if !(w > 0 && h > 0) || !(aspectScale > 0) {
		return 0
	}
	return w * aspectScale / h
}
