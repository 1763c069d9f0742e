package commune

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/topo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Level is a boundary resolution.
type Level string

// Boundary levels. Medium and low are prepared at Load from the shared arcs
// of the all-34 TopoJSON, so neighbouring communes share their simplified
// edges exactly (no gaps, no overlaps along shared edges); full is loaded
// per province on first use.
const (
	// LevelFull is the portal geometry at full resolution when a reference
	// folder is configured (Config.RefDir); otherwise the embedded bundle's
	// detailed level: the same shared arcs simplified at 5e-5° (≈ 5 m),
	// which places points like full resolution (TestPointPlacement).
	LevelFull Level = "full"
	// LevelMedium is the all-34 TopoJSON as published (mapshaper,
	// "-simplify 5% keep-shapes"): about 64 points per commune.
	LevelMedium Level = "medium"
	// LevelLow is LevelMedium with every arc simplified by Douglas–Peucker
	// at LowTolerance, arc endpoints kept; for country-wide maps.
	LevelLow Level = "low"
)

// LowTolerance is the Douglas–Peucker tolerance of LevelLow in degrees
// (0.001° ≈ 110 m north–south, ≈ 100 m east–west at 21° N).
const LowTolerance = 0.001

// Levels lists the boundary levels, finest first.
var Levels = []Level{LevelFull, LevelMedium, LevelLow}

// ParseLevel returns the level named s ("" = medium).
func ParseLevel(s string) (Level, error) {
	switch Level(s) {
	case "":
		return LevelMedium, nil
	case LevelFull, LevelMedium, LevelLow:
		return Level(s), nil
	}
	return "", analytics.Errorf(analytics.CodeInvalid, "unknown boundary level %q (full, medium, low)", s)
}

// attachTopology prepares LevelMedium and LevelLow for every commune and
// the bounding boxes of communes and provinces.
func (s *Set) attachTopology(t *topo.Topology) error {
	s.topo = t
	low := make([][]orb.Point, len(t.Arcs))
	for i, a := range t.Arcs {
		low[i] = topo.Simplify(a, LowTolerance)
	}
	s.levels = map[Level][]orb.MultiPolygon{
		LevelMedium: make([]orb.MultiPolygon, len(s.Communes)),
		LevelLow:    make([]orb.MultiPolygon, len(s.Communes)),
	}
	for gi := range t.Geoms {
		g := &t.Geoms[gi]
		i, ok := s.communeIdx[analytics.CommuneCode(g.ID)]
		if !ok {
			return fmt.Errorf("topology geometry %q is not a 2025 commune", g.ID)
		}
		med, _ := g.MultiPolygon(t.Arcs, nil)
		lo, _ := g.MultiPolygon(low, t.Arcs)
		s.levels[LevelMedium][i], s.levels[LevelLow][i] = med, lo
		s.Communes[i].Bound = med.Bound()
	}
	for i := range s.Provinces {
		s.Provinces[i].Bound = orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	}
	for i := range s.Communes {
		c := &s.Communes[i]
		if s.levels[LevelMedium][i] == nil {
			continue
		}
		if pi, ok := s.provIdx[c.Province]; ok {
			s.Provinces[pi].Bound = s.Provinces[pi].Bound.Union(c.Bound)
		}
	}
	return nil
}

// Boundary returns a commune's boundary at a level. LevelFull reads the
// province's full-resolution file (or the embedded detailed level) on
// first use (and falls back to
// LevelMedium for provinces outside Config.Provinces). The geometry is
// shared: do not modify it (RFC7946 returns a copy).
func (s *Set) Boundary(ctx context.Context, code analytics.CommuneCode, level Level) (orb.MultiPolygon, error) {
	i, ok := s.communeIdx[code]
	if !ok {
		return nil, analytics.Errorf(analytics.CodeNotFound, "no 2025 commune with code %q", code)
	}
	if level == LevelFull {
		p := s.Communes[i].Province
		if s.fullOK == nil || s.fullOK[p] {
			fp, err := s.fullProvince(ctx, p)
			if err != nil {
				return nil, err
			}
			if g, ok := fp[code]; ok {
				return g, nil
			}
			return nil, analytics.Errorf(analytics.CodeNotFound, "no full-resolution boundary for commune %q", code)
		}
		level = LevelMedium
	}
	lv, ok := s.levels[level]
	if !ok {
		return nil, analytics.Errorf(analytics.CodeInvalid, "unknown boundary level %q", level)
	}
	if lv[i] == nil {
		return nil, analytics.Errorf(analytics.CodeNotFound, "no boundary for commune %q", code)
	}
	return lv[i], nil
}

