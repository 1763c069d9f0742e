package record

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/layout"
	"github.com/antq-atlas/antq/ingest/schema"
	"github.com/antq-atlas/antq/ingest/sheet"
	"github.com/antq-atlas/antq/ingest/value"
)

// ProvinceChecker is implemented by resolvers that know province
// boundaries; when the Job's resolver implements it, records whose point
// lies outside their commune's province are rejected.
type ProvinceChecker interface {
	InProvince(p analytics.ProvinceCode, lon, lat float64) bool
}

// provinceNamer gives a province's official full name (commune.Resolver
// does), so a point outside a centrally-run city says "city".
type provinceNamer interface {
	ProvinceName(analytics.ProvinceCode) (string, bool)
}

// Vietnam's bounding box in WGS84, with the Hoàng Sa and Trường Sa
// archipelagos.
const (
	vnMinLon, vnMaxLon = 102.1, 117.9
	vnMinLat, vnMaxLat = 6.0, 23.4
)

func inVietnam(lon, lat float64) bool {
	return lon >= vnMinLon && lon <= vnMaxLon && lat >= vnMinLat && lat <= vnMaxLat
}

// Record is one parsed row: the record of its kind (Model, Site, Grade or
// Incident), with its key, content hash and 2025 province.
type Record struct {
	Kind     analytics.Kind
	Key      string
	Hash     uint64
	Province analytics.ProvinceCode
	Model    analytics.Model
	Site     analytics.Site
	Grade    analytics.Grade
	Incident analytics.Incident
}

// Builder turns rows into records. It is not safe for concurrent use; its
// caches make repeated values (dates, communes, categories) cheap.
type Builder struct {
	resolver analytics.Resolver
	checker  ProvinceChecker
	minDate  time.Time // earliest date accepted
	maxDate  time.Time // first instant not accepted (tomorrow)

	dates  map[string]dateResult
	enums  map[enumKey]enumResult
	srcs   map[[4]string]*placeEntry // by commune code, commune, district, province as written
	refs   map[[3]string]string      // keys of referenced records
	places map[analytics.Place]placeResult
	last   lastPlace
	digest xxhash.Digest
	buf    []byte
	probs  []Problem
	months []string // fields of the row whose dates had month precision
	keysOf *schema.Mapping
	keys   []string // extraKeys of keysOf
	rec    Record
}

type enumKey struct {
	f   schema.Field
	raw string
}

type enumResult struct {
	v   string
	err error
}

// enum parses an enumerated field through a cache: the same few spellings
// repeat on every row.
func (b *Builder) enum(f schema.Field, raw string, parse func(string) (string, error)) (string, error) {
	k := enumKey{f, raw}
	if r, ok := b.enums[k]; ok {
		return r.v, r.err
	}
	v, err := parse(raw)
	if len(b.enums) >= cacheMax {
		clear(b.enums)
	}
	b.enums[k] = enumResult{v, err}
	return v, err
}

type dateResult struct {
	t    time.Time
	prec value.Precision
	err  error
}

// lastPlace is the previous row's place.
type lastPlace struct {
	key [4]string // commune code, commune, district, province as written
	e   *placeEntry
}

// placeEntry is what a builder keeps of a place as written: its source
// text and, for each side of the merger (mergerSide: no date, before,
// after), how it resolved for a row without a point. A point may change
// the answer, so a row with one is resolved through the places map, keyed
// by the point too. A row costs one map lookup, or none when it names the
// previous row's place. Before, a row whose place differed from the
// previous row's also looked up the places map, hashing the whole place
// (pprof, the resolve path with the misses' resolving: 0.85 s of CPU on a
// 2 M-row sample of the national file before, 0.57 s on the whole
// 12.5 M-row file after).
type placeEntry struct {
	sp   string
	done [3]bool
	out  [3]placeOutcome
}

type placeOutcome struct {
	res analytics.Resolution
	f   schema.Field
	err error // nil or an *analytics.ResolveError
}

