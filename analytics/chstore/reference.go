package chstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
)

// Reference is the reference data as tables: what SQL joins on.
type Reference struct {
	Fingerprint string // changes when the bundle or the crosswalk changes
	Provinces   []RefProvince
	Communes    []RefCommune
	OldUnits    []RefOldUnit
	Crosswalk   []RefCrosswalk
}

// RefProvince is one 2025 province.
type RefProvince struct {
	Code         string
	Name         string
	AreaKm2      float64
	Population   *uint64
	Communes     uint16
	BeforeMerger string
}

// RefCommune is one 2025 commune.
type RefCommune struct {
	Code, Province, FullName, Name, Kind string
	AreaKm2                              float64
	Population                           *uint32 // nil when flagged or unknown: no data
	PopulationFlag                       string
	CenterLon, CenterLat                 float64
	FormerUnits                          string
}

// RefOldUnit is one pre-2025 commune-level unit.
type RefOldUnit struct {
	Code, Name, District, Province, ProvinceCode string
}

// RefCrosswalk is one repaired old->new row.
type RefCrosswalk struct {
	OldCode, OldName, OldDistrict, OldProvince string
	NewCode, NewProvince                       string
	Share                                      float64
	Split                                      bool
	Rule                                       string
}

// ReferenceFingerprint returns the fingerprint of the loaded reference
// tables ("" when none).
func (s *Store) ReferenceFingerprint(ctx context.Context) (string, error) {
	qctx, cancel := s.qctx(ctx)
	defer cancel()
	var fp string
	rows, err := s.conn.Query(qctx, sqlText("ref_fingerprint"))
	if err != nil {
		return "", classify(fmt.Errorf("read reference fingerprint: %w", err))
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&fp); err != nil {
			return "", classify(err)
		}
	}
	return fp, classify(rows.Err())
}

// LoadReference replaces the reference tables when ref's fingerprint differs
// from the loaded one; it reports whether it loaded.
func (s *Store) LoadReference(ctx context.Context, ref Reference) (bool, error) {
	if ref.Fingerprint == "" {
		return false, analytics.Errorf(analytics.CodeInvalid, "reference data without a fingerprint")
	}
	cur, err := s.ReferenceFingerprint(ctx)
	if err != nil {
		return false, err
	}
	if cur == ref.Fingerprint {
		return false, nil
	}
	for _, t := range []string{"ref_provinces", "ref_communes", "ref_old_units", "ref_crosswalk"} {
		if err := s.exec(ctx, "TRUNCATE TABLE "+t+s.localSuffix()+s.onCluster()); err != nil {
			return false, fmt.Errorf("clear %s: %w", t, err)
		}
	}
	n := len(ref.Provinces)
	pc := &columns{}
	pc.add("code", strs(n, func(i int) string { return ref.Provinces[i].Code }))
	pc.add("name", strs(n, func(i int) string { return ref.Provinces[i].Name }))
	area := make([]float64, n)
	pop := make([]*uint64, n)
	cnt := make([]uint16, n)
	for i, p := range ref.Provinces {
		area[i], pop[i], cnt[i] = p.AreaKm2, p.Population, p.Communes
	}
	pc.add("area_km2", area)
	pc.add("population", pop)
	pc.add("communes", cnt)
	pc.add("before_merger", strs(n, func(i int) string { return ref.Provinces[i].BeforeMerger }))

	n = len(ref.Communes)
	cc := &columns{}
	cs := ref.Communes
	cc.add("code", strs(n, func(i int) string { return cs[i].Code }))
	cc.add("province_code", strs(n, func(i int) string { return cs[i].Province }))
	cc.add("full_name", strs(n, func(i int) string { return cs[i].FullName }))
	cc.add("name", strs(n, func(i int) string { return cs[i].Name }))
	cc.add("kind", strs(n, func(i int) string { return cs[i].Kind }))
	carea, cpop, lon, lat := make([]float64, n), make([]*uint32, n), make([]float64, n), make([]float64, n)
	for i, c := range cs {
		carea[i], cpop[i], lon[i], lat[i] = c.AreaKm2, c.Population, c.CenterLon, c.CenterLat
	}
	cc.add("area_km2", carea)
	cc.add("population", cpop)
	cc.add("population_flag", strs(n, func(i int) string { return cs[i].PopulationFlag }))
	cc.add("center_lon", lon)
	cc.add("center_lat", lat)
	cc.add("former_units", strs(n, func(i int) string { return cs[i].FormerUnits }))

	n = len(ref.OldUnits)
	oc := &columns{}
	ou := ref.OldUnits
	oc.add("code", strs(n, func(i int) string { return ou[i].Code }))
	oc.add("name", strs(n, func(i int) string { return ou[i].Name }))
	oc.add("district", strs(n, func(i int) string { return ou[i].District }))
	oc.add("province", strs(n, func(i int) string { return ou[i].Province }))
	oc.add("province_code", strs(n, func(i int) string { return ou[i].ProvinceCode }))

	n = len(ref.Crosswalk)
	xc := &columns{}
	xw := ref.Crosswalk
	xc.add("old_code", strs(n, func(i int) string { return xw[i].OldCode }))
	xc.add("old_name", strs(n, func(i int) string { return xw[i].OldName }))
	xc.add("old_district", strs(n, func(i int) string { return xw[i].OldDistrict }))
	xc.add("old_province", strs(n, func(i int) string { return xw[i].OldProvince }))
	xc.add("new_code", strs(n, func(i int) string { return xw[i].NewCode }))
	xc.add("new_province_code", strs(n, func(i int) string { return xw[i].NewProvince }))
	share := make([]float64, n)
	for i := range share {
		share[i] = xw[i].Share
	}
	xc.add("share", share)
	xc.add("split", bools(n, func(i int) bool { return xw[i].Split }))
	xc.add("rule", strs(n, func(i int) string { return xw[i].Rule }))

	for _, t := range []struct {
		table string
		cols  *columns
		n     int
	}{{"ref_provinces", pc, len(ref.Provinces)}, {"ref_communes", cc, len(ref.Communes)}, {"ref_old_units", oc, len(ref.OldUnits)}, {"ref_crosswalk", xc, len(ref.Crosswalk)}} {
		if t.n == 0 {
			continue
		}
		if err := s.insert(ctx, t.table, nil, t.cols); err != nil {
			return false, fmt.Errorf("load %s: %w", t.table, err)
		}
	}
	// The fingerprint goes last: a crash before it means a reload next time.
	qctx, cancel := s.qctx(withParams(ctx, "fp", ref.Fingerprint))
	defer cancel()
	if err := s.conn.Exec(qctx, "INSERT INTO ref_version (fingerprint) VALUES ({fp:String})"); err != nil {
		return false, classify(fmt.Errorf("record reference fingerprint: %w", err))
	}
	return true, nil
}

