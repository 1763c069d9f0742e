package dashboard

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/access"

	"github.com/paulmach/orb"
)

// OGC API – Features – Part 1: Core, with GeoJSON and OpenAPI 3.0
// (https://docs.ogc.org/is/17-069r4/17-069r4.html), under /ogc, for GIS
// tools (QGIS, GDAL's OAPIF driver). Two collections: communes (2025
// communes with metric values as properties) and sites (active sites as
// points). Coordinates are CRS84 (WGS84 lon/lat); datetime selects the
// window of the figures.

const (
	crs84        = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	ogcLimit     = 1000 // a province's communes in one page, the country in four
	ogcMaxLimit  = 10000
	ctJSONSchema = "application/schema+json"
	ctOGCJSON    = "application/json"
	defaultOGCMx = "sites,models,incidents"
)

var ogcConformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
}

type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

type ogcLanding struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Links       []link `json:"links"`
}

func (a *App) ogcLanding(ctx context.Context, r request) (response, error) {
	b := r.base
	return jsonResponse(ogcLanding{
		Title:       "ANTQ Atlas — OGC API Features",
		Description: "Mô hình, điểm mô hình phong trào Toàn dân bảo vệ an ninh Tổ quốc trên địa bàn xã, phường, đặc khu từ 01/7/2025 / ANTQ models and sites on the 2025 communes",
		Links: []link{
			{Href: b + "/ogc?f=json", Rel: "self", Type: ctOGCJSON, Title: "this document"},
			{Href: b + "/openapi.json", Rel: "service-desc", Type: ctOpenAPI, Title: "OpenAPI 3.0 definition"},
			{Href: b + "/ogc/conformance?f=json", Rel: "conformance", Type: ctOGCJSON, Title: "conformance classes"},
			{Href: b + "/ogc/collections?f=json", Rel: "data", Type: ctOGCJSON, Title: "collections"},
		},
	}, ctOGCJSON)
}

func (a *App) ogcConformance(ctx context.Context, r request) (response, error) {
	return jsonResponse(map[string][]string{"conformsTo": ogcConformance}, ctOGCJSON)
}

type ogcExtent struct {
	Spatial struct {
		BBox [][]float64 `json:"bbox"`
		CRS  string      `json:"crs"`
	} `json:"spatial"`
	Temporal struct {
		Interval [][]*string `json:"interval"`
		TRS      string      `json:"trs"`
	} `json:"temporal"`
}

type ogcCollection struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Extent      ogcExtent `json:"extent"`
	ItemType    string    `json:"itemType"`
	CRS         []string  `json:"crs"`
	Links       []link    `json:"links"`
}

var ogcCollections = []struct{ id, title, desc string }{
	{"communes", "Xã, phường, đặc khu 2025 / 2025 communes",
		"Ranh giới xã, phường, đặc khu từ 01/7/2025 kèm số liệu chỉ tiêu (tham số metric=, datetime=) / 2025 commune boundaries with metric values (metric=, datetime=)"},
	{"sites", "Điểm mô hình / Model sites",
		"Điểm mô hình đang hoạt động cuối kỳ (datetime=) / sites active at the end of the window (datetime=)"},
}