// Locate returns the 2025 commune whose LevelMedium boundary contains the
// point (WGS84 lon, lat). Near a boundary the simplified edge may differ
// from the full one by up to a few hundred metres; Contains with LevelFull
// is exact.
func (s *Set) Locate(lon, lat float64) (*Commune, bool) {
	pt := orb.Point{lon, lat}
	med := s.levels[LevelMedium]
	for i := range s.Communes {
		if !s.Communes[i].Bound.Contains(pt) || med[i] == nil {
			continue
		}
		if planar.MultiPolygonContains(med[i], pt) {
			return &s.Communes[i], true
		}
	}
	return nil, false
}

// Contains reports whether the commune's boundary at level contains the
// point (WGS84 lon, lat).
func (s *Set) Contains(ctx context.Context, code analytics.CommuneCode, level Level, lon, lat float64) (bool, error) {
	g, err := s.Boundary(ctx, code, level)
	if err != nil {
		return false, err
	}
	pt := orb.Point{lon, lat}
	if !g.Bound().Contains(pt) {
		return false, nil
	}
	return planar.MultiPolygonContains(g, pt), nil
}

// InBound returns the communes whose bounding box intersects b (an OGC API
// bbox filter), sorted by code.
func (s *Set) InBound(b orb.Bound) []*Commune {
	var out []*Commune
	for i := range s.Communes {
		if s.levels[LevelMedium][i] != nil && s.Communes[i].Bound.Intersects(b) {
			out = append(out, &s.Communes[i])
		}
	}
	return out
}

// fullProvince returns the full-resolution boundaries of one province,
// reading them on first use: without a reference folder, the embedded
// detailed level; else the province's own GeoJSON when the folder has one
// (Tuyên Quang, Phú Thọ), else a stream scan of the all-34 NDJSON keeping
// only that province's lines.
func (s *Set) fullProvince(ctx context.Context, p analytics.ProvinceCode) (map[analytics.CommuneCode]orb.MultiPolygon, error) {
	s.fullMu.Lock()
	defer s.fullMu.Unlock()
	if fp, ok := s.full[p]; ok {
		return fp.geoms, nil
	}
	var (
		geoms map[analytics.CommuneCode]orb.MultiPolygon
		err   error
	)
	if s.cfg.RefDir == "" {
		geoms, err = s.detailProvince(p)
		if err != nil {
			return nil, err
		}
		s.full[p] = &fullProvince{geoms: geoms}
		return geoms, nil
	}
	own := map[analytics.ProvinceCode]string{"08": fileFullTQ, "25": fileFullPT}[p]
	if own != "" {
		if _, statErr := os.Stat(filepath.Join(s.cfg.RefDir, own)); statErr != nil {
			own = ""
		}
	}
	if own != "" {
		geoms, err = readFullGeoJSON(filepath.Join(s.cfg.RefDir, own), p)
	} else {
		geoms, err = scanFullNDJSON(ctx, filepath.Join(s.cfg.RefDir, FileFullRes), p)
	}
	if err != nil {
		return nil, err
	}
	s.full[p] = &fullProvince{geoms: geoms}
	return geoms, nil
}

// detailProvince assembles one province's boundaries from the embedded
// bundle's detailed level (the full-resolution boundaries in shared arcs,
// simplified at the bundle's tolerance of 5e-5°), decoding it on first
// use. The caller holds fullMu.
func (s *Set) detailProvince(p analytics.ProvinceCode) (map[analytics.CommuneCode]orb.MultiPolygon, error) {
	if s.detail == nil {
		t, err := readTopology(sourceOf(Config{}), bundleDetail)
		if err != nil {
			return nil, err
		}
		s.detail = t
	}
	out := map[analytics.CommuneCode]orb.MultiPolygon{}
	for gi := range s.detail.Geoms {
		g := &s.detail.Geoms[gi]
		if g.Province != string(p) {
			continue
		}
		mp, _ := g.MultiPolygon(s.detail.Arcs, nil)
		out[analytics.CommuneCode(g.ID)] = mp
	}
	return out, nil
}

type fullProvince struct {
	geoms map[analytics.CommuneCode]orb.MultiPolygon
}

