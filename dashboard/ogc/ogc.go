package ogc

import (
	"net/url"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/geo"
)

const (
	// CRS84 is the only coordinate reference system: WGS84 lon/lat.
	CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	// ContentJSON is the type of the landing page, conformance and collections.
	ContentJSON = "application/json"
	// ContentSchema is the type of a schema and of queryables.
	ContentSchema = "application/schema+json"
	// ContentGeoJSON is the type of features.
	ContentGeoJSON = "application/geo+json"
	// ContentOpenAPI is the type of the OpenAPI document the landing page links.
	ContentOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
	// DefaultMetrics are the metrics a commune carries without metric=.
	DefaultMetrics = "sites,models,incidents"
)

// Conformance are the conformance classes the API declares.
var Conformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
}

// Link is an OGC API link (geo.Link, which the GeoJSON bodies carry).
type Link = geo.Link

// LandingPage is GET /ogc.
type LandingPage struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Links       []Link `json:"links"`
}

// Landing is the landing page of the API served at base
// ("http://host:port").
func Landing(base string) LandingPage {
	return LandingPage{
		Title:       "ANTQ Atlas — OGC API Features",
		Description: "Mô hình, điểm mô hình phong trào Toàn dân bảo vệ an ninh Tổ quốc trên địa bàn xã, phường, đặc khu từ 01/7/2025 / ANTQ models and sites on the 2025 communes",
		Links: []Link{
			{Href: base + "/ogc?f=json", Rel: "self", Type: ContentJSON, Title: "this document"},
			{Href: base + "/openapi.json", Rel: "service-desc", Type: ContentOpenAPI, Title: "OpenAPI 3.0 definition"},
			{Href: base + "/ogc/conformance?f=json", Rel: "conformance", Type: ContentJSON, Title: "conformance classes"},
			{Href: base + "/ogc/collections?f=json", Rel: "data", Type: ContentJSON, Title: "collections"},
		},
	}
}

// ConformanceDoc is GET /ogc/conformance.
type ConformanceDoc struct {
	ConformsTo []string `json:"conformsTo"`
}

// Conforms is the conformance document.
func Conforms() ConformanceDoc { return ConformanceDoc{ConformsTo: Conformance} }

// Extent is a collection's spatial and temporal extent.
type Extent struct {
	Spatial struct {
		BBox [][]float64 `json:"bbox"`
		CRS  string      `json:"crs"`
	} `json:"spatial"`
	Temporal struct {
		Interval [][]*string `json:"interval"`
		TRS      string      `json:"trs"`
	} `json:"temporal"`
}

// Collection is GET /ogc/collections/{id}.
type Collection struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Extent      Extent   `json:"extent"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`
	Links       []Link   `json:"links"`
}

// CollectionList is GET /ogc/collections.
type CollectionList struct {
	Links       []Link       `json:"links"`
	Collections []Collection `json:"collections"`
}

// CollectionInfo names and describes a collection.
type CollectionInfo struct{ ID, Title, Description string }

// Collections are the collections, in the order they are listed.
var Collections = []CollectionInfo{
	{"communes", "Xã, phường, đặc khu 2025 / 2025 communes",
		"Ranh giới xã, phường, đặc khu từ 01/7/2025 kèm số liệu chỉ tiêu (tham số metric=, datetime=) / 2025 commune boundaries with metric values (metric=, datetime=)"},
	{"sites", "Điểm mô hình / Model sites",
		"Điểm mô hình đang hoạt động cuối kỳ (datetime=) / sites active at the end of the window (datetime=)"},
}

// CollectionOf is the collection id served at base, whose features lie in
// bbox (minLon, minLat, maxLon, maxLat), or an error (CodeNotFound) when
// there is no such collection.
func CollectionOf(base, id string, bbox []float64) (Collection, error) {
	for _, ci := range Collections {
		if ci.ID == id {
			return collection(base, ci, bbox), nil
		}
	}
	return Collection{}, UnknownCollection(id)
}

// List is the list of the collections for which visible(id) holds (a
// listed collection that then answers 403 makes GIS clients such as
// ogr2ogr abort the whole copy).
func List(base string, bbox []float64, visible func(id string) bool) CollectionList {
	l := CollectionList{Links: []Link{{Href: base + "/ogc/collections?f=json", Rel: "self", Type: ContentJSON, Title: "this document"}}}
	l.Collections = []Collection{}
	for _, ci := range Collections {
		if visible(ci.ID) {
			l.Collections = append(l.Collections, collection(base, ci, bbox))
		}
	}
	return l
}

func collection(base string, ci CollectionInfo, bbox []float64) Collection {
	c := Collection{ID: ci.ID, Title: ci.Title, Description: ci.Description, ItemType: "feature", CRS: []string{CRS84}}
	c.Extent.Spatial.BBox = [][]float64{bbox}
	c.Extent.Spatial.CRS = CRS84
	start := "2000-01-01T00:00:00Z"
	c.Extent.Temporal.Interval = [][]*string{{&start, nil}}
	c.Extent.Temporal.TRS = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
	u := base + "/ogc/collections/" + ci.ID
	c.Links = []Link{
		{Href: u + "?f=json", Rel: "self", Type: ContentJSON, Title: "this collection"},
		{Href: u + "/items?f=json", Rel: "items", Type: ContentGeoJSON, Title: "features"},
		// GDAL's OAPIF driver types its fields from this schema (rel
		// "describedBy"), so a metric is a number even when the first page
		// holds only nulls.
		{Href: u + "/schema?f=json", Rel: "describedBy", Type: ContentSchema, Title: "schema of the features"},
		{Href: u + "/queryables?f=json", Rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables", Type: ContentSchema, Title: "queryables"},
		{Href: u + "/queryables?f=json", Rel: "queryables", Type: ContentSchema, Title: "queryables"},
	}
	return c
}

// UnknownCollection is the error (CodeNotFound) of a collection id that
// does not exist.
func UnknownCollection(id string) error {
	return analytics.Errorf(analytics.CodeNotFound, "không có lớp dữ liệu %q; có: communes, sites / no collection %q; there are: communes, sites", id, id)
}

// FeatureNotFound is the error (CodeNotFound) of a feature id that does not
// exist.
func FeatureNotFound(fid string) error {
	return analytics.Errorf(analytics.CodeNotFound, "không có đối tượng %q / no feature %q", fid, fid)
}

// ItemLinks are the links of one feature (self and its collection).
func ItemLinks(base, coll, id string) []Link {
	u := base + "/ogc/collections/" + coll
	return []Link{
		{Href: u + "/items/" + url.PathEscape(id) + "?f=json", Rel: "self", Type: ContentGeoJSON, Title: "this feature"},
		{Href: u + "?f=json", Rel: "collection", Type: ContentJSON, Title: "the collection"},
	}
}

// defaultMetricIDs splits DefaultMetrics.
func defaultMetricIDs() []string { return strings.Split(DefaultMetrics, ",") }