func (a *App) collection(base, id, title, desc string) ogcCollection {
	c := ogcCollection{ID: id, Title: title, Description: desc, ItemType: "feature", CRS: []string{crs84}}
	var all orb.Bound
	for i, p := range a.deps.Geo.Provinces {
		if i == 0 {
			all = p.Bound
		} else {
			all = all.Union(p.Bound)
		}
	}
	c.Extent.Spatial.BBox = [][]float64{bboxOf(all)}
	c.Extent.Spatial.CRS = crs84
	start := "2000-01-01T00:00:00Z"
	c.Extent.Temporal.Interval = [][]*string{{&start, nil}}
	c.Extent.Temporal.TRS = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
	u := base + "/ogc/collections/" + id
	c.Links = []link{
		{Href: u + "?f=json", Rel: "self", Type: ctOGCJSON, Title: "this collection"},
		{Href: u + "/items?f=json", Rel: "items", Type: "application/geo+json", Title: "features"},
		// GDAL's OAPIF driver types its fields from this schema (rel
		// "describedBy"), so a metric is a number even when the first page
		// holds only nulls.
		{Href: u + "/schema?f=json", Rel: "describedBy", Type: ctJSONSchema, Title: "schema of the features"},
		{Href: u + "/queryables?f=json", Rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables", Type: ctJSONSchema, Title: "queryables"},
		{Href: u + "/queryables?f=json", Rel: "queryables", Type: ctJSONSchema, Title: "queryables"},
	}
	return c
}

// mayRead reports whether the caller of ctx passes the route access of path
// (always, with access control off).
func (a *App) mayRead(ctx context.Context, path string) bool {
	if a.cfg.Auth == nil {
		return true
	}
	need := accessFor(path)
	if need == accessPublic {
		return true
	}
	pr, ok := principalOf(ctx)
	return ok && pr.Role.Includes(access.Role(need))
}

// visibleCollection reports whether the caller may read collection id's
// features: a listed collection that then answers 403 makes GIS clients
// (ogr2ogr) abort the whole copy.
func (a *App) visibleCollection(ctx context.Context, id string) bool {
	return a.mayRead(ctx, "/ogc/collections/"+id+"/items")
}

func (a *App) ogcCollections(ctx context.Context, r request) (response, error) {
	body := struct {
		Links       []link          `json:"links"`
		Collections []ogcCollection `json:"collections"`
	}{Links: []link{{Href: r.base + "/ogc/collections?f=json", Rel: "self", Type: ctOGCJSON, Title: "this document"}}}
	body.Collections = []ogcCollection{}
	for _, c := range ogcCollections {
		if a.visibleCollection(ctx, c.id) {
			body.Collections = append(body.Collections, a.collection(r.base, c.id, c.title, c.desc))
		}
	}
	return jsonResponse(body, ctOGCJSON)
}

// ogcSchema: GET /ogc/collections/{id}/schema, a JSON Schema of the
// collection's features with typed properties (metric values are numbers,
// null where there is no data; metrics asked with metric= beyond the
// default ones are numbers too).
func (a *App) ogcSchema(ctx context.Context, r request) (response, error) {
	id := r.params["collectionId"]
	props, ok := ogcProperties(id)
	if !ok {
		return response{}, unknownCollection(id)
	}
	geom := "MultiPolygon"
	if id == "sites" {
		geom = "Point"
	}
	return jsonResponse(map[string]any{
		"$schema": "https://json-schema.org/draft/2019-09/schema",
		"$id":     r.base + "/ogc/collections/" + id + "/schema",
		"title":   id,
		"type":    "object",
		"properties": map[string]any{
			"type":       map[string]any{"type": "string", "enum": []string{"Feature"}},
			"id":         map[string]any{"type": "string"},
			"geometry":   map[string]any{"type": "object", "description": "GeoJSON " + geom + " (CRS84), null when unknown"},
			"properties": map[string]any{"type": "object", "properties": props},
		},
	}, ctJSONSchema)
}

// ogcQueryables: GET /ogc/collections/{id}/queryables (OGC API Features
// Part 3): the properties the items can be filtered by.
func (a *App) ogcQueryables(ctx context.Context, r request) (response, error) {
	id := r.params["collectionId"]
	if _, ok := ogcProperties(id); !ok {
		return response{}, unknownCollection(id)
	}
	return jsonResponse(map[string]any{
		"$schema": "https://json-schema.org/draft/2019-09/schema",
		"$id":     r.base + "/ogc/collections/" + id + "/queryables",
		"title":   id,
		"type":    "object",
		"properties": map[string]any{
			"province": map[string]any{"type": "string", "title": "Mã tỉnh 2025 / 2025 province code"},
			"datetime": map[string]any{"type": "string", "format": "date", "title": "Kỳ số liệu / window of the figures"},
			"geometry": map[string]any{"format": "geometry-any", "title": "bbox (CRS84)"},
		},
		"additionalProperties": false,
	}, ctJSONSchema)
}

// ogcProperties are the typed properties of a collection's features.
func ogcProperties(id string) (map[string]any, bool) {
	str := func(title string) map[string]any { return map[string]any{"type": "string", "title": title} }
	num := func(title string) map[string]any { return map[string]any{"type": "number", "title": title} }
	date := map[string]any{"type": "string", "format": "date"}
	switch id {
	case "communes":
		p := map[string]any{
			"code": str("Mã xã 2025 / commune code"), "name": str("Tên / name"), "kind": str("Loại / kind"),
			"province": str("Mã tỉnh / province code"), "area_km2": num("Diện tích km² / area"),
			"population":      map[string]any{"type": "integer", "title": "Dân số (trống khi bị gắn cờ) / population (null when flagged)"},
			"population_flag": str("Cờ chất lượng dân số / population quality flag"), "former_units": str("Đơn vị trước sáp nhập / former units"),
			"period_from": date, "period_to": date,
		}
		for _, m := range strings.Split(defaultOGCMx, ",") {
			mt, _ := analytics.MetricByID(analytics.MetricID(m))
			p[m] = num(mt.LabelVI + " / " + mt.LabelEN + " (null: không có số liệu / no data)")
		}
		return p, true
	case "sites":
		return map[string]any{
			"key": str("Khóa / key"), "name": str("Tên điểm / site"), "model_name": str("Mô hình / model"),
			"model_type": str("Loại mô hình / model type"), "sector": str("Lĩnh vực / sector"),
			"commune": str("Mã xã 2025 / commune code"), "province": str("Mã tỉnh / province code"), "opened": date,
			"source_place": str("Địa danh như ghi / place as written"), "resolve_rule": str("Quy tắc quy đổi / rule"),
			"split": map[string]any{"type": "boolean", "title": "Xã cũ bị chia tách / from a split old commune"},
		}, true
	}
	return nil, false
}

func unknownCollection(id string) error {
	return analytics.Errorf(analytics.CodeNotFound, "không có lớp dữ liệu %q; có: communes, sites / no collection %q; there are: communes, sites", id, id)
}

func (a *App) ogcCollection(ctx context.Context, r request) (response, error) {
	id := r.params["collectionId"]
	for _, c := range ogcCollections {
		if c.id == id && a.visibleCollection(ctx, id) {
			return jsonResponse(a.collection(r.base, c.id, c.title, c.desc), ctOGCJSON)
		}
	}
	return response{}, unknownCollection(id)
}

// parseF accepts f=json (the only encoding; GeoJSON for features).
func parseF(q url.Values) error {
	if f := q.Get("f"); f != "" && f != "json" && f != "geojson" {
		return invalidParam("f", f, "json", "json")
	}
	return nil
}

// parseBBox reads bbox=minLon,minLat,maxLon,maxLat (CRS84).
func parseBBox(q url.Values) (orb.Bound, bool, error) {
	v := q.Get("bbox")
	if v == "" {
		return orb.Bound{}, false, nil
	}
	bad := invalidParam("bbox", v, "minLon,minLat,maxLon,maxLat (WGS84)", "minLon,minLat,maxLon,maxLat (WGS84)")
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return orb.Bound{}, false, bad
	}
	if len(parts) == 6 { // with heights: x1,y1,z1,x2,y2,z2
		parts = []string{parts[0], parts[1], parts[3], parts[4]}
	}
	var f [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return orb.Bound{}, false, bad
		}
		f[i] = x
	}
	if f[0] > f[2] || f[1] > f[3] || f[0] < -180 || f[2] > 180 || f[1] < -90 || f[3] > 90 {
		return orb.Bound{}, false, bad
	}
	return orb.Bound{Min: orb.Point{f[0], f[1]}, Max: orb.Point{f[2], f[3]}}, true, nil
}

