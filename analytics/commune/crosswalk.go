package commune

import (
	"slices"
	"sort"
	"strconv"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
)

// MainShare is the share of a split old unit given to its main successor;
// the other successors share the rest equally. No pre-2025 boundaries are
// available to measure the parts, so this is a fixed convention, not a
// measurement: it makes the main successor (the one the official table
// names) the largest share and the shares sum to 1. Records of a split unit
// without coordinates go wholly to the main successor (RuleSplitShare);
// aggregates that restate old figures may use the shares as weights.
const MainShare = 2.0 / 3.0

// SplitShares returns the shares of n successors, the main one first.
func SplitShares(n int) []float64 {
	if n <= 0 {
		return nil
	}
	out := make([]float64, n)
	if n == 1 {
		out[0] = 1
		return out
	}
	out[0] = MainShare
	for i := 1; i < n; i++ {
		out[i] = (1 - MainShare) / float64(n-1)
	}
	return out
}

type crosswalkResult struct {
	units           []OldUnit
	rows            []CrosswalkRow
	repairs         map[RepairRule]int
	portalUnmatched map[string]int
	oldProvOf       map[string][]analytics.ProvinceCode
}

// unitKey identifies an old unit by its names (kind + normalised core of
// commune, district and old province).
type unitKey struct{ commune, district, province string }

// nameMemo memoises ParseName and Normalize while the tables are built:
// the same names recur thousands of times.
type nameMemo struct {
	names map[string]placename.Name
	norms map[string]string
}

func newNameMemo() *nameMemo {
	return &nameMemo{names: make(map[string]placename.Name, 16384), norms: make(map[string]string, 8192)}
}

func (m *nameMemo) parse(s string) placename.Name {
	if n, ok := m.names[s]; ok {
		return n
	}
	n := placename.Parse(s)
	m.names[s] = n
	return n
}

func (m *nameMemo) normalize(s string) string {
	if n, ok := m.norms[s]; ok {
		return n
	}
	n := placename.Normalize(s)
	m.norms[s] = n
	return n
}

func (m *nameMemo) nameKey(s string) string {
	n := m.parse(s)
	return string(n.Kind) + "|" + n.Accent
}

func provinceKey(s string) string { return placename.Parse(s).Core }

type builder struct {
	unit  OldUnit
	rows  []CrosswalkRow // one per successor, aligned with unit.Successors
	coded bool
}

// fixNewCode applies rule (b): it returns the 2025 code of a mapping row's
// new commune, re-derived from the new name within the new province when the
// published code is not a ward, is a ward of another province or names
// another ward; wards are the 2025 communes of the bundle. ok is false
// when no ward of that name exists.
func fixNewCode(m *nameMemo, code, name string, prov analytics.ProvinceCode, wards map[string]vnadWard, byName map[string][]string) (fixed string, repaired, ok bool) {
	if w, found := wards[code]; found && analytics.ProvinceCode(w.Province) == prov {
		// The same name, or the same name with another kind: the bundle
		// (2026) has some xã of Đồng Nai upgraded to phường since the table.
		if m.normalize(w.Name) == m.normalize(name) || m.parse(w.Name).Core == m.parse(name).Core {
			return code, false, true
		}
	}
	if c := byName[string(prov)+"|"+m.normalize(name)]; len(c) == 1 {
		return c[0], true, true
	}
	if c := byName[string(prov)+"|~"+placename.Fold(name)]; len(c) == 1 {
		return c[0], true, true
	}
	if c := byName[string(prov)+"|="+m.parse(name).Core]; len(c) == 1 {
		return c[0], true, true
	}
	return "", false, false
}

