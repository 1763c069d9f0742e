package demo

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics/commune/placename"
)

// Config says what to generate.
type Config struct {
	Out       string // directory for the files (created)
	Seed      uint64 // same seed, same files
	National  bool   // all 34 provinces (≈2,500 models, ≈124,000 sites, ≈10 M incidents), CSV only
	Incidents int    // national: total incidents (default 10,000,000)
}

// Result lists the files written and what they hold.
type Result struct {
	Files      []string
	Rows       int // data rows written, invalid and duplicated ones included
	Invalid    int // rows written to be rejected
	Duplicates int // exact copies of earlier rows
}

// Generate writes the demo files. It needs the reference geography to name
// real communes, old units and districts.
func Generate(ctx context.Context, set *commune.Set, cfg Config) (Result, error) {
	if cfg.Out == "" {
		return Result{}, errors.New("demo: no output directory")
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return Result{}, fmt.Errorf("demo: %w", err)
	}
	g := &gen{set: set, cfg: cfg, r: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), oldOf: map[analytics.CommuneCode][]*commune.OldUnit{}}
	g.foldClash = map[*commune.OldUnit]bool{}
	byFold := map[string][]*commune.OldUnit{}
	for i := range set.OldUnits {
		u := &set.OldUnits[i]
		k := placename.Fold(u.Province) + "|" + placename.Fold(u.District) + "|" + placename.Parse(u.Name).Core
		byFold[k] = append(byFold[k], u)
	}
	for _, us := range byFold {
		if len(us) > 1 {
			for _, u := range us {
				g.foldClash[u] = true
			}
		}
	}
	g.newClash = map[analytics.CommuneCode]bool{}
	byNewFold := map[string][]analytics.CommuneCode{}
	for _, c := range set.Communes {
		k := string(c.Province) + "|" + placename.Parse(c.FullName).Core
		byNewFold[k] = append(byNewFold[k], c.Code)
	}
	for _, cs := range byNewFold {
		if len(cs) > 1 {
			for _, c := range cs {
				g.newClash[c] = true
			}
		}
	}
	for i := range set.OldUnits {
		u := &set.OldUnits[i]
		if u.Code == "" || u.Split() || len(u.Successors) == 0 {
			continue // records never name split or legacy units without coordinates
		}
		c := u.Main().Commune
		g.oldOf[c] = append(g.oldOf[c], u)
	}
	provinces := []analytics.ProvinceCode{"08", "25"}
	if cfg.National {
		provinces = nil
		for _, p := range set.Provinces {
			provinces = append(provinces, p.Code)
		}
		if cfg.Incidents <= 0 {
			cfg.Incidents = 10_000_000
		}
	}
	var pdata []*provinceData
	for _, p := range provinces {
		plan, err := g.plan(p, provinces)
		if err != nil {
			return Result{}, err
		}
		pd, err := g.build(plan)
		if err != nil {
			return Result{}, err
		}
		pdata = append(pdata, pd)
	}
	if cfg.National {
		var siteYears float64
		for _, pd := range pdata {
			for _, s := range pd.sites {
				for _, y := range Years {
					siteYears += s.activeFraction(y)
				}
			}
		}
		for _, pd := range pdata {
			pd.plan.incidentsPerSiteYear = float64(cfg.Incidents) / math.Max(siteYears, 1)
		}
		return g.writeCSVs(ctx, pdata, "national_")
	}
	return g.writeDemo(ctx, pdata)
}

type gen struct {
	set   *commune.Set
	cfg   Config
	r     *rand.Rand
	oldOf map[analytics.CommuneCode][]*commune.OldUnit
	// foldClash marks old units whose name without diacritics is shared by
	// another unit of the same district (Nga Thanh / Nga Thành): written
	// without diacritics they are ambiguous, and the ingest rightly refuses
	// them, so the demo always writes them with their diacritics.
	foldClash map[*commune.OldUnit]bool
	newClash  map[analytics.CommuneCode]bool // the same for 2025 communes within a province
	res       Result
}

type place struct {
	c   *commune.Commune
	old *commune.OldUnit // nil: the commune has no unsplit old unit to name
}

type model struct {
	id, name, typ, sector, level, host string
	pl                                 place
	founded                            time.Time
	advanced, exemplary                bool
}

