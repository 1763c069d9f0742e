package commune

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/antq-atlas/antq/analytics"
	"golang.org/x/text/unicode/norm"

	"github.com/antq-atlas/antq/analytics/commune/placename"
)

// Confidence of each way of resolving, before adjustments. A match without
// any province is multiplied by noProvinceFactor; a match in the era the
// record's date does not point to (a pre-merger date naming a 2025 commune
// or the reverse) by otherEraFactor.
const (
	confExactCode     = 1.0
	confExactName     = 0.99
	confNormalised    = 0.95
	confDistrict      = 0.9
	confSplitCoord    = 0.9
	noProvinceFactor  = 0.9
	otherEraFactor    = 0.9
	sameTargetFactor  = 0.95 // several old units of that name, all with one successor
	maxNearest        = 3    // candidates offered for an unknown name
	maxAmbiguous      = 10   // candidates offered for an ambiguous name
	parseCacheEntries = 1 << 17
)

// Resolver resolves places (codes or names of communes, districts and
// provinces, old or new, in any common spelling) to 2025 communes. It
// implements analytics.Resolver and is safe for concurrent use.
type Resolver struct {
	set *Set

	newByProv map[scoped][]int32 // (province code, core) -> communes
	newByCore map[string][]int32
	oldByOld  map[scoped][]int32 // (old province core, core) -> old units
	oldByNew  map[scoped][]int32 // (new province code, core) -> old units
	oldByCore map[string][]int32
	provs     map[string]provMatch // province core -> match
	newMeta   []unitMeta
	oldMeta   []unitMeta

	mu    sync.RWMutex
	cache map[string]placename.Name
}

type scoped struct{ scope, core string }

type unitMeta struct {
	name     placename.Name
	district placename.Name // old units only
	provCore string         // old units only: old province core
}

type provMatch struct {
	newCode analytics.ProvinceCode // "" when the name is not a 2025 province
	oldCore string                 // "" when the name is not a pre-2025 province
	newOf   []analytics.ProvinceCode
}

// provinceAliases are common short forms of province names (folded).
var provinceAliases = map[string]string{
	"hcm": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh", "hn": "ha noi",
	"brvt": "ba ria vung tau", "ba ria vung tau": "ba ria vung tau",
}

var _ analytics.Resolver = (*Resolver)(nil)

// NewResolver builds the folded-name indexes of a set.
func NewResolver(s *Set) *Resolver {
	r := &Resolver{
		set:       s,
		newByProv: map[scoped][]int32{},
		newByCore: map[string][]int32{},
		oldByOld:  map[scoped][]int32{},
		oldByNew:  map[scoped][]int32{},
		oldByCore: map[string][]int32{},
		provs:     map[string]provMatch{},
		cache:     make(map[string]placename.Name, 1024),
	}
	r.newMeta = make([]unitMeta, len(s.Communes))
	for i := range s.Communes {
		c := &s.Communes[i]
		n := placename.Parse(c.FullName)
		r.newMeta[i] = unitMeta{name: n}
		k := scoped{string(c.Province), n.Core}
		r.newByProv[k] = append(r.newByProv[k], int32(i))
		r.newByCore[n.Core] = append(r.newByCore[n.Core], int32(i))
	}
	r.oldMeta = make([]unitMeta, len(s.OldUnits))
	for i := range s.OldUnits {
		u := &s.OldUnits[i]
		n := placename.Parse(u.Name)
		pc := placename.Parse(u.Province).Core
		r.oldMeta[i] = unitMeta{name: n, district: placename.Parse(u.District), provCore: pc}
		r.oldByOld[scoped{pc, n.Core}] = append(r.oldByOld[scoped{pc, n.Core}], int32(i))
		k := scoped{string(u.NewProvince), n.Core}
		r.oldByNew[k] = append(r.oldByNew[k], int32(i))
		r.oldByCore[n.Core] = append(r.oldByCore[n.Core], int32(i))
	}
	for _, p := range s.Provinces {
		for _, nm := range []string{p.Name, p.ShortName} {
			if nm == "" {
				continue
			}
			core := placename.Parse(nm).Core
			m := r.provs[core]
			m.newCode = p.Code
			r.provs[core] = m
		}
	}
	for core, news := range s.oldProvOf {
		m := r.provs[core]
		m.oldCore = core
		m.newOf = news
		r.provs[core] = m
	}
	return r
}