type placeResult struct {
	res analytics.Resolution
	err error
}

const cacheMax = 1 << 16

// NewBuilder returns a builder that resolves places with r (which may also
// implement ProvinceChecker) and accepts dates from minDate to the end of
// the day of now.
func NewBuilder(r analytics.Resolver, minDate, now time.Time) *Builder {
	b := &Builder{
		resolver: r,
		minDate:  minDate,
		maxDate:  time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC),
		dates:    make(map[string]dateResult),
		enums:    make(map[enumKey]enumResult),
		srcs:     make(map[[4]string]*placeEntry),
		refs:     make(map[[3]string]string),
		places:   make(map[analytics.Place]placeResult),
	}
	b.checker, _ = r.(ProvinceChecker)
	return b
}

// Record is the record the last Build made; it is valid until the next
// Build.
func (b *Builder) Record() *Record { return &b.rec }

// Problems are why the last Build rejected its row; the slice is valid
// until the next Build.
func (b *Builder) Problems() []Problem { return b.probs }

func (b *Builder) fail(f schema.Field, format string, args ...any) {
	b.probs = append(b.probs, Problem{Field: f.String(), Reason: fmt.Sprintf(format, args...)})
}

// rowView reads a row's values by field.
type rowView struct {
	m     *schema.Mapping
	row   *sheet.Row
	place *layout.Context // the report's place context; nil when none
}

func (v rowView) raw(f schema.Field) string {
	if i := v.m.Col(f); i >= 0 && i < len(v.row.Values) {
		return v.row.Values[i]
	}
	return ""
}

func (v rowView) text(f schema.Field) string { return value.Clean(v.raw(f)) }

// Build parses row, whose table m maps and whose report gives the place
// context place (nil when none), into the builder's Record. It returns
// false with the Problems set when the row is rejected, and an error only
// when the resolver fails for a reason other than the place (the job
// stops).
func (b *Builder) Build(m *schema.Mapping, row *sheet.Row, place *layout.Context) (bool, error) {
	b.probs, b.months = b.probs[:0], b.months[:0]
	b.rec = Record{Kind: m.Kind}
	if row.Err != nil {
		b.fail(schema.None, "%v", row.Err)
		return false, nil
	}
	v := rowView{m, row, place}
	src := analytics.Source{File: row.File, Sheet: row.Sheet, Row: row.Num, Extra: b.extra(v)}
	var err error
	switch m.Kind {
	case analytics.KindModels:
		err = b.model(v, src)
	case analytics.KindSites:
		err = b.site(v, src)
	case analytics.KindGrades:
		err = b.gradeRow(v, src)
	case analytics.KindIncidents:
		err = b.incident(v, src)
	default:
		return false, fmt.Errorf("unknown kind %q", m.Kind)
	}
	if len(b.months) > 0 {
		switch m.Kind {
		case analytics.KindModels:
			b.rec.Model.Extra = b.withMonths(b.rec.Model.Extra)
		case analytics.KindSites:
			b.rec.Site.Extra = b.withMonths(b.rec.Site.Extra)
		case analytics.KindIncidents:
			b.rec.Incident.Extra = b.withMonths(b.rec.Incident.Extra)
		}
	}
	return err == nil && len(b.probs) == 0, err
}

func (b *Builder) required(v rowView, f schema.Field, label string) string {
	s := v.text(f)
	if s == "" {
		b.fail(f, "missing %s", label)
	}
	return s
}

