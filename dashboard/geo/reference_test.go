package geo

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/analytics/commune/placename"
)

func TestBBox(t *testing.T) {
	tests := []struct {
		name string
		b    orb.Bound
		want []float64
	}{
		{"empty", orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{0, 0}}, nil},
		{"rounded to 6 decimals", orb.Bound{Min: orb.Point{104.123456789, 21.9999999}, Max: orb.Point{105.5, 22.25}}, []float64{104.123457, 22, 105.5, 22.25}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BBox(tt.b); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestProvinceOf(t *testing.T) {
	b := orb.Bound{Min: orb.Point{104, 21}, Max: orb.Point{106, 23}}
	tests := []struct {
		name string
		p    commune.Province
		want string
	}{
		{"population known", commune.Province{Code: "08", Name: "Tỉnh Tuyên Quang", ShortName: "Tuyên Quang", AreaKm2: 13795.5, Population: 1865270, Formed: "Tuyên Quang, Hà Giang", Bound: b},
			`{"code":"08","name":"Tỉnh Tuyên Quang","short_name":"Tuyên Quang","area_km2":13795.5,"population":1865270,"communes":124,"formed_from":"Tuyên Quang, Hà Giang","bbox":[104,21,106,23]}`},
		{"population unknown: null", commune.Province{Code: "25", Name: "Tỉnh Phú Thọ", Bound: b},
			`{"code":"25","name":"Tỉnh Phú Thọ","short_name":"","area_km2":0,"population":null,"communes":124,"formed_from":"","bbox":[104,21,106,23]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(ProvinceOf(&tt.p, 124))
			if err != nil || string(got) != tt.want {
				t.Errorf("got %s, %v\nwant %s", got, err, tt.want)
			}
		})
	}
}

func TestListsAndExtent(t *testing.T) {
	set := &commune.Set{Provinces: []commune.Province{
		{Code: "08", Bound: orb.Bound{Min: orb.Point{104, 21}, Max: orb.Point{106, 23}}},
		{Code: "25", Bound: orb.Bound{Min: orb.Point{103, 20}, Max: orb.Point{105, 22}}},
	}}
	if got := Extent(set); !slices.Equal(got, []float64{103, 20, 106, 23}) {
		t.Errorf("extent %v", got)
	}
	cs := []*commune.Commune{{Code: "00691", Province: "08", Name: "Hùng Lợi", FullName: "Xã Hùng Lợi", Kind: placename.KindCommune}}
	for _, tt := range []struct {
		p    analytics.ProvinceCode
		want string
	}{{"08", "08"}, {"", "all"}} {
		l := CommuneList(tt.p, cs)
		if l.Province != tt.want || len(l.Communes) != 1 || l.Communes[0].Code != "00691" || l.Communes[0].FullName != "Xã Hùng Lợi" {
			t.Errorf("CommuneList(%q): %+v", tt.p, l)
		}
	}
}