// parse returns placename.Parse(s), cached: inputs repeat a lot.
func (r *Resolver) parse(s string) placename.Name {
	r.mu.RLock()
	n, ok := r.cache[s]
	r.mu.RUnlock()
	if ok {
		return n
	}
	n = placename.Parse(s)
	r.mu.Lock()
	if len(r.cache) >= parseCacheEntries {
		clear(r.cache)
	}
	r.cache[strings.Clone(s)] = n
	r.mu.Unlock()
	return n
}

// province matches a province as written: a 2025 code ("08"), a 2025 or
// pre-2025 name in any spelling, or a common short form.
func (r *Resolver) province(s string) (provMatch, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return provMatch{}, false
	}
	if placename.AllDigits(s) && len(s) <= 2 {
		if len(s) == 1 {
			s = "0" + s
		}
		if _, ok := r.set.provIdx[analytics.ProvinceCode(s)]; ok {
			return provMatch{newCode: analytics.ProvinceCode(s)}, true
		}
		return provMatch{}, false
	}
	core := r.parse(s).Core
	if a, ok := provinceAliases[core]; ok {
		core = a
	}
	if m, ok := r.provs[core]; ok {
		return m, true
	}
	if a, ok := provinceAliases[placename.Fold(s)]; ok {
		m, ok := r.provs[a]
		return m, ok
	}
	return provMatch{}, false
}

// ProvinceScope is the 2025 provinces a province written as s covers: a
// 2025 code or name gives itself, a pre-2025 name the provinces it merged
// into. ok is false when s names no province.
func (r *Resolver) ProvinceScope(s string) (scope []analytics.ProvinceCode, ok bool) {
	m, ok := r.province(s)
	if !ok {
		return nil, false
	}
	return m.newScope(), true
}

// newScope is the 2025 provinces a province match covers.
func (m provMatch) newScope() []analytics.ProvinceCode {
	if m.newCode != "" {
		return []analytics.ProvinceCode{m.newCode}
	}
	return m.newOf
}

// Resolve resolves a place to a 2025 commune. Codes win over names: a 2025
// code, else a pre-2025 code. Names are tried as 2025 communes first and
// then as pre-2025 units, except when the record's date is before the
// merger or it names a district (districts were abolished in 2025), where
// the order is reversed. An unknown or ambiguous place returns a
// *analytics.ResolveError with the closest candidates; it never guesses.
func (r *Resolver) Resolve(p analytics.Place) (analytics.Resolution, error) {
	return r.ResolveContext(context.Background(), p)
}