// localSuffix names the local table of a Distributed one on a cluster (where
// TRUNCATE must go to the local tables).
func (s *Store) localSuffix() string {
	if s.cfg.Cluster == "" {
		return ""
	}
	return "_local"
}

// ReferenceFromSet converts the reference geography into the store's
// reference tables, for the provinces given (all when none). The
// fingerprint is a hash of the tables, so a changed bundle or crosswalk
// reloads them.
func ReferenceFromSet(set *commune.Set, provinces ...analytics.ProvinceCode) Reference {
	keep := func(p analytics.ProvinceCode) bool {
		if len(provinces) == 0 {
			return true
		}
		for _, x := range provinces {
			if x == p {
				return true
			}
		}
		return false
	}
	var ref Reference
	for _, p := range set.Provinces {
		if !keep(p.Code) {
			continue
		}
		rp := RefProvince{Code: string(p.Code), Name: p.Name, AreaKm2: p.AreaKm2, Communes: uint16(len(set.CommunesOf(p.Code))), BeforeMerger: p.Formed}
		if p.Population > 0 {
			v := uint64(p.Population)
			rp.Population = &v
		}
		ref.Provinces = append(ref.Provinces, rp)
	}
	for i := range set.Communes {
		c := &set.Communes[i]
		if !keep(c.Province) {
			continue
		}
		rc := RefCommune{Code: string(c.Code), Province: string(c.Province), FullName: c.FullName, Name: c.Name, Kind: string(c.Kind),
			AreaKm2: c.AreaKm2, PopulationFlag: c.PopulationFlag(), CenterLon: c.Center[0], CenterLat: c.Center[1], FormerUnits: c.FormerRaw}
		if v, ok := c.Population(); ok {
			p := uint32(v)
			rc.Population = &p
		} else if rc.PopulationFlag == "" {
			rc.PopulationFlag = "missing"
		}
		ref.Communes = append(ref.Communes, rc)
	}
	for _, u := range set.OldUnits {
		if !keep(u.NewProvince) {
			continue
		}
		ref.OldUnits = append(ref.OldUnits, RefOldUnit{Code: u.Code, Name: u.Name, District: u.District, Province: u.Province, ProvinceCode: string(u.NewProvince)})
	}
	for _, x := range set.Crosswalk {
		if !keep(x.NewProvince) {
			continue
		}
		rules := make([]string, 0, len(x.Rules))
		for _, r := range x.Rules {
			if r != commune.RepairNone {
				rules = append(rules, string(r))
			}
		}
		ref.Crosswalk = append(ref.Crosswalk, RefCrosswalk{OldCode: x.OldCode, OldName: x.OldName, OldDistrict: x.OldDistrict, OldProvince: x.OldProvince,
			NewCode: string(x.NewCode), NewProvince: string(x.NewProvince), Share: x.Share, Split: x.Split, Rule: strings.Join(rules, ",")})
	}
	// The fingerprint is a hash of the tables, so a changed bundle or
	// crosswalk reloads them.
	h := sha256.New()
	fmt.Fprintf(h, "%v|%v|%v|%v", ref.Provinces, ref.Communes, ref.OldUnits, ref.Crosswalk)
	for _, p := range ref.Provinces {
		if p.Population != nil {
			fmt.Fprint(h, *p.Population)
		}
	}
	for _, c := range ref.Communes {
		if c.Population != nil {
			fmt.Fprint(h, *c.Population)
		}
	}
	ref.Fingerprint = "ref-" + hex.EncodeToString(h.Sum(nil))[:16]
	return ref
}