// PreloadFull reads the full-resolution boundaries of the provinces now
// (e.g. in the background after start-up) instead of on first use.
func (s *Set) PreloadFull(ctx context.Context, provinces ...analytics.ProvinceCode) error {
	for _, p := range provinces {
		if _, err := s.fullProvince(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// inFeature is the part of an input GeoJSON feature the loaders read.
type inFeature struct {
	Properties struct {
		Code     string `json:"code"`
		Province string `json:"province_code"`
	} `json:"properties"`
	Geometry struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

func (f *inFeature) multiPolygon() (orb.MultiPolygon, error) {
	switch f.Geometry.Type {
	case "MultiPolygon":
		var mp orb.MultiPolygon
		err := json.Unmarshal(f.Geometry.Coordinates, &mp)
		return mp, err
	case "Polygon":
		var p orb.Polygon
		err := json.Unmarshal(f.Geometry.Coordinates, &p)
		return orb.MultiPolygon{p}, err
	}
	return nil, fmt.Errorf("commune %s: geometry type %q, want (Multi)Polygon", f.Properties.Code, f.Geometry.Type)
}

func readFullGeoJSON(path string, p analytics.ProvinceCode) (map[analytics.CommuneCode]orb.MultiPolygon, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read full-resolution boundaries: %w", err)
	}
	var fc struct {
		Features []inFeature `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	out := make(map[analytics.CommuneCode]orb.MultiPolygon, len(fc.Features))
	for i := range fc.Features {
		f := &fc.Features[i]
		if f.Properties.Province != string(p) {
			continue
		}
		mp, err := f.multiPolygon()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
		}
		out[analytics.CommuneCode(f.Properties.Code)] = mp
	}
	return out, nil
}

func scanFullNDJSON(ctx context.Context, path string, p analytics.ProvinceCode) (map[analytics.CommuneCode]orb.MultiPolygon, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read full-resolution boundaries: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 1<<20)
	want := []byte(`"province_code":"` + string(p) + `"`)
	out := map[analytics.CommuneCode]orb.MultiPolygon{}
	for n := 0; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			// The properties come before the geometry: look only at the head.
			head := line
			if i := bytes.Index(line, []byte(`"geometry"`)); i > 0 {
				head = line[:i]
			}
			if bytes.Contains(head, want) {
				var ft inFeature
				uerr := json.Unmarshal(line, &ft)
				var mp orb.MultiPolygon
				if uerr == nil {
					mp, uerr = ft.multiPolygon()
				}
				if uerr != nil {
					return nil, fmt.Errorf("read %s line %d: %w", filepath.Base(path), n+1, uerr)
				}
				out[analytics.CommuneCode(ft.Properties.Code)] = mp
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
		}
	}
	return out, nil
}

// Feature is an RFC 7946 GeoJSON feature with a MultiPolygon geometry.
type Feature struct {
	Type       string         `json:"type"` // "Feature"
	ID         string         `json:"id,omitempty"`
	Geometry   Geometry       `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// Geometry is a GeoJSON MultiPolygon (orb.MultiPolygon encodes as nested
// coordinate arrays).
type Geometry struct {
	Type        string           `json:"type"` // "MultiPolygon"
	Coordinates orb.MultiPolygon `json:"coordinates"`
}

// FeatureCollection is an RFC 7946 FeatureCollection; it never has "crs".
type FeatureCollection struct {
	Type     string     `json:"type"` // "FeatureCollection"
	Features []*Feature `json:"features"`
}

// Feature returns a commune as an RFC 7946 GeoJSON feature: id = code,
// properties code, name, province_code, kind, area_km2, population (null
// when not usable) and population_flag.
func (s *Set) Feature(ctx context.Context, code analytics.CommuneCode, level Level) (*Feature, error) {
	g, err := s.Boundary(ctx, code, level)
	if err != nil {
		return nil, err
	}
	c, _ := s.Commune(code)
	f := &Feature{Type: "Feature", ID: string(code), Geometry: Geometry{Type: "MultiPolygon", Coordinates: topo.RFC7946(g)}}
	f.Properties = map[string]any{
		"code":            string(c.Code),
		"name":            c.FullName,
		"province_code":   string(c.Province),
		"kind":            string(c.Kind),
		"area_km2":        c.AreaKm2,
		"population":      nil,
		"population_flag": c.PopulationFlag(),
	}
	if pop, ok := c.Population(); ok {
		f.Properties["population"] = pop
	}
	return f, nil
}

// FeatureCollection returns the communes of a province (all 34 when p is
// empty) as an RFC 7946 FeatureCollection.
func (s *Set) FeatureCollection(ctx context.Context, p analytics.ProvinceCode, level Level) (*FeatureCollection, error) {
	fc := &FeatureCollection{Type: "FeatureCollection", Features: []*Feature{}}
	for i := range s.Communes {
		c := &s.Communes[i]
		if p != "" && c.Province != p {
			continue
		}
		f, err := s.Feature(ctx, c.Code, level)
		if err != nil {
			return nil, err
		}
		fc.Features = append(fc.Features, f)
	}
	return fc, nil
}
