package geo

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/internal/gzbody"

	"github.com/paulmach/orb"

	"github.com/antq-atlas/antq/analytics/commune/topo"
)

// Maps assembles the maps: the metric tables from dashboard/figures joined
// with the communes' (or provinces') boundaries, each encoded once per
// commune and level, written as GeoJSON (BuildMap, EncodeMap).
type Maps struct {
	fig       *figures.Service
	geo       *commune.Set
	synthetic bool
	// sourceEN names a province's source in English, for the English
	// footnotes.
	sourceEN func(analytics.ProvinceCode) string

	geomMu sync.Mutex
	geoms  map[geomKey]orb.MultiPolygon // RFC 7946 copies, by commune and level
	gjson  map[geomKey]json.RawMessage  // the same, encoded as GeoJSON geometry
	gzOpen map[geomKey]gzbody.Piece     // the map feature's opening around it, compressed (Opening.z)
	opened map[openKey]opened           // Openings' answers, by list of communes and level
}

// openKey names a list of communes (a province's, or the country's: the
// same *commune.Commune in the same order each time) and a level.
type openKey struct {
	first *commune.Commune
	n     int
	level commune.Level
}

// opened is what Openings answered for a list: read-only once kept.
type opened struct {
	cs     []*commune.Commune
	ops    []Opening
	splice bool
}

// NewMaps is Maps over the figures and the reference data; sourceEN names
// a province's source in English (nil: none).
func NewMaps(fig *figures.Service, set *commune.Set, synthetic bool, sourceEN func(analytics.ProvinceCode) string) *Maps {
	if sourceEN == nil {
		sourceEN = func(analytics.ProvinceCode) string { return "" }
	}
	return &Maps{fig: fig, geo: set, synthetic: synthetic, sourceEN: sourceEN,
		geoms: map[geomKey]orb.MultiPolygon{}, gjson: map[geomKey]json.RawMessage{}, gzOpen: map[geomKey]gzbody.Piece{}, opened: map[openKey]opened{}}
}

type geomKey struct {
	code  analytics.CommuneCode
	level commune.Level
}

// Geometry returns a commune's boundary fit for RFC 7946 output (6
// decimals, counter-clockwise outer rings), prepared once per level.
func (s *Maps) Geometry(ctx context.Context, code analytics.CommuneCode, level commune.Level) (orb.MultiPolygon, error) {
	k := geomKey{code, level}
	s.geomMu.Lock()
	g, ok := s.geoms[k]
	s.geomMu.Unlock()
	if ok {
		return g, nil
	}
	raw, err := s.geo.Boundary(ctx, code, level)
	if err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "boundary of %s: %w", code, err)
	}
	g = topo.RFC7946(raw)
	s.geomMu.Lock()
	s.geoms[k] = g
	s.geomMu.Unlock()
	return g, nil
}

// GeometryJSON is geometry encoded as a GeoJSON MultiPolygon, once per
// commune and level (nil for a commune without a boundary).
func (s *Maps) GeometryJSON(ctx context.Context, code analytics.CommuneCode, level commune.Level) (json.RawMessage, error) {
	k := geomKey{code, level}
	s.geomMu.Lock()
	b, ok := s.gjson[k]
	s.geomMu.Unlock()
	if ok {
		return b, nil
	}
	g, err := s.Geometry(ctx, code, level)
	if err != nil {
		return nil, err
	}
	if len(g) > 0 {
		if b, err = json.Marshal(NewMultiPolygon(g)); err != nil {
			return nil, err
		}
	}
	s.geomMu.Lock()
	s.gjson[k] = b
	s.geomMu.Unlock()
	return b, nil
}

// spliceMinBytes is the size of boundaries from which a map is assembled
// from pieces compressed once (EncodeMap) instead of compressed whole:
// then a national map (5.6 MB of boundaries) takes ≈ 3 ms instead of ≈ 50
// and a province map ≈ 0.5 ms instead of ≈ 4, for a body a third larger,
// which the cache recompresses whole in the background. Smaller maps are
// compressed whole at once.
const spliceMinBytes = 64 << 10