type site struct {
	id, name       string
	m              *model
	pl             place
	opened         time.Time
	retired        time.Time
	lon, lat       float64
	hasPoint       bool
	teams, members int
}

// activeFraction is the share of police year y the site was active.
func (s *site) activeFraction(y int) float64 {
	from, to := policeYear(y)
	if !s.retired.IsZero() && s.retired.Before(to) {
		to = s.retired
	}
	if s.opened.After(from) {
		from = s.opened
	}
	if !to.After(from) {
		return 0
	}
	return to.Sub(from).Hours() / (24 * 365)
}

func (s *site) activeAt(t time.Time) bool {
	return s.opened.Before(t) && (s.retired.IsZero() || !s.retired.Before(t))
}

type provinceData struct {
	plan   provincePlan
	prov   *commune.Province
	models []*model
	sites  []*site
}

func policeYear(y int) (time.Time, time.Time) {
	return time.Date(y-1, 12, 15, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 15, 0, 0, 0, 0, time.UTC)
}

// reportDay: the 2025 figures are those of November 2025; nothing changes
// after it.
var reportDay = time.Date(2025, 11, 15, 0, 0, 0, 0, time.UTC)

func (g *gen) dateIn(from, to time.Time) time.Time {
	if to.After(reportDay) && from.Before(reportDay) {
		to = reportDay
	}
	days := int(to.Sub(from).Hours() / 24)
	if days <= 1 {
		return from
	}
	return from.AddDate(0, 0, g.r.IntN(days))
}

// plan returns the calibration of a province; national-scale provinces
// other than 08 and 25 get shares of the national totals by commune count.
func (g *gen) plan(p analytics.ProvinceCode, all []analytics.ProvinceCode) (provincePlan, error) {
	if pl, ok := plans[p]; ok {
		return pl, nil
	}
	restCommunes := 0
	for _, q := range all {
		if _, ok := plans[q]; !ok {
			restCommunes += len(g.set.CommunesOf(q))
		}
	}
	share := float64(len(g.set.CommunesOf(p))) / float64(max(restCommunes, 1))
	sites25 := int(math.Round(float64(124000-2025-3135) * share))
	models25 := max(int(math.Round(float64(2500-336-418)*share)), 1)
	path := map[int]float64{2022: 0.86, 2023: 0.85, 2024: 0.93, 2025: 1}
	pl := provincePlan{code: p, models: map[int]int{}, sites: map[int]int{},
		retire: map[int]float64{2023: 0.08, 2024: 0.06, 2025: 0.05}, advanced: models25 / 8, types: 17}
	for y, f := range path {
		pl.sites[y] = int(math.Round(float64(sites25) * f))
		pl.models[y] = max(int(math.Round(float64(models25)*(0.9+0.1*f))), 1)
	}
	pl.models[2025] = models25
	return pl, nil
}

func (g *gen) pick(weights []float64) int {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	x := g.r.Float64() * sum
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *gen) placeIn(c *commune.Commune) place {
	olds := g.oldOf[c.Code]
	if len(olds) == 0 {
		return place{c: c}
	}
	return place{c: c, old: olds[g.r.IntN(len(olds))]}
}

