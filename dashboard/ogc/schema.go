package ogc

import "github.com/antq-atlas/antq/analytics"

const jsonSchemaDraft = "https://json-schema.org/draft/2019-09/schema"

// Property is a JSON Schema of one property. Its fields are in the order
// of their JSON names, as encoding/json orders a map's keys.
type Property struct {
	Description string              `json:"description,omitempty"`
	Enum        []string            `json:"enum,omitempty"`
	Format      string              `json:"format,omitempty"`
	Properties  map[string]Property `json:"properties,omitempty"`
	Title       string              `json:"title,omitempty"`
	Type        string              `json:"type,omitempty"`
}

// Schema is a JSON Schema document: a collection's features
// (GET /ogc/collections/{id}/schema) or its queryables.
type Schema struct {
	ID                   string              `json:"$id"`
	Schema               string              `json:"$schema"`
	AdditionalProperties *bool               `json:"additionalProperties,omitempty"`
	Properties           map[string]Property `json:"properties"`
	Title                string              `json:"title"`
	Type                 string              `json:"type"`
}

// FeatureSchema is the JSON Schema of collection id's features served at
// base, with typed properties (metric values are numbers, null where there
// is no data), or an error (CodeNotFound) when there is no such collection.
func FeatureSchema(base, id string) (Schema, error) {
	props, ok := Properties(id)
	if !ok {
		return Schema{}, UnknownCollection(id)
	}
	geom := "MultiPolygon"
	if id == "sites" {
		geom = "Point"
	}
	return Schema{
		Schema: jsonSchemaDraft,
		ID:     base + "/ogc/collections/" + id + "/schema",
		Title:  id,
		Type:   "object",
		Properties: map[string]Property{
			"type":       {Type: "string", Enum: []string{"Feature"}},
			"id":         {Type: "string"},
			"geometry":   {Type: "object", Description: "GeoJSON " + geom + " (CRS84), null when unknown"},
			"properties": {Type: "object", Properties: props},
		},
	}, nil
}

// Queryables are the properties collection id's items can be filtered by
// (OGC API Features Part 3), or an error (CodeNotFound) when there is no
// such collection.
func Queryables(base, id string) (Schema, error) {
	if _, ok := Properties(id); !ok {
		return Schema{}, UnknownCollection(id)
	}
	no := false
	return Schema{
		Schema: jsonSchemaDraft,
		ID:     base + "/ogc/collections/" + id + "/queryables",
		Title:  id,
		Type:   "object",
		Properties: map[string]Property{
			"province": {Type: "string", Title: "Mã tỉnh 2025 / 2025 province code"},
			"datetime": {Type: "string", Format: "date", Title: "Kỳ số liệu / window of the figures"},
			"geometry": {Format: "geometry-any", Title: "bbox (CRS84)"},
		},
		AdditionalProperties: &no,
	}, nil
}

// Properties are the typed properties of collection id's features; false
// when there is no such collection. A commune carries the default metrics
// (DefaultMetrics) as numbers.
func Properties(id string) (map[string]Property, bool) {
	str := func(title string) Property { return Property{Type: "string", Title: title} }
	num := func(title string) Property { return Property{Type: "number", Title: title} }
	date := Property{Type: "string", Format: "date"}
	switch id {
	case "communes":
		p := map[string]Property{
			"code": str("Mã xã 2025 / commune code"), "name": str("Tên / name"), "kind": str("Loại / kind"),
			"province": str("Mã tỉnh / province code"), "area_km2": num("Diện tích km² / area"),
			"population":      {Type: "integer", Title: "Dân số (trống khi bị gắn cờ) / population (null when flagged)"},
			"population_flag": str("Cờ chất lượng dân số / population quality flag"), "former_units": str("Đơn vị trước sáp nhập / former units"),
			"period_from": date, "period_to": date,
		}
		for _, m := range defaultMetricIDs() {
			mt, _ := analytics.MetricByID(analytics.MetricID(m))
			p[m] = num(mt.LabelVI + " / " + mt.LabelEN + " (null: không có số liệu / no data)")
		}
		return p, true
	case "sites":
		return map[string]Property{
			"key": str("Khóa / key"), "name": str("Tên điểm / site"), "model_name": str("Mô hình / model"),
			"model_type": str("Loại mô hình / model type"), "sector": str("Lĩnh vực / sector"),
			"commune": str("Mã xã 2025 / commune code"), "province": str("Mã tỉnh / province code"), "opened": date,
			"source_place": str("Địa danh như ghi / place as written"), "resolve_rule": str("Quy tắc quy đổi / rule"),
			"split": {Type: "boolean", Title: "Xã cũ bị chia tách / from a split old commune"},
		}, true
	}
	return nil, false
}