// Openings returns the map features' Openings of communes, in order, and
// whether to splice them: only then are they compressed (once per commune
// and level). The answer for a list is kept (read-only): a national map
// asks for 3,321 openings, two map look-ups each, on every request.
func (s *Maps) Openings(ctx context.Context, cs []*commune.Commune, level commune.Level) ([]Opening, bool, error) {
	if len(cs) == 0 {
		return nil, false, nil
	}
	k := openKey{cs[0], len(cs), level}
	s.geomMu.Lock()
	o, ok := s.opened[k]
	s.geomMu.Unlock()
	if ok && slices.Equal(o.cs, cs) {
		return o.ops, o.splice, nil
	}
	ops, splice, err := s.openings(ctx, cs, level)
	if err != nil {
		return nil, false, err
	}
	s.geomMu.Lock()
	s.opened[k] = opened{cs: slices.Clone(cs), ops: ops, splice: splice}
	s.geomMu.Unlock()
	return ops, splice, nil
}

// openings is Openings made.
func (s *Maps) openings(ctx context.Context, cs []*commune.Commune, level commune.Level) ([]Opening, bool, error) {
	ops := make([]Opening, len(cs))
	size := 0
	for i, c := range cs {
		g, err := s.GeometryJSON(ctx, c.Code, level)
		if err != nil {
			return nil, false, err
		}
		ops[i].geom = g
		ops[i].text = newFeatureText(c)
		size += len(g)
	}
	splice := size >= spliceMinBytes
	if !splice {
		return ops, false, nil
	}
	for i, c := range cs {
		if ops[i].geom == nil {
			continue
		}
		z, err := s.openingZ(c.Code, level, ops[i].geom)
		if err != nil {
			return nil, false, err
		}
		ops[i].z = z
	}
	return ops, true, nil
}

// openingZ is a commune's map feature opening compressed, once per commune
// and level: about a third of the geometry's JSON kept in memory besides it
// (2 MB for the country at the low level).
func (s *Maps) openingZ(code analytics.CommuneCode, level commune.Level, geom json.RawMessage) (gzbody.Piece, error) {
	k := geomKey{code, level}
	s.geomMu.Lock()
	z, ok := s.gzOpen[k]
	s.geomMu.Unlock()
	if ok {
		return z, nil
	}
	z, err := gzbody.DeflatePiece(appendOpeningHead(nil, code), geom, openingTail)
	if err != nil {
		return gzbody.Piece{}, analytics.Errorf(analytics.CodeInternal, "map feature of %s: %w", code, err)
	}
	s.geomMu.Lock()
	s.gzOpen[k] = z
	s.geomMu.Unlock()
	return z, nil
}

// The national view by province (level=province with province=all): one
// feature per 2025 province, its figure rolled up from its communes
// (analytics.RollUp: Σnum/Σden, never averaged), drawn on the province's
// outline dissolved from its communes. Provinces without data are null
// with a reason, like communes.

// Levels of a map: one feature per commune, or per province.
const (
	LevelCommune  = "commune"
	LevelProvince = "province"
)

// ProvinceGeometryJSON is a province's outline (its communes dissolved)
// encoded as GeoJSON, once per province and boundary level.
func (s *Maps) ProvinceGeometryJSON(ctx context.Context, p analytics.ProvinceCode, level commune.Level) (json.RawMessage, error) {
	k := geomKey{analytics.CommuneCode("p" + p), level}
	s.geomMu.Lock()
	b, ok := s.gjson[k]
	s.geomMu.Unlock()
	if ok {
		return b, nil
	}
	var parts []orb.MultiPolygon
	for _, c := range s.geo.CommunesOf(p) {
		g, err := s.Geometry(ctx, c.Code, level)
		if err != nil {
			return nil, err
		}
		parts = append(parts, g)
	}
	if mp := Dissolve(parts); len(mp) > 0 {
		var err error
		if b, err = json.Marshal(NewMultiPolygon(mp)); err != nil {
			return nil, err
		}
	}
	s.geomMu.Lock()
	s.gjson[k] = b
	s.geomMu.Unlock()
	return b, nil
}