func (g *gen) point(c *commune.Commune) (float64, float64, bool) {
	// A point near the centre that lies inside the commune.
	for i := 0; i < 20; i++ {
		lon := c.Center[0] + (g.r.Float64()-0.5)*0.01
		lat := c.Center[1] + (g.r.Float64()-0.5)*0.01
		if got, ok := g.set.Locate(lon, lat); ok && got.Code == c.Code {
			return round6(lon), round6(lat), true
		}
	}
	return 0, 0, false
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

func typeIndex(name string) int {
	for i, t := range ModelTypes {
		if t.Name == name {
			return i
		}
	}
	return -1
}

// build makes the models and sites of one province, with their timelines.
func (g *gen) build(pl provincePlan) (*provinceData, error) {
	prov, ok := g.set.Province(pl.code)
	if !ok {
		return nil, fmt.Errorf("demo: province %s not in the reference data", pl.code)
	}
	communes := g.set.CommunesOf(pl.code)
	if len(communes) == 0 {
		return nil, fmt.Errorf("demo: province %s has no communes", pl.code)
	}
	pd := &provinceData{plan: pl, prov: prov}
	short := strings.TrimPrefix(strings.TrimPrefix(prov.Name, "Tỉnh "), "Thành phố ")
	agencyTypes := []int{typeIndex("Liên kết đảm bảo ANTT"), typeIndex("Phòng chống tệ nạn xã hội và bạo lực học đường")}
	isAgencyType := func(i int) bool { return i == agencyTypes[0] || i == agencyTypes[1] }
	otherType := func() int {
		for {
			i := g.r.IntN(pl.types)
			if !isAgencyType(i) {
				return i
			}
		}
	}
	// Models: those of 2022, then the yearly additions; none retire.
	n22 := pl.models[2022]
	for i := 0; i < pl.models[2025]; i++ {
		m := &model{id: fmt.Sprintf("MH-%s-%04d", pl.code, i+1)}
		var ti int
		switch {
		case pl.types == len(ModelTypes) && i < len(ModelTypes):
			ti = i // every type has a model
		case i < pl.agencies2022:
			ti = agencyTypes[i%2]
		default:
			ti = otherType()
		}
		m.typ, m.sector = ModelTypes[ti].Name, ModelTypes[ti].Sector
		switch {
		case m.sector == analytics.SectorAgency:
			m.level = "cơ quan"
		case m.sector == analytics.SectorEducation:
			m.level = "trường học"
		case i >= pl.agencies2022 && i < pl.agencies2022+pl.communeLevel2022:
			m.level = "xã"
		case pl.communeLevel2022 == 0 && g.r.IntN(3) == 0:
			m.level = "xã"
		default:
			m.level = []string{"thôn", "tổ dân phố", "bản"}[g.r.IntN(3)]
		}
		m.pl = g.placeIn(communes[g.r.IntN(len(communes))])
		if i < n22 {
			m.founded = g.dateIn(time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 12, 14, 0, 0, 0, 0, time.UTC))
		} else {
			y := 2023
			for y < 2025 && i >= pl.models[y] {
				y++
			}
			from, to := policeYear(y)
			m.founded = g.dateIn(from, to)
		}
		pd.models = append(pd.models, m)
	}
	// A model at commune level in 2022 is a commune-sector model; the
	// later ones keep what they drew.
	if pl.communeLevel2022 > 0 {
		for i := pl.agencies2022; i < pl.agencies2022+pl.communeLevel2022 && i < n22; i++ {
			m := pd.models[i]
			m.level = "xã"
		}
	}
	// Nationally exemplary models of Tuyên Quang.
	if pl.code == "08" {
		for k, ex := range Exemplary {
			var c *commune.Commune
			for _, cc := range communes {
				if cc.Name == ex.Commune {
					c = cc
				}
			}
			if c == nil {
				return nil, fmt.Errorf("demo: commune %q not found in Tuyên Quang", ex.Commune)
			}
			m := pd.models[pl.agencies2022+pl.communeLevel2022+k] // a 2022 model, not at agency or commune level
			m.typ, m.sector = ex.Type, ModelTypes[typeIndex(ex.Type)].Sector
			m.level = "thôn"
			m.pl = g.placeIn(c)
			m.exemplary, m.advanced = true, true
			m.name = ex.Type + " " + c.FullName
		}
	}
	adv := 0
	for _, m := range pd.models {
		if m.advanced {
			adv++
		}
	}
	for _, i := range g.r.Perm(len(pd.models)) {
		if adv >= pl.advanced {
			break
		}
		if !pd.models[i].advanced {
			pd.models[i].advanced = true
			adv++
		}
	}
	for _, m := range pd.models {
		if m.name == "" {
			m.name = m.typ + " " + m.pl.c.FullName
		}
		m.host = "Công an " + lowerFirst(m.pl.c.FullName)
		if m.sector == analytics.SectorAgency || m.sector == analytics.SectorEducation {
			m.host = []string{"Trường THPT ", "Công ty TNHH ", "Ban quản lý khu công nghiệp ", "Trường THCS "}[g.r.IntN(4)] + m.pl.c.Name
		}
	}
	// Sites: the 2022 stock, then each year's retirements and additions.
	seq := 0
	newSite := func(opened time.Time) *site {
		seq++
		c := communes[g.r.IntN(len(communes))]
		s := &site{id: fmt.Sprintf("D-%s-%05d", pl.code, seq), pl: g.placeIn(c), opened: opened,
			teams: 1 + g.r.IntN(5), members: 8 + g.r.IntN(60)}
		if g.r.Float64() < 0.7 {
			s.lon, s.lat, s.hasPoint = g.point(c)
		}
		return s
	}
	for i := 0; i < pl.sites[2022]; i++ {
		pd.sites = append(pd.sites, newSite(g.dateIn(time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 12, 14, 0, 0, 0, 0, time.UTC))))
	}
	for _, y := range Years[1:] {
		from, to := policeYear(y)
		var active []*site
		for _, s := range pd.sites {
			if s.activeAt(from) {
				active = append(active, s)
			}
		}
		retire := int(math.Round(pl.retire[y] * float64(len(active))))
		for _, i := range g.r.Perm(len(active))[:retire] {
			active[i].retired = g.dateIn(from.AddDate(0, 0, 1), to)
		}
		add := pl.sites[y] - len(active) + retire
		for i := 0; i < add; i++ {
			pd.sites = append(pd.sites, newSite(g.dateIn(from, to)))
		}
	}
	// Sites replicate models of their province: the types are dealt out so
	// that Phú Thọ has 259 "5 tự quản" sites in residential areas and all
	// 38 types at the end of 2025.
	end := time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC)
	byType := map[string][]*model{}
	for _, m := range pd.models {
		byType[m.typ] = append(byType[m.typ], m)
	}
	pickModel := func(typ string, before time.Time) *model {
		ms := byType[typ]
		var ok []*model
		for _, m := range ms {
			if m.founded.Before(before) {
				ok = append(ok, m)
			}
		}
		if len(ok) == 0 {
			ok = ms
		}
		return ok[g.r.IntN(len(ok))]
	}
	five := ModelTypes[0].Name
	var typesInUse []string
	for t := range byType {
		typesInUse = append(typesInUse, t)
	}
	sort.Strings(typesInUse)
	var nonFive []string
	for _, t := range typesInUse {
		if t != five {
			nonFive = append(nonFive, t)
		}
	}
	activeEnd := 0
	for _, s := range pd.sites {
		var typ string
		if s.activeAt(end) {
			switch {
			case pl.fiveSelfManaged > 0 && activeEnd < pl.fiveSelfManaged:
				typ = five
			case pl.fiveSelfManaged > 0 && activeEnd < pl.fiveSelfManaged+len(nonFive):
				typ = nonFive[activeEnd-pl.fiveSelfManaged]
			case pl.fiveSelfManaged > 0:
				typ = nonFive[g.r.IntN(len(nonFive))]
			default:
				typ = typesInUse[g.r.IntN(len(typesInUse))]
			}
			activeEnd++
		} else if pl.fiveSelfManaged > 0 {
			typ = nonFive[g.r.IntN(len(nonFive))]
		} else {
			typ = typesInUse[g.r.IntN(len(typesInUse))]
		}
		s.m = pickModel(typ, s.opened)
		s.name = strings.Split(s.m.typ, ",")[0] + " " + []string{"thôn ", "tổ dân phố ", "bản ", "khu "}[g.r.IntN(4)] + strconv.Itoa(1+g.r.IntN(20)) + ", " + s.pl.c.FullName
	}
	_ = short
	return pd, nil
}