// buildCrosswalk repairs the official table (rules a, b, duplicates, splits
// in the table) and adds the splits the portal lists (rule c).
func buildCrosswalk(v *vnad, provinces []Province, communes []Commune) crosswalkResult {
	memo := newNameMemo()
	res := crosswalkResult{repairs: map[RepairRule]int{}, portalUnmatched: map[string]int{}, oldProvOf: map[string][]analytics.ProvinceCode{}}
	provByName := map[string]analytics.ProvinceCode{}
	for _, p := range provinces {
		provByName[provinceKey(p.Name)] = p.Code
	}
	for _, p := range v.Provinces {
		provByName[provinceKey(p.Name)] = analytics.ProvinceCode(p.Code)
	}
	// The 2025 communes are those of the bundle (its codes carry the
	// polygons). vnad's wards agree except two codes (vnad 06970 Xã Ba Chẽ
	// = 06978, vnad 23737 Xã Ia Mơ = 23938), which rule (b) repairs too.
	wards := make(map[string]vnadWard, len(communes))
	byName := map[string][]string{}
	for _, c := range communes {
		w := vnadWard{Code: string(c.Code), Name: c.FullName, Province: string(c.Province)}
		wards[w.Code] = w
		k := w.Province + "|" + memo.normalize(w.Name)
		byName[k] = append(byName[k], w.Code)
		k = w.Province + "|~" + placename.Fold(w.Name)
		byName[k] = append(byName[k], w.Code)
		k = w.Province + "|=" + memo.parse(w.Name).Core
		byName[k] = append(byName[k], w.Code)
	}
	communeIdx := make(map[analytics.CommuneCode]int, len(communes))
	for i, c := range communes {
		communeIdx[c.Code] = i
	}

	maps := append([]vnadMapping(nil), v.Mappings...)
	sort.SliceStable(maps, func(i, j int) bool { return atoi(maps[i].ID) < atoi(maps[j].ID) })

	var builders []*builder
	byKey := map[unitKey][]int{}
	for _, m := range maps {
		oldCode, oldName := str(m.OldCode), str(m.OldName)
		if oldName == "" {
			res.repairs[RepairNoOldUnit]++
			continue
		}
		prov, ok := provByName[provinceKey(m.NewProvince)]
		if !ok {
			res.repairs[RepairUnresolvable]++
			continue
		}
		newCode, repaired, ok := fixNewCode(memo, m.NewCode, m.NewName, prov, wards, byName)
		if ok {
			if _, known := communeIdx[analytics.CommuneCode(newCode)]; !known {
				ok = false
			}
		}
		if !ok {
			res.repairs[RepairUnresolvable]++
			continue
		}
		row := CrosswalkRow{
			VNADID: atoi(m.ID), OldCode: oldCode, OldName: oldName,
			OldDistrict: str(m.OldDistrict), OldProvince: str(m.OldProvince),
			NewCode: analytics.CommuneCode(newCode), NewCodeVNAD: m.NewCode,
			NewName: communes[communeIdx[analytics.CommuneCode(newCode)]].FullName, NewProvince: prov,
		}
		if oldCode == "" {
			row.Rules = append(row.Rules, RepairLegacyName)
		}
		if repaired {
			row.Rules = append(row.Rules, RepairNewCode)
		}
		key := unitKey{memo.nameKey(oldName), memo.nameKey(row.OldDistrict), memo.parse(row.OldProvince).Core}
		// Merge with a unit of the same names unless both carry different codes.
		var b *builder
		for _, i := range byKey[key] {
			c := builders[i]
			if oldCode == "" || c.unit.Code == "" || c.unit.Code == oldCode {
				b = c
				break
			}
		}
		if b == nil {
			b = &builder{unit: OldUnit{Code: oldCode, Name: oldName, District: row.OldDistrict, Province: row.OldProvince}}
			byKey[key] = append(byKey[key], len(builders))
			builders = append(builders, b)
		}
		dup := false
		for _, s := range b.unit.Successors {
			if s.Commune == row.NewCode {
				dup = true
			}
		}
		if dup {
			res.repairs[RepairDuplicate]++
			for _, r := range row.Rules {
				res.repairs[r]++
			}
			continue
		}
		succ := Successor{Commune: row.NewCode}
		switch {
		case len(b.unit.Successors) == 0:
			b.unit.Successors = []Successor{succ}
			b.rows = []CrosswalkRow{row}
		case oldCode != "" && b.unit.Code == "":
			// A coded row names the unit's main successor: put it first.
			for i := range b.rows {
				b.rows[i].Rules = append(b.rows[i].Rules, RepairSeveralTargets)
				b.unit.Successors[i].Rule = RepairSeveralTargets
			}
			b.unit.Successors = append([]Successor{succ}, b.unit.Successors...)
			b.rows = append([]CrosswalkRow{row}, b.rows...)
		default:
			succ.Rule = RepairSeveralTargets
			row.Rules = append(row.Rules, RepairSeveralTargets)
			b.unit.Successors = append(b.unit.Successors, succ)
			b.rows = append(b.rows, row)
		}
		if oldCode != "" {
			b.unit.Code = oldCode
			b.unit.Name, b.unit.District, b.unit.Province = oldName, row.OldDistrict, row.OldProvince
		}
	}

	addPortalSplits(memo, builders, communes, communeIdx, res.portalUnmatched)

	for _, b := range builders {
		u := b.unit
		shares := SplitShares(len(u.Successors))
		u.NewProvince = communes[communeIdx[u.Successors[0].Commune]].Province
		for i := range u.Successors {
			u.Successors[i].Share = shares[i]
			r := b.rows[i]
			r.OldCode = u.Code
			r.Share, r.Split, r.Main = shares[i], len(u.Successors) > 1, i == 0
			if u.Code == "" && !slices.Contains(r.Rules, RepairLegacyName) {
				r.Rules = append(r.Rules, RepairLegacyName)
			}
			for _, rule := range r.Rules {
				res.repairs[rule]++
			}
			res.rows = append(res.rows, r)
		}
		res.units = append(res.units, u)
		pk := memo.parse(u.Province).Core
		if !slices.Contains(res.oldProvOf[pk], u.NewProvince) {
			res.oldProvOf[pk] = append(res.oldProvOf[pk], u.NewProvince)
		}
	}
	return res
}