// date parses a date field and checks it lies between the minimum date and
// today.
func (b *Builder) date(v rowView, f schema.Field) time.Time {
	s := v.raw(f)
	if s == "" {
		return time.Time{}
	}
	r, ok := b.dates[s]
	if !ok {
		r.t, r.prec, r.err = value.ParseDateTyped(s)
		if r.err == nil && (r.t.Before(b.minDate) || !r.t.Before(b.maxDate)) {
			r.err = fmt.Errorf("date %s outside %s–today", r.t.Format("02/01/2006"), b.minDate.Format("02/01/2006"))
		}
		if len(b.dates) >= cacheMax {
			clear(b.dates)
		}
		b.dates[s] = r
	}
	if r.err != nil {
		b.fail(f, "%v", r.err)
		return time.Time{}
	}
	if r.prec == value.Month {
		b.months = append(b.months, f.String())
	}
	return r.t
}

// monthKey is the extra column that flags dates written without their day.
const monthKey = "ngày chỉ ghi tháng"

// withMonths adds the fields whose dates had month precision to extra.
func (b *Builder) withMonths(extra string) string {
	if len(b.months) == 0 {
		return extra
	}
	v := appendJSONString([]byte(jsonString(monthKey)+":"), strings.Join(b.months, ", "))
	if extra == "{}" {
		return "{" + string(v) + "}"
	}
	return extra[:len(extra)-1] + "," + string(v) + "}"
}

func (b *Builder) boolean(v rowView, f schema.Field) bool {
	s := v.raw(f)
	if s == "" {
		return false
	}
	x, err := b.enum(f, s, func(s string) (string, error) {
		v, err := value.ParseBool(s)
		return strconv.FormatBool(v), err
	})
	if err != nil {
		b.fail(f, "%v", err)
	}
	return x == "true"
}

func (b *Builder) count(v rowView, f schema.Field) uint32 {
	n, err := value.ParseCount(v.raw(f))
	if err != nil {
		b.fail(f, "%v", err)
	}
	return n
}

func (b *Builder) sector(v rowView) string {
	s := v.raw(schema.Sector)
	if strings.TrimSpace(s) == "" {
		return ""
	}
	x, err := b.enum(schema.Sector, s, value.ParseSector)
	if err != nil {
		b.fail(schema.Sector, "%v", err)
	}
	return x
}

func (b *Builder) order(f schema.Field, before, after time.Time, what, whatBefore string) {
	if !before.IsZero() && !after.IsZero() && after.Before(before) {
		b.fail(f, "%s %s before %s %s", what, after.Format("02/01/2006"), whatBefore, before.Format("02/01/2006"))
	}
}

// extraKeys returns the JSON-encoded names of m's extra columns, each
// followed by a colon, ready to write; they are made once per mapping.
func (b *Builder) extraKeys(m *schema.Mapping) []string {
	if b.keysOf != m {
		b.keysOf, b.keys = m, b.keys[:0]
		for _, c := range m.Extra {
			b.keys = append(b.keys, jsonString(m.Header[c])+":")
		}
	}
	return b.keys
}

// extra encodes the values of unknown columns as a JSON object.
func (b *Builder) extra(v rowView) string {
	b.buf = append(b.buf[:0], '{')
	for i, c := range v.m.Extra {
		if c >= len(v.row.Values) {
			continue
		}
		val := value.Clean(v.row.Values[c])
		if val == "" {
			continue
		}
		if len(b.buf) > 1 {
			b.buf = append(b.buf, ',')
		}
		b.buf = append(b.buf, b.extraKeys(v.m)[i]...)
		b.buf = appendJSONString(b.buf, val)
	}
	if len(b.buf) == 1 {
		return "{}"
	}
	b.buf = append(b.buf, '}')
	return string(b.buf)
}

