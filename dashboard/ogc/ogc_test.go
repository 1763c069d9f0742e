package ogc_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/ogc"
)

func TestParsePage(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  ogc.Page
		bad   string // the parameter an error names, "" = no error
	}{
		{"", ogc.Page{Limit: 1000, Offset: 0}, ""},
		{"limit=1", ogc.Page{Limit: 1, Offset: 0}, ""},
		{"limit=10000&offset=20", ogc.Page{Limit: 10000, Offset: 20}, ""},
		{"offset=1073741824", ogc.Page{Limit: 1000, Offset: 1 << 30}, ""},
		{"limit=0", ogc.Page{}, "limit"},
		{"limit=10001", ogc.Page{}, "limit"},
		{"limit=-5", ogc.Page{}, "limit"},
		{"limit=ten", ogc.Page{}, "limit"},
		{"offset=-1", ogc.Page{}, "offset"},
		{"offset=1073741825", ogc.Page{}, "offset"},
		{"limit=5&offset=x", ogc.Page{}, "offset"},
	} {
		q, _ := url.ParseQuery(tc.query)
		p, err := ogc.ParsePage(q)
		if tc.bad == "" {
			if err != nil || p != tc.want {
				t.Errorf("%q: got %+v, %v; want %+v", tc.query, p, err, tc.want)
			}
			continue
		}
		var e *analytics.Error
		if !errors.As(err, &e) || e.Code != analytics.CodeInvalid {
			t.Errorf("%q: error %v, want CodeInvalid", tc.query, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "tham số "+tc.bad+"=") || !strings.Contains(msg, "invalid parameter "+tc.bad+"=") {
			t.Errorf("%q: %q does not name %s in both languages", tc.query, msg, tc.bad)
		}
	}
}

func TestPageBoundsAndLinks(t *testing.T) {
	for _, tc := range []struct {
		page    ogc.Page
		matched int
		lo, hi  int
		rels    []string
		prevOff string
	}{
		{ogc.Page{Limit: 1000}, 0, 0, 0, []string{"self"}, ""},
		{ogc.Page{Limit: 1000}, 124, 0, 124, []string{"self"}, ""},
		{ogc.Page{Limit: 1000}, 3321, 0, 1000, []string{"self", "next"}, ""},
		{ogc.Page{Limit: 1000, Offset: 3000}, 3321, 3000, 3321, []string{"self", "prev"}, "2000"},
		{ogc.Page{Limit: 10, Offset: 5}, 100, 5, 15, []string{"self", "next", "prev"}, "0"},
		{ogc.Page{Limit: 10, Offset: 200}, 100, 100, 100, []string{"self", "prev"}, "190"},
	} {
		lo, hi := tc.page.Bounds(tc.matched)
		if lo != tc.lo || hi != tc.hi {
			t.Errorf("%+v of %d: bounds [%d,%d), want [%d,%d)", tc.page, tc.matched, lo, hi, tc.lo, tc.hi)
		}
		q := url.Values{"province": {"08"}, "limit": {"7"}}
		links := tc.page.Links("http://h", "/ogc/collections/communes/items", q, tc.matched)
		var rels []string
		for _, l := range links {
			rels = append(rels, l.Rel)
			u, err := url.Parse(l.Href)
			if err != nil || u.Path != "/ogc/collections/communes/items" || u.Query().Get("province") != "08" || u.Query().Get("f") != "json" {
				t.Errorf("%+v: link %s lost the path or the query", tc.page, l.Href)
			}
			if got := u.Query().Get("limit"); got != strconv.Itoa(tc.page.Limit) {
				t.Errorf("%+v: link %s has limit %s", tc.page, l.Href, got)
			}
			if l.Rel == "prev" && u.Query().Get("offset") != tc.prevOff {
				t.Errorf("%+v: prev %s, want offset %s", tc.page, l.Href, tc.prevOff)
			}
		}
		if !slices.Equal(rels, tc.rels) {
			t.Errorf("%+v of %d: links %v, want %v", tc.page, tc.matched, rels, tc.rels)
		}
		if q.Get("limit") != "7" {
			t.Errorf("Links changed the caller's query")
		}
	}
}

func TestSchema(t *testing.T) {
	for _, tc := range []struct {
		id, geom string
		types    map[string]string // property -> JSON type
	}{
		{"communes", "MultiPolygon", map[string]string{"code": "string", "area_km2": "number", "population": "integer",
			"period_from": "string", "sites": "number", "models": "number", "incidents": "number"}},
		{"sites", "Point", map[string]string{"key": "string", "opened": "string", "split": "boolean"}},
	} {
		s, err := ogc.FeatureSchema("http://h", tc.id)
		if err != nil {
			t.Fatalf("%s: %v", tc.id, err)
		}
		if s.ID != "http://h/ogc/collections/"+tc.id+"/schema" || s.Type != "object" || s.AdditionalProperties != nil {
			t.Errorf("%s: schema head %+v", tc.id, s)
		}
		if g := s.Properties["geometry"].Description; !strings.Contains(g, tc.geom) {
			t.Errorf("%s: geometry %q, want %s", tc.id, g, tc.geom)
		}
		props := s.Properties["properties"].Properties
		for name, typ := range tc.types {
			if got := props[name].Type; got != typ {
				t.Errorf("%s.%s: type %q, want %q", tc.id, name, got, typ)
			}
		}
		if tc.id == "communes" {
			if f := props["period_to"].Format; f != "date" {
				t.Errorf("period_to format %q", f)
			}
			if !strings.Contains(props["sites"].Title, "no data") {
				t.Errorf("sites title %q does not say what null means", props["sites"].Title)
			}
		}
		qs, err := ogc.Queryables("http://h", tc.id)
		if err != nil || qs.AdditionalProperties == nil || *qs.AdditionalProperties {
			t.Errorf("%s: queryables %+v, %v", tc.id, qs, err)
		}
		raw, _ := json.Marshal(qs)
		if !strings.Contains(string(raw), `"additionalProperties":false`) || !strings.Contains(string(raw), `"geometry":{"format":"geometry-any"`) {
			t.Errorf("%s: queryables JSON %s", tc.id, raw)
		}
	}
	for _, f := range []func(string, string) (ogc.Schema, error){ogc.FeatureSchema, ogc.Queryables} {
		var e *analytics.Error
		if _, err := f("http://h", "roads"); !errors.As(err, &e) || e.Code != analytics.CodeNotFound {
			t.Errorf("unknown collection: %v, want CodeNotFound", err)
		}
	}
}

// TestSchemaJSON pins the encoding of a typed property: keys in the order
// encoding/json gave the former map (sorted), empty members left out.
func TestSchemaJSON(t *testing.T) {
	raw, err := json.Marshal(ogc.Property{Type: "string", Enum: []string{"Feature"}, Title: "t"})
	if err != nil || string(raw) != `{"enum":["Feature"],"title":"t","type":"string"}` {
		t.Errorf("property JSON %s, %v", raw, err)
	}
}
