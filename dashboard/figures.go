package dashboard

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/findings"

	"github.com/paulmach/orb"
)

// service holds what the endpoints read from; its methods are plain Go.
// The figures themselves are computed by fig (dashboard/figures); service
// adds the geometry caches of the maps and what the bodies say.
type service struct {
	fig       *figures.Service
	find      *findings.Service
	geo       *commune.Set
	now       func() time.Time
	synthetic bool
	// sourceIn names a province's source in a language (App.sourceIn) for
	// the English footnotes; nil gives none.
	sourceIn func(analytics.Lang, analytics.ProvinceCode) string

	geomMu sync.Mutex
	geoms  map[geomKey]orb.MultiPolygon // RFC 7946 copies, by commune and level
	gjson  map[geomKey]json.RawMessage  // the same, encoded as GeoJSON geometry
	gzOpen map[geomKey][]byte           // the map feature's opening around it, compressed (opening.z)
}

type geomKey struct {
	code  analytics.CommuneCode
	level commune.Level
}

func newService(r analytics.Reader, geo *commune.Set, now func() time.Time, synthetic bool) *service {
	fig := figures.NewService(r, geo, now, synthetic)
	return &service{fig: fig, find: findings.New(fig, r, geo, synthetic), geo: geo, now: now, synthetic: synthetic,
		geoms: map[geomKey]orb.MultiPolygon{}, gjson: map[geomKey]json.RawMessage{}, gzOpen: map[geomKey][]byte{}}
}

// geometry returns a commune's boundary fit for RFC 7946 output (6
// decimals, counter-clockwise outer rings), prepared once per level.
func (s *service) geometry(ctx context.Context, code analytics.CommuneCode, level commune.Level) (orb.MultiPolygon, error) {
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
	g = commune.RFC7946(raw)
	s.geomMu.Lock()
	s.geoms[k] = g
	s.geomMu.Unlock()
	return g, nil
}

// geometryJSON is geometry encoded as a GeoJSON MultiPolygon, once per
// commune and level (nil for a commune without a boundary).
func (s *service) geometryJSON(ctx context.Context, code analytics.CommuneCode, level commune.Level) (json.RawMessage, error) {
	k := geomKey{code, level}
	s.geomMu.Lock()
	b, ok := s.gjson[k]
	s.geomMu.Unlock()
	if ok {
		return b, nil
	}
	g, err := s.geometry(ctx, code, level)
	if err != nil {
		return nil, err
	}
	if len(g) > 0 {
		if b, err = json.Marshal(multiPolygon(g)); err != nil {
			return nil, err
		}
	}
	s.geomMu.Lock()
	s.gjson[k] = b
	s.geomMu.Unlock()
	return b, nil
}

// spliceMinBytes is the size of boundaries from which a map is assembled
// from pieces compressed once (encodeMap) instead of compressed whole:
// then a national map (5.6 MB of boundaries) takes ≈ 3 ms instead of ≈ 50
// and a province map ≈ 0.5 ms instead of ≈ 4, for a body a third larger,
// which the cache recompresses whole in the background. Smaller maps are
// compressed whole at once.
const spliceMinBytes = 64 << 10

// openings returns the map features' openings of communes, in order, and
// whether to splice them: only then are they compressed (once per commune
// and level).
func (s *service) openings(ctx context.Context, cs []*commune.Commune, level commune.Level) ([]opening, bool, error) {
	ops := make([]opening, len(cs))
	size := 0
	for i, c := range cs {
		g, err := s.geometryJSON(ctx, c.Code, level)
		if err != nil {
			return nil, false, err
		}
		ops[i].geom = g
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
func (s *service) openingZ(code analytics.CommuneCode, level commune.Level, geom json.RawMessage) ([]byte, error) {
	k := geomKey{code, level}
	s.geomMu.Lock()
	z, ok := s.gzOpen[k]
	s.geomMu.Unlock()
	if ok {
		return z, nil
	}
	z, err := deflatePiece(appendOpeningHead(nil, code), geom, openingTail)
	if err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "map feature of %s: %w", code, err)
	}
	s.geomMu.Lock()
	s.gzOpen[k] = z
	s.geomMu.Unlock()
	return z, nil
}