func (b *Builder) model(v rowView, src analytics.Source) error {
	r := &b.rec.Model
	r.SourceID = normID(v.raw(schema.ID))
	r.Name = b.required(v, schema.Name, "model name (Tên mô hình)")
	r.Type = b.required(v, schema.Type, "model type (Loại mô hình)")
	r.Sector = b.sector(v)
	r.Level = v.text(schema.Level)
	r.HostUnit = v.text(schema.Host)
	r.Founded = b.date(v, schema.Founded)
	if r.Founded.IsZero() {
		r.Founded = b.date(v, schema.Recognised)
	}
	r.Retired = b.date(v, schema.Retired)
	b.order(schema.Retired, r.Founded, r.Retired, "retired", "founded")
	r.Advanced = b.boolean(v, schema.Advanced)
	r.Exemplary = b.boolean(v, schema.Exemplary)
	r.Source = src
	var err error
	if r.Located, err = b.locate(v, r.Founded); err != nil || len(b.probs) > 0 {
		return err
	}
	h := b.hashStart(analytics.KindModels)
	h.str(r.SourceID).str(r.Name).str(r.Type).str(r.Sector).str(r.Level).str(r.HostUnit).
		time(r.Founded).time(r.Retired).flag(r.Advanced).flag(r.Exemplary).located(&r.Located)
	r.Hash = h.sum()
	r.Key = b.key(analytics.KindModels, r.Province, r.SourceID, r.Hash)
	b.done(r.Key, r.Hash, r.Province)
	return nil
}

func (b *Builder) site(v rowView, src analytics.Source) error {
	r := &b.rec.Site
	r.SourceID = normID(v.raw(schema.ID))
	r.Name = b.required(v, schema.Name, "site name (Tên điểm)")
	modelID := normID(v.raw(schema.ModelID))
	r.ModelName = v.text(schema.ModelName)
	r.ModelType = v.text(schema.Type)
	r.Sector = b.sector(v)
	r.Opened = b.date(v, schema.Founded)
	r.Retired = b.date(v, schema.Retired)
	b.order(schema.Retired, r.Opened, r.Retired, "retired", "opened")
	r.Teams = b.count(v, schema.Teams)
	r.Members = b.count(v, schema.Members)
	r.Source = src
	var err error
	if r.Located, err = b.locate(v, r.Opened); err != nil || len(b.probs) > 0 {
		return err
	}
	if modelID != "" {
		r.ModelKey = b.ref(analytics.KindModels, r.Province, modelID)
	}
	h := b.hashStart(analytics.KindSites)
	h.str(r.SourceID).str(r.Name).str(r.ModelKey).str(r.ModelName).str(r.ModelType).str(r.Sector).
		time(r.Opened).time(r.Retired).num(uint64(r.Teams)).num(uint64(r.Members)).located(&r.Located)
	r.Hash = h.sum()
	r.Key = b.key(analytics.KindSites, r.Province, r.SourceID, r.Hash)
	b.done(r.Key, r.Hash, r.Province)
	return nil
}

func (b *Builder) gradeRow(v rowView, src analytics.Source) error {
	r := &b.rec.Grade
	siteID := normID(v.raw(schema.SiteID))
	siteName := v.text(schema.SiteName)
	if siteID == "" && siteName == "" {
		b.fail(schema.SiteID, "missing site (Mã điểm or Tên điểm)")
	}
	var end time.Time
	s := v.raw(schema.Year)
	if strings.TrimSpace(s) == "" && v.place != nil && v.place.Year > 0 {
		s = strconv.Itoa(v.place.Year) // the year the report's title names
	}
	if strings.TrimSpace(s) == "" {
		b.fail(schema.Year, "missing year (Năm)")
	} else if y, err := value.ParseYear(s); err != nil {
		b.fail(schema.Year, "%v", err)
	} else {
		r.Year = y
		// The police year Y runs from 15/12/Y-1 to 14/12/Y.
		start := time.Date(int(y)-1, 12, 15, 0, 0, 0, 0, time.UTC)
		end = time.Date(int(y), 12, 14, 0, 0, 0, 0, time.UTC)
		if end.Before(b.minDate) || !start.Before(b.maxDate) {
			b.fail(schema.Year, "year %d outside %d–today", y, b.minDate.Year())
		}
	}
	if s := v.raw(schema.Grade); strings.TrimSpace(s) == "" {
		b.fail(schema.Grade, "missing grade (Xếp loại)")
	} else if g, err := b.enum(schema.Grade, s, value.ParseGrade); err != nil {
		b.fail(schema.Grade, "%v", err)
	} else {
		r.Grade = g
	}
	r.Advanced = b.boolean(v, schema.Advanced)
	r.Source = src
	var err error
	if r.Located, err = b.locate(v, end); err != nil || len(b.probs) > 0 {
		return err
	}
	// A grade is the grade of one site in one year: that is its identity,
	// and a second grade for them is a correction, not another record.
	if siteID != "" {
		r.SiteKey = b.ref(analytics.KindSites, r.Province, siteID)
	}
	h := b.hashStart(analytics.KindGrades)
	h.str(r.SiteKey).str(siteName).located(&r.Located).num(uint64(r.Year))
	ident := h.sum()
	h.str(r.Grade).flag(r.Advanced)
	r.Hash = h.sum()
	id := ""
	if siteID != "" {
		id = siteID + "/" + strconv.Itoa(int(r.Year))
	}
	r.Key = b.key(analytics.KindGrades, r.Province, id, ident)
	b.done(r.Key, r.Hash, r.Province)
	return nil
}