// ResolveContext is Resolve with a context for the one case that may read
// files: a split old unit with coordinates, whose successors' full
// boundaries are loaded on first use.
func (r *Resolver) ResolveContext(ctx context.Context, p analytics.Place) (analytics.Resolution, error) {
	if code := strings.TrimSpace(p.Code); code != "" {
		res, err, done := r.resolveCode(ctx, code, p)
		if done {
			return res, err
		}
	}
	if strings.TrimSpace(p.Commune) == "" {
		if p.Code != "" {
			return analytics.Resolution{}, &analytics.ResolveError{Place: p, Reason: "unknown code"}
		}
		return analytics.Resolution{}, &analytics.ResolveError{Place: p, Reason: "no commune given"}
	}
	var pm *provMatch
	if strings.TrimSpace(p.Province) != "" {
		m, ok := r.province(p.Province)
		if !ok {
			return analytics.Resolution{}, &analytics.ResolveError{Place: p, Reason: "unknown province " + quoted(p.Province), Candidates: r.nearestProvinces(p.Province)}
		}
		pm = &m
	}
	cn := r.parse(p.Commune)
	var dn placename.Name
	if strings.TrimSpace(p.District) != "" {
		dn = r.parse(p.District)
	}
	if cn.Plain && (!dn.Plain && dn.Core != "" || placename.NonASCII(p.Province)) {
		// The record is written with diacritics, so a commune name without
		// any is written that way on purpose ("Nga Thanh" is not "Nga Thành").
		cn.Plain = false
	}
	hasDate := !p.Date.IsZero()
	oldFirst := (hasDate && p.Date.Before(analytics.MergerDate)) || dn.Core != ""
	eras := [2]bool{oldFirst, !oldFirst} // true = pre-2025 units
	var districtMiss *analytics.ResolveError
	for i, old := range eras {
		var (
			res   analytics.Resolution
			found bool
			rerr  *analytics.ResolveError
		)
		if old {
			res, found, rerr = r.lookupOld(ctx, p, cn, dn, pm)
		} else {
			res, found, rerr = r.lookupNew(p, cn, pm)
		}
		if found {
			if pm == nil {
				res.Confidence *= noProvinceFactor
			}
			if i > 0 && hasDate {
				res.Confidence *= otherEraFactor
			}
			return res, nil
		}
		if rerr != nil {
			if rerr.Reason == "commune not in district" {
				districtMiss = rerr // a 2025 name may still match
				continue
			}
			return analytics.Resolution{}, rerr
		}
	}
	if districtMiss != nil {
		return analytics.Resolution{}, districtMiss
	}
	return analytics.Resolution{}, &analytics.ResolveError{Place: p, Reason: "unknown commune", Candidates: r.nearest(cn, pm)}
}

func quoted(s string) string { return "\"" + s + "\"" }

// resolveCode resolves a code. done is false when the code is unknown and
// names should be tried.
func (r *Resolver) resolveCode(ctx context.Context, code string, p analytics.Place) (analytics.Resolution, error, bool) {
	if !placename.AllDigits(code) {
		return analytics.Resolution{}, nil, false
	}
	for len(code) < 5 {
		code = "0" + code
	}
	ci, isNew := r.set.communeIdx[analytics.CommuneCode(code)]
	oi, isOld := r.set.oldByCode[code]
	if isNew && isOld && r.set.OldUnits[oi].Main().Commune != analytics.CommuneCode(code) {
		// The code is a 2025 code and the code of another pre-2025 unit.
		switch {
		case !p.Date.IsZero() && p.Date.Before(analytics.MergerDate):
			isNew = false
		case !p.Date.IsZero():
			isOld = false
		case strings.TrimSpace(p.Commune) != "":
			return analytics.Resolution{}, nil, false // let the names decide
		default:
			return analytics.Resolution{}, &analytics.ResolveError{Place: p, Reason: "ambiguous code (a 2025 code and a pre-2025 code)",
				Candidates: []analytics.Candidate{r.newCandidate(ci, 0), r.oldCandidate(oi, 0)}}, true
		}
	}
	if isNew {
		c := &r.set.Communes[ci]
		return analytics.Resolution{Province: c.Province, Commune: c.Code, Name: c.FullName, Rule: analytics.RuleExactCode, Confidence: confExactCode}, nil, true
	}
	if isOld {
		res, err := r.fromOld(ctx, p, oi, analytics.RuleExactCode, confExactCode)
		return res, err, true
	}
	return analytics.Resolution{}, nil, false
}

// filterKind keeps the candidates of the written kind and, when the name
// was written with diacritics, those whose name matches with them. A
// filter that would remove every candidate is not applied (the kind may
// be written wrongly; a diacritic may be mistyped).
func filterName(idx []int32, meta []unitMeta, n placename.Name) []int32 {
	if n.Kind != placename.KindNone {
		idx = keep(idx, func(i int32) bool { return meta[i].name.Kind == n.Kind })
	}
	if !n.Plain {
		idx = keep(idx, func(i int32) bool { return meta[i].name.Accent == n.Accent })
	}
	return idx
}

