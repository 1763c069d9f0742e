package openapi

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDocument: the document is OpenAPI 3.0 with the base URL asked as its
// server; every operation has a unique operationId, a summary, a tag,
// parameters (an empty list rather than null), a success response and the
// error schema; every path parameter is declared in the path.
func TestDocument(t *testing.T) {
	b, err := json.Marshal(Document("http://example.test:8080"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths map[string]map[string]struct {
			OperationID string         `json:"operationId"`
			Summary     string         `json:"summary"`
			Tags        []string       `json:"tags"`
			Parameters  *[]param       `json:"parameters"`
			Responses   map[string]any `json:"responses"`
			RequestBody map[string]any `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" || len(doc.Servers) != 1 || doc.Servers[0].URL != "http://example.test:8080" {
		t.Fatalf("openapi %q, servers %+v", doc.OpenAPI, doc.Servers)
	}
	ids := map[string]string{}
	for path, item := range doc.Paths {
		for method, op := range item {
			t.Run(method+" "+path, func(t *testing.T) {
				if prev, ok := ids[op.OperationID]; ok || op.OperationID == "" {
					t.Errorf("operationId %q (also %s)", op.OperationID, prev)
				}
				ids[op.OperationID] = path
				if op.Summary == "" || len(op.Tags) != 1 || op.Parameters == nil {
					t.Errorf("summary %q, tags %v, parameters %v", op.Summary, op.Tags, op.Parameters)
				}
				ok := false
				for code := range op.Responses {
					ok = ok || strings.HasPrefix(code, "2")
				}
				if !ok || op.Responses["400"] == nil {
					t.Errorf("responses %v: want a 2xx and the 400 error", op.Responses)
				}
				for _, seg := range strings.Split(path, "/") {
					name, isParam := strings.CutPrefix(seg, "{")
					if !isParam {
						continue
					}
					name = strings.TrimSuffix(name, "}")
					found := false
					for _, p := range *op.Parameters {
						found = found || (p.In == "path" && p.Name == name && p.Required)
					}
					if !found {
						t.Errorf("path parameter %s is not declared", name)
					}
				}
			})
		}
	}
	if len(ids) < 30 {
		t.Errorf("%d operations; the API has more", len(ids))
	}
}