// parseDatetime turns datetime= (an RFC 3339 date or date-time, or an
// interval "a/b" with ".." or "" for an open end) into a window; open
// starts begin on 1 January 2000 and open ends end today. Without it the
// window comes from period= or from=&to= (default: the current police
// year).
func parseDatetime(q url.Values, now time.Time) (analytics.Window, error) {
	v := q.Get("datetime")
	if v == "" {
		return parseWindow(q, now)
	}
	bad := invalidParam("datetime", v, "ngày RFC 3339 hoặc khoảng a/b (.. = để mở)", "an RFC 3339 date or an interval a/b (.. = open)")
	day := func(s string, open string) (string, bool) {
		if s == "" || s == ".." {
			return open, true
		}
		if len(s) < 10 {
			return "", false
		}
		if _, err := time.Parse("2006-01-02", s[:10]); err != nil {
			return "", false
		}
		return s[:10], true
	}
	a, b, interval := strings.Cut(v, "/")
	if !interval {
		b = a
	}
	from, ok1 := day(a, "2000-01-01")
	to, ok2 := day(b, now.Format("2006-01-02"))
	if !ok1 || !ok2 {
		return analytics.Window{}, bad
	}
	w, err := analytics.ParseRange(from, to)
	if err != nil {
		return w, periodError("datetime", v, err)
	}
	return w, nil
}

type ogcPage struct {
	limit, offset int
}

func parsePage(q url.Values) (ogcPage, error) {
	var p ogcPage
	var err error
	if p.limit, err = parseInt(q, "limit", ogcLimit, 1, ogcMaxLimit); err != nil {
		return p, err
	}
	if p.offset, err = parseInt(q, "offset", 0, 0, 1<<30); err != nil {
		return p, err
	}
	return p, nil
}