func (b *Builder) incident(v rowView, src analytics.Source) error {
	r := &b.rec.Incident
	r.SourceID = normID(v.raw(schema.ID))
	siteID := normID(v.raw(schema.SiteID))
	r.Tip = b.boolean(v, schema.Tip)
	r.TipUseful = b.boolean(v, schema.TipUseful)
	if r.TipUseful {
		r.Tip = true // a useful tip is a tip
	}
	if s := v.raw(schema.Category); strings.TrimSpace(s) != "" {
		r.Category, _ = b.enum(schema.Category, s, func(s string) (string, error) { return value.ParseCategory(s), nil })
	} else if !r.Tip {
		b.fail(schema.Category, "missing category (Lĩnh vực vụ việc)")
	}
	r.Received = b.date(v, schema.Received)
	if r.Received.IsZero() && strings.TrimSpace(v.raw(schema.Received)) == "" {
		b.fail(schema.Received, "missing received date (Ngày tiếp nhận)")
	}
	r.Closed = b.date(v, schema.Closed)
	b.order(schema.Closed, r.Received, r.Closed, "closed", "received")
	if s := v.raw(schema.Outcome); strings.TrimSpace(s) != "" {
		o, err := b.enum(schema.Outcome, s, value.ParseOutcome)
		if err != nil {
			b.fail(schema.Outcome, "%v", err)
		}
		r.Outcome = o
	} else if o, ok := b.markedOutcome(v); ok {
		r.Outcome = o
	} else if r.Closed.IsZero() {
		r.Outcome = analytics.OutcomePending
	} else if !r.Tip {
		b.fail(schema.Outcome, "missing outcome (Kết quả) of a closed incident")
	}
	r.Source = src
	var err error
	if r.Located, err = b.locate(v, r.Received); err != nil || len(b.probs) > 0 {
		return err
	}
	if siteID != "" {
		r.SiteKey = b.ref(analytics.KindSites, r.Province, siteID)
	}
	h := b.hashStart(analytics.KindIncidents)
	h.str(r.SourceID).str(r.SiteKey).str(r.Category).time(r.Received).time(r.Closed).str(r.Outcome).
		flag(r.Tip).flag(r.TipUseful).located(&r.Located)
	r.Hash = h.sum()
	r.Key = b.key(analytics.KindIncidents, r.Province, r.SourceID, r.Hash)
	b.done(r.Key, r.Hash, r.Province)
	return nil
}