func keep(idx []int32, f func(int32) bool) []int32 {
	n := 0
	for _, i := range idx {
		if f(i) {
			n++
		}
	}
	if n == 0 || n == len(idx) {
		return idx
	}
	out := make([]int32, 0, n)
	for _, i := range idx {
		if f(i) {
			out = append(out, i)
		}
	}
	return out
}

func exactName(written, full, short string) bool {
	w := strings.TrimSpace(written)
	if w == full || w == short {
		return true
	}
	if !norm.NFC.IsNormalString(w) {
		w = norm.NFC.String(w)
		return w == full || w == short
	}
	return false
}

func (r *Resolver) lookupNew(p analytics.Place, cn placename.Name, pm *provMatch) (analytics.Resolution, bool, *analytics.ResolveError) {
	get := func(core string) []int32 {
		if pm == nil {
			return r.newByCore[core]
		}
		var out []int32
		for _, pc := range pm.newScope() {
			out = append(out, r.newByProv[scoped{string(pc), core}]...)
		}
		return out
	}
	idx := get(cn.Core)
	if len(idx) == 0 && cn.Kind != placename.KindNone {
		// "Xa Phin" may be a name, not "Xã Phin".
		idx = get(placename.Fold(p.Commune))
	}
	if len(idx) == 0 {
		return analytics.Resolution{}, false, nil
	}
	idx = filterName(idx, r.newMeta, cn)
	if len(idx) > 1 {
		return analytics.Resolution{}, false, r.ambiguous(p, idx, nil)
	}
	c := &r.set.Communes[idx[0]]
	res := analytics.Resolution{Province: c.Province, Commune: c.Code, Name: c.FullName, Rule: analytics.RuleNormalisedName, Confidence: confNormalised}
	if exactName(p.Commune, c.FullName, c.Name) {
		res.Rule, res.Confidence = analytics.RuleExactName, confExactName
	}
	return res, true, nil
}

func (r *Resolver) lookupOld(ctx context.Context, p analytics.Place, cn, dn placename.Name, pm *provMatch) (analytics.Resolution, bool, *analytics.ResolveError) {
	get := func(core string) []int32 {
		if pm == nil {
			return r.oldByCore[core]
		}
		var out []int32
		if pm.oldCore != "" {
			out = r.oldByOld[scoped{pm.oldCore, core}]
		}
		if len(out) == 0 && pm.newCode != "" {
			out = r.oldByNew[scoped{string(pm.newCode), core}]
		}
		return out
	}
	idx := get(cn.Core)
	if len(idx) == 0 && cn.Kind != placename.KindNone {
		idx = get(placename.Fold(p.Commune))
	}
	if len(idx) == 0 {
		return analytics.Resolution{}, false, nil
	}
	idx = filterName(idx, r.oldMeta, cn)
	rule, conf := analytics.RuleNormalisedName, confNormalised
	if dn.Core != "" {
		before := len(idx)
		in := make([]int32, 0, len(idx))
		for _, i := range idx {
			if r.oldMeta[i].district.Core == dn.Core {
				in = append(in, i)
			}
		}
		if len(in) > 1 && dn.Kind != placename.KindNone { // "Huyện Kỳ Anh" and "Thị xã Kỳ Anh"
			in = keep(in, func(i int32) bool { return r.oldMeta[i].district.Kind == dn.Kind })
		}
		if len(in) == 0 {
			return analytics.Resolution{}, false, &analytics.ResolveError{Place: p, Reason: "commune not in district", Candidates: r.candidates(nil, idx, maxAmbiguous)}
		}
		idx = in
		if before > 1 && len(idx) == 1 {
			rule, conf = analytics.RuleDistrict, confDistrict
		}
	}
	if len(idx) > 1 {
		// Several units of that name, all wholly in one 2025 commune: no
		// confusion is possible.
		first := r.set.OldUnits[idx[0]].Successors
		same := len(first) == 1
		for _, i := range idx[1:] {
			s := r.set.OldUnits[i].Successors
			if len(s) != 1 || s[0].Commune != first[0].Commune {
				same = false
			}
		}
		if !same {
			return analytics.Resolution{}, false, r.ambiguous(p, nil, idx)
		}
		res, err := r.fromOld(ctx, p, int(idx[0]), analytics.RuleNormalisedName, confNormalised*sameTargetFactor)
		res.OldCode = ""
		return res, err == nil, asResolveError(err)
	}
	u := &r.set.OldUnits[idx[0]]
	if rule == analytics.RuleNormalisedName && exactName(p.Commune, u.Name, "") {
		rule, conf = analytics.RuleExactName, confExactName
	}
	res, err := r.fromOld(ctx, p, int(idx[0]), rule, conf)
	return res, err == nil, asResolveError(err)
}