// pageLinks are self, next and prev of an items page (next only when more
// features follow).
func pageLinks(r request, p ogcPage, matched int) []link {
	u := func(offset int) string {
		q := url.Values{}
		for k, v := range r.query {
			q[k] = v
		}
		q.Set("f", "json")
		q.Set("limit", strconv.Itoa(p.limit))
		q.Set("offset", strconv.Itoa(offset))
		return r.base + r.path + "?" + q.Encode()
	}
	links := []link{{Href: u(p.offset), Rel: "self", Type: "application/geo+json", Title: "this page"}}
	if p.offset+p.limit < matched {
		links = append(links, link{Href: u(p.offset + p.limit), Rel: "next", Type: "application/geo+json", Title: "next page"})
	}
	if p.offset > 0 {
		links = append(links, link{Href: u(max(p.offset-p.limit, 0)), Rel: "prev", Type: "application/geo+json", Title: "previous page"})
	}
	return links
}

func (a *App) ogcItems(ctx context.Context, r request) (response, error) {
	if err := parseF(r.query); err != nil {
		return response{}, err
	}
	switch id := r.params["collectionId"]; id {
	case "communes":
		return a.ogcCommunes(ctx, r, "")
	case "sites":
		return a.ogcSites(ctx, r, "")
	default:
		return response{}, unknownCollection(id)
	}
}

func (a *App) ogcItem(ctx context.Context, r request) (response, error) {
	if err := parseF(r.query); err != nil {
		return response{}, err
	}
	fid := r.params["featureId"]
	switch id := r.params["collectionId"]; id {
	case "communes":
		return a.ogcCommunes(ctx, r, fid)
	case "sites":
		return a.ogcSites(ctx, r, fid)
	default:
		return response{}, unknownCollection(id)
	}
}

func featureNotFound(fid string) error {
	return analytics.Errorf(analytics.CodeNotFound, "không có đối tượng %q / no feature %q", fid, fid)
}

// ogcProvince reads an optional province= ("" = all).
func (a *App) ogcProvince(q url.Values) (analytics.ProvinceCode, error) {
	if q.Get("province") == "" {
		return "", nil
	}
	return parseProvince(a.deps.Geo, q, true)
}

// ogcMetrics reads metric=: a comma-separated list of catalogue ids.
func ogcMetrics(q url.Values) ([]analytics.Metric, error) {
	v := q.Get("metric")
	if v == "" {
		v = defaultOGCMx
	}
	var out []analytics.Metric
	for _, id := range strings.Split(v, ",") {
		m, ok := analytics.MetricByID(analytics.MetricID(strings.TrimSpace(id)))
		if !ok {
			ids := strings.Join(analytics.MetricIDs(), ", ")
			return nil, invalidParam("metric", v, "danh sách mã chỉ tiêu, cách nhau bởi dấu phẩy: "+ids, "comma-separated metric ids: "+ids)
		}
		out = append(out, m)
	}
	return out, nil
}

func (a *App) ogcCommunes(ctx context.Context, r request, fid string) (response, error) {
	q := r.query
	p, err := a.ogcProvince(q)
	if err != nil {
		return response{}, err
	}
	w, err := parseDatetime(q, a.cfg.Now())
	if err != nil {
		return response{}, err
	}
	metrics, err := ogcMetrics(q)
	if err != nil {
		return response{}, err
	}
	level, err := parseLevel(q, false)
	if err != nil {
		return response{}, err
	}
	var cs []*commune.Commune
	var page ogcPage
	if fid != "" {
		c, ok := a.deps.Geo.Commune(analytics.CommuneCode(fid))
		if !ok {
			return response{}, featureNotFound(fid)
		}
		cs, p = []*commune.Commune{c}, c.Province
	} else {
		if page, err = parsePage(q); err != nil {
			return response{}, err
		}
		bb, hasBBox, err := parseBBox(q)
		if err != nil {
			return response{}, err
		}
		if hasBBox {
			for _, c := range a.deps.Geo.InBound(bb) {
				if p == "" || c.Province == p {
					cs = append(cs, c)
				}
			}
		} else {
			cs = a.svc.communes(p)
		}
	}
	matched := len(cs)
	if fid == "" {
		lo := min(page.offset, len(cs))
		hi := min(lo+page.limit, len(cs))
		cs = cs[lo:hi]
	}
	// Metric values: one table per metric for the province (all when the
	// page spans several).
	ts := a.svc.tables()
	tabs := make([]*metricTable, len(metrics))
	if len(cs) > 0 {
		scope := p
		if scope == "" && allOneProvince(cs) {
			scope = cs[0].Province
		}
		reqs := make([]tableReq, len(metrics))
		for i, m := range metrics {
			reqs[i] = tableReq{m, scope, w}
		}
		if tabs, err = ts.getAll(ctx, reqs); err != nil {
			return response{}, err
		}
	}
	feats := make([]feature, 0, len(cs))
	for _, c := range cs {
		g, err := a.svc.geometry(ctx, c.Code, level)
		if err != nil {
			return response{}, err
		}
		cj := communeOf(c)
		props := map[string]any{
			"code": c.Code, "name": c.FullName, "kind": cj.Kind, "province": c.Province, "area_km2": cj.AreaKm2,
			"population": cj.Population, "population_flag": cj.PopulationFlag, "former_units": c.FormerRaw,
			"period_from": w.From.Format("2006-01-02"), "period_to": w.Last().Format("2006-01-02"),
		}
		for i, m := range metrics {
			if v, ok := tabs[i].value(c.Code); ok {
				props[string(m.ID)] = round6(v)
			} else {
				props[string(m.ID)] = nil
			}
		}
		f := feature{Type: "Feature", ID: string(c.Code), Geometry: multiPolygon(g), Properties: props}
		if fid != "" {
			f.Links = a.itemLinks(r, "communes", string(c.Code))
			return jsonResponse(f, ctGeoJSON)
		}
		feats = append(feats, f)
	}
	n := len(feats)
	return jsonResponse(featureCollection{Type: "FeatureCollection", Features: feats, NumberMatched: &matched, NumberReturned: &n,
		Links: pageLinks(r, page, matched)}, ctGeoJSON)
}