// markedOutcome reads an outcome given as a mark in one of several outcome
// columns. Two marks are a problem; none is not an outcome.
func (b *Builder) markedOutcome(v rowView) (string, bool) {
	found := ""
	for _, oc := range v.m.Outcomes {
		if oc.Col >= len(v.row.Values) || strings.TrimSpace(v.row.Values[oc.Col]) == "" {
			continue
		}
		yes, err := value.ParseBool(v.row.Values[oc.Col])
		if err != nil {
			b.fail(schema.Outcome, "%v", err)
			return "", true
		}
		if !yes {
			continue
		}
		if found != "" && found != oc.Outcome {
			b.fail(schema.Outcome, "two outcomes marked: %s and %s", found, oc.Outcome)
			return "", true
		}
		found = oc.Outcome
	}
	return found, found != ""
}

func (b *Builder) done(key string, hash uint64, p analytics.ProvinceCode) {
	b.rec.Key, b.rec.Hash, b.rec.Province = key, hash, p
}

// normID is a source ID as compared: cleaned and in upper case, so "mh-01"
// and "MH-01 " are one ID.
func normID(s string) string {
	s = value.Clean(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= 0x80 {
			return strings.ToUpper(s)
		}
	}
	return s
}

// idKey is the key of a record with a source ID: kind, 2025 province and
// the ID, so equal IDs of two provinces or two kinds do not collide.
func idKey(kind analytics.Kind, p analytics.ProvinceCode, id string) string {
	return string(kind) + ":" + string(p) + ":" + id
}

// ref is the key of a referenced record (a site's model, an incident's
// site); the few distinct ones are made once.
func (b *Builder) ref(kind analytics.Kind, p analytics.ProvinceCode, id string) string {
	k := [3]string{string(kind), string(p), id}
	if s, ok := b.refs[k]; ok {
		return s
	}
	s := idKey(kind, p, id)
	if len(b.refs) >= cacheMax {
		clear(b.refs)
	}
	b.refs[k] = s
	return s
}

// key is the source ID key, or, without an ID, kind, province and a hash
// of the normalised content — never the file or the row, so the same record
// in another file has the same key.
func (b *Builder) key(kind analytics.Kind, p analytics.ProvinceCode, id string, content uint64) string {
	if id != "" {
		return idKey(kind, p, id)
	}
	b.buf = append(b.buf[:0], kind...)
	b.buf = append(b.buf, ':')
	b.buf = append(b.buf, p...)
	b.buf = append(b.buf, ":#"...)
	var hex [16]byte
	const digits = "0123456789abcdef"
	for i := 15; i >= 0; i-- {
		hex[i] = digits[content&15]
		content >>= 4
	}
	b.buf = append(b.buf, hex[:]...)
	return string(b.buf)
}

// hasher writes normalised fields into the content hash, each followed by a
// separator so that ("ab","c") and ("a","bc") differ.
type hasher struct{ d *xxhash.Digest }

func (b *Builder) hashStart(kind analytics.Kind) hasher {
	b.digest.Reset()
	h := hasher{&b.digest}
	return h.str(string(kind))
}

func (h hasher) str(s string) hasher {
	h.d.WriteString(s)
	h.d.Write([]byte{0x1f})
	return h
}

func (h hasher) num(n uint64) hasher {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	h.d.Write(b[:])
	return h
}

func (h hasher) time(t time.Time) hasher {
	if t.IsZero() {
		return h.num(0)
	}
	return h.num(uint64(t.Unix()))
}

func (h hasher) flag(v bool) hasher {
	if v {
		return h.num(1)
	}
	return h.num(0)
}

func (h hasher) located(l *analytics.Located) hasher {
	h.str(string(l.Commune))
	if l.HasPoint {
		h.num(math.Float64bits(l.Lon)).num(math.Float64bits(l.Lat))
	}
	return h
}

func (h hasher) sum() uint64 { return h.d.Sum64() }