func asResolveError(err error) *analytics.ResolveError {
	if err == nil {
		return nil
	}
	if re, ok := err.(*analytics.ResolveError); ok {
		return re
	}
	return &analytics.ResolveError{Reason: err.Error()}
}

// fromOld resolves an old unit to its successor: the only one, or for a
// split unit the one whose full boundary contains the record's point, else
// the main successor (RuleSplitShare, confidence = its share).
func (r *Resolver) fromOld(ctx context.Context, p analytics.Place, oi int, rule analytics.ResolveRule, conf float64) (analytics.Resolution, error) {
	u := &r.set.OldUnits[oi]
	pick := u.Main()
	if u.Split() {
		rule, conf = analytics.RuleSplitShare, pick.Share
		if p.HasPoint {
			s, found, err := r.successorAt(ctx, u, p.Lon, p.Lat)
			if err != nil {
				return analytics.Resolution{}, err
			}
			if found {
				pick, rule, conf = s, analytics.RuleSplitCoordinate, confSplitCoord
			}
		}
	}
	c, _ := r.set.Commune(pick.Commune)
	return analytics.Resolution{Province: c.Province, Commune: c.Code, Name: c.FullName, Rule: rule,
		Confidence: conf, Split: u.Split(), OldCode: u.Code}, nil
}

// successorAt finds the successor of a split unit whose boundary holds the
// point. The medium boundaries (in memory) decide when exactly one holds it;
// only a point in none or several of them (within simplification distance
// of a border) reads LevelFull: the embedded bundle's detailed level, or
// with a reference folder the full-resolution boundaries (for provinces
// other than Tuyên Quang and Phú Thọ a scan of the national file).
func (r *Resolver) successorAt(ctx context.Context, u *OldUnit, lon, lat float64) (Successor, bool, error) {
	var hit []Successor
	for _, s := range u.Successors {
		in, err := r.set.Contains(ctx, s.Commune, LevelMedium, lon, lat)
		if err != nil {
			return Successor{}, false, err
		}
		if in {
			hit = append(hit, s)
		}
	}
	if len(hit) == 1 {
		return hit[0], true, nil
	}
	for _, s := range u.Successors {
		in, err := r.set.Contains(ctx, s.Commune, LevelFull, lon, lat)
		if err != nil {
			return Successor{}, false, err
		}
		if in {
			return s, true, nil
		}
	}
	return Successor{}, false, nil
}

func (r *Resolver) ambiguous(p analytics.Place, newIdx, oldIdx []int32) *analytics.ResolveError {
	return &analytics.ResolveError{Place: p, Reason: "ambiguous commune", Candidates: r.candidates(newIdx, oldIdx, maxAmbiguous)}
}

func (r *Resolver) candidates(newIdx, oldIdx []int32, max int) []analytics.Candidate {
	var out []analytics.Candidate
	for _, i := range newIdx {
		out = append(out, r.newCandidate(int(i), 0))
	}
	for _, i := range oldIdx {
		out = append(out, r.oldCandidate(int(i), 0))
	}
	if len(out) > max {
		out = out[:max]
	}
	return out
}