// lowerFirst lower-cases the first letter: "Xã Hùng Lợi" -> "xã Hùng Lợi".
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// ---- place text ----

var abbreviations = []struct{ full, short string }{
	{"Thị trấn ", "TT. "}, {"Thành phố ", "TP. "}, {"Thị xã ", "TX. "}, {"Phường ", "P. "}, {"Xã ", "X. "}, {"Huyện ", "H. "}, {"Quận ", "Q. "},
}

func abbreviate(s string) string {
	for _, a := range abbreviations {
		if strings.HasPrefix(s, a.full) {
			return a.short + strings.TrimPrefix(s, a.full)
		}
	}
	return s
}

// stripDiacritics keeps case: "Xã Trung Minh" -> "Xa Trung Minh".
func stripDiacritics(s string) string { return placename.RemoveDiacritics(s) }

// placeText names a place as a record dated d writes it: the old unit before
// the merger (sometimes without diacritics or abbreviated), the 2025
// commune after.
func (g *gen) placeText(pl place, prov *commune.Province, d time.Time) (com, dist, pro string) {
	clash := false
	if d.Before(analytics.MergerDate) && pl.old != nil {
		com, dist, pro = pl.old.Name, pl.old.District, pl.old.Province
		clash = g.foldClash[pl.old]
	} else {
		com, pro = pl.c.FullName, prov.Name
		clash = g.newClash[pl.c.Code]
	}
	switch x := g.r.Float64(); {
	case x < 0.10 && !clash:
		com, dist, pro = stripDiacritics(com), stripDiacritics(dist), stripDiacritics(pro)
	case x < 0.15:
		com, dist = abbreviate(com), abbreviate(dist)
	}
	return com, dist, pro
}