// locate resolves the record's place to a 2025 commune. Problems go to
// b.probs; the error is a failure of the resolver itself.
func (b *Builder) locate(v rowView, date time.Time) (analytics.Located, error) {
	code := communeCode(v.text(schema.CommuneCode))
	p := analytics.Place{
		Commune:  v.text(schema.Commune),
		District: v.text(schema.District),
		Province: v.text(schema.Province),
		Date:     date,
	}
	if c := v.place; c != nil {
		// The report's context fills what the row leaves out: a district
		// tells same-named communes apart, a province keeps ambiguity
		// inside it.
		if p.Commune == "" && code == "" {
			p.Commune = c.Commune
		}
		if p.District == "" {
			p.District = c.District
		}
		if p.Province == "" {
			p.Province = c.Province
		}
	}
	sk := [4]string{code, p.Commune, p.District, p.Province}
	// Rows of a file come grouped by place (a site's incidents, a
	// commune's sites): the previous row's place is compared before any
	// map is hashed.
	if b.last.e == nil || b.last.key != sk {
		e, ok := b.srcs[sk]
		if !ok {
			e = &placeEntry{sp: sourcePlace(code, p)}
			if len(b.srcs) >= cacheMax {
				clear(b.srcs)
			}
			b.srcs[sk] = e
		}
		b.last = lastPlace{key: sk, e: e}
	}
	e := b.last.e
	loc := analytics.Located{SourcePlace: e.sp}
	lonS, latS := strings.TrimSpace(v.raw(schema.Lon)), strings.TrimSpace(v.raw(schema.Lat))
	switch {
	case lonS == "" && latS == "":
	case lonS == "":
		b.fail(schema.Lon, "latitude without longitude")
	case latS == "":
		b.fail(schema.Lat, "longitude without latitude")
	default:
		lon, err1 := value.ParseDecimal(lonS)
		lat, err2 := value.ParseDecimal(latS)
		switch {
		case err1 != nil:
			b.fail(schema.Lon, "%v", err1)
		case err2 != nil:
			b.fail(schema.Lat, "%v", err2)
		case !inVietnam(lon, lat) && inVietnam(lat, lon):
			b.fail(schema.Lon, "longitude %s and latitude %s look swapped", lonS, latS)
		case !inVietnam(lon, lat):
			b.fail(schema.Lon, "point (%s; %s) outside Vietnam", lonS, latS)
		default:
			p.Lon, p.Lat, p.HasPoint = lon, lat, true
		}
	}
	if code == "" && p.Commune == "" {
		b.fail(schema.Commune, "missing commune (Xã/Phường or Mã xã)")
		return loc, nil
	}
	var res analytics.Resolution
	var f schema.Field
	var err error
	side := sideIndex(p.Date)
	if !p.HasPoint && e.done[side] {
		o := &e.out[side]
		res, f, err = o.res, o.f, o.err
	} else {
		res, f, err = b.resolvePlace(code, p)
		var re *analytics.ResolveError
		if !p.HasPoint && (err == nil || errors.As(err, &re)) { // other errors may not last: not kept
			e.out[side], e.done[side] = placeOutcome{res, f, err}, true
		}
	}
	if err != nil {
		var re *analytics.ResolveError
		if !errors.As(err, &re) {
			return loc, fmt.Errorf("resolve %s: %w", loc.SourcePlace, err)
		}
		b.fail(f, "%s", resolveReason(re, code))
		return loc, nil
	}
	if p.HasPoint && b.checker != nil && !b.checker.InProvince(res.Province, p.Lon, p.Lat) {
		unit := "province" // the unit's kind from the reference data (a centrally-run city is "city")
		if pn, ok := b.checker.(provinceNamer); ok {
			if full, ok := pn.ProvinceName(res.Province); ok && analytics.ProvinceKindOf(full) == analytics.KindCity {
				unit = "city"
			}
		}
		b.fail(schema.Lon, "point (%s; %s) outside %s %s of %s", lonS, latS, unit, res.Province, res.Name)
	}
	b.rec.Province = res.Province
	loc.Province, loc.Commune, loc.Rule, loc.Confidence, loc.Split = res.Province, res.Commune, res.Rule, res.Confidence, res.Split
	loc.OldCode = res.OldCode // the former unit named, for the coverage of former communes
	loc.Lon, loc.Lat, loc.HasPoint = p.Lon, p.Lat, p.HasPoint
	return loc, nil
}