// provinceData is mapData at the province level.
func (s *Maps) provinceData(ctx context.Context, mp figures.MapQuery, source string) (MapInput, error) {
	ts := s.fig.Tables()
	reqs := []figures.Req{{Metric: mp.Metric, Window: mp.Window}}
	if mp.Compare != nil {
		reqs = append(reqs, figures.Req{Metric: mp.Metric, Window: *mp.Compare})
	}
	got, err := ts.GetAll(ctx, reqs)
	if err != nil {
		return MapInput{}, err
	}
	cur, err := ts.ByProvince(ctx, got[0])
	if err != nil {
		return MapInput{}, err
	}
	var cmp *figures.Table
	if len(got) == 2 {
		if cmp, err = ts.ByProvince(ctx, got[1]); err != nil {
			return MapInput{}, err
		}
	}
	return MapInput{Province: "", ProvinceName: s.fig.ProvinceName(""), Source: source, SourceEN: s.sourceEN(""), Level: mp.Level,
		Communes: s.fig.ProvinceUnits(), Cur: cur, Cmp: cmp, Synthetic: s.synthetic, Unit: LevelProvince}, nil
}

// provinceOpenings are the provinces' outlines as map feature openings.
func (s *Maps) provinceOpenings(ctx context.Context, level commune.Level) ([]Opening, error) {
	ops := make([]Opening, len(s.geo.Provinces))
	for i, p := range s.geo.Provinces {
		g, err := s.ProvinceGeometryJSON(ctx, p.Code, level)
		if err != nil {
			return nil, err
		}
		ops[i].geom = g
	}
	return ops, nil
}

// Data gathers a map's communes and metric tables, without geometry.
func (s *Maps) Data(ctx context.Context, mp figures.MapQuery, source string) (MapInput, error) {
	if mp.Unit == LevelProvince {
		return s.provinceData(ctx, mp, source)
	}
	cur, cmp, err := s.fig.MapTables(ctx, mp)
	if err != nil {
		return MapInput{}, err
	}
	return MapInput{Province: mp.Province, ProvinceName: s.fig.ProvinceName(mp.Province), Source: source, SourceEN: s.sourceEN(mp.Province), Level: mp.Level,
		Communes: s.fig.Communes(mp.Province), Cur: cur, Cmp: cmp, Synthetic: s.synthetic}, nil
}

// GeoJSON is the map as a FeatureCollection value (for the charts).
func (s *Maps) GeoJSON(ctx context.Context, mp figures.MapQuery, source string) (FeatureCollection, error) {
	in, err := s.Data(ctx, mp, source)
	if err != nil {
		return FeatureCollection{}, err
	}
	in.Encoded = make(map[analytics.CommuneCode]json.RawMessage, len(in.Communes))
	for _, c := range in.Communes {
		var g json.RawMessage
		var err error
		if mp.Unit == LevelProvince {
			g, err = s.ProvinceGeometryJSON(ctx, c.Province, mp.Level)
		} else {
			g, err = s.GeometryJSON(ctx, c.Code, mp.Level)
		}
		if err != nil {
			return FeatureCollection{}, err
		}
		if g != nil {
			in.Encoded[c.Code] = g
		}
	}
	return BuildMap(in), nil
}

// Response answers /api/v1/map.geojson: the same bytes as GeoJSON
// encoded, gzip-compressed, from the communes' openings compressed once,
// in the form asked (see BodyForm); the uncompressed body too when the
// form has one, else nil.
func (s *Maps) Response(ctx context.Context, mp figures.MapQuery, source string, form BodyForm) (*gzbody.Body, []byte, error) {
	in, err := s.Data(ctx, mp, source)
	if err != nil {
		return nil, nil, err
	}
	if mp.Unit == LevelProvince {
		ops, err := s.provinceOpenings(ctx, mp.Level)
		if err != nil {
			return nil, nil, err
		}
		return EncodeMapPlain(in, ops, false, form)
	}
	ops, splice, err := s.Openings(ctx, in.Communes, mp.Level)
	if err != nil {
		return nil, nil, err
	}
	return EncodeMapPlain(in, ops, splice, form)
}