func ddmmyyyy(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006")
}

func yesNo(b bool) string {
	if b {
		return "có"
	}
	return "không"
}

func coord(x float64, ok bool) string {
	if !ok {
		return ""
	}
	return strings.Replace(strconv.FormatFloat(x, 'f', 6, 64), ".", ",", 1)
}

// ---- rows ----

var (
	modelHeader    = []string{"Mã", "Tên mô hình", "Loại mô hình", "Lĩnh vực", "Cấp", "Đơn vị chủ trì", "Xã/Phường", "Huyện", "Tỉnh", "Ngày thành lập", "Ngày thanh loại", "Điển hình tiên tiến", "Tiêu biểu toàn quốc", "Ghi chú"}
	siteHeader     = []string{"Mã điểm", "Tên điểm", "Mã mô hình", "Tên mô hình", "Loại mô hình", "Lĩnh vực", "Xã/Phường", "Huyện", "Tỉnh", "Kinh độ", "Vĩ độ", "Ngày thành lập", "Ngày thanh loại", "Số tổ", "Số thành viên"}
	gradeHeader    = []string{"Mã điểm", "Năm", "Xếp loại", "Xã/Phường", "Huyện", "Tỉnh"}
	incidentHeader = []string{"Mã vụ việc", "Mã điểm", "Lĩnh vực vụ việc", "Ngày tiếp nhận", "Ngày kết thúc", "Kết quả", "Tin báo", "Tin có giá trị", "Xã/Phường", "Huyện", "Tỉnh"}
)

func (g *gen) modelRow(pd *provinceData, m *model) []string {
	com, dist, pro := g.placeText(m.pl, pd.prov, m.founded)
	note := ""
	if m.exemplary {
		note = "Mô hình tiêu biểu toàn quốc năm 2025"
	}
	return []string{m.id, m.name, m.typ, m.sector, m.level, m.host, com, dist, pro, ddmmyyyy(m.founded), "", yesNo(m.advanced), yesNo(m.exemplary), note}
}

func (g *gen) siteRow(pd *provinceData, s *site) []string {
	com, dist, pro := g.placeText(s.pl, pd.prov, s.opened)
	return []string{s.id, s.name, s.m.id, s.m.name, s.m.typ, s.m.sector, com, dist, pro, coord(s.lon, s.hasPoint), coord(s.lat, s.hasPoint),
		ddmmyyyy(s.opened), ddmmyyyy(s.retired), strconv.Itoa(s.teams), strconv.Itoa(s.members)}
}

// gradeRows grades each site active at the end of each police year.
func (g *gen) gradeRows(pd *provinceData, emit func([]string) error) error {
	weights := make([]float64, len(gradeMix))
	for i, x := range gradeMix {
		weights[i] = x.weight
	}
	for _, y := range Years {
		_, end := policeYear(y)
		at := end
		if y == 2025 {
			at = reportDay
		}
		for _, s := range pd.sites {
			if !s.activeAt(at) {
				continue
			}
			com, dist, pro := g.placeText(s.pl, pd.prov, end.AddDate(0, 0, -1))
			if err := emit([]string{s.id, strconv.Itoa(y), gradeMix[g.pick(weights)].grade, com, dist, pro}); err != nil {
				return err
			}
		}
	}
	return nil
}