// resolvePlace resolves by code when there is one — codes win over names —
// and by names when there is no code or the code is unknown. f is the field
// to blame when both fail.
func (b *Builder) resolvePlace(code string, p analytics.Place) (analytics.Resolution, schema.Field, error) {
	if code != "" {
		byCode := analytics.Place{Code: code, Date: p.Date, Lon: p.Lon, Lat: p.Lat, HasPoint: p.HasPoint}
		res, err := b.resolve(byCode)
		if err == nil || p.Commune == "" {
			return res, schema.CommuneCode, err
		}
		var re *analytics.ResolveError
		if !errors.As(err, &re) {
			return res, schema.CommuneCode, err
		}
	}
	res, err := b.resolve(p)
	return res, schema.Commune, err
}

func (b *Builder) resolve(p analytics.Place) (analytics.Resolution, error) {
	// A resolver reads the date only for its side of the merger (the
	// Resolver contract), so answers are cached by that, not by the day:
	// a cache by day hits only on a place's rows of the same day, and a
	// national file names ≈ 39k places over four years (each miss is a full
	// resolve under the shared resolver's lock).
	k := p
	k.Date = mergerSide(p.Date)
	if r, ok := b.places[k]; ok {
		return r.res, r.err
	}
	res, err := b.resolver.Resolve(p)
	var re *analytics.ResolveError
	if err == nil || errors.As(err, &re) { // other errors may not last: not cached
		if len(b.places) >= cacheMax {
			clear(b.places)
		}
		b.places[k] = placeResult{res, err}
	}
	return res, err
}

// sideIndex numbers mergerSide(t): 0 for no date, 1 before the merger, 2
// from its day on.
func sideIndex(t time.Time) int {
	switch {
	case t.IsZero():
		return 0
	case t.Before(analytics.MergerDate):
		return 1
	}
	return 2
}

// mergerSide stands for t's side of analytics.MergerDate: zero when t is,
// else the day before the merger or the merger's day.
func mergerSide(t time.Time) time.Time {
	switch {
	case t.IsZero():
		return time.Time{}
	case t.Before(analytics.MergerDate):
		return analytics.MergerDate.AddDate(0, 0, -1)
	}
	return analytics.MergerDate
}

// resolveReason words a resolve error with at most three nearest names.
func resolveReason(re *analytics.ResolveError, code string) string {
	var s strings.Builder
	s.WriteString(re.Reason)
	switch {
	case re.Place.Commune != "":
		s.WriteString(" " + strconv.Quote(re.Place.Commune))
		if re.Place.District != "" {
			s.WriteString(", " + re.Place.District)
		}
		if code != "" {
			s.WriteString(" (code " + strconv.Quote(code) + " unknown too)")
		}
	case re.Place.Code != "":
		s.WriteString(" code " + strconv.Quote(re.Place.Code))
	}
	for i, c := range re.Candidates {
		if i == 3 {
			break
		}
		if i == 0 {
			s.WriteString("; nearest: ")
		} else {
			s.WriteString(", ")
		}
		s.WriteString(c.Name)
		if c.Code != "" {
			s.WriteString(" (" + c.Code + ")")
		}
	}
	return s.String()
}

// communeCode restores the leading zeros Excel drops from a commune code
// typed into a number cell: 2512 is "02512".
func communeCode(s string) string {
	if s == "" || len(s) >= 5 {
		return s
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return s
		}
	}
	return strings.Repeat("0", 5-len(s)) + s
}

// sourcePlace is the place as the row wrote it.
func sourcePlace(code string, p analytics.Place) string {
	var parts []string
	for _, s := range []string{p.Commune, p.District, p.Province} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	s := strings.Join(parts, ", ")
	switch {
	case s == "":
		return code
	case code != "":
		return s + " (" + code + ")"
	}
	return s
}
