package geojson

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	ccw := `[[[0,0],[1,0],[1,1],[0,1],[0,0]]]`
	tests := []struct {
		name, doc, want string // want: "" = valid, else a substring of the error
	}{
		{"valid polygon", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"1","geometry":{"type":"Polygon","coordinates":` + ccw + `},"properties":{}}]}`, ""},
		{"valid multipolygon with hole", `{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,2],[2,2],[2,1],[1,1]]]]},"properties":null}`, ""},
		{"null geometry", `{"type":"Feature","geometry":null,"properties":{}}`, ""},
		{"point", `{"type":"Feature","geometry":{"type":"Point","coordinates":[105.123456,21.5]},"properties":{}}`, ""},
		{"crs", `{"type":"FeatureCollection","crs":{},"features":[]}`, "crs"},
		{"clockwise outer", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0],[0,0]]]},"properties":{}}`, "clockwise"},
		{"ccw hole", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,1],[2,2],[1,2],[1,1]]]},"properties":{}}`, "hole"},
		{"open ring", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0.5]]]},"properties":{}}`, "not closed"},
		{"short ring", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]},"properties":{}}`, "at least 4"},
		{"seven decimals", `{"type":"Feature","geometry":{"type":"Point","coordinates":[105.1234567,21]},"properties":{}}`, "decimals"},
		{"out of range", `{"type":"Feature","geometry":{"type":"Point","coordinates":[21,105]},"properties":{}}`, "outside"},
		{"no properties", `{"type":"Feature","geometry":null}`, "properties"},
		{"wrong type", `{"type":"Topology"}`, "want FeatureCollection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate([]byte(tt.doc))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
