// Package openapi writes the OpenAPI 3.0 document of the dashboard's API
// (/openapi.json): every /api and /ogc GET route and the data desk's
// routes, with their parameters, as Go data next to the constants of the
// parameters they describe (metric ids, periods, buckets, the OGC API's
// limits). The shell serves it; a test there holds the document and the
// routes together, and the golden file dashboard/testdata/openapi.golden.json
// holds its bytes.
//
// It imports the analytics catalogue, dashboard/geo and dashboard/ogc for
// their names and limits only; it must not import Fiber, the store or the
// ingest.
package openapi

import (
	"strings"

	"github.com/antq-atlas/antq/dashboard/ogc"
)

// The content types the API answers with, as the document names them; the
// shell sends the same.
const (
	ContentJSON = "application/json; charset=utf-8"
	ContentCSV  = "text/csv; charset=utf-8"
	ContentXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ContentPPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	// ContentType is this document's own.
	ContentType = ogc.ContentOpenAPI
)

// param is a parameter of an operation.
type param struct {
	Name        string         `json:"name"`
	In          string         `json:"in"`
	Description string         `json:"description"`
	Required    bool           `json:"required,omitempty"`
	Schema      map[string]any `json:"schema"`
	Style       string         `json:"style,omitempty"`
	Explode     *bool          `json:"explode,omitempty"`
}

// operation is a GET operation of the API.
type operation struct {
	path, summary, description, contentType, tag string
	params                                       []param
}

func str(enum ...string) map[string]any {
	s := map[string]any{"type": "string"}
	if len(enum) > 0 {
		s["enum"] = enum
	}
	return s
}

func qp(name, desc string, schema map[string]any) param {
	return param{Name: name, In: "query", Description: desc, Schema: schema}
}

func required(p param) param { p.Required = true; return p }

func pathParam(name, desc string) param {
	return param{Name: name, In: "path", Description: desc, Required: true, Schema: str()}
}

// Document builds the OpenAPI 3.0 document of the API; its servers name
// base, the base URL the request asked (scheme, host and port).
func Document(base string) map[string]any {
	paths := map[string]any{}
	errResp := map[string]any{"description": "lỗi / error: {\"error\":{\"code\",\"message\"}}",
		"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	for _, op := range apiDocs {
		id := strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_").Replace(strings.TrimPrefix(op.path, "/"))
		o := map[string]any{
			"operationId": id,
			"summary":     op.summary,
			"tags":        []string{op.tag},
			"parameters":  op.params,
			"responses": map[string]any{
				"200": map[string]any{"description": "OK", "content": map[string]any{strings.Split(op.contentType, ";")[0]: map[string]any{}}},
				"304": map[string]any{"description": "không đổi (If-None-Match) / not modified"},
				"400": errResp, "404": errResp, "503": errResp,
			},
		}
		if op.params == nil {
			o["parameters"] = []param{}
		}
		if op.description != "" {
			o["description"] = op.description
		}
		paths[op.path] = map[string]any{"get": o}
	}
	addDeskPaths(paths, errResp)
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "ANTQ Atlas API",
			"version":     "1",
			"description": "Số liệu mô hình, điểm mô hình phong trào Toàn dân bảo vệ an ninh Tổ quốc trên xã, phường, đặc khu 2025. Kỳ công an: 15/12 năm trước đến 14/12. Responses are cached by full URL, gzip-compressed, with ETag (304 on If-None-Match).",
		},
		"servers": []map[string]any{{"url": base}},
		"paths":   paths,
		"components": map[string]any{"schemas": map[string]any{"Error": map[string]any{
			"type": "object",
			"properties": map[string]any{"error": map[string]any{"type": "object", "properties": map[string]any{
				"code": map[string]any{"type": "string", "enum": []string{"invalid", "not_found", "unavailable", "conflict", "internal"}}, "message": map[string]any{"type": "string"},
				"message_vi": map[string]any{"type": "string"}, "message_en": map[string]any{"type": "string"}}}},
		}}},
	}
}