func allOneProvince(cs []*commune.Commune) bool {
	for _, c := range cs {
		if c.Province != cs[0].Province {
			return false
		}
	}
	return true
}

func (a *App) itemLinks(r request, coll, id string) []link {
	u := r.base + "/ogc/collections/" + coll
	return []link{
		{Href: u + "/items/" + url.PathEscape(id) + "?f=json", Rel: "self", Type: "application/geo+json", Title: "this feature"},
		{Href: u + "?f=json", Rel: "collection", Type: ctOGCJSON, Title: "the collection"},
	}
}

func (a *App) ogcSites(ctx context.Context, r request, fid string) (response, error) {
	q := r.query
	var f analytics.SiteFilter
	var err error
	if f.Province, err = a.ogcProvince(q); err != nil {
		return response{}, err
	}
	if f.Window, err = parseDatetime(q, a.cfg.Now()); err != nil {
		return response{}, err
	}
	var key string
	if fid != "" {
		c, k, ok := strings.Cut(fid, "_")
		cm, found := a.deps.Geo.Commune(analytics.CommuneCode(c))
		if !ok || !found {
			return response{}, featureNotFound(fid)
		}
		f.Province, f.Commune, key = cm.Province, cm.Code, k
	}
	sites, err := a.deps.Reader.Sites(ctx, f)
	if err != nil {
		return response{}, err
	}
	if fid != "" {
		for _, sp := range sites {
			if sp.Key == key {
				ft := siteFeature(sp)
				ft.Links = a.itemLinks(r, "sites", fid)
				return jsonResponse(ft, ctGeoJSON)
			}
		}
		return response{}, featureNotFound(fid)
	}
	page, err := parsePage(q)
	if err != nil {
		return response{}, err
	}
	bb, hasBBox, err := parseBBox(q)
	if err != nil {
		return response{}, err
	}
	if hasBBox {
		kept := sites[:0]
		for _, sp := range sites {
			if sp.HasPoint && bb.Contains(orb.Point{sp.Lon, sp.Lat}) {
				kept = append(kept, sp)
			}
		}
		sites = kept
	}
	matched := len(sites)
	lo := min(page.offset, len(sites))
	hi := min(lo+page.limit, len(sites))
	feats := make([]feature, 0, hi-lo)
	for _, sp := range sites[lo:hi] {
		feats = append(feats, siteFeature(sp))
	}
	n := len(feats)
	return jsonResponse(featureCollection{Type: "FeatureCollection", Features: feats, NumberMatched: &matched, NumberReturned: &n,
		Links: pageLinks(r, page, matched)}, ctGeoJSON)
}

// siteFeature is a site as an OGC feature: null geometry when the site has
// no coordinates (it still counts).
func siteFeature(sp analytics.SitePoint) feature {
	var g *geometry
	if sp.HasPoint {
		g = point(sp.Lon, sp.Lat)
	}
	return feature{Type: "Feature", ID: siteID(sp), Geometry: g, Properties: siteProps(sp)}
}