// incidentRows writes each site's incidents and tips, police year by year.
func (g *gen) incidentRows(pd *provinceData, emit func([]string) error) error {
	cw := make([]float64, len(categories))
	for i, c := range categories {
		cw[i] = c.weight
	}
	ow := make([]float64, len(outcomes))
	for i, o := range outcomes {
		ow[i] = o.weight
	}
	n := 0
	for _, s := range pd.sites {
		for _, y := range Years {
			f := s.activeFraction(y)
			if f <= 0 {
				continue
			}
			k := g.poisson(pd.plan.incidentsPerSiteYear * f * 1.25) // ≈ 20 % of the rows are tips
			from, to := policeYear(y)
			if s.opened.After(from) {
				from = s.opened
			}
			if !s.retired.IsZero() && s.retired.Before(to) {
				to = s.retired
			}
			for j := 0; j < k; j++ {
				n++
				rec := g.dateIn(from, to)
				com, dist, pro := g.placeText(s.pl, pd.prov, rec)
				id := fmt.Sprintf("VV-%s-%d-%06d", pd.plan.code, y, n)
				if g.r.Float64() < 0.2 {
					if err := emit([]string{id, s.id, "tin báo", ddmmyyyy(rec), "", "", "có", yesNo(g.r.Float64() < 0.35), com, dist, pro}); err != nil {
						return err
					}
					continue
				}
				out := outcomes[g.pick(ow)].name
				closed := ""
				if out != analytics.OutcomePending {
					closed = ddmmyyyy(rec.AddDate(0, 0, int(g.r.ExpFloat64()*7)))
				}
				if err := emit([]string{id, s.id, categories[g.pick(cw)].name, ddmmyyyy(rec), closed, out, "không", "", com, dist, pro}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (g *gen) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*g.r.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= g.r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// ---- invalid rows and duplicates ----

// spoil returns an invalid copy of row for kind (each a different reason).
func (g *gen) spoil(kind analytics.Kind, row []string, which int) []string {
	r := append([]string(nil), row...)
	col := func(h string, header []string) int {
		for i, x := range header {
			if x == h {
				return i
			}
		}
		return -1
	}
	switch kind {
	case analytics.KindModels:
		switch which % 3 {
		case 0:
			r[col("Xã/Phường", modelHeader)] = "Xã Không Có Thật"
		case 1:
			r[col("Ngày thành lập", modelHeader)] = "31/02/2024"
		case 2:
			r[col("Tên mô hình", modelHeader)] = ""
		}
		r[0] += "-LOI"
	case analytics.KindSites:
		switch which % 3 {
		case 0:
			r[col("Xã/Phường", siteHeader)] = "Phường Không Tồn Tại"
		case 1:
			r[col("Ngày thành lập", siteHeader)] = "15/13/2023"
		case 2:
			r[col("Kinh độ", siteHeader)], r[col("Vĩ độ", siteHeader)] = "139,691700", "35,689500" // Tokyo
		}
		r[0] += "-LOI"
	case analytics.KindIncidents:
		switch which % 3 {
		case 0:
			r[col("Ngày kết thúc", incidentHeader)] = "01/01/2010"
			r[col("Kết quả", incidentHeader)] = analytics.OutcomeMediated
		case 1:
			r[col("Kết quả", incidentHeader)] = "chưa rõ"
		case 2:
			r[col("Ngày tiếp nhận", incidentHeader)] = "12/12/2099"
		}
		r[0] += "-LOI"
	case analytics.KindGrades:
		r[2] = "Xuất sắc lắm"
	}
	return r
}

// sink writes rows of one kind, mixing in invalid rows and duplicates.
type sink struct {
	g       *gen
	kind    analytics.Kind
	write   func([]string) error
	n       int
	every   int // one invalid row every n rows
	dupDone int
}

func (s *sink) emit(row []string) error {
	s.n++
	if err := s.write(row); err != nil {
		return err
	}
	s.g.res.Rows++
	if s.every > 0 && s.n%s.every == 0 {
		if err := s.write(s.g.spoil(s.kind, row, s.n/s.every)); err != nil {
			return err
		}
		s.g.res.Rows++
		s.g.res.Invalid++
	}
	if s.dupDone < 3 && s.n%997 == 0 {
		s.dupDone++
		if err := s.write(row); err != nil {
			return err
		}
		s.g.res.Rows++
		s.g.res.Duplicates++
	}
	return nil
}

// ---- files ----

func (g *gen) writeDemo(ctx context.Context, pdata []*provinceData) (Result, error) {
	// Models and sites as XLSX, one sheet a province, a title row above the
	// header saying the data are synthetic.
	if err := g.writeXLSX(filepath.Join(g.cfg.Out, FilePrefix+"mo_hinh.xlsx"), analytics.KindModels, modelHeader, pdata, func(pd *provinceData, s *sink) error {
		for _, m := range pd.models {
			if err := s.emit(g.modelRow(pd, m)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return g.res, err
	}
	if err := g.writeXLSX(filepath.Join(g.cfg.Out, FilePrefix+"diem_mo_hinh.xlsx"), analytics.KindSites, siteHeader, pdata, func(pd *provinceData, s *sink) error {
		for _, st := range pd.sites {
			if err := s.emit(g.siteRow(pd, st)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return g.res, err
	}
	// Grades: CSV with a BOM and semicolons, as Excel writes it.
	if err := g.writeCSV(filepath.Join(g.cfg.Out, FilePrefix+"xep_loai.csv"), ';', true, analytics.KindGrades, gradeHeader, pdata, g.gradeRows); err != nil {
		return g.res, err
	}
	if err := g.writeCSV(filepath.Join(g.cfg.Out, FilePrefix+"vu_viec.csv"), ',', false, analytics.KindIncidents, incidentHeader, pdata, g.incidentRows); err != nil {
		return g.res, err
	}
	return g.res, ctx.Err()
}

func (g *gen) writeCSVs(ctx context.Context, pdata []*provinceData, prefix string) (Result, error) {
	type kindFile struct {
		name   string
		kind   analytics.Kind
		header []string
		rows   func(*provinceData, func([]string) error) error
	}
	files := []kindFile{
		{"mo_hinh.csv", analytics.KindModels, modelHeader, func(pd *provinceData, emit func([]string) error) error {
			for _, m := range pd.models {
				if err := emit(g.modelRow(pd, m)); err != nil {
					return err
				}
			}
			return nil
		}},
		{"diem_mo_hinh.csv", analytics.KindSites, siteHeader, func(pd *provinceData, emit func([]string) error) error {
			for _, s := range pd.sites {
				if err := emit(g.siteRow(pd, s)); err != nil {
					return err
				}
			}
			return nil
		}},
		{"xep_loai.csv", analytics.KindGrades, gradeHeader, g.gradeRows},
		{"vu_viec.csv", analytics.KindIncidents, incidentHeader, g.incidentRows},
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return g.res, err
		}
		if err := g.writeCSV(filepath.Join(g.cfg.Out, FilePrefix+prefix+f.name), ',', false, f.kind, f.header, pdata, f.rows); err != nil {
			return g.res, err
		}
	}
	return g.res, nil
}

func (g *gen) writeCSV(path string, comma rune, bom bool, kind analytics.Kind, header []string, pdata []*provinceData,
	rows func(*provinceData, func([]string) error) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	if bom {
		bw.WriteString("\ufeff")
	}
	w := csv.NewWriter(bw)
	w.Comma = comma
	if err := w.Write(header); err != nil {
		return err
	}
	s := &sink{g: g, kind: kind, write: w.Write, every: 331}
	for _, pd := range pdata {
		if err := rows(pd, s.emit); err != nil {
			return fmt.Errorf("demo: write %s: %w", path, err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("demo: write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("demo: write %s: %w", path, err)
	}
	g.res.Files = append(g.res.Files, path)
	return f.Close()
}

func (g *gen) writeXLSX(path string, kind analytics.Kind, header []string, pdata []*provinceData, rows func(*provinceData, *sink) error) error {
	x := excelize.NewFile()
	defer x.Close()
	for i, pd := range pdata {
		name := strings.TrimPrefix(strings.TrimPrefix(pd.prov.Name, "Tỉnh "), "Thành phố ")
		if i == 0 {
			if err := x.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := x.NewSheet(name); err != nil {
			return err
		}
		sw, err := x.NewStreamWriter(name)
		if err != nil {
			return err
		}
		row := 1
		put := func(vals []string) error {
			cells := make([]any, len(vals))
			for i, v := range vals {
				cells[i] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			row++
			return sw.SetRow(cell, cells)
		}
		if err := put([]string{Synthetic + " — " + pd.prov.Name}); err != nil {
			return err
		}
		row++ // a blank row between the title and the header
		if err := put(header); err != nil {
			return err
		}
		s := &sink{g: g, kind: kind, write: put, every: 331}
		if err := rows(pd, s); err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if err := x.SaveAs(path); err != nil {
		return fmt.Errorf("demo: write %s: %w", path, err)
	}
	g.res.Files = append(g.res.Files, path)
	return nil
}