func (r *Resolver) newCandidate(i int, d float64) analytics.Candidate {
	c := &r.set.Communes[i]
	pn := string(c.Province)
	if p, ok := r.set.Province(c.Province); ok {
		pn = p.Name
	}
	return analytics.Candidate{Code: string(c.Code), Name: c.FullName + ", " + pn, Distance: d}
}

func (r *Resolver) oldCandidate(i int, d float64) analytics.Candidate {
	u := &r.set.OldUnits[i]
	main, _ := r.set.Commune(u.Main().Commune)
	code := u.Code
	if code == "" {
		code = string(main.Code)
	}
	name := u.Name + ", " + u.District + ", " + u.Province + " → " + main.FullName
	if u.Split() {
		name += " (split)"
	}
	return analytics.Candidate{Code: code, Name: name, Distance: d}
}

// nearest returns the maxNearest units (2025 communes and pre-2025 units)
// whose folded names are closest to n by edit distance, within the
// province when one is known.
func (r *Resolver) nearest(n placename.Name, pm *provMatch) []analytics.Candidate {
	type scoredIdx struct {
		d   int
		old bool
		i   int
	}
	var all []scoredIdx
	inScope := func(p analytics.ProvinceCode) bool {
		if pm == nil {
			return true
		}
		for _, x := range pm.newScope() {
			if x == p {
				return true
			}
		}
		return false
	}
	for i := range r.set.Communes {
		if inScope(r.set.Communes[i].Province) {
			all = append(all, scoredIdx{levenshtein(n.Core, r.newMeta[i].name.Core), false, i})
		}
	}
	for i := range r.set.OldUnits {
		if inScope(r.set.OldUnits[i].NewProvince) {
			all = append(all, scoredIdx{levenshtein(n.Core, r.oldMeta[i].name.Core), true, i})
		}
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].d < all[b].d })
	var out []analytics.Candidate
	for _, s := range all {
		if len(out) == maxNearest {
			break
		}
		if s.old {
			out = append(out, r.oldCandidate(s.i, float64(s.d)))
		} else {
			out = append(out, r.newCandidate(s.i, float64(s.d)))
		}
	}
	return out
}

func (r *Resolver) nearestProvinces(s string) []analytics.Candidate {
	core := placename.Fold(s)
	type sc struct {
		d int
		p *Province
	}
	var all []sc
	for i := range r.set.Provinces {
		p := &r.set.Provinces[i]
		all = append(all, sc{levenshtein(core, placename.Parse(p.Name).Core), p})
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].d < all[b].d })
	var out []analytics.Candidate
	for _, x := range all[:maxNearest] {
		out = append(out, analytics.Candidate{Code: string(x.p.Code), Name: x.p.Name, Distance: float64(x.d)})
	}
	return out
}

// levenshtein is the edit distance between two folded (ASCII) strings.
func levenshtein(a, b string) int {
	if a == b {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// provinceMargin widens a province's bounding box for InProvince: about a
// kilometre, for GPS readings taken at the border.
const provinceMargin = 0.01

// InProvince reports whether a point (WGS84 lon, lat) lies within the
// province's bounding box, widened by about a kilometre. The ingest rejects
// site coordinates that fail it ("coordinates outside the province"); a box
// never rejects a point that is inside, which an exact test on simplified
// boundaries could near the border.
func (r *Resolver) InProvince(p analytics.ProvinceCode, lon, lat float64) bool {
	pr, ok := r.set.Province(p)
	if !ok {
		return false
	}
	b := pr.Bound
	return lon >= b.Min[0]-provinceMargin && lon <= b.Max[0]+provinceMargin &&
		lat >= b.Min[1]-provinceMargin && lat <= b.Max[1]+provinceMargin
}

// ProvinceName gives a 2025 province's official full name ("Thành phố Hà
// Nội"), from which texts read its kind (analytics.Attribution).
func (r *Resolver) ProvinceName(p analytics.ProvinceCode) (string, bool) {
	pr, ok := r.set.Province(p)
	if !ok {
		return "", false
	}
	return pr.Name, true
}