// addPortalSplits applies rule (c). For each entry of a 2025 commune C's
// portal list, the old unit it names is looked up among the old units of
// C's province (by kind and name, and by district when the portal adds one).
// When the unit is not already mapped to C, C becomes a further successor
// if the entry is marked partial ("phần còn lại ...", "một phần") or the
// portal also lists the unit under its main successor (listed under two
// communes). Otherwise the portal and the table disagree on the composition;
// the table is kept and the case is counted.
func addPortalSplits(memo *nameMemo, builders []*builder, communes []Commune, communeIdx map[analytics.CommuneCode]int, unmatched map[string]int) {
	type ref struct {
		b    *builder
		kind placename.Kind
		dist placename.Name
	}
	idx := map[string][]ref{} // province|core
	for _, b := range builders {
		p := communes[communeIdx[b.unit.Successors[0].Commune]].Province
		n := memo.parse(b.unit.Name)
		idx[string(p)+"|"+n.Core] = append(idx[string(p)+"|"+n.Core], ref{b, n.Kind, memo.parse(b.unit.District)})
	}
	find := func(prov analytics.ProvinceCode, f FormerUnit) []ref {
		n := memo.parse(f.Name)
		cands := idx[string(prov)+"|"+n.Core]
		if n.Kind != placename.KindNone {
			var k []ref
			for _, c := range cands {
				if c.kind == n.Kind {
					k = append(k, c)
				}
			}
			if len(k) > 0 {
				cands = k
			}
		}
		if f.District.Core != "" {
			var k []ref
			for _, c := range cands {
				if c.dist.Core == f.District.Core {
					k = append(k, c)
				}
			}
			cands = k
		}
		return cands
	}
	listedUnder := func(b *builder, code analytics.CommuneCode) bool {
		c := &communes[communeIdx[code]]
		for _, f := range c.Former {
			for _, r := range find(c.Province, f) {
				if r.b == b {
					return true
				}
			}
		}
		return false
	}
	for ci := range communes {
		c := &communes[ci]
		for _, f := range c.Former {
			cands := find(c.Province, f)
			explained := false
			for _, r := range cands {
				for _, s := range r.b.unit.Successors {
					if s.Commune == c.Code {
						explained = true
					}
				}
			}
			switch {
			case explained:
				continue
			case len(cands) == 0:
				unmatched["name not in the table"]++
				continue
			case len(cands) > 1:
				unmatched["name not unique in the province"]++
				continue
			}
			b := cands[0].b
			if !f.Partial && !listedUnder(b, b.unit.Successors[0].Commune) {
				unmatched["composition differs from the table"]++
				continue
			}
			first := b.rows[0]
			b.unit.Successors = append(b.unit.Successors, Successor{Commune: c.Code, Rule: RepairPortalSplit})
			b.rows = append(b.rows, CrosswalkRow{
				OldCode: b.unit.Code, OldName: b.unit.Name, OldDistrict: b.unit.District, OldProvince: b.unit.Province,
				NewCode: c.Code, NewName: c.FullName, NewProvince: c.Province,
				Rules: append(legacyOnly(first.Rules), RepairPortalSplit),
			})
		}
	}
}

func legacyOnly(rules []RepairRule) []RepairRule {
	if slices.Contains(rules, RepairLegacyName) {
		return []RepairRule{RepairLegacyName}
	}
	return nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
